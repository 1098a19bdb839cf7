import { describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { ManualClock, isDomainError, type Core, type DomainEvents } from '../../core/index.js';
import { claimKeys } from '../../core/claims/claim.repository.js';
import { HOUR, MINUTE, NOW, makeCoach, makeStudent, plus, useCore } from './fixtures.js';
import { useTestDatabase } from '../helpers/db.js';

const env = useCore();

async function setup() {
  const { core, clock } = await env.make();
  const coach = await makeCoach(core);
  const student = await makeStudent(core);
  const from = await core.slots.create(coach.id, { startsAt: plus(NOW, 24 * HOUR) });
  const to = await core.slots.create(coach.id, { startsAt: plus(NOW, 30 * HOUR) });
  const booking = await core.bookings.book(student.id, { slotId: from.id });
  return { core, clock, coach, student, from, to, booking };
}

function recordMoves(core: Core): Array<DomainEvents['booking.rescheduled']> {
  const seen: Array<DomainEvents['booking.rescheduled']> = [];
  core.events.on('booking.rescheduled', (event) => void seen.push(event));
  return seen;
}

const codes = (results: PromiseSettledResult<unknown>[]) =>
  results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (isDomainError(r.reason) ? r.reason.code : String(r.reason)));

describe('rescheduling', () => {
  it('moves a session to another slot of its coach, keeping its id, and opens the old slot again', async () => {
    const { core, coach, student, from, to, booking } = await setup();
    const moves = recordMoves(core);
    const moved = await core.bookings.reschedule({ kind: 'student', studentId: student.id }, booking.id, { slotId: to.id });
    expect(moved).toMatchObject({ id: booking.id, slotId: to.id, status: 'active', startsAt: to.startsAt, endsAt: to.endsAt, sequence: 1 });
    expect(moved.movedFrom).toEqual({ startsAt: from.startsAt, endsAt: from.endsAt });
    expect(moved.coach.phone).toBe(coach.phone);
    expect(moves).toEqual([{ coachId: coach.id, studentId: student.id, bookingId: booking.id, fromSlotId: from.id, toSlotId: to.id, fromStartsAt: from.startsAt, toStartsAt: to.startsAt, by: 'student' }]);

    expect(await core.slots.get(to.id)).toMatchObject({ status: 'booked', bookingId: booking.id });
    expect(await core.slots.get(from.id)).toMatchObject({ status: 'open', bookingId: null });
    // The old slot is bookable by others, and the student's old time is free again.
    const other = await makeStudent(core);
    await expect(core.bookings.book(other.id, { slotId: from.id })).resolves.toMatchObject({ slotId: from.id });
    const elsewhere = await makeCoach(core, { name: 'Coach Bea' });
    const sameTime = await core.slots.create(elsewhere.id, { startsAt: from.startsAt });
    await expect(core.bookings.book(student.id, { slotId: sameTime.id })).resolves.toMatchObject({ slotId: sameTime.id });
    // And the new time is the student's: an overlapping session elsewhere is refused.
    const clash = await core.slots.create(elsewhere.id, { startsAt: plus(to.startsAt, HOUR) });
    await expect(core.bookings.book(student.id, { slotId: clash.id })).rejects.toMatchObject({ code: 'booking.overlaps' });
    expect((await core.bookings.studentUpcoming(student.id)).items.map((s) => s.id)).toContain(booking.id);
  });

  it('answers a move to the slot the session already has with the session unchanged and no event', async () => {
    const { core, student, to, booking } = await setup();
    const actor = { kind: 'student', studentId: student.id } as const;
    await core.bookings.reschedule(actor, booking.id, { slotId: to.id });
    const moves = recordMoves(core);
    await expect(core.bookings.reschedule(actor, booking.id, { slotId: to.id })).resolves.toMatchObject({ slotId: to.id, sequence: 1 });
    expect(moves).toEqual([]);
  });

  it('applies the cancellation cutoff to the current time: allowed at the cutoff, refused a minute after', async () => {
    const { core, clock, coach, student, from, booking } = await setup();
    const actor = { kind: 'student', studentId: student.id } as const;
    const to = await core.slots.create(coach.id, { startsAt: plus(NOW, 60 * HOUR) });
    clock.set(plus(from.startsAt, -core.rules.cancellationCutoffHours * HOUR + MINUTE));
    await expect(core.bookings.reschedule(actor, booking.id, { slotId: to.id })).rejects.toMatchObject({
      code: 'booking.cutoff_passed',
      message: expect.stringContaining('moved up to 2 hours'),
    });
    clock.advance(-MINUTE);
    await expect(core.bookings.reschedule(actor, booking.id, { slotId: to.id })).resolves.toMatchObject({ slotId: to.id });
  });

  it('refuses a slot of another coach, a slot too soon, a taken slot and a cancelled session, leaving the session as it was', async () => {
    const { core, coach, student, from, booking } = await setup();
    const actor = { kind: 'student', studentId: student.id } as const;
    const other = await makeCoach(core, { name: 'Coach Bea' });
    const othersSlot = await core.slots.create(other.id, { startsAt: plus(NOW, 40 * HOUR) });
    await expect(core.bookings.reschedule(actor, booking.id, { slotId: othersSlot.id })).rejects.toMatchObject({ code: 'booking.other_coach' });

    const soon = await core.slots.create(coach.id, { startsAt: plus(NOW, 6 * HOUR) });
    await expect(core.bookings.reschedule(actor, booking.id, { slotId: soon.id })).rejects.toMatchObject({ code: 'booking.too_soon' });

    const taken = await core.slots.create(coach.id, { startsAt: plus(NOW, 50 * HOUR) });
    await core.bookings.book((await makeStudent(core)).id, { slotId: taken.id });
    await expect(core.bookings.reschedule(actor, booking.id, { slotId: taken.id })).rejects.toMatchObject({ code: 'slot.taken' });

    const removed = await core.slots.create(coach.id, { startsAt: plus(NOW, 60 * HOUR) });
    await core.slots.remove(coach.id, removed.id);
    await expect(core.bookings.reschedule(actor, booking.id, { slotId: removed.id })).rejects.toMatchObject({ code: 'slot.not_open' });

    await expect(core.bookings.reschedule({ kind: 'student', studentId: (await makeStudent(core)).id }, booking.id, { slotId: soon.id })).rejects.toMatchObject({ code: 'booking.not_found' });
    await expect(core.bookings.reschedule(actor, booking.id, { slotId: { $ne: null } as never })).rejects.toMatchObject({ code: 'validation.failed' });

    const unchanged = await core.bookings.getForStudent(student.id, booking.id);
    expect(unchanged).toMatchObject({ slotId: from.id, startsAt: from.startsAt, sequence: 0, movedFrom: null });
    expect(await core.slots.get(from.id)).toMatchObject({ status: 'booked', bookingId: booking.id });

    const later = await core.slots.create(coach.id, { startsAt: plus(NOW, 70 * HOUR) });
    await core.bookings.cancelAsStudent(student.id, booking.id);
    await expect(core.bookings.reschedule(actor, booking.id, { slotId: later.id })).rejects.toMatchObject({ code: 'booking.not_active' });
    expect((await core.slots.get(later.id)).status).toBe('open');
  });

  it('refuses a move onto a time the same student already has with another coach', async () => {
    const { core, coach, student, from, booking } = await setup();
    const other = await makeCoach(core, { name: 'Coach Bea' });
    const elsewhere = await core.slots.create(other.id, { startsAt: plus(NOW, 40 * HOUR) });
    await core.bookings.book(student.id, { slotId: elsewhere.id });
    const overlapping = await core.slots.create(coach.id, { startsAt: plus(elsewhere.startsAt, -45 * MINUTE) });
    await expect(core.bookings.reschedule({ kind: 'student', studentId: student.id }, booking.id, { slotId: overlapping.id })).rejects.toMatchObject({
      code: 'booking.overlaps',
      message: expect.stringContaining('stays where it was'),
    });
    expect(await core.bookings.getForStudent(student.id, booking.id)).toMatchObject({ slotId: from.id, sequence: 0 });
    // Neither the target slot nor its time stays claimed by the refused move.
    expect((await core.slots.get(overlapping.id)).status).toBe('open');
    await expect(core.bookings.book((await makeStudent(core)).id, { slotId: overlapping.id })).resolves.toBeDefined();
  });

  it('lets the coach move a session: the old slot is withdrawn rather than reopened', async () => {
    const { core, coach, booking, from, to } = await setup();
    const moved = await core.bookings.reschedule({ kind: 'coach', coachId: coach.id }, booking.id, { slotId: to.id });
    expect(moved).toMatchObject({ id: booking.id, slotId: to.id, sequence: 1 });
    expect((await core.slots.get(from.id)).status).toBe('withdrawn');
    // The coach's time at the old slot is free for a new slot.
    await expect(core.slots.create(coach.id, { startsAt: plus(from.startsAt, HOUR) })).resolves.toBeDefined();
  });

  it('gives exactly one winner when 20 students race to move onto one slot; the others keep their sessions', async () => {
    const { core } = await env.make();
    const coach = await makeCoach(core);
    const target = await core.slots.create(coach.id, { startsAt: plus(NOW, 20 * HOUR) });
    const students = await Promise.all(Array.from({ length: 20 }, () => makeStudent(core)));
    const sessions = [];
    for (const [i, student] of students.entries()) {
      const slot = await core.slots.create(coach.id, { startsAt: plus(NOW, (24 + i * 2) * HOUR) });
      sessions.push(await core.bookings.book(student.id, { slotId: slot.id }));
    }
    const results = await Promise.allSettled(
      sessions.map((s, i) => core.bookings.reschedule({ kind: 'student', studentId: students[i]!.id }, s.id, { slotId: target.id })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    // Movers meet on the target's hold first, as bookers do; any arriving after the winner finished find it taken.
    expect(codes(results)).toHaveLength(19);
    for (const code of codes(results)) expect(['slot.held', 'slot.taken']).toContain(code);
    const winnerIndex = results.findIndex((r) => r.status === 'fulfilled');
    expect(await core.slots.get(target.id)).toMatchObject({ status: 'booked', bookingId: sessions[winnerIndex]!.id });
    expect(await core.slots.get(sessions[winnerIndex]!.slotId)).toMatchObject({ status: 'open' });
    for (const [i, session] of sessions.entries()) {
      if (i === winnerIndex) continue;
      expect(await core.bookings.getForStudent(students[i]!.id, session.id)).toMatchObject({ slotId: session.slotId, status: 'active', sequence: 0 });
      expect(await core.slots.get(session.slotId)).toMatchObject({ status: 'booked', bookingId: session.id });
    }
    expect((await core.bookings.coachUpcoming(coach.id)).total).toBe(20);
  });

  it('never lets a move and a cancellation of one session interleave', async () => {
    const { core } = await env.make();
    const coach = await makeCoach(core);
    for (let round = 0; round < 5; round++) {
      const student = await makeStudent(core);
      const from = await core.slots.create(coach.id, { startsAt: plus(NOW, (24 + round * 8) * HOUR) });
      const to = await core.slots.create(coach.id, { startsAt: plus(NOW, (28 + round * 8) * HOUR) });
      const booking = await core.bookings.book(student.id, { slotId: from.id });
      const [moved, cancelled] = await Promise.allSettled([
        core.bookings.reschedule({ kind: 'student', studentId: student.id }, booking.id, { slotId: to.id }),
        core.bookings.cancelAsStudent(student.id, booking.id),
      ]);
      const final = await core.bookings.getForStudent(student.id, booking.id);
      if (cancelled.status === 'fulfilled') {
        expect(final.status).toBe('cancelled');
        // Whichever time it ended at was released; both slots are open for others.
        expect((await core.slots.get(from.id)).status).toBe('open');
        expect((await core.slots.get(to.id)).status).toBe('open');
      } else {
        expect(moved.status).toBe('fulfilled');
        expect(['booking.busy', 'booking.not_active']).toContain((cancelled.reason as { code: string }).code);
        expect(final).toMatchObject({ status: 'active', slotId: to.id });
      }
      // The student's calendar holds exactly the active session's cells, nothing else.
      const free = await core.slots.create((await makeCoach(core)).id, { startsAt: from.startsAt });
      await expect(core.bookings.book(student.id, { slotId: free.id })).resolves.toBeDefined();
    }
  });
});

describe('an interrupted move', () => {
  const db = useTestDatabase();

  it('is healed by the orphan sweep: the old time and slot are freed once the booking points elsewhere', async () => {
    const clock = new ManualClock(NOW);
    const core = await db.makeCore({ clock });
    const coach = await makeCoach(core);
    const student = await makeStudent(core);
    const from = await core.slots.create(coach.id, { startsAt: plus(NOW, 24 * HOUR) });
    const to = await core.slots.create(coach.id, { startsAt: plus(NOW, 30 * HOUR) });
    const booking = await core.bookings.book(student.id, { slotId: from.id });
    await core.bookings.reschedule({ kind: 'student', studentId: student.id }, booking.id, { slotId: to.id });

    // Put back what a crash right after the booking changed would have left: the old claims and a booked old slot.
    const old = new Date(new Date(NOW).getTime() - 10 * MINUTE);
    const claims = db.connection.collection('claims');
    await claims.insertMany([
      { _id: claimKeys.slot(from.id), owner: booking.id, kind: 'slot', createdAt: old, attempt: 'x' },
      ...claimKeys.studentCells(student.id, from).map((_id) => ({ _id, owner: booking.id, kind: 'student-cell', createdAt: old, attempt: 'x' })),
    ] as never[]);
    await db.connection.collection('slots').updateOne({ _id: new Types.ObjectId(from.id) }, { $set: { status: 'booked', bookingId: new Types.ObjectId(booking.id) } });

    clock.advance(10 * MINUTE);
    expect(await core.sweepOrphanClaims()).toBe(9);
    expect((await core.slots.get(from.id)).status).toBe('open');
    await expect(core.bookings.book((await makeStudent(core)).id, { slotId: from.id })).resolves.toBeDefined();
    // The booking's live claims at its new time survive: slot, 8 cells, and its day and week counters (same day, same week).
    expect(await claims.countDocuments({ owner: booking.id })).toBe(11);
  });
});
