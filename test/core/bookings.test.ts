import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE, NOW, makeCoach, makeStudent, plus, useCore } from './fixtures.js';

const env = useCore();

async function setup(startOffset = 24 * HOUR) {
  const { core, clock } = await env.make();
  const coach = await makeCoach(core, { email: 'ada@example.org' });
  const student = await makeStudent(core);
  const slot = await core.slots.create(coach.id, { startsAt: plus(NOW, startOffset) });
  return { core, clock, coach, student, slot };
}

describe('booking', () => {
  it('books an open slot and shows the student the coach’s phone', async () => {
    const { core, coach, student, slot } = await setup();
    const session = await core.bookings.book(student.id, { slotId: slot.id });
    expect(session).toMatchObject({ status: 'active', slotId: slot.id, coach: { id: coach.id, name: coach.name, phone: '+442079460001' } });
    expect((await core.slots.get(slot.id)).status).toBe('booked');
    const forCoach = await core.bookings.getForCoach(coach.id, session.id);
    expect(forCoach.student).toMatchObject({ id: student.id, phone: student.phone });
  });

  it('accepts a booking exactly at the minimum notice and refuses one a minute inside it', async () => {
    const { core, coach, student } = await setup();
    const atNotice = await core.slots.create(coach.id, { startsAt: plus(NOW, 12 * HOUR) });
    await expect(core.bookings.book(student.id, { slotId: atNotice.id })).resolves.toBeDefined();
    const { core: core2, clock } = await env.make();
    const coach2 = await makeCoach(core2);
    const student2 = await makeStudent(core2);
    const slot2 = await core2.slots.create(coach2.id, { startsAt: plus(NOW, 12 * HOUR) });
    clock.advance(MINUTE);
    await expect(core2.bookings.book(student2.id, { slotId: slot2.id })).rejects.toMatchObject({ code: 'booking.too_soon' });
    expect((await core2.slots.get(slot2.id)).status).toBe('open');
  });

  it('honours a configured notice', async () => {
    const { core } = await env.make({ rules: { minNoticeHours: 48 } });
    const coach = await makeCoach(core);
    const student = await makeStudent(core);
    const slot = await core.slots.create(coach.id, { startsAt: plus(NOW, 47 * HOUR) });
    await expect(core.bookings.book(student.id, { slotId: slot.id })).rejects.toMatchObject({ code: 'booking.too_soon' });
  });

  it('refuses a second booking of the same slot with slot.taken', async () => {
    const { core, student, slot } = await setup();
    await core.bookings.book(student.id, { slotId: slot.id });
    const other = await makeStudent(core);
    await expect(core.bookings.book(other.id, { slotId: slot.id })).rejects.toMatchObject({ code: 'slot.taken' });
  });

  it('refuses a coach booking their own slot through the widget', async () => {
    const { core, slot } = await setup();
    const coachAsStudent = await makeStudent(core, { email: 'ADA@example.org' });
    await expect(core.bookings.book(coachAsStudent.id, { slotId: slot.id })).rejects.toMatchObject({ code: 'booking.own_slot' });
  });

  it('refuses overlapping sessions for one student across coaches', async () => {
    const { core, student, slot } = await setup();
    const other = await makeCoach(core, { name: 'Coach Bea' });
    const overlapping = await core.slots.create(other.id, { startsAt: plus(slot.startsAt, HOUR) });
    const third = await makeCoach(core, { name: 'Coach Cy' });
    const backToBack = await core.slots.create(third.id, { startsAt: slot.endsAt });
    await core.bookings.book(student.id, { slotId: slot.id });
    await expect(core.bookings.book(student.id, { slotId: overlapping.id })).rejects.toMatchObject({ code: 'booking.overlaps' });
    expect((await core.slots.get(overlapping.id)).status).toBe('open');
    await expect(core.bookings.book(student.id, { slotId: backToBack.id })).resolves.toBeDefined();
  });

  it('answers not found for an unknown or malformed slot id, and refuses operator objects', async () => {
    const { core, student } = await setup();
    await expect(core.bookings.book(student.id, { slotId: '0123456789abcdef01234567' })).rejects.toMatchObject({ code: 'slot.not_found' });
    await expect(core.bookings.book(student.id, { slotId: { $gt: '' } } as never)).rejects.toMatchObject({ code: 'validation.failed' });
  });

  it('returns the same booking for a retried request with the same idempotency key', async () => {
    const { core, student, slot } = await setup();
    const first = await core.bookings.book(student.id, { slotId: slot.id, idempotencyKey: 'retry-key-0001' });
    const again = await core.bookings.book(student.id, { slotId: slot.id, idempotencyKey: 'retry-key-0001' });
    expect(again.id).toBe(first.id);
    const parallel = await Promise.all(Array.from({ length: 5 }, () => core.bookings.book(student.id, { slotId: slot.id, idempotencyKey: 'retry-key-0001' })));
    expect(new Set(parallel.map((s) => s.id))).toEqual(new Set([first.id]));
    expect((await core.bookings.studentUpcoming(student.id)).total).toBe(1);
  });

  it('refuses an idempotency key reused for another slot', async () => {
    const { core, coach, student, slot } = await setup();
    await core.bookings.book(student.id, { slotId: slot.id, idempotencyKey: 'retry-key-0002' });
    const other = await core.slots.create(coach.id, { startsAt: plus(NOW, 48 * HOUR) });
    await expect(core.bookings.book(student.id, { slotId: other.id, idempotencyKey: 'retry-key-0002' })).rejects.toMatchObject({ code: 'idempotency.key_reused' });
  });
});

