import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/index.js';
import { cellsOf, slotEnd } from '../../core/slots/slot.rules.js';
import { useTestDatabase } from '../helpers/db.js';
import { HOUR, MINUTE, NOW, makeCoach, makeStudent, plus } from './fixtures.js';

const SECOND = 1_000;

/**
 * A crash between a claim and the write it guards leaves an orphan. The write
 * that collides with it frees it (once it is a few seconds old) and goes on,
 * so nobody waits for the hourly sweep.
 */
describe('orphan claims are healed where they block', () => {
  const db = useTestDatabase();
  const claims = () => db.connection.collection<{ _id: string; owner: string; kind: string; createdAt: Date; attempt: string }>('claims');
  const ghost = () => String(new Types.ObjectId());

  async function setUp() {
    const clock = new ManualClock(NOW);
    const core = await db.makeCore({ clock });
    const coach = await makeCoach(core);
    return { clock, core, coach };
  }

  it('books a slot whose claim was left by a crash before the booking was written, a few seconds later', async () => {
    const { clock, core, coach } = await setUp();
    const slot = await core.slots.create(coach.id, { startsAt: plus(NOW, 30 * HOUR) });
    // The crash: the slot claim went in, the booking never did.
    await claims().insertOne({ _id: `slot:${slot.id}`, owner: ghost(), kind: 'slot', createdAt: clock.now(), attempt: 'crashed' });
    const student = await makeStudent(core);

    clock.advance(2 * SECOND);
    await expect(core.bookings.book(student.id, { slotId: slot.id })).rejects.toMatchObject({ code: 'slot.taken' });

    clock.advance(10 * SECOND);
    const booking = await core.bookings.book(student.id, { slotId: slot.id });
    expect(booking.status).toBe('active');
    expect(await claims().findOne({ _id: `slot:${slot.id}` })).toMatchObject({ owner: booking.id });
    expect((await core.slots.get(slot.id)).status).toBe('booked');
  });

  it('frees a student’s time held by a booking that never got written', async () => {
    const { clock, core, coach } = await setUp();
    const student = await makeStudent(core);
    const slot = await core.slots.create(coach.id, { startsAt: plus(NOW, 30 * HOUR) });
    const cells = cellsOf(slot.startsAt, slot.endsAt).map((cell) => `student:${student.id}:${cell}`);
    const owner = ghost();
    await claims().insertMany(cells.map((_id) => ({ _id, owner, kind: 'student-cell', createdAt: clock.now(), attempt: 'crashed' })));

    clock.advance(15 * SECOND);
    await expect(core.bookings.book(student.id, { slotId: slot.id })).resolves.toMatchObject({ status: 'active' });
  });

  it('creates a slot over coach cells left by a slot that never got written', async () => {
    const { clock, core, coach } = await setUp();
    const start = plus(NOW, 30 * HOUR);
    const owner = ghost();
    await claims().insertMany(
      cellsOf(start, slotEnd(start)).map((cell) => ({ _id: `coach:${coach.id}:${cell}`, owner, kind: 'coach-cell', createdAt: clock.now(), attempt: 'crashed' })),
    );
    clock.advance(15 * SECOND);
    await expect(core.slots.create(coach.id, { startsAt: start })).resolves.toMatchObject({ status: 'open' });
  });

  it('lets a student book again at a time whose cancelled session never released it', async () => {
    const { clock, core, coach } = await setUp();
    const student = await makeStudent(core);
    const first = await core.slots.create(coach.id, { startsAt: plus(NOW, 30 * HOUR) });
    const booking = await core.bookings.book(student.id, { slotId: first.id });
    // The crash: the booking is marked cancelled, its claims are still there.
    await db.connection.collection('bookings').updateOne(
      { _id: new Types.ObjectId(booking.id) },
      { $set: { status: 'cancelled', cancellation: { by: 'student', at: clock.now(), reason: null }, updatedAt: clock.now() } },
    );
    const otherCoach = await makeCoach(core);
    const sameTime = await core.slots.create(otherCoach.id, { startsAt: first.startsAt });

    await expect(core.bookings.book(student.id, { slotId: sameTime.id })).rejects.toMatchObject({ code: 'booking.overlaps' });
    clock.advance(15 * SECOND);
    await expect(core.bookings.book(student.id, { slotId: sameTime.id })).resolves.toMatchObject({ status: 'active' });
  });

  it('stops listing as open a slot whose booking landed but whose status did not', async () => {
    const { clock, core, coach } = await setUp();
    const slot = await core.slots.create(coach.id, { startsAt: plus(NOW, 30 * HOUR) });
    const booking = await core.bookings.book((await makeStudent(core)).id, { slotId: slot.id });
    await db.connection.collection('slots').updateOne({ _id: new Types.ObjectId(slot.id) }, { $set: { status: 'open', bookingId: null } });

    clock.advance(15 * SECOND);
    await expect(core.bookings.book((await makeStudent(core)).id, { slotId: slot.id })).rejects.toMatchObject({ code: 'slot.taken' });
    expect(await core.slots.get(slot.id)).toMatchObject({ status: 'booked', bookingId: booking.id });
  });

  it('never frees a live claim, and frees each orphan once, when many writers race over them', async () => {
    const { clock, core, coach } = await setUp();
    const orphaned = [];
    const live = [];
    for (let i = 0; i < 6; i++) {
      const slot = await core.slots.create(coach.id, { startsAt: plus(NOW, (30 + i * 2) * HOUR) });
      if (i % 2 === 0) {
        await claims().insertOne({ _id: `slot:${slot.id}`, owner: ghost(), kind: 'slot', createdAt: clock.now(), attempt: `crashed-${i}` });
        orphaned.push(slot);
      } else {
        const student = await makeStudent(core);
        live.push({ slot, student, booking: await core.bookings.book(student.id, { slotId: slot.id }) });
      }
    }
    clock.advance(15 * SECOND);
    const students = await Promise.all(Array.from({ length: 24 }, () => makeStudent(core)));
    const targets = [...orphaned, ...live.map((l) => l.slot)];
    const results = await Promise.allSettled(students.map((s, i) => core.bookings.book(s.id, { slotId: targets[i % targets.length]!.id })));

    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [{ ...r.value, studentId: students[i]!.id }] : []));
    const lost = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code: string }).code] : []));
    // Racers for one slot meet on its hold first (slot.held) or find it taken.
    expect(lost.every((code) => code === 'slot.taken' || code === 'slot.held')).toBe(true);
    // Exactly one winner per orphaned slot; the live bookings kept their slots.
    expect(won.map((b) => b.slotId).sort()).toEqual(orphaned.map((s) => s.id).sort());
    for (const { slot, student, booking } of live) {
      expect(await claims().findOne({ _id: `slot:${slot.id}` })).toMatchObject({ owner: booking.id });
      expect((await core.bookings.getForStudent(student.id, booking.id)).status).toBe('active');
    }
    for (const booking of won) {
      expect(await claims().findOne({ _id: `slot:${booking.slotId}` })).toMatchObject({ owner: booking.id });
      const cells = cellsOf(new Date(booking.startsAt), new Date(booking.endsAt)).map((cell) => `student:${booking.studentId}:${cell}`);
      expect(await claims().countDocuments({ _id: { $in: cells }, owner: booking.id })).toBe(8);
    }
    const markers = await claims().find({ kind: 'takeover' }).toArray();
    for (const slot of orphaned) expect(markers.filter((m) => m._id.startsWith(`takeover:slot:${slot.id}:`))).toHaveLength(1);
  });
});

