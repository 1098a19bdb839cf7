import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/index.js';
import { DEMO_STUDENTS, seedDemoData } from '../../core/demo/demo-seed.js';
import { useTestDatabase } from '../helpers/db.js';

const db = useTestDatabase();

describe('demo seed', () => {
  it('creates coaches with past, booked and open slots, and past sessions with and without feedback', async () => {
    const clock = new ManualClock('2026-03-04T12:00:00Z'); // a DST change falls inside the seeded weeks
    const core = await db.makeCore({ clock });
    const summary = await seedDemoData(core);
    expect(summary.coaches).toBe(3);
    expect(summary.students).toBe(DEMO_STUDENTS.length);
    expect(summary.openSlots).toBeGreaterThan(5);
    expect(summary.upcomingSessions).toBeGreaterThan(0);
    expect(summary.pastSessions).toBeGreaterThan(summary.ratedSessions);
    expect(summary.ratedSessions).toBeGreaterThan(0);

    const coaches = (await core.coaches.list()).items;
    const first = coaches[0]!;
    expect(first.nextOpenSlot).not.toBeNull();
    const past = await core.bookings.coachPast(first.id);
    expect(past.items.some((s) => s.needsRating)).toBe(true);
    expect(past.items.some((s) => s.feedback !== null)).toBe(true);
    const stats = await core.coaches.stats(first.id);
    expect(stats.averageSatisfaction).not.toBeNull();
  });
});
