import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, isDomainError, type Core } from '../../core/index.js';
import { HOUR, MINUTE, makeCoach, makeStudent, plus, useCore } from './fixtures.js';

/** A Monday, 06:00 UTC: bookings below fall on Tuesday 2 June and after. */
const NOW = '2026-06-01T06:00:00.000Z';
const env = useCore({ now: NOW });
/** The product's defaults (1 a day, 3 a week), not the fixtures' "no limits". */
const defaults = { rules: { studentDailyLimit: DEFAULT_RULES.studentDailyLimit, studentWeeklyLimit: DEFAULT_RULES.studentWeeklyLimit } };

const codes = (results: PromiseSettledResult<unknown>[]) =>
  results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (isDomainError(r.reason) ? r.reason.code : String(r.reason)));
const fulfilled = (results: PromiseSettledResult<unknown>[]) => results.filter((r) => r.status === 'fulfilled').length;

async function slotsAt(core: Core, coachId: string, isoStarts: string[]) {
  const out = [];
  for (const startsAt of isoStarts) out.push(await core.slots.create(coachId, { startsAt }));
  return out;
}

describe('booking limits', () => {
  it('allows one session a day by default, names the limit when refusing, and frees it on cancel', async () => {
    const { core } = await env.make(defaults);
    const coach = await makeCoach(core);
    const student = await makeStudent(core);
    const [a, b, c] = await slotsAt(core, coach.id, ['2026-06-02T09:00:00Z', '2026-06-02T21:45:00Z', '2026-06-03T00:00:00Z']);
    const first = await core.bookings.book(student.id, { slotId: a!.id });
    await expect(core.bookings.book(student.id, { slotId: b!.id })).rejects.toMatchObject({
      code: 'booking.daily_limit',
      message: 'You can book at most 1 session a day, and you already have that on Tue 2 Jun (UTC). Cancel one or pick another day.',
    });
    // Midnight UTC starts the next day.
    await expect(core.bookings.book(student.id, { slotId: c!.id })).resolves.toBeDefined();
    await core.bookings.cancelAsStudent(student.id, first.id);
    await expect(core.bookings.book(student.id, { slotId: b!.id })).resolves.toBeDefined();
  });

  it('allows three sessions a week (Monday to Sunday) by default', async () => {
    const { core } = await env.make(defaults);
    const coach = await makeCoach(core);
    const student = await makeStudent(core);
    const slots = await slotsAt(core, coach.id, ['2026-06-02T09:00:00Z', '2026-06-03T09:00:00Z', '2026-06-04T09:00:00Z', '2026-06-07T21:00:00Z', '2026-06-08T00:00:00Z']);
    for (const slot of slots.slice(0, 3)) await core.bookings.book(student.id, { slotId: slot.id });
    await expect(core.bookings.book(student.id, { slotId: slots[3]!.id })).rejects.toMatchObject({
      code: 'booking.weekly_limit',
      message: expect.stringContaining('at most 3 sessions a week'),
    });
    await expect(core.bookings.book(student.id, { slotId: slots[4]!.id })).resolves.toBeDefined();
  });

  it('counts days in POLICY_TIMEZONE', async () => {
    const { core } = await env.make({ rules: { ...defaults.rules, policyTimezone: 'America/New_York' } });
    const coach = await makeCoach(core);
    const student = await makeStudent(core);
    // 23:00 UTC Tuesday and 02:00 UTC Wednesday are both Tuesday in New York (UTC−4).
    const [a, b] = await slotsAt(core, coach.id, ['2026-06-02T16:00:00Z', '2026-06-03T02:00:00Z']);
    await core.bookings.book(student.id, { slotId: a!.id });
    await expect(core.bookings.book(student.id, { slotId: b!.id })).rejects.toMatchObject({ code: 'booking.daily_limit', message: expect.stringContaining('(America/New_York)') });
  });

  it('gives exactly the daily limit when one student sends 20 bookings for 20 slots of one day at once', async () => {
    const { core } = await env.make(defaults);
    const coaches = await Promise.all(Array.from({ length: 20 }, (_, i) => makeCoach(core, { name: `Coach ${i}` })));
    const student = await makeStudent(core);
    // Twenty coaches, starts an hour apart across Thursday (UTC).
    const slots = await Promise.all(coaches.map((coach, i) => core.slots.create(coach.id, { startsAt: plus('2026-06-04T00:00:00Z', i * HOUR) })));
    const results = await Promise.allSettled(slots.map((slot) => core.bookings.book(student.id, { slotId: slot.id })));
    expect(fulfilled(results)).toBe(1);
    // Neighbours an hour apart overlap, so some meet the student's own calendar first; none gets past both.
    for (const code of codes(results)) expect(['booking.daily_limit', 'booking.overlaps']).toContain(code);
    expect((await core.bookings.studentUpcoming(student.id)).total).toBe(1);
  }, 180_000);

  it('gives exactly a limit of 3 under 6 parallel bookings of 6 separate times of one day, and exactly 3 a week under 8', async () => {
    const { core } = await env.make({ rules: { studentDailyLimit: 3, studentWeeklyLimit: null } });
    const coach = await makeCoach(core);
    const student = await makeStudent(core);
    const day = await Promise.all(Array.from({ length: 6 }, (_, i) => core.slots.create(coach.id, { startsAt: plus('2026-06-04T00:00:00Z', i * 4 * HOUR) })));
    const results = await Promise.allSettled(day.map((slot) => core.bookings.book(student.id, { slotId: slot.id })));
    expect(fulfilled(results)).toBe(3);
    expect(codes(results)).toEqual(Array(3).fill('booking.daily_limit'));

    const weekly = await env.make({ rules: { studentDailyLimit: null, studentWeeklyLimit: 3 } });
    const other = await makeCoach(weekly.core);
    const learner = await makeStudent(weekly.core);
    // Eight separate times from Tuesday to Sunday of one week.
    const week = await Promise.all(Array.from({ length: 8 }, (_, i) => weekly.core.slots.create(other.id, { startsAt: plus('2026-06-02T00:00:00Z', i * 16 * HOUR) })));
    const booked = await Promise.allSettled(week.map((slot) => weekly.core.bookings.book(learner.id, { slotId: slot.id })));
    expect(fulfilled(booked)).toBe(3);
    expect(codes(booked)).toEqual(Array(5).fill('booking.weekly_limit'));
  });

  it('caps a coach’s day at the organisation’s limit or the coach’s own lower cap, in the coach’s zone, also under parallel bookings', async () => {
    const { core } = await env.make({ rules: { coachDailyLimit: 3 } });
    const coach = await makeCoach(core, { timezone: 'Asia/Tokyo' });
    // Wednesday in Tokyo runs from 15:00 UTC Tuesday to 15:00 UTC Wednesday.
    const slots = await Promise.all(Array.from({ length: 6 }, (_, i) => core.slots.create(coach.id, { startsAt: plus('2026-06-02T15:00:00Z', i * 2 * HOUR) })));
    const students = await Promise.all(slots.map(() => makeStudent(core)));
    const results = await Promise.allSettled(slots.map((slot, i) => core.bookings.book(students[i]!.id, { slotId: slot.id })));
    expect(fulfilled(results)).toBe(3);
    expect(codes(results)).toEqual(Array(3).fill('booking.coach_daily_limit'));
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason as Error;
    expect(refused.message).toBe('This coach takes at most 3 sessions a day, and Wed 3 Jun is full. Pick another day.');
    // 15:00 UTC Wednesday is Thursday in Tokyo.
    const thursday = await core.slots.create(coach.id, { startsAt: '2026-06-03T15:00:00Z' });
    await expect(core.bookings.book((await makeStudent(core)).id, { slotId: thursday.id })).resolves.toBeDefined();

    await core.coaches.updateSettings(coach.id, { dailyCap: 1 });
    const friday = await Promise.all([0, 4].map((h) => core.slots.create(coach.id, { startsAt: plus('2026-06-04T16:00:00Z', h * HOUR) })));
    await core.bookings.book((await makeStudent(core)).id, { slotId: friday[0]!.id });
    await expect(core.bookings.book((await makeStudent(core)).id, { slotId: friday[1]!.id })).rejects.toMatchObject({ code: 'booking.coach_daily_limit', message: expect.stringContaining('at most 1 session a day') });
    expect(await core.slots.listBookable(coach.id, { from: '2026-06-04T15:00:00Z', to: '2026-06-05T15:00:00Z' })).toEqual([]);
  });

  it('keeps a moved session’s counter when it stays on its day, and takes the new day’s when it moves', async () => {
    const { core } = await env.make(defaults);
    const coach = await makeCoach(core);
    const student = await makeStudent(core);
    const [a, b, c, d] = await slotsAt(core, coach.id, ['2026-06-02T09:00:00Z', '2026-06-02T14:00:00Z', '2026-06-03T09:00:00Z', '2026-06-03T14:00:00Z']);
    const session = await core.bookings.book(student.id, { slotId: a!.id });
    await expect(core.bookings.reschedule({ kind: 'student', studentId: student.id }, session.id, { slotId: b!.id })).resolves.toMatchObject({ slotId: b!.id });
    await expect(core.bookings.reschedule({ kind: 'student', studentId: student.id }, session.id, { slotId: c!.id })).resolves.toMatchObject({ slotId: c!.id });
    // Tuesday is free again; Wednesday is taken by the moved session.
    await expect(core.bookings.book(student.id, { slotId: d!.id })).rejects.toMatchObject({ code: 'booking.daily_limit' });
    await expect(core.bookings.book(student.id, { slotId: a!.id })).resolves.toBeDefined();
  });

  it('still holds when the limit is lowered after bookings were made', async () => {
    const { core } = await env.make({ rules: { studentDailyLimit: 3, studentWeeklyLimit: null } });
    const coach = await makeCoach(core);
    const student = await makeStudent(core);
    const slots = await slotsAt(core, coach.id, ['2026-06-02T08:00:00Z', '2026-06-02T10:00:00Z', '2026-06-02T12:00:00Z', '2026-06-02T14:00:00Z']);
    const first = await core.bookings.book(student.id, { slotId: slots[0]!.id });
    await core.bookings.book(student.id, { slotId: slots[1]!.id });
    await core.bookings.cancelAsStudent(student.id, first.id); // counter 0 is free again, counter 1 is held
    const strict = await env.make({ rules: { studentDailyLimit: 1, studentWeeklyLimit: null } });
    await expect(strict.core.bookings.book(student.id, { slotId: slots[2]!.id })).rejects.toMatchObject({ code: 'booking.daily_limit' });
  });
});

