import { describe, expect, it } from 'vitest';
import { idempotencyModel } from '../../core/idempotency/idempotency.model.js';
import { useTestDatabase } from '../helpers/db.js';
import { ManualClock } from '../../core/index.js';
import { HOUR, NOW, makeCoach, makeStudent, plus } from './fixtures.js';

const db = useTestDatabase();
const LEASE_SECONDS = 10;

async function setup() {
  const clock = new ManualClock(NOW);
  const core = await db.makeCore({ clock, rules: { idempotencyLeaseSeconds: LEASE_SECONDS } });
  return { core, clock };
}

/** What a process that died mid-request leaves: a pending record holding the key, written at `at`. */
async function leaveCrashedRecord(id: string, fingerprint: string, at: Date) {
  await idempotencyModel(db.connection).collection.insertOne({
    _id: id,
    fingerprint,
    state: 'pending',
    result: null,
    createdAt: at,
    leaseUntil: new Date(at.getTime() + LEASE_SECONDS * 1_000),
  } as never);
}

describe('idempotency leases', () => {
  it('lets a retry take over a key whose first run died, once the lease has run out', async () => {
    const { core, clock } = await setup();
    await leaveCrashedRecord('lease-test:key-1', 'fp', clock.now());
    clock.advance(LEASE_SECONDS * 1_000 + 1);
    const outcome = await core.idempotency.once('lease-test', 'key-1', 'fp', async ({ takeover }) => ({ ran: true, takeover }));
    expect(outcome).toEqual({ result: { ran: true, takeover: true }, replayed: false });
    // And the result is kept: the next retry replays it.
    expect(await core.idempotency.once('lease-test', 'key-1', 'fp', async () => ({ ran: 'again' }))).toEqual({ result: { ran: true, takeover: true }, replayed: true });
  });

  it('keeps refusing, with a wait in seconds, while the lease holds', async () => {
    const { core, clock } = await setup();
    await leaveCrashedRecord('lease-test:key-2', 'fp', clock.now());
    clock.advance(4_000);
    const error = await core.idempotency.once('lease-test', 'key-2', 'fp', async () => 'ran').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'idempotency.in_progress', details: { retryAfterSeconds: 6 } });
  }, 20_000);

  it('treats a pending record from before leases as leased from its creation', async () => {
    const { core, clock } = await setup();
    await idempotencyModel(db.connection).collection.insertOne({ _id: 'lease-test:old', fingerprint: 'fp', state: 'pending', result: null, createdAt: plus(NOW, -HOUR) } as never);
    expect((await core.idempotency.once('lease-test', 'old', 'fp', async () => 'ran')).result).toBe('ran');
    void clock;
  });

  it('lets exactly one of many parallel retries take over an expired lease', async () => {
    const { core, clock } = await setup();
    await leaveCrashedRecord('lease-test:key-3', 'fp', clock.now());
    clock.advance(LEASE_SECONDS * 1_000 + 1);
    let runs = 0;
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () =>
        core.idempotency.once('lease-test', 'key-3', 'fp', async () => {
          runs += 1;
          await new Promise((resolve) => setTimeout(resolve, 100));
          return runs;
        }),
      ),
    );
    expect(runs).toBe(1);
    expect(outcomes.filter((o) => !o.replayed)).toHaveLength(1);
    expect(new Set(outcomes.map((o) => o.result))).toEqual(new Set([1]));
  });

  it('answers a booking retried after a crash that left the booking but not the record with that booking', async () => {
    const { core, clock } = await setup();
    const coach = await makeCoach(core);
    const student = await makeStudent(core);
    const slot = await core.slots.create(coach.id, { startsAt: plus(NOW, 24 * HOUR) });
    // The first run booked, then the process died before recording the result.
    const first = await core.bookings.book(student.id, { slotId: slot.id });
    await leaveCrashedRecord(`booking:${student.id}:crash-key-1`, slot.id, clock.now());
    clock.advance(LEASE_SECONDS * 1_000 + 1);
    const retried = await core.bookings.book(student.id, { slotId: slot.id, idempotencyKey: 'crash-key-1' });
    expect(retried.id).toBe(first.id);
    expect(retried.coach.phone).toBeTruthy();
    // Someone else's retry of their own key does not get this student's booking.
    const other = await makeStudent(core);
    await leaveCrashedRecord(`booking:${other.id}:crash-key-2`, slot.id, clock.now());
    clock.advance(LEASE_SECONDS * 1_000 + 1);
    await expect(core.bookings.book(other.id, { slotId: slot.id, idempotencyKey: 'crash-key-2' })).rejects.toMatchObject({ code: 'slot.taken' });
  });
});
