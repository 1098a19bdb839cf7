import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import cors from 'cors';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type pino from 'pino';
import type { Core } from '../../core/core.types.js';
import type { WidgetConfig } from './config.js';
import { authenticatedStudent, createAdminTokenCheck, createEnsureStudent, createTokenCheck, optionalScope, rateLimitSubject, requestScope, requireAdminToken, requireToken } from './auth.js';
import { adminEndpoints } from './admin-endpoints.js';
import { serveBundleLicenses, serveWidgetBundle } from './bundle.js';
import type { CalendarOrganizer } from './calendar.js';
import { DEMO_SUBJECTS, demoEndpoints, demoPage } from './demo.js';
import { SharedRateLimitStore } from './rate-limit-store.js';
import { allowHeader } from './allow.js';
import { defineEndpoint, expressPath, type Endpoint } from './endpoint.js';
import { widgetEndpoints } from './endpoints.js';
import { serveMessages } from './i18n.js';
import { serveZones } from './zones.js';
import { buildOpenApiDocument } from './openapi.js';
import type { LiveUpdates } from './live.js';
import { refuseUnlistedOrigins } from './origins.js';
import { BODY_LIMIT, edgeProblem, parseRequestPart, problemErrorHandler, sendProblem } from './problem.js';

export interface WidgetRoutesDeps {
  core: Core;
  config: WidgetConfig;
  /** The public base URL of this app (PUBLIC_URL), named as the server in the OpenAPI document. */
  publicUrl: string | null;
  logger: pino.Logger;
  /** The server-sent event stream of slot changes, owned by the caller so shutdown can end it. */
  live: LiveUpdates;
  /** Named as ORGANIZER in the calendar files (the scheduler's mail address, MAIL_FROM). */
  calendarOrganizer: CalendarOrganizer;
}

const API_PREFIX = '/api/v1';
/**
 * RATE_LIMIT_PER_MINUTE is each student's budget. One address gets ten times
 * that: a school or an office puts many students behind a single address.
 */
const STUDENTS_PER_ADDRESS = 10;
const API_VERSION = '1.0.0';
const BUNDLE_PATH = fileURLToPath(new URL('../dist/coach-booking.js', import.meta.url));
const LICENSES_PATH = fileURLToPath(new URL('../dist/coach-booking.licenses.md', import.meta.url));

/**
 * Everything the booking widget needs from this process, mounted at `/`:
 * the student API under /api/v1, the built element at /widget/coach-booking.js,
 * and, in demo mode only, the /demo page and its demo identities.
 */
