import type { RequestHandler, Response } from 'express';
import type { Core } from '../../core/core.types.js';

/**
 * What a watching widget is told. `open: false` with a `slotId` says that
 * slot can no longer be booked (drop it at once); a bare `coachId` says that
 * coach's open times changed in some other way (fetch the visible range again).
 */
export interface LiveSlotChange {
  coachId: string;
  slotId?: string;
  open?: boolean;
}

export interface LiveUpdates {
  /** GET handler for the server-sent event stream. */
  stream: RequestHandler;
  /** How many widgets are listening (for tests and logs). */
  readonly listeners: number;
  /** Ends every stream, so shutdown is not held open by idle watchers. */
  close(): void;
}

/** Proxies drop idle connections after a minute or so; a comment line keeps the stream open. */
const HEARTBEAT_MS = 25_000;
/** How long a browser waits before reconnecting after the stream drops. */
const RETRY_MS = 5_000;

/**
 * Server-sent events fed by core's domain events: each booking, cancellation
 * or change of a coach's slots made through this process reaches every
 * widget connected to it within moments, with no polling. Changes made
 * through another instance are not seen here; the `ready` event says so
 * (`scope: "instance"`), and the widget then refreshes what it shows slowly
 * (see the README, "Live updates").
 */
export function createLiveUpdates(core: Core): LiveUpdates {
  const clients = new Set<Response>();
  const send = (change: LiveSlotChange) => {
    const frame = `event: slots\ndata: ${JSON.stringify(change)}\n\n`;
    for (const res of clients) res.write(frame);
  };
  const unsubscribe = [
    core.events.on('booking.created', ({ coachId, slotId }) => send({ coachId, slotId, open: false })),
    core.events.on('booking.cancelled', ({ coachId }) => send({ coachId })),
    // A move opens the old slot and takes the new one.
    core.events.on('booking.rescheduled', ({ coachId }) => send({ coachId })),
    core.events.on('slots.changed', ({ coachId }) => send({ coachId })),
  ];
  const heartbeat = setInterval(() => {
    for (const res of clients) res.write(': keep-alive\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return {
    stream: (req, res) => {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        // nginx and friends buffer responses by default, which would hold events back.
        'X-Accel-Buffering': 'no',
      });
      res.write(`retry: ${RETRY_MS}\nevent: ready\ndata: ${JSON.stringify({ scope: 'instance' })}\n\n`);
      clients.add(res);
      req.on('close', () => clients.delete(res));
    },
    get listeners() {
      return clients.size;
    },
    close() {
      clearInterval(heartbeat);
      for (const off of unsubscribe) off();
      for (const res of clients) res.end();
      clients.clear();
    },
  };
}
