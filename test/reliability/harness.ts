import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { closeMongo, connectMongo } from '../../core/db/connection.js';
import { createCore, type Core } from '../../core/index.js';
import { TEST_WIDGET_SECRET } from '../helpers/app.js';
import { bearer, mintToken, newStudent, type StudentClaims } from '../helpers/tokens.js';
import { freePort, spawnServer, within, type ServerProcess } from '../process/server-process.js';

export const HOUR = 3_600_000;

/** One answer the load saw, with what a client would judge it by. */
export interface Observation {
  kind: 'book' | 'slots' | 'mine';
  startedAt: number;
  ms: number;
  /** 0 when no HTTP answer came (refused connection, client timeout). */
  status: number;
  code: string | null;
  contentType: string | null;
  retryAfter: string | null;
  bookingId: string | null;
  slotId: string | null;
  error: string | null;
}

/** A core of the test's own on the database the app processes use, for seeding and for checking afterwards. */
export async function openCore(uri: string): Promise<{ core: Core; connection: Connection; close(): Promise<void> }> {
  const connection = await connectMongo(uri);
  const core = await createCore({ connection });
  return { core, connection, close: () => closeMongo(connection) };
}

/** Slots on the 15-minute grid, two hours apart, starting two days from now: bookable by the real clock. */
export async function seedSlots(core: Core, count: number, coachLabel = 'R'): Promise<{ coachId: string; slotIds: string[] }> {
  const { coach } = await core.coaches.onboard({
    teamId: 'TREL',
    slackUserId: `U${coachLabel}${randomUUID().slice(0, 8)}`,
    name: `Reliability coach ${coachLabel}`,
    timezone: 'Europe/London',
    phone: '+442079461999',
    email: null,
  });
  const grid = 15 * 60_000;
  const first = Math.ceil((Date.now() + 48 * HOUR) / grid) * grid;
  const slotIds: string[] = [];
  for (let i = 0; i < count; i++) slotIds.push((await core.slots.create(coach.id, { startsAt: new Date(first + i * 2 * HOUR) })).id);
  return { coachId: coach.id, slotIds };
}

export interface AppProcess {
  base: string;
  server: ServerProcess;
  stop(): Promise<void>;
}

/** A real `server/main.ts` process on the given database. */
export async function startAppProcess(mongoUri: string, env: Record<string, string> = {}, port?: number): Promise<AppProcess> {
  const listenPort = port ?? (await freePort());
  const server = spawnServer({
    PORT: String(listenPort),
    HOST: '127.0.0.1',
    MONGODB_URI: mongoUri,
    WIDGET_SIGNING_SECRET: TEST_WIDGET_SECRET,
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    RATE_LIMIT_PER_MINUTE: '100000',
    ...env,
  });
  await server.waitForLog(/^listening on /, 60_000).catch(async (error: unknown) => {
    server.kill('SIGKILL');
    throw error;
  });
  return {
    base: `http://127.0.0.1:${listenPort}`,
    server,
    async stop() {
      if (server.child.exitCode !== null || server.child.signalCode !== null) return;
      server.kill('SIGTERM');
      await within(server.exited, 20_000, 'app exit').catch(() => server.kill('SIGKILL'));
    },
  };
}

export async function studentTokens(count: number): Promise<Array<{ claims: StudentClaims; headers: Record<string, string> }>> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const claims = newStudent();
      return { claims, headers: bearer(await mintToken(claims, { now: new Date(), expiresIn: 3_600 })) };
    }),
  );
}

/** One request, timed, never throwing: what a client would have seen. */
export async function observe(
  kind: Observation['kind'],
  url: string,
  init: RequestInit & { slotId?: string },
  clientTimeoutMs = 15_000,
): Promise<Observation> {
  const startedAt = Date.now();
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(clientTimeoutMs) });
    const text = await response.text();
    let body: Record<string, any> | null = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    return {
      kind,
      startedAt,
      ms: Date.now() - startedAt,
      status: response.status,
      code: typeof body?.code === 'string' ? body.code : null,
      contentType: response.headers.get('content-type'),
      retryAfter: response.headers.get('retry-after'),
      bookingId: response.status === 201 ? (body?.booking?.id ?? null) : null,
      slotId: init.slotId ?? null,
      error: null,
    };
  } catch (error) {
    return { kind, startedAt, ms: Date.now() - startedAt, status: 0, code: null, contentType: null, retryAfter: null, bookingId: null, slotId: init.slotId ?? null, error: String(error) };
  }
}

export const book = (base: string, headers: Record<string, string>, slotId: string, key: string = randomUUID()) =>
  observe('book', `${base}/api/v1/bookings`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ slotId }),
    slotId,
  });

/** Runs `workers` loops of `step` until `stop()` is called; resolves with everything they saw. */
export function runLoad(workers: number, step: (worker: number, i: number) => Promise<Observation>) {
  let running = true;
  const seen: Observation[] = [];
  const done = Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let i = 0; running; i++) seen.push(await step(worker, i));
    }),
  );
  return {
    seen,
    async stop() {
      running = false;
      await done;
      return seen;
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const percentile = (values: number[], p: number) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

/** Every booking a client was told about (201) exists, is active, and no slot has two. */
export async function checkBookings(connection: Connection, confirmed: string[]): Promise<{ missing: string[]; doubleBookedSlots: string[]; active: number }> {
  const bookings = connection.collection('bookings');
  const active = await bookings.find({ status: 'active' }).toArray();
  const activeIds = new Set(active.map((b) => String(b._id)));
  const missing = confirmed.filter((id) => !activeIds.has(id));
  const perSlot = new Map<string, number>();
  for (const b of active) perSlot.set(String(b.slotId), (perSlot.get(String(b.slotId)) ?? 0) + 1);
  return { missing, doubleBookedSlots: [...perSlot].filter(([, n]) => n > 1).map(([slot]) => slot), active: active.length };
}
