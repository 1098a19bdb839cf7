import { inject } from 'vitest';
import { ManualClock, type Core, type JobWorker } from '../../core/index.js';
import { closeMongo, connectMongo } from '../../core/db/connection.js';
import { loadConfig, type AppConfig, type Env } from '../../server/config.js';
import { createLogger, type Logger } from '../../server/logger.js';
import { startServer } from '../../server/server.js';
import { uniqueDbName } from './db.js';

/** 32+ characters, as the config demands; tests sign widget tokens with it. */
export const TEST_WIDGET_SECRET = 'test-widget-signing-secret-0123456789abcdef';

export type TestAppSettings = Partial<Record<keyof Env, string>> & {
  /** The clock core runs on; a Date or ISO string starts a ManualClock there. Defaults to the real now, frozen. */
  clock?: ManualClock | Date | string;
  /** Share a database with a `useTestDatabase()` in the same file; by default the app gets its own. */
  dbName?: string;
  /** Defaults to stdout at LOG_LEVEL (silent unless overridden); pass one to capture the app's logs. */
  logger?: Logger;
};

export interface TestApp {
  baseUrl: string;
  core: Core;
  clock: ManualClock;
  /** The app's job worker: after moving the clock, `runUntilIdle()` delivers what became due. */
  jobs: JobWorker;
  config: AppConfig;
  dbName: string;
  /** Stops the app; drops its database unless the caller supplied `dbName`. */
  close(): Promise<void>;
}

/**
 * The whole server, in this process, on a free loopback port, against the
 * run's test database: the same wiring as `npm start` with test settings.
 * Environment-style overrides (`DEMO_MODE: '1'`, `SLACK_BOT_TOKEN: ...`) go
 * through the real config validation.
 */
export async function startTestApp(settings: TestAppSettings = {}): Promise<TestApp> {
  const { clock: clockSetting, dbName: sharedDbName, logger: givenLogger, ...envOverrides } = settings;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    WIDGET_SIGNING_SECRET: TEST_WIDGET_SECRET,
    // Jobs due at once run when planned; tests that move the clock call `jobs.runUntilIdle()`.
    JOBS_POLL_SECONDS: '1',
    // Suites share two busy cores; the product's 1.5 s per call is proven by
    // the reliability suite, which runs with the default.
    MONGODB_TIMEOUT_MS: '10000',
    ...envOverrides,
  });
  const clock = clockSetting instanceof ManualClock ? clockSetting : new ManualClock(clockSetting ?? new Date());
  const uri = inject('mongoUri');
  const dbName = sharedDbName ?? uniqueDbName('app');
  const logger = givenLogger ?? createLogger({ level: config.logLevel, production: false });

  const server = await startServer(config, { clock, logger, database: { uri, dbName } });
  return {
    baseUrl: server.url,
    core: server.core,
    clock,
    jobs: server.jobs,
    config,
    dbName,
    async close() {
      await server.close();
      if (sharedDbName) return;
      const connection = await connectMongo(uri, dbName);
      try {
        await connection.dropDatabase();
      } finally {
        await closeMongo(connection);
      }
    },
  };
}