describe('cancelling', () => {
  it('lets the student cancel: the slot opens again and the history is kept', async () => {
    const { core, clock, student, slot } = await setup();
    const session = await core.bookings.book(student.id, { slotId: slot.id });
    clock.advance(HOUR);
    const cancelled = await core.bookings.cancelAsStudent(student.id, session.id, { reason: 'Exam moved' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancellation: { by: 'student', reason: 'Exam moved', at: clock.now() } });
    expect((await core.slots.get(slot.id)).status).toBe('open');
    const again = await makeStudent(core);
    await expect(core.bookings.book(again.id, { slotId: slot.id })).resolves.toMatchObject({ status: 'active' });
    expect((await core.bookings.studentCancelled(student.id)).items.map((s) => s.id)).toContain(session.id);
  });

  it('lets the coach cancel: the slot is withdrawn and the student’s time is free', async () => {
    const { core, coach, student, slot } = await setup();
    const session = await core.bookings.book(student.id, { slotId: slot.id });
    const cancelled = await core.bookings.cancelAsCoach(coach.id, session.id, { reason: 'Ill' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancellation: { by: 'coach', reason: 'Ill' } });
    expect((await core.slots.get(slot.id)).status).toBe('withdrawn');
    const other = await makeStudent(core);
    await expect(core.bookings.book(other.id, { slotId: slot.id })).rejects.toMatchObject({ code: 'slot.not_open' });
    // The coach's calendar is free again at that time, and so is the student's.
    await expect(core.slots.create(coach.id, { startsAt: slot.startsAt })).resolves.toBeDefined();
    const elsewhere = await makeCoach(core);
    const sameTime = await core.slots.create(elsewhere.id, { startsAt: slot.startsAt });
    await expect(core.bookings.book(student.id, { slotId: sameTime.id })).resolves.toBeDefined();
  });

  it('accepts a cancellation exactly at the cutoff and refuses one a minute after', async () => {
    const { core, clock, student, slot } = await setup();
    const session = await core.bookings.book(student.id, { slotId: slot.id });
    clock.set(plus(slot.startsAt, -2 * HOUR + MINUTE));
    await expect(core.bookings.cancelAsStudent(student.id, session.id)).rejects.toMatchObject({ code: 'booking.cutoff_passed' });
    clock.set(plus(slot.startsAt, -2 * HOUR));
    await expect(core.bookings.cancelAsStudent(student.id, session.id)).resolves.toMatchObject({ status: 'cancelled' });
  });

  it('honours a configured cutoff', async () => {
    const { core, clock } = await env.make({ rules: { cancellationCutoffHours: 24 } });
    const coach = await makeCoach(core);
    const student = await makeStudent(core);
    const slot = await core.slots.create(coach.id, { startsAt: plus(NOW, 30 * HOUR) });
    const session = await core.bookings.book(student.id, { slotId: slot.id });
    clock.advance(7 * HOUR);
    await expect(core.bookings.cancelAsCoach(coach.id, session.id)).rejects.toMatchObject({ code: 'booking.cutoff_passed' });
  });

  it('refuses to cancel a session that has started, or twice', async () => {
    const { core, clock, coach, student, slot } = await setup();
    const session = await core.bookings.book(student.id, { slotId: slot.id });
    await core.bookings.cancelAsCoach(coach.id, session.id);
    await expect(core.bookings.cancelAsStudent(student.id, session.id)).rejects.toMatchObject({ code: 'booking.not_active' });
    const slot2 = await core.slots.create(coach.id, { startsAt: plus(NOW, 30 * HOUR) });
    const session2 = await core.bookings.book(student.id, { slotId: slot2.id });
    clock.set(slot2.startsAt);
    await expect(core.bookings.cancelAsCoach(coach.id, session2.id)).rejects.toMatchObject({ code: 'booking.already_started' });
  });

  it('does not let anyone but the participants cancel', async () => {
    const { core, student, slot } = await setup();
    const session = await core.bookings.book(student.id, { slotId: slot.id });
    const stranger = await makeStudent(core);
    const otherCoach = await makeCoach(core);
    await expect(core.bookings.cancelAsStudent(stranger.id, session.id)).rejects.toMatchObject({ code: 'booking.not_found' });
    await expect(core.bookings.cancelAsCoach(otherCoach.id, session.id)).rejects.toMatchObject({ code: 'booking.not_found' });
  });

  it('lets exactly one of a simultaneous student and coach cancellation through', async () => {
    const { core, coach, student, slot } = await setup();
    const session = await core.bookings.book(student.id, { slotId: slot.id });
    const results = await Promise.allSettled([
      core.bookings.cancelAsStudent(student.id, session.id),
      core.bookings.cancelAsCoach(coach.id, session.id),
      core.bookings.cancelAsStudent(student.id, session.id),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const final = await core.bookings.getForCoach(coach.id, session.id);
    expect((await core.slots.get(slot.id)).status).toBe(final.cancellation!.by === 'student' ? 'open' : 'withdrawn');
  });
});
