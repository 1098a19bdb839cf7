import { defineConfig } from 'vitest/config';

process.env.TZ = 'UTC';

/**
 * `npm run test:reliability`: faults injected into real processes (a stalled
 * and a killed database, `kill -9` of the app), request fuzzing and the
 * authorisation matrix. Apart from `npm test` because it takes minutes and
 * stops and kills processes on purpose.
 */
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/reliability/**/*.test.ts'],
    globalSetup: ['test/setup/global-setup.ts'],
    pool: 'forks',
    // One file at a time: each measures latencies that a neighbour's load would distort.
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    env: { TZ: 'UTC' },
  },
});
