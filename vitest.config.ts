import { defineConfig } from 'vitest/config';

// Rules and views are tested at fixed instants; the zone must not depend on
// the machine (`npm test` sets it too, this covers a bare `npx vitest`).
process.env.TZ = 'UTC';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    // The fault-injection suite runs on its own: npm run test:reliability.
    exclude: ['test/reliability/**', 'node_modules/**'],
    globalSetup: ['test/setup/global-setup.ts'],
    pool: 'forks',
    // Two cores: the suites mostly wait on the database, Chromium or sockets.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    env: { TZ: 'UTC' },
  },
});
