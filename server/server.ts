import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { Connection } from 'mongoose';
import { closeMongo, connectMongo } from '../core/db/connection.js';
import { createCore, DomainEventBus, systemClock, type Clock, type Core, type JobWorker } from '../core/index.js';
import { redact, startDatabase, type RunningDatabase } from './db/database.js';
import { seedDemoData, topUpDemoSlots } from '../core/demo/demo-seed.js';
import type { AppConfig } from './config.js';
import { clientErrorResponse, MAX_HEADER_BYTES } from '../widget/api/problem.js';
import { createHttpApp, type HttpApp } from './http.js';
import { registerEmailDelivery } from './notifications/email.js';
import { registerWebhookDelivery } from './notifications/webhooks.js';
import { createLogger, type Logger } from './logger.js';

export interface StartServerOptions {
  clock?: Clock;
  /** A database chosen by the caller (tests), instead of MONGODB_URI or the embedded default. */
  database?: { uri: string; dbName?: string };
  logger?: Logger;
}

export interface RunningServer {
  url: string;
  port: number;
  core: Core;
  logger: Logger;
  /** This instance's job worker (polling unless JOBS_POLL_SECONDS=0); tests call `runDue()` on it. */
  jobs: JobWorker;
  /** Stops taking requests, stops Slack, closes the database. Safe to call twice. */
  close(): Promise<void>;
}

/** How long open requests get to finish on shutdown before their sockets are cut. */
const DRAIN_MS = 5_000;
const SWEEP_INTERVAL_MS = 60 * 60_000;
/** Finished jobs are kept this long (for support questions), then removed. */
const JOB_RETENTION_MS = 30 * 24 * 3_600_000;

export async function startServer(config: AppConfig, options: StartServerOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger({ level: config.logLevel, production: config.production });
  const clock = options.clock ?? systemClock;
  const cleanups: Array<() => Promise<void>> = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.reverse().splice(0)) {
      await cleanup().catch((error: unknown) => logger.error({ err: error }, 'shutdown step failed'));
    }
  };

  try {
    const connection = await openDatabase(config, options, logger, cleanups);

    const events = new DomainEventBus((error, event) => logger.error({ err: error, event }, 'domain event listener failed'));
    const jobsLog = logger.child({ part: 'jobs' });
    const core = await createCore({ connection, clock, rules: config.rules, events, log: (level, fields, message) => jobsLog[level](fields, message) });
    // What this instance delivers; every instance should be started with the same settings.
    const { notifications } = config;
    if (notifications.smtpUrl) {
      const transport = registerEmailDelivery(core, { smtpUrl: notifications.smtpUrl, from: notifications.from });
      cleanups.push(async () => transport.close());
    } else {
      logger.info('student email is off: set SMTP_URL to send confirmations, reminders and invitations');
    }
    if (notifications.webhooks) registerWebhookDelivery(core, notifications.webhooks);

    const sweep = async () => {
      const swept = await core.sweepOrphanClaims();
      if (swept > 0) logger.warn({ swept }, 'removed claims left behind by an interrupted write');
      await core.jobs.prune(new Date(clock.now().getTime() - JOB_RETENTION_MS));
    };
    // Orphan claims are healed where they block, so the sweep is only a
    // backstop: it never holds up start-up (first run right after listen).
    const sweeper = setInterval(() => sweep().catch((error: unknown) => logger.error({ err: error }, 'periodic sweep failed')), SWEEP_INTERVAL_MS);
    sweeper.unref();
    cleanups.push(async () => clearInterval(sweeper));

    if (config.widget.demoMode) await seedWhenEmpty(core, clock, logger);

    const http = await createHttpApp({ core, config, logger });
    if (http.slack) cleanups.push(() => http.slack!.stop());

    // Started once every edge has registered what it delivers; stopped first on shutdown, so no delivery is cut off.
    const jobs = core.jobs.worker();
    if (config.jobsPollMs > 0) {
      jobs.start(config.jobsPollMs);
      cleanups.push(() => jobs.stop());
    } else {
      logger.info('job worker off in this instance (JOBS_POLL_SECONDS=0)');
    }

    const server = await listen(http, config);
    cleanups.push(() => closeHttp(server));
    // Cleanups run last-first: the event streams end before the server waits for open requests.
    cleanups.push(async () => http.live.close());

    const startupSweep = sweep().catch((error: unknown) => logger.error({ err: error }, 'start-up sweep failed'));
    cleanups.push(() => startupSweep);

    const { port } = server.address() as AddressInfo;
    const url = `http://${displayHost(config.host)}:${port}`;
    logger.info({ url, demoMode: config.widget.demoMode, slack: config.slack?.mode ?? 'off' }, `listening on ${url}`);

    let closing: Promise<void> | null = null;
    return { url, port, core, logger, jobs, close: () => (closing ??= cleanUp()) };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

async function openDatabase(
  config: AppConfig,
  options: StartServerOptions,
  logger: Logger,
  cleanups: Array<() => Promise<void>>,
): Promise<Connection> {
  let uri: string;
  let dbName: string | undefined;
  if (options.database) {
    ({ uri, dbName } = options.database);
    logger.info({ dbName }, 'database: provided by the caller');
  } else if (config.mongodbUri) {
    uri = config.mongodbUri;
    logger.info(`database: MONGODB_URI (${redact(uri)})`);
  } else {
    const embedded: RunningDatabase = await startDatabase({
      purpose: 'start',
      dataDir: config.dataDir,
      log: (line) => logger.info(line),
    });
    cleanups.push(() => embedded.stop());
    uri = embedded.uri;
  }
  const connection = await connectMongo(uri, dbName, { operationTimeoutMs: config.mongodbTimeoutMs });
  cleanups.push(() => closeMongo(connection));
  return connection;
}

async function seedWhenEmpty(core: Core, clock: Clock, logger: Logger): Promise<void> {
  const { items } = await core.coaches.list({ limit: 1 });
  if (items.length > 0) {
    const added = await topUpDemoSlots(core);
    logger.info({ added: added.length }, `demo mode: the database already has data; topped up ${added.length} open slots for the coming weeks`);
    return;
  }
  const summary = await seedDemoData(core, { clock });
  logger.info({ seeded: summary }, `demo mode: seeded ${summary.coaches} coaches, ${summary.students} students and their sessions into the empty database`);
}

function listen(http: HttpApp, config: AppConfig): Promise<Server> {
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, http.app);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // As Node's own handler: answer only if no response has begun on this connection.
    const begun = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent ?? false;
    const response = socket.writable && !begun ? clientErrorResponse(error) : null;
    if (response) socket.end(response);
    else socket.destroy();
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error) => reject(new Error(`cannot listen on ${config.host}:${config.port}: ${error.message}`, { cause: error })));
    server.listen(config.port, config.host, () => resolve(server));
  });
}

async function closeHttp(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Keep-alive sockets with no request in flight would hold close() open.
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
  await closed;
  clearTimeout(timer);
}

function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
