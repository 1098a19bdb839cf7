/**
 * `kill -9` of the app in the middle of a booking race, then a restart on the
 * same port. Afterwards: no slot booked twice, every confirmed booking kept,
 * every interrupted request retried with its Idempotency-Key gets a final
 * answer (the booking it made, if it made one), and every slot listed as open
 * can be booked.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultyDatabase, type FaultyDatabase } from '../helpers/standin.js';
import { freePort, withDatabase } from '../process/server-process.js';
import { book, checkBookings, observe, openCore, seedSlots, sleep, startAppProcess, studentTokens, type AppProcess, type Observation } from './harness.js';

const SLOTS = 30;
const STUDENTS = 120;

let db: FaultyDatabase;
let app: AppProcess | null = null;
let uri: string;
let coachId: string;
let slotIds: string[];

beforeAll(async () => {
  db = await startFaultyDatabase();
  uri = withDatabase(db.uri, 'crash');
  const seed = await openCore(uri);
  ({ coachId, slotIds } = await seedSlots(seed.core, SLOTS, 'K'));
  await seed.close();
});

afterAll(async () => {
  await app?.stop();
  await db?.stop();
});

/** Retries with the same key as a client would, honouring Retry-After, until the answer is final. */
async function retryUntilFinal(base: string, headers: Record<string, string>, slotId: string, key: string): Promise<Observation> {
  for (let attempt = 0; ; attempt++) {
    const seen = await book(base, headers, slotId, key);
    const transient = seen.status === 0 || seen.status === 503 || seen.code === 'idempotency.in_progress';
    if (!transient || attempt >= 6) return seen;
    await sleep(Math.min(5, Number(seen.retryAfter ?? 1)) * 1_000);
  }
}

describe('kill -9 of the app during a booking race', () => {
  it('keeps the invariants, lets every interrupted request be retried with its key, and leaves no open slot unbookable', async () => {
    const port = await freePort();
    // About invariants, not outages: the race on the loaded stand-in may outlast the production per-call bound.
    const env = { MONGODB_TIMEOUT_MS: '30000' };
    app = await startAppProcess(uri, env, port);
    const students = await studentTokens(STUDENTS);
    const attempts = students.map((student, i) => ({ student, slotId: slotIds[i % SLOTS]!, key: randomUUID() }));

    const race = Promise.all(attempts.map((a) => book(app!.base, a.student.headers, a.slotId, a.key)));
    // Kill it while the race is in flight: some bookings done, some half-way, some not begun.
    await sleep(400);
    app.server.kill('SIGKILL');
    const killedAt = Date.now();
    const first = await race;
    await app.server.exited;
    app = await startAppProcess(uri, env, port);
    const restartMs = Date.now() - killedAt;
    console.log(`kill -9: ${first.filter((o) => o.status === 201).length} confirmed before the kill, ${first.filter((o) => o.status === 0).length} cut off; back up after ${restartMs} ms`);

    // Every request a client saw cut off (or refused as still in progress) is retried with the same key.
    const finals = await Promise.all(
      attempts.map(async (a, i) => (first[i]!.status === 0 || first[i]!.code === 'idempotency.in_progress' ? retryUntilFinal(app!.base, a.student.headers, a.slotId, a.key) : first[i]!)),
    );
    const interrupted = first.filter((o) => o.status === 0).length;
    expect(interrupted).toBeGreaterThan(0);
    for (const final of finals) {
      expect(final.status === 201 || (final.status === 409 && ['slot.taken', 'slot.held', 'slot.not_open'].includes(final.code ?? '')), `${final.status} ${final.code}`).toBe(true);
    }

    const confirmed = finals.filter((o) => o.status === 201).map((o) => o.bookingId!);
    const check = await openCore(uri);
    try {
      const { missing, doubleBookedSlots, active } = await checkBookings(check.connection, confirmed);
      expect(missing).toEqual([]);
      expect(doubleBookedSlots).toEqual([]);
      // No student was told "taken" while holding a booking the crash left unconfirmed: each active booking was answered 201.
      expect(active).toBe(new Set(confirmed).size);
    } finally {
      await check.close();
    }

    // Every slot the API lists as open can be booked now.
    const from = new Date().toISOString();
    const to = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const listed = await observe('slots', `${app.base}/api/v1/coaches/${coachId}/slots?from=${from}&to=${to}`, {});
    const open = (JSON.parse(await (await fetch(`${app.base}/api/v1/coaches/${coachId}/slots?from=${from}&to=${to}`)).text()) as { slots: Array<{ id: string }> }).slots;
    expect(listed.status).toBe(200);
    const late = await studentTokens(open.length);
    const lateBookings = await Promise.all(open.map((slot, i) => book(app!.base, late[i]!.headers, slot.id)));
    expect(lateBookings.map((o) => `${o.slotId} ${o.status} ${o.code ?? ''}`.trim())).toEqual(open.map((slot) => `${slot.id} 201`));
  });
});