describe('buffers', () => {
  async function withBuffer(bufferMinutes: 15 | 30) {
    const { core } = await env.make();
    const coach = await makeCoach(core);
    await core.coaches.updateSettings(coach.id, { bufferMinutes });
    return { core, coach };
  }

  it('refuses a session closer than the buffer to a booked one, on either side, and allows exactly the buffer', async () => {
    const { core, coach } = await withBuffer(30);
    const [booked] = await slotsAt(core, coach.id, ['2026-06-02T10:00:00Z']);
    await core.bookings.book((await makeStudent(core)).id, { slotId: booked!.id });
    // 15 minutes short of the buffer before and after; then exactly the buffer.
    for (const [tooClose, justRight] of [['2026-06-02T07:45:00Z', '2026-06-02T07:30:00Z'], ['2026-06-02T12:15:00Z', '2026-06-02T12:30:00Z']] as const) {
      const near = await core.slots.create(coach.id, { startsAt: tooClose });
      await expect(core.bookings.book((await makeStudent(core)).id, { slotId: near.id })).rejects.toMatchObject({
        code: 'booking.buffer',
        message: 'This coach keeps 30 minutes free before and after each session, and another session is too close to this time. Pick another time.',
      });
      await core.slots.remove(coach.id, near.id);
      const apart = await core.slots.create(coach.id, { startsAt: justRight });
      await expect(core.bookings.book((await makeStudent(core)).id, { slotId: apart.id })).resolves.toBeDefined();
    }
  });

  it('hides open slots a booked neighbour puts inside the buffer, and shows them again when it is cancelled', async () => {
    const { core, coach } = await withBuffer(15);
    const [a, b, c] = await slotsAt(core, coach.id, ['2026-06-02T10:00:00Z', '2026-06-02T12:00:00Z', '2026-06-02T14:15:00Z']);
    const range = { from: '2026-06-02T00:00:00Z', to: '2026-06-03T00:00:00Z' };
    expect((await core.slots.listBookable(coach.id, range)).map((s) => s.id)).toEqual([a!.id, b!.id, c!.id]);
    const student = await makeStudent(core);
    const session = await core.bookings.book(student.id, { slotId: a!.id });
    expect((await core.slots.listBookable(coach.id, range)).map((s) => s.id)).toEqual([c!.id]);
    const across = await core.slots.listBookableAcross({ ...range, coachId: coach.id });
    expect(across.slots.map((s) => s.id)).toEqual([c!.id]);
    await core.bookings.cancelAsStudent(student.id, session.id);
    expect((await core.slots.listBookable(coach.id, range)).map((s) => s.id)).toEqual([a!.id, b!.id, c!.id]);
  });

  it('books exactly one of two back-to-back slots when two students race, round after round', async () => {
    const { core, coach } = await withBuffer(30);
    for (let round = 0; round < 5; round++) {
      const start = plus('2026-06-02T00:00:00Z', round * 6 * HOUR);
      const [a, b] = await Promise.all([core.slots.create(coach.id, { startsAt: start }), core.slots.create(coach.id, { startsAt: plus(start, 2 * HOUR) })]);
      const [ann, ben] = await Promise.all([makeStudent(core), makeStudent(core)]);
      const results = await Promise.allSettled([core.bookings.book(ann.id, { slotId: a.id }), core.bookings.book(ben.id, { slotId: b.id })]);
      expect(fulfilled(results)).toBe(1);
      expect(codes(results)).toEqual(['booking.buffer']);
    }
  });

  it('applies a raised buffer to new bookings next to sessions booked before', async () => {
    const { core } = await env.make();
    const coach = await makeCoach(core);
    const [a, b] = await slotsAt(core, coach.id, ['2026-06-02T10:00:00Z', '2026-06-02T08:00:00Z']);
    await core.bookings.book((await makeStudent(core)).id, { slotId: a!.id });
    await core.coaches.updateSettings(coach.id, { bufferMinutes: 15 });
    await expect(core.bookings.book((await makeStudent(core)).id, { slotId: b!.id })).rejects.toMatchObject({ code: 'booking.buffer' });
  });
});

