import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/index.js';
import { DEMO_STUDENTS, seedDemoData, topUpDemoSlots } from '../../core/demo/demo-seed.js';
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

  it('never runs dry: each start tops the open times up for the coming four weeks, adding only what time used up', async () => {
    const clock = new ManualClock('2026-05-04T12:00:00Z');
    await db.clear();
    const core = await db.makeCore({ clock });
    await seedDemoData(core);
    expect(await topUpDemoSlots(core)).toEqual([]);

    // Three weeks later, the seeded weeks are mostly gone: a restart fills the weeks ahead again.
    clock.set('2026-05-25T12:00:00Z');
    const added = await topUpDemoSlots(core);
    expect(added.length).toBeGreaterThan(10);
    const week = 7 * 24 * 3_600_000;
    for (let i = 0; i < 4; i++) {
      const from = new Date(clock.now().getTime() + i * week);
      const page = await core.slots.listBookableAcross({ from, to: new Date(from.getTime() + week) });
      expect(page.slots.length, `week ${i + 1}`).toBeGreaterThan(5);
    }
    expect(await topUpDemoSlots(core)).toEqual([]);
  });
});
