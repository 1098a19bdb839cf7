import { describe, expect, it } from 'vitest';
import { HOUR, NOW, makeCoach, makeStudent, plus } from './fixtures.js';
import { useTestDatabase } from '../helpers/db.js';
import { ManualClock } from '../../core/index.js';
import { cellsOf, slotEnd } from '../../core/slots/slot.rules.js';

describe('orphan claim sweep', () => {
  const db = useTestDatabase();

  it('frees time held by claims whose write never happened, and leaves live ones alone', async () => {
    const clock = new ManualClock(NOW);
    const core = await db.makeCore({ clock });
    const coach = await makeCoach(core);
    const student = await makeStudent(core);
    const start = plus(NOW, 24 * HOUR);
    const live = await core.slots.create(coach.id, { startsAt: plus(start, 4 * HOUR) });
    const booked = await core.slots.create(coach.id, { startsAt: plus(start, 8 * HOUR) });
    await core.bookings.book(student.id, { slotId: booked.id });

    // A crash after claiming but before inserting the slot, a moment ago: cells owned by a slot that does not exist.
    const ghost = '0123456789abcdef01234567';
    const old = new Date(new Date(NOW).getTime() - 2_000);
    await db.connection.collection('claims').insertMany(
      cellsOf(start, slotEnd(start)).map((cell) => ({ _id: `coach:${coach.id}:${cell}`, owner: ghost, kind: 'coach-cell', createdAt: old })) as never[],
    );
    // Two seconds old, it may still be a write in flight: nobody frees it yet.
    await expect(core.slots.create(coach.id, { startsAt: start })).rejects.toMatchObject({ code: 'slot.overlaps' });

    clock.advance(10 * 60_000); // every claim is now past the grace period
    expect(await core.sweepOrphanClaims()).toBe(8);
    await expect(core.slots.create(coach.id, { startsAt: start })).resolves.toBeDefined();
    await expect(core.slots.create(coach.id, { startsAt: live.startsAt })).rejects.toMatchObject({ code: 'slot.overlaps' });
    const other = await makeStudent(core);
    await expect(core.bookings.book(other.id, { slotId: booked.id })).rejects.toMatchObject({ code: 'slot.taken' });
    expect(await core.sweepOrphanClaims()).toBe(0);
  });
});

