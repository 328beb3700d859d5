import { defineConfig } from 'vitest/config'

// `npm test` needs nothing outside the clone: suites that need Docker or a browser live in test/e2e
// and run with `npm run test:e2e`.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
})
