import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    pool: 'forks',
    // Most files wait on emulated latency and rate limits rather than compute, so run at least two
    // at once even on a 2-CPU machine, where vitest's default is one (the suite took 11 min, now ~6).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    globalSetup: ['test/global-setup.ts'],
    // Fails any test file in which an amoCRM emulator blocked its account (403).
    setupFiles: ['test/setup/amocrm-block-guard.ts'],
  },
})
