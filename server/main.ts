/**
 * `npm start`: validates the environment, starts the app, and shuts it down
 * cleanly on SIGTERM or SIGINT. A bad setting exits 1 with one line naming it.
 */
import { ConfigError, loadConfig, type AppConfig } from './config.js';
import { createLogger } from './logger.js';
import type { RunningServer } from './server.js';

/** A shutdown that hangs (a stuck socket, a database that never answers) must not keep a container alive. */
const SHUTDOWN_DEADLINE_MS = 15_000;

let config: AppConfig;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

const logger = createLogger({ level: config.logLevel, production: config.production });

let starting: Promise<RunningServer> | null = null;
let shuttingDown = false;

async function shutDown(signal: NodeJS.Signals): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, `received ${signal}, shutting down`);
  setTimeout(() => {
    logger.error(`shutdown did not finish within ${SHUTDOWN_DEADLINE_MS / 1000} s, exiting anyway`);
    process.exit(1);
  }, SHUTDOWN_DEADLINE_MS).unref();
  try {
    // A signal during a slow start (the first stand-in build) waits for what
    // is coming up, then closes it, rather than orphaning a half-started database.
    const server = await starting?.catch(() => null);
    await server?.close();
    logger.info('stopped');
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, 'shutdown failed');
    process.exit(1);
  }
}

process.once('SIGTERM', (signal) => void shutDown(signal));
process.once('SIGINT', (signal) => void shutDown(signal));

try {
  // Loaded after validation, so a bad setting is reported at once instead of
  // after the whole app (Bolt, Express, mongoose) has been compiled and loaded.
  const { startServer } = await import('./server.js');
  starting = startServer(config, { logger });
  await starting;
} catch (error) {
  logger.fatal({ err: error }, `could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