export function createWidgetRoutes({ core, config, publicUrl, logger, live, calendarOrganizer }: WidgetRoutesDeps): express.Router {
  const { demoMode } = config;
  if (!config.signingSecret && !demoMode) throw new Error('createWidgetRoutes: config.signingSecret is required outside demo mode');
  // Demo tokens get a secret of their own, made at start: a demo page must
  // never be able to mint a token that the production secret would vouch for.
  const demo = demoMode ? { secret: randomBytes(32).toString('base64url'), subjects: DEMO_SUBJECTS } : null;
  if (demoMode) {
    logger.warn(
      config.signingSecret
        ? 'demo mode: demo tokens are signed with a random secret made at start; tokens signed with WIDGET_SIGNING_SECRET are accepted too'
        : 'demo mode: no WIDGET_SIGNING_SECRET set, only demo tokens (signed with a random secret made at start) are accepted',
    );
  }

  const endpoints: Endpoint[] = [...widgetEndpoints(core, { organizer: calendarOrganizer }), ...adminEndpoints(core, logger), ...(demo ? demoEndpoints(core, demo.secret) : [])];
  let openApiDocument: Record<string, unknown> | null = null;
  endpoints.push(
    defineEndpoint({
      method: 'get',
      path: '/live',
      operationId: 'watchSlotChanges',
      summary: 'Server-sent events: open slots that were just booked, and coaches whose open times changed',
      description:
        'A `text/event-stream`. First a `ready` event `{ "scope": "instance" }`, then a `slots` event per change: ' +
        '`{ coachId, slotId, open: false }` when a slot was booked (drop it), `{ coachId }` when that coach’s open times changed ' +
        'otherwise (fetch them again). No token: the stream carries only public slot data, and an EventSource cannot send headers.',
      tag: 'Coaches',
      auth: false,
      responses: [{ status: 200, description: 'The event stream; it stays open.', contentType: 'text/event-stream' }],
      problems: [],
      async handle({ req, res }) {
        live.stream(req, res, () => {});
      },
    }),
    defineEndpoint({
      method: 'get',
      path: '/openapi.json',
      operationId: 'getOpenApiDocument',
      summary: 'This API as an OpenAPI 3.1 document, generated from the schemas that validate requests',
      tag: 'Documentation',
      auth: false,
      responses: [{ status: 200, description: 'The OpenAPI document.', contentType: 'application/json' }],
      problems: [],
      async handle({ res }) {
        openApiDocument ??= buildOpenApiDocument(endpoints, { serverUrl: publicUrl, version: API_VERSION });
        res.json(openApiDocument);
      },
    }),
  );

  const api = express.Router();
  api.use(refuseUnlistedOrigins(config.origins, logger));
  api.use(
    cors({
      origin: (origin, callback) => callback(null, origin !== undefined && config.origins.includes(origin)),
      methods: ['GET', 'POST', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
      exposedHeaders: ['Retry-After', 'RateLimit', 'RateLimit-Policy', 'Content-Disposition'],
      maxAge: 600,
    }),
  );
  api.use(limiter(core, logger, 'ip', config.rateLimitPerMinute * STUDENTS_PER_ADDRESS));

  // The order of an authenticated request: the token is checked without the
  // database, then the student's own rate limit is counted, and only a request
  // within it writes (the student) or has its body parsed, so a stranger's
  // bad JSON is a 401 and a refused request costs no write.
  const checkToken = createTokenCheck({ clock: core.clock, hostSecret: config.signingSecret, binding: config.tokens, demo });
  const verifyAdmin = requireAdminToken(createAdminTokenCheck({ clock: core.clock, hostSecret: config.signingSecret, binding: config.tokens, demo }));
  const verifyToken = requireToken(checkToken);
  const scopeIfSigned = optionalScope(checkToken);
  const perStudent = limiter(core, logger, 'student', config.rateLimitPerMinute);
  const ensureStudent = createEnsureStudent(core);
  // Any JSON value parses; the endpoint's schema then says precisely what is wrong with it.
  const parseJson = express.json({ limit: BODY_LIMIT, strict: false });
  const allowed = new Map<string, Set<string>>();
  for (const endpoint of endpoints) {
    const chain: RequestHandler[] = endpoint.auth === 'admin' ? [verifyAdmin, perStudent] : endpoint.auth ? [verifyToken, perStudent, ensureStudent] : [scopeIfSigned];
    if (endpoint.body) chain.push(parseJson);
    const path = expressPath(endpoint.path);
    api[endpoint.method](path, ...chain, runEndpoint(endpoint));
    allowed.set(path, (allowed.get(path) ?? new Set()).add(endpoint.method));
  }
  for (const [path, methods] of allowed) api.all(path, methodNotAllowed(methods));
  api.use((req, res) => {
    sendProblem(res, edgeProblem('route.not_found', `Nothing is served at ${req.method} ${API_PREFIX}${req.path}. See ${API_PREFIX}/openapi.json.`));
  });
  api.use(problemErrorHandler(logger));

  const router = express.Router();
  router.use(API_PREFIX, api);
  router.get('/widget/coach-booking.js', serveWidgetBundle(BUNDLE_PATH));
  router.get('/widget/coach-booking.licenses.md', serveBundleLicenses(LICENSES_PATH));
  router.get('/widget/i18n/:file', serveMessages());
  router.get('/widget/zones.json', serveZones(() => core.clock.now()));
  if (demoMode) router.get('/demo', demoPage());
  return router;
}

function methodNotAllowed(methods: Set<string>): RequestHandler {
  const allow = allowHeader(methods);
  return (req, res) => {
    sendProblem(res, edgeProblem('method.not_allowed', `${req.method} is not allowed on ${API_PREFIX}${req.path}. Use ${allow.replace(/, OPTIONS$/, '')}.`), { Allow: allow });
  };
}

function runEndpoint(endpoint: Endpoint): RequestHandler {
  return async (req, res) => {
    // A token's workspace narrows even the public listings: such an answer is the student's alone.
    if (endpoint.auth || requestScope(req)) res.setHeader('Cache-Control', 'private, no-store');
    const query = endpoint.query ? parseRequestPart(endpoint.query, { ...req.query }, 'query') : undefined;
    let body: unknown;
    if (endpoint.body) {
      if (req.body === undefined && hasBody(req) && !req.is('application/json')) {
        sendProblem(res, edgeProblem('request.unsupported_media_type', 'Send the body with Content-Type: application/json.'));
        return;
      }
      // An optional body may be left out entirely; a required one is checked like any other field.
      const raw = req.body === undefined && !endpoint.bodyRequired ? {} : req.body;
      body = parseRequestPart(endpoint.body, raw, 'body');
    }
    await endpoint.handle({ req, res, query, body, student: endpoint.auth === true ? authenticatedStudent(req) : null, scope: requestScope(req) } as Parameters<Endpoint['handle']>[0]);
  };
}

function hasBody(req: Request): boolean {
  return Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
}

/**
 * Per address before anything else (so nobody can flood the token checks),
 * and per student once the token is checked, so a student cannot get round
 * it by switching networks. Counts live in the database, shared by every
 * instance of the app.
 */
function limiter(core: Core, logger: pino.Logger, by: 'ip' | 'student', perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: `per-${by}`,
    store: new SharedRateLimitStore(core.rateLimits, perMinute, `${by}:`, logger),
    ...(by === 'student' ? { keyGenerator: (req: Request) => rateLimitSubject(req) } : {}),
    handler: (_req: Request, res: Response) => {
      const retryAfter = String(res.getHeader('Retry-After') ?? '60');
      const scope = by === 'ip' ? 'from one address' : 'per student';
      sendProblem(res, edgeProblem('rate_limited', `At most ${perMinute} requests a minute ${scope}. Try again in ${retryAfter} seconds.`), {
        'Retry-After': retryAfter,
      });
    },
  });
}
