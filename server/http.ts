import { randomUUID } from 'node:crypto';
import express, { type Express, type RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Core } from '../core/index.js';
import { startSlackBot } from '../bot/app.js';
import { createLiveUpdates, type LiveUpdates } from '../widget/api/live.js';
import { createWidgetRoutes } from '../widget/api/routes.js';
import { edgeProblem, problemErrorHandler, sendProblem } from '../widget/api/problem.js';
import type { AppConfig } from './config.js';
import type { Logger } from './logger.js';

export interface HttpAppDeps {
  core: Core;
  config: AppConfig;
  logger: Logger;
}

export interface HttpApp {
  app: Express;
  /** Null when Slack is not configured. */
  slack: { stop(): Promise<void> } | null;
  /** Widgets watching slot changes; closed before the HTTP server so it can drain. */
  live: LiveUpdates;
}

const READY_TIMEOUT_MS = 2_000;
const PROBES = new Set(['/healthz', '/readyz']);

/**
 * The one Express app of the process: probes, the Slack receiver and the
 * widget API. No body parser is installed here on purpose: Slack verifies its
 * signature over the raw body, so each edge parses its own requests.
 */
export async function createHttpApp({ core, config, logger }: HttpAppDeps): Promise<HttpApp> {
  const app = express();
  app.disable('x-powered-by');

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Orchestrators poll the probes every few seconds; logging each would drown the rest.
      autoLogging: { ignore: (req) => PROBES.has(req.url ?? '') },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', readiness(core));

  let slack: HttpApp['slack'] = null;
  if (config.slack) {
    // In HTTP mode Bolt adds POST /slack/events to this app; it must come
    // before the catch-all 404 below, hence the order.
    slack = await startSlackBot({ core, config: config.slack, logger: logger.child({ edge: 'slack' }), expressApp: app });
  } else {
    logger.info('Slack is off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN)');
  }

  const live = createLiveUpdates(core);
  app.use('/', createWidgetRoutes({ core, config: config.widget, publicUrl: config.publicUrl, logger: logger.child({ edge: 'widget' }), live, calendarOrganizer: config.notifications.from }));

  app.use((req, res) => {
    sendProblem(res, edgeProblem('route.not_found', `Nothing is served at ${req.method} ${req.path}.`));
  });
  // Whatever an edge let through leaves as a problem document, logged, never as a stack trace.
  app.use(problemErrorHandler(logger));

  return { app, slack, live };
}

function readiness(core: Core): RequestHandler {
  return async (_req, res) => {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
    });
    const ready = await Promise.race([core.ping().catch(() => false), timedOut]);
    clearTimeout(timer);
    if (ready) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'unavailable', reason: 'the database does not answer' });
  };
}
