import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE, NOW, makeCoach, makeStudent, plus, useCore } from './fixtures.js';

const env = useCore();

async function bookedSession() {
  const { core, clock } = await env.make();
  const coach = await makeCoach(core);
  const student = await makeStudent(core);
  const slot = await core.slots.create(coach.id, { startsAt: plus(NOW, 24 * HOUR) });
  const session = await core.bookings.book(student.id, { slotId: slot.id });
  return { core, clock, coach, student, slot, session };
}

describe('feedback', () => {
  it('is refused a minute before the session starts and accepted at its start', async () => {
    const { core, clock, coach, slot, session } = await bookedSession();
    clock.set(plus(slot.startsAt, -MINUTE));
    await expect(core.feedback.record(coach.id, session.id, { satisfaction: 4, notes: '' })).rejects.toMatchObject({ code: 'feedback.too_early' });
    clock.set(slot.startsAt);
    const rated = await core.feedback.record(coach.id, session.id, { satisfaction: 4, notes: 'Solid progress' });
    expect(rated.feedback).toEqual({ satisfaction: 4, notes: 'Solid progress', recordedAt: slot.startsAt, updatedAt: slot.startsAt });
    expect(rated.needsRating).toBe(false);
  });

  it.each([
    ['0', { satisfaction: 0 }],
    ['6', { satisfaction: 6 }],
    ['3.5', { satisfaction: 3.5 }],
    ['"4"', { satisfaction: '4' }],
    ['missing', {}],
    ['3,001-character notes', { satisfaction: 3, notes: 'x'.repeat(3001) }],
    ['an unknown field', { satisfaction: 3, stars: 5 }],
  ])('refuses %s and stores nothing', async (_label, input) => {
    const { core, clock, coach, slot, session } = await bookedSession();
    clock.set(plus(slot.startsAt, HOUR));
    await expect(core.feedback.record(coach.id, session.id, input as never)).rejects.toMatchObject({ code: 'validation.failed' });
    expect((await core.bookings.getForCoach(coach.id, session.id)).feedback).toBeNull();
  });

  it('accepts notes of exactly 3,000 characters', async () => {
    const { core, clock, coach, slot, session } = await bookedSession();
    clock.set(slot.endsAt);
    const rated = await core.feedback.record(coach.id, session.id, { satisfaction: 1, notes: 'é'.repeat(3000) });
    expect(rated.feedback?.notes).toHaveLength(3000);
  });

  it('keeps when it was first recorded, when it last changed, and the earlier version', async () => {
    const { core, clock, coach, slot, session } = await bookedSession();
    clock.set(slot.endsAt);
    await core.feedback.record(coach.id, session.id, { satisfaction: 2, notes: 'Late start' });
    clock.advance(24 * HOUR);
    const edited = await core.feedback.record(coach.id, session.id, { satisfaction: 3, notes: 'Late start, but good work' });
    expect(edited.feedback).toEqual({ satisfaction: 3, notes: 'Late start, but good work', recordedAt: slot.endsAt, updatedAt: clock.now() });
    const stored = await core.bookings.coachPast(coach.id);
    expect(stored.items[0]!.feedback!.recordedAt).toEqual(slot.endsAt);
  });

  it('is refused on a cancelled session', async () => {
    const { core, clock, coach, session, slot } = await bookedSession();
    await core.bookings.cancelAsCoach(coach.id, session.id);
    clock.set(slot.endsAt);
    await expect(core.feedback.record(coach.id, session.id, { satisfaction: 5 })).rejects.toMatchObject({ code: 'feedback.cancelled_session' });
  });

  it('can be given only by the session’s coach', async () => {
    const { core, clock, session, slot } = await bookedSession();
    const other = await makeCoach(core);
    clock.set(slot.endsAt);
    await expect(core.feedback.record(other.id, session.id, { satisfaction: 5 })).rejects.toMatchObject({ code: 'booking.not_found' });
  });

  it('is never shown to the student', async () => {
    const { core, clock, coach, student, session, slot } = await bookedSession();
    clock.set(slot.endsAt);
    await core.feedback.record(coach.id, session.id, { satisfaction: 5, notes: 'private note' });
    const seen = JSON.stringify([await core.bookings.studentPast(student.id), await core.bookings.getForStudent(student.id, session.id)]);
    expect(seen).not.toContain('private note');
    expect(seen).not.toContain('satisfaction');
  });
});
