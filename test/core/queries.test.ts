import { describe, expect, it } from 'vitest';
import { HOUR, NOW, makeCoach, makeStudent, plus, useCore } from './fixtures.js';

const env = useCore();

describe('queries', () => {
  it('lists past sessions needing a rating first, then newest first, and computes stats', async () => {
    const { core, clock } = await env.make();
    const coach = await makeCoach(core);
    const student = await makeStudent(core);
    const sessions = [];
    for (let day = 1; day <= 4; day++) {
      const slot = await core.slots.create(coach.id, { startsAt: plus(NOW, day * 24 * HOUR) });
      sessions.push(await core.bookings.book(student.id, { slotId: slot.id }));
    }
    const future = await core.slots.create(coach.id, { startsAt: plus(NOW, 10 * 24 * HOUR) });
    await core.bookings.book(student.id, { slotId: future.id });
    await core.slots.create(coach.id, { startsAt: plus(NOW, 11 * 24 * HOUR) });
    clock.set(plus(NOW, 5 * 24 * HOUR));
    await core.feedback.record(coach.id, sessions[0]!.id, { satisfaction: 5 });
    await core.feedback.record(coach.id, sessions[2]!.id, { satisfaction: 2 });

    const past = await core.bookings.coachPast(coach.id);
    expect(past.items.map((s) => s.id)).toEqual([sessions[3]!.id, sessions[1]!.id, sessions[2]!.id, sessions[0]!.id]);
    expect(past.items.map((s) => s.needsRating)).toEqual([true, true, false, false]);
    expect((await core.bookings.coachNeedsRating(coach.id)).total).toBe(2);

    const stats = await core.coaches.stats(coach.id);
    expect(stats).toEqual({ sessionsHeld: 4, ratedCount: 2, averageSatisfaction: 3.5, ratedShare: 0.5, upcomingCount: 1, openSlotCount: 1 });

    const upcoming = await core.bookings.studentUpcoming(student.id);
    expect(upcoming.items.map((s) => s.slotId)).toEqual([future.id]);
    expect((await core.bookings.studentPast(student.id, { limit: 3 })).nextOffset).toBe(3);
  });

  it('lists all coaches by name with their next bookable slot', async () => {
    const { core } = await env.make();
    const zoe = await makeCoach(core, { name: 'Zoe' });
    const ada = await makeCoach(core, { name: 'ada' });
    await core.slots.create(zoe.id, { startsAt: plus(NOW, 6 * HOUR) }); // inside the notice: not bookable
    const next = await core.slots.create(zoe.id, { startsAt: plus(NOW, 30 * HOUR) });
    await core.slots.create(zoe.id, { startsAt: plus(NOW, 50 * HOUR) });
    const all = await core.coaches.list({ limit: 100 });
    const list = { items: all.items.filter((c) => c.id === ada.id || c.id === zoe.id) };
    expect(list.items.map((c) => c.name)).toEqual(['ada', 'Zoe']);
    expect(list.items[0]!.nextOpenSlot).toBeNull();
    expect(list.items[1]!.nextOpenSlot).toEqual({ id: next.id, startsAt: next.startsAt, endsAt: next.endsAt });
    expect(list.items.every((c) => !('phone' in c))).toBe(true);
  });

  it('pages through many coaches by cursor, each with its own next bookable slot found by one probe', async () => {
    const { core } = await env.make();
    const team = `TPAGE${Date.now()}`;
    const made = [];
    for (let i = 0; i < 7; i++) {
      const { coach } = await core.coaches.onboard({ teamId: team, slackUserId: `U${i}`, name: `Pager ${String.fromCharCode(71 - i)}`, timezone: 'Europe/London' });
      made.push(coach);
    }
    // Even-numbered coaches have a slot; the odd ones none.
    const slots = new Map<string, string>();
    for (const [i, coach] of made.entries()) {
      if (i % 2 === 0) slots.set(coach.id, (await core.slots.create(coach.id, { startsAt: plus(NOW, (30 + i * 2) * HOUR) })).id);
    }
    const listed = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof core.coaches.list>> = await core.coaches.list({ limit: 3, cursor }, { teamId: team });
      expect(page.items.length).toBeLessThanOrEqual(3);
      listed.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(listed.map((c) => c.name)).toEqual(['Pager A', 'Pager B', 'Pager C', 'Pager D', 'Pager E', 'Pager F', 'Pager G']);
    for (const coach of listed) expect(coach.nextOpenSlot?.id ?? null).toBe(slots.get(coach.id) ?? null);
    await expect(core.coaches.list({ cursor: 'garbage' })).rejects.toMatchObject({ code: 'validation.failed' });
  });

  it('keeps stats at zero for a coach with no sessions', async () => {
    const { core } = await env.make();
    const coach = await makeCoach(core);
    expect(await core.coaches.stats(coach.id)).toMatchObject({ sessionsHeld: 0, averageSatisfaction: null, ratedShare: 0 });
  });

  it('onboards a Slack user once however many first requests race, and keeps their edits', async () => {
    const { core } = await env.make();
    const profile = { teamId: 'T9', slackUserId: 'U9', name: 'Ada Slack', timezone: 'Europe/Paris', phone: null };
    const results = await Promise.all(Array.from({ length: 10 }, () => core.coaches.onboard(profile)));
    expect(new Set(results.map((r) => r.coach.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const id = results[0]!.coach.id;
    await core.coaches.updateProfile(id, { name: 'Ada L.', bio: 'Maths & physics' });
    const again = await core.coaches.onboard({ ...profile, timezone: 'Asia/Tokyo' });
    expect(again.coach).toMatchObject({ name: 'Ada L.', bio: 'Maths & physics', timezone: 'Asia/Tokyo', phone: null });
    await expect(core.coaches.updateProfile(id, { bio: 'x'.repeat(1001) })).rejects.toMatchObject({ code: 'validation.failed' });
  });

  it('keeps one student per host-site id across parallel first requests', async () => {
    const { core } = await env.make();
    const input = { externalId: 'site-user-42', name: 'Sam', phone: '+1 212 555 0199' };
    const students = await Promise.all(Array.from({ length: 10 }, () => core.students.upsert(input)));
    expect(new Set(students.map((s) => s.id)).size).toBe(1);
    const renamed = await core.students.upsert({ ...input, name: 'Samuel' });
    expect(renamed).toMatchObject({ id: students[0]!.id, name: 'Samuel' });
  });
});
