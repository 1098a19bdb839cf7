import type { Request, RequestHandler } from 'express';
import type pino from 'pino';
import { edgeProblem, sendProblem } from './problem.js';

/** A refused origin is logged at most this often, so a busy misconfigured page does not flood the log. */
const WARN_EVERY_MS = 60_000;

function sameOrigin(origin: string, req: Request): boolean {
  try {
    return new URL(origin).host === req.get('host');
  } catch {
    return false;
  }
}

/**
 * Refuses cross-origin calls from pages whose origin is not in WIDGET_ORIGINS,
 * in a way the integrator can see. A plain CORS refusal is invisible to the
 * page (the browser reports a network error, which the widget could only
 * call an outage), so instead the preflight is answered and the request itself
 * gets a 403 `origin.not_allowed` problem the page may read. Nothing runs
 * for such a request: it never reaches authentication or an endpoint.
 */
export function refuseUnlistedOrigins(allowed: readonly string[], logger: pino.Logger): RequestHandler {
  const lastWarned = new Map<string, number>();
  return (req, res, next) => {
    const origin = req.get('origin');
    if (origin === undefined || allowed.includes(origin) || sameOrigin(origin, req)) {
      next();
      return;
    }
    const now = Date.now();
    if ((lastWarned.get(origin) ?? 0) + WARN_EVERY_MS <= now) {
      if (lastWarned.size > 1_000) lastWarned.clear();
      lastWarned.set(origin, now);
      logger.warn(
        { origin, allowedOrigins: allowed, setting: 'WIDGET_ORIGINS' },
        `refused a cross-origin request from ${origin}: add "${origin}" to WIDGET_ORIGINS (now: ${allowed.length ? allowed.join(',') : 'empty'}); scheme, host and port must match exactly`,
      );
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE');
      res.setHeader('Access-Control-Allow-Headers', req.get('access-control-request-headers') ?? 'Authorization, Content-Type');
      res.status(204).end();
      return;
    }
    sendProblem(
      res,
      edgeProblem(
        'origin.not_allowed',
        `Pages on ${origin} may not call this booking service. Add "${origin}" to WIDGET_ORIGINS on the scheduler (comma-separated origins; scheme, host and port must match exactly).`,
      ),
    );
  };
}
