#!/usr/bin/env bash
# check.sh — builds the image and runs it for real: one container (healthy, right answers, non-root,
# clean stop), then docker-compose with 2 replicas behind nginx (both replicas serve).
# Prints `ok - …` / `not ok - …` per check and ends with `N passed, M failed`; exit 1 if any failed.
#
# Uses the machine's Docker when `docker info` works. Otherwise (build machines without an engine or
# a registry) it starts a private engine with ../shared/tools/container/dockerd.sh and builds
# stand-in base images with base-images.sh; SHARED_DIR overrides where `shared` is. An engine this
# script started is stopped again at the end; one that was already running is left running.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
shared=${SHARED_DIR:-$(cd "$here/../../.." && pwd)/shared}
tools=$shared/tools/container
probe() { node "$here/probe.mjs" "$@"; }

image=${CHECK_IMAGE:-convserve:check}
cname=convserve-check-$$
project=convservecheck$$
passed=0
failed=0
started_engine=0
compose=()

ok() { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $1"; failed=$((failed + 1)); }
note() { [ -n "$1" ] && printf '%s\n' "$1" | sed 's/^/# /'; return 0; }
# check NAME CMD… — runs CMD, reports by its exit status, shows its output as a comment.
check() {
  local name=$1 out; shift
  if out=$("$@" 2>&1); then ok "$name"; else not_ok "$name"; fi
  note "$out"
}
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}
cleanup() {
  docker rm -f "$cname" >/dev/null 2>&1
  if [ ${#compose[@]} -gt 0 ]; then
    "${compose[@]}" -p "$project" down -v --remove-orphans >/dev/null 2>&1
  fi
  if [ "$started_engine" = 1 ]; then "$tools/dockerd.sh" stop >/dev/null 2>&1; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- engine -------------------------------------------------------------------------------------
private_sock=unix://${DOCKERD_WORK:-/tmp/convserve-dockerd}/docker.sock
if ! docker info >/dev/null 2>&1; then
  if [ ! -x "$tools/dockerd.sh" ]; then
    not_ok "docker engine available (no running engine and no $tools/dockerd.sh)"
    finish
  fi
  DOCKER_HOST=$private_sock docker info >/dev/null 2>&1 || started_engine=1
  if ! env_line=$("$tools/dockerd.sh" start); then
    not_ok "docker engine starts (dockerd.sh start failed)"
    finish
  fi
  eval "$env_line"
fi
# The private engine has no registry: it needs the local stand-ins for the base images.
if [ "${DOCKER_HOST:-}" = "$private_sock" ]; then
  if ! out=$("$tools/base-images.sh" 24 2>&1); then
    not_ok "stand-in base images build"; note "$out"; finish
  fi
fi
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose -f "$repo/docker-compose.yml")
elif command -v docker-compose >/dev/null 2>&1; then
  # compose v1 applies `deploy` (replicas, limits) only in compatibility mode.
  compose=(docker-compose --compatibility -f "$repo/docker-compose.yml")
fi
note "engine $(docker version -f '{{.Server.Version}}' 2>/dev/null), compose: ${compose[*]:-none}"

# ---- image --------------------------------------------------------------------------------------
t0=$(date +%s)
if out=$(docker build -t "$image" "$repo" 2>&1); then
  ok "image builds ($(($(date +%s) - t0)) s)"
else
  not_ok "image builds"; note "$(printf '%s\n' "$out" | tail -30)"; finish
fi
size=$(docker image inspect -f '{{.Size}}' "$image")
note "image size $((size / 1000000)) MB (docker images reports the same number)"

check "runtime image has production dependencies only" \
  docker run --rm --entrypoint sh "$image" -c '! ls -d node_modules/typescript node_modules/vitest 2>/dev/null'
check "onnxruntime-node keeps only its linux binaries for this architecture" \
  docker run --rm --entrypoint sh "$image" -c \
  'a=$(node -p process.arch); cd node_modules/onnxruntime-node/bin && ls -d napi-v*/*/* && [ "$(ls -d napi-v*/*/*)" = "$(ls -d napi-v*/linux/$a)" ]'
check "image runs as the node user" \
  sh -c "u=\$(docker image inspect -f '{{.Config.User}}' '$image'); echo \"Config.User=\$u\"; [ \"\$u\" = node ]"

# ---- one container ------------------------------------------------------------------------------
# Hardened as deploy/k8s/deployment.yaml runs it (read-only root, writable /tmp only, no
# capabilities, no privilege escalation), so the answers below also prove the manifest's settings
# work. --health-interval only makes the image's own HEALTHCHECK command run sooner than its 10 s.
if ! out=$(docker run -d --name "$cname" -p 127.0.0.1::3000 --health-interval=2s -e WORKERS=2 \
  --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges "$image" 2>&1); then
  not_ok "container starts"; note "$out"; finish
fi
health=none
for _ in $(seq 60); do
  health=$(docker inspect -f '{{.State.Health.Status}}' "$cname" 2>/dev/null)
  [ "$health" = healthy ] || [ "$health" = unhealthy ] && break
  sleep 1
done
if [ "$health" = healthy ]; then ok "container becomes healthy"; else
  not_ok "container becomes healthy (status: $health)"; note "$(docker logs --tail 20 "$cname" 2>&1)"
fi
url=http://$(docker port "$cname" 3000/tcp | head -1)
check "POST /conv2d textbook example (read-only root filesystem)" probe textbook "$url"
check "POST /conv2d S2-sized base64 job (1x64x56x56, 64x64x3x3, padding 1)" probe s2 "$url"
check "playground page and its browser module are served" probe get200 "$url" / /playground.js
check "X-Request-Id: a sent one echoed, else a UUID" probe reqid "$url" '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
check "process user is not root" \
  sh -c "u=\$(docker exec '$cname' id -u); echo \"uid \$u\"; [ -n \"\$u\" ] && [ \"\$u\" != 0 ]"
check "node is PID 1 (signals reach the server)" \
  sh -c "docker exec '$cname' cat /proc/1/cmdline | tr '\\0' ' ' | grep -q '^node --initial-old-space-size=128 dist/server.js'"
t0=$(date +%s%N)
docker stop -t 10 "$cname" >/dev/null 2>&1
ms=$((($(date +%s%N) - t0) / 1000000))
code=$(docker inspect -f '{{.State.ExitCode}}' "$cname" 2>/dev/null)
if [ "$ms" -lt 5000 ] && [ "$code" = 0 ]; then ok "docker stop: clean exit within 5 s (${ms} ms, exit 0)"
else not_ok "docker stop: clean exit within 5 s (${ms} ms, exit $code)"; note "$(docker logs --tail 5 "$cname" 2>&1)"; fi
docker rm -f "$cname" >/dev/null 2>&1

# ---- two replicas behind nginx ------------------------------------------------------------------
if [ ${#compose[@]} -eq 0 ]; then not_ok "compose available (neither docker compose nor docker-compose)"; finish; fi
LB_PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
export LB_PORT LB_BIND=127.0.0.1 CONVSERVE_IMAGE=$image API_REPLICAS=2
if out=$("${compose[@]}" -p "$project" up -d --no-build 2>&1); then ok "compose up (2 api replicas + nginx)"
else not_ok "compose up (2 api replicas + nginx)"; note "$out"; finish; fi
healthy=0
for _ in $(seq 60); do
  healthy=$(docker ps --filter "label=com.docker.compose.project=$project" \
    --filter "label=com.docker.compose.service=api" --filter health=healthy -q | wc -l)
  [ "$healthy" -ge 2 ] && break
  sleep 1
done
if [ "$healthy" -eq 2 ]; then ok "2 api replicas healthy"; else not_ok "2 api replicas healthy ($healthy)"; fi
lb=http://127.0.0.1:$LB_PORT
check "balancer answers /healthz" probe wait "$lb/healthz" 30
check "20 requests through the balancer: all right, both replicas serve" probe spread "$lb" 20 2
# A third replica started now must get traffic without restarting nginx: the balancer re-resolves
# `api` through Docker's DNS (valid=5s) instead of keeping the addresses it saw at start-up.
if out=$("${compose[@]}" -p "$project" up -d --no-build --no-recreate --scale api=3 2>&1); then
  spread_out=""
  for _ in $(seq 8); do
    if spread_out=$(probe spread "$lb" 30 3 2>&1); then break; fi
    sleep 2
  done
  if [ "${spread_out#30 answers right}" != "$spread_out" ]; then ok "a replica added with --scale api=3 gets traffic without restarting nginx"
  else not_ok "a replica added with --scale api=3 gets traffic without restarting nginx"; fi
  note "$spread_out"
else
  not_ok "compose up --scale api=3"; note "$out"
fi
check "S2-sized base64 job through the balancer (body > nginx's 1 MB default)" probe s2 "$lb"
check "/docs, /openapi.json and the playground through the balancer answer 200" probe get200 "$lb" /docs /openapi.json / /playground.js
check "X-Request-Id through the balancer: the client's kept, else nginx's \$request_id (32 hex digits)" probe reqid "$lb" '^[0-9a-f]{32}$'
if out=$("${compose[@]}" -p "$project" down -v --remove-orphans 2>&1); then
  left=$(docker ps -a --filter "label=com.docker.compose.project=$project" -q | wc -l)
  if [ "$left" -eq 0 ]; then ok "compose down removes every container"; else not_ok "compose down removes every container ($left left)"; fi
else
  not_ok "compose down"; note "$out"
fi
compose=()
finish
