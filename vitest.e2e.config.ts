import { defineConfig } from 'vitest/config'

// Suites that need more than the clone: a real browser (Debian's chromium, driven by playwright-core).
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // one browser at a time: the machine has 2 cores shared with the service's workers
    fileParallelism: false,
  },
})
