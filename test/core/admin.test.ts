import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/index.js';
import { useTestDatabase } from '../helpers/db.js';
import { HOUR, makeCoach, makeStudent } from './fixtures.js';

const db = useTestDatabase();
let run = 0;

describe('the admin overview', () => {
  it('takes today and this week in the admin’s zone, on both sides of a DST change', async () => {
    run += 1;
    const teamId = `TADMOV${run}`;
    // Sunday 8 March 2026: New York springs forward at 02:00 (EST −5 → EDT −4), so this "today" has 23 hours.
    const clock = new ManualClock('2026-03-08T17:00:00Z');
    const core = await db.makeCore({ clock });
    const early = core.withClock(new ManualClock('2026-02-01T00:00:00Z'));
    const coach = await makeCoach(core, { teamId, timezone: 'America/New_York' });
    const other = await makeCoach(core, { teamId: `${teamId}X` });
    const students = await Promise.all([1, 2, 3, 4, 5].map(() => makeStudent(core)));
    const book = async (studentIndex: number, startsAt: string, coachId = coach.id) =>
      early.bookings.book(students[studentIndex]!.id, { slotId: (await early.slots.create(coachId, { startsAt })).id });
    const lateSaturday = await book(0, '2026-03-08T04:30:00Z'); // 23:30 on Saturday 7 March, EST
    const lateSunday = await book(1, '2026-03-09T03:30:00Z'); // 23:30 on Sunday 8 March, EDT
    const monday = await book(2, '2026-03-09T05:30:00Z'); // 01:30 on Monday 9 March: next week
    const lastWeekUnrated = await book(3, '2026-03-05T15:00:00Z');
    await book(4, '2026-03-08T18:00:00Z', other.id); // another workspace
    const cancelled = await book(4, '2026-03-10T15:00:00Z');
    await core.bookings.cancelAsStudent(students[4]!.id, cancelled.id);
    await core.slots.create(coach.id, { startsAt: '2026-03-12T15:00:00Z' });

    const overview = await core.admin.overview({ teamId }, { zone: 'America/New_York', listSize: 10 });
    expect(overview.today.items.map((s) => s.id)).toEqual([lateSunday.id]);
    // The ISO week: Monday 2 to Sunday 8 March, New York time.
    expect(overview.week.items.map((s) => s.id)).toEqual([lastWeekUnrated.id, lateSaturday.id, lateSunday.id]);
    expect(overview.week.items.map((s) => s.id)).not.toContain(monday.id);
    expect(overview.unrated.items.map((s) => s.id)).toEqual([lastWeekUnrated.id]);
    expect(overview.cancellations).toMatchObject({ student: 1, coach: 0, admin: 0 });
    // The slot added, and the one the student's cancellation opened again.
    expect(overview.openSlots).toEqual([{ coach: { id: coach.id, name: coach.name, timezone: 'America/New_York' }, open: 2 }]);
    // No phone or e-mail in anything an admin is shown.
    expect(JSON.stringify(overview)).not.toMatch(/\+1 212|"phone"|"email"/);

    // A few hours on, still Sunday in New York but Monday in UTC: today is the same day.
    clock.set(new Date(Date.parse('2026-03-08T17:00:00Z') + 9 * HOUR));
    expect((await core.admin.overview({ teamId }, { zone: 'America/New_York', listSize: 10 })).today.items.map((s) => s.id)).toEqual([lateSunday.id]);
  });
});