/**
 * Limit counters and buffer cells belong to a booking through its
 * `policyClaims`. One whose booking never appeared, or that the booking let go
 * of, is healed by the next write that needs it; one a live booking still
 * lists never is.
 */
describe('policy claims are healed where they block, and only when orphaned', () => {
  const db = useTestDatabase();
  const claims = () => db.connection.collection<{ _id: string; owner: string; kind: string; createdAt: Date; attempt: string }>('claims');
  const ghost = () => String(new Types.ObjectId());
  // NOW is Monday 1 June 2026; these slots are on Tuesday 2 June (UTC, the default POLICY_TIMEZONE).
  const dayKey = (studentId: string) => `limit:student:${studentId}:day:2026-06-02:0`;
  const weekKey = (studentId: string, n: number) => `limit:student:${studentId}:week:2026-06-01:${n}`;

  async function setUp() {
    const clock = new ManualClock(NOW);
    // The product's default limits: one session a day, three a week.
    const core = await db.makeCore({ clock });
    const coach = await makeCoach(core);
    const student = await makeStudent(core);
    return { clock, core, coach, student };
  }

  it('lets a student book a few seconds after a crashed booking left their daily and weekly counters', async () => {
    const { clock, core, coach, student } = await setUp();
    const slot = await core.slots.create(coach.id, { startsAt: plus(NOW, 30 * HOUR) });
    const owner = ghost();
    await claims().insertMany([dayKey(student.id), weekKey(student.id, 0)].map((_id) => ({ _id, owner, kind: 'limit', createdAt: clock.now(), attempt: 'crashed' })));

    clock.advance(2 * SECOND);
    await expect(core.bookings.book(student.id, { slotId: slot.id })).rejects.toMatchObject({ code: 'booking.daily_limit' });

    clock.advance(10 * SECOND);
    const booking = await core.bookings.book(student.id, { slotId: slot.id });
    expect(await claims().findOne({ _id: dayKey(student.id) })).toMatchObject({ owner: booking.id });
    // The healed weekly counter is the first one again, not a second one on top of the orphan.
    expect(await claims().findOne({ _id: weekKey(student.id, 0) })).toMatchObject({ owner: booking.id });
    expect(await claims().countDocuments({ _id: weekKey(student.id, 1) })).toBe(0);
  });

  it('keeps a live booking’s counter however old it is', async () => {
    const { clock, core, coach, student } = await setUp();
    const [first, second] = [await core.slots.create(coach.id, { startsAt: plus(NOW, 30 * HOUR) }), await core.slots.create(coach.id, { startsAt: plus(NOW, 34 * HOUR) })];
    const booking = await core.bookings.book(student.id, { slotId: first.id });

    clock.advance(3 * HOUR);
    await expect(core.bookings.book(student.id, { slotId: second.id })).rejects.toMatchObject({ code: 'booking.daily_limit' });
    expect(await claims().findOne({ _id: dayKey(student.id) })).toMatchObject({ owner: booking.id });
    await core.sweepOrphanClaims();
    expect(await claims().findOne({ _id: dayKey(student.id) })).toMatchObject({ owner: booking.id });
    expect((await core.bookings.getForStudent(student.id, booking.id)).status).toBe('active');
  });

  it('frees the old day’s counter a move left behind, but not the new day’s', async () => {
    const { clock, core, coach, student } = await setUp();
    const tuesday = await core.slots.create(coach.id, { startsAt: plus(NOW, 30 * HOUR) });
    const wednesday = await core.slots.create(coach.id, { startsAt: plus(NOW, 54 * HOUR) });
    const tuesdayAgain = await core.slots.create(coach.id, { startsAt: plus(NOW, 34 * HOUR) });
    const booking = await core.bookings.book(student.id, { slotId: tuesday.id });
    await core.bookings.reschedule({ kind: 'student', studentId: student.id }, booking.id, { slotId: wednesday.id });
    // The crash: the move was written, the release of Tuesday's counter was not.
    await claims().insertOne({ _id: dayKey(student.id), owner: booking.id, kind: 'limit', createdAt: clock.now(), attempt: 'crashed' });

    clock.advance(15 * SECOND);
    const another = await core.bookings.book(student.id, { slotId: tuesdayAgain.id });
    expect(await claims().findOne({ _id: dayKey(student.id) })).toMatchObject({ owner: another.id });
    expect(await claims().findOne({ _id: `limit:student:${student.id}:day:2026-06-03:0` })).toMatchObject({ owner: booking.id });
  });

  it('books next to buffer cells a crashed booking left, a few seconds later, and never next to a live one', async () => {
    const { clock, core, coach } = await setUp();
    await core.coaches.updateSettings(coach.id, { bufferMinutes: 15 });
    const start = plus(NOW, 30 * HOUR);
    const slot = await core.slots.create(coach.id, { startsAt: start });
    // The crash left a session's cells and the buffer before it, from 15 minutes before this slot.
    const owner = ghost();
    const cells = cellsOf(plus(start, -15 * MINUTE), slotEnd(start)).map((cell) => `busy:${coach.id}:${cell}`);
    await claims().insertMany(cells.map((_id) => ({ _id, owner, kind: 'busy-cell', createdAt: clock.now(), attempt: 'crashed' })));

    clock.advance(2 * SECOND);
    await expect(core.bookings.book((await makeStudent(core)).id, { slotId: slot.id })).rejects.toMatchObject({ code: 'booking.buffer' });
    clock.advance(10 * SECOND);
    const booking = await core.bookings.book((await makeStudent(core)).id, { slotId: slot.id });
    expect(await claims().countDocuments({ _id: { $in: cells }, owner: booking.id })).toBe(cells.length);

    // A live session's buffer holds an hour later: the slot right after it stays unbookable.
    const after = await core.slots.create(coach.id, { startsAt: slotEnd(start) });
    clock.advance(HOUR);
    await expect(core.bookings.book((await makeStudent(core)).id, { slotId: after.id })).rejects.toMatchObject({ code: 'booking.buffer' });
    expect(await claims().countDocuments({ _id: { $in: cells }, owner: booking.id })).toBe(cells.length);
  });
});
