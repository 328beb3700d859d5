#!/usr/bin/env bash
# npm run test:e2e — the suites that need more than the clone: a real browser (Debian's chromium),
# Debian's python3 + numpy (the README's Python client), and a Docker engine (the container check).
# Prints one closing line `N passed, M failed` summed over the suites; exits non-zero on any failure.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
mkdir -p test-results

passed=0
failed=0

# Browser and Python suites (vitest); counts from vitest's own JSON report.
report="test-results/e2e-vitest.json"
rm -f "$report"
npx vitest run -c vitest.e2e.config.ts --reporter=default --reporter=json --outputFile.json="$report"
vitest_status=$?
if [ -f "$report" ]; then
  read -r p f < <(node -e 'const r=require(process.argv[1]); console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorCount ?? 0))' "$root/$report")
  passed=$((passed + p))
  failed=$((failed + f))
elif [ "$vitest_status" -ne 0 ]; then
  failed=$((failed + 1))
fi
[ "$vitest_status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1

# Container suite: its last line is `N passed, M failed`.
container_log="test-results/container.log"
bash test/container/check.sh 2>&1 | tee "$container_log"
container_status=${PIPESTATUS[0]}
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$container_log" | tail -n 1)
if [ -n "$line" ]; then
  passed=$((passed + $(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')))
  failed=$((failed + $(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')))
fi
[ "$container_status" -ne 0 ] && [ -z "$line" ] && failed=$((failed + 1))

echo "e2e: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
