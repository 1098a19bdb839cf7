import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';

const arrivals = new WeakMap<IncomingMessage, number>();

/** Notes when a Slack request arrived, before its body is read, for deadlines counted as Slack counts them. */
export function noteArrival(): RequestHandler {
  return (req, _res, next) => {
    arrivals.set(req, Date.now());
    next();
  };
}

/** When the request arrived (noteArrival), for Bolt's custom properties: `context.receivedAt`. */
export const arrivalOf = (req: IncomingMessage): { receivedAt?: number } => {
  const at = arrivals.get(req);
  return at === undefined ? {} : { receivedAt: at };
};

/** Slack's replay window: a signed request stamped further than this from now, either way, is refused. */
export const REQUEST_WINDOW_SECONDS = 5 * 60;

/**
 * Bolt's verifier refuses requests stamped more than 5 minutes in the past
 * but accepts any in the future, so a captured request signed with a
 * future stamp could be replayed for as long as the stamp says. This runs
 * before Bolt on the events path and refuses both directions; the signature
 * itself is still checked by Bolt. Real time, like Slack's own stamp.
 */
export function refuseOutsideRequestWindow(nowMs: () => number = Date.now): RequestHandler {
  return (req, res, next) => {
    const stamp = req.get('x-slack-request-timestamp') ?? '';
    const seconds = /^\d{1,12}$/.test(stamp) ? Number(stamp) : Number.NaN;
    if (Number.isNaN(seconds) || Math.abs(nowMs() / 1000 - seconds) > REQUEST_WINDOW_SECONDS) {
      res.status(401).type('text/plain').send('The request timestamp is missing or more than 5 minutes from now.');
      return;
    }
    next();
  };
}