describe('coach settings', () => {
  it('takes a longer notice than the organisation’s, refuses a shorter one, and applies it to listing and booking', async () => {
    const { core } = await env.make();
    const coach = await makeCoach(core);
    await expect(core.coaches.updateSettings(coach.id, { minNoticeHours: 6 })).rejects.toMatchObject({
      code: 'validation.failed',
      message: "Your notice cannot be shorter than the organisation's 12 hours.",
    });
    await expect(core.coaches.updateSettings(coach.id, { bufferMinutes: 20 as never })).rejects.toMatchObject({ code: 'validation.failed' });
    const updated = await core.coaches.updateSettings(coach.id, { minNoticeHours: 48 });
    expect(updated.settings).toEqual({ bufferMinutes: 0, dailyCap: null, minNoticeHours: 48 });
    const [soon, later] = await slotsAt(core, coach.id, ['2026-06-02T12:00:00Z', '2026-06-03T08:00:00Z']);
    expect((await core.slots.listBookable(coach.id, { from: NOW, to: '2026-06-05T00:00:00Z' })).map((s) => s.id)).toEqual([later!.id]);
    await expect(core.bookings.book((await makeStudent(core)).id, { slotId: soon!.id })).rejects.toMatchObject({
      code: 'booking.too_soon',
      message: 'Sessions with this coach must be booked at least 48 hours ahead. Pick a later slot.',
    });
  });
});
