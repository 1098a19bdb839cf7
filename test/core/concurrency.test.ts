import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../core/index.js';
import { HOUR, MINUTE, NOW, makeCoach, makeStudent, plus, useCore } from './fixtures.js';

const env = useCore();

const codes = (results: PromiseSettledResult<unknown>[]) =>
  results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (isDomainError(r.reason) ? r.reason.code : String(r.reason)));

describe('invariants under parallel requests', () => {
  it('gives exactly one booking when 50 students race for one slot', async () => {
    const { core } = await env.make();
    const coach = await makeCoach(core);
    const slot = await core.slots.create(coach.id, { startsAt: plus(NOW, 24 * HOUR) });
    const students = await Promise.all(Array.from({ length: 50 }, () => makeStudent(core)));
    const results = await Promise.allSettled(students.map((s) => core.bookings.book(s.id, { slotId: slot.id })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    // Racers meet on the slot's hold first ("someone is booking this time"); any that come after the winner finished see it taken.
    for (const code of codes(results)) expect(['slot.held', 'slot.taken']).toContain(code);
    expect(codes(results)).toHaveLength(49);
    const winner = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ id: string }>).value;
    expect((await core.slots.get(slot.id)).bookingId).toBe(winner.id);
    expect((await core.bookings.coachUpcoming(coach.id)).total).toBe(1);
  });

  it('gives exactly one slot when a coach creates 20 mutually overlapping slots at once', async () => {
    const { core } = await env.make();
    const coach = await makeCoach(core);
    const base = plus(NOW, 24 * HOUR).getTime();
    // Starts 0..105 minutes apart on the grid: every pair overlaps, and so does one slot wholly before another.
    const starts = Array.from({ length: 20 }, (_, i) => new Date(base + (i % 8) * 15 * MINUTE));
    const results = await Promise.allSettled(starts.map((startsAt) => core.slots.create(coach.id, { startsAt })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(new Set(codes(results))).toEqual(new Set(['slot.overlaps']));
    expect((await core.slots.listOpen(coach.id)).total).toBe(1);
  });

  it('gives one student exactly one of two overlapping slots with two coaches when both bookings race', async () => {
    const { core } = await env.make();
    const [ada, bea] = await Promise.all([makeCoach(core), makeCoach(core, { name: 'Coach Bea' })]);
    const start = plus(NOW, 24 * HOUR);
    const [a, b] = await Promise.all([
      core.slots.create(ada.id, { startsAt: start }),
      core.slots.create(bea.id, { startsAt: plus(start, 45 * MINUTE) }),
    ]);
    const student = await makeStudent(core);
    for (let round = 0; round < 5; round++) {
      const results = await Promise.allSettled([core.bookings.book(student.id, { slotId: a.id }), core.bookings.book(student.id, { slotId: b.id })]);
      const won = results.filter((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ id: string }>[];
      expect(won).toHaveLength(1);
      expect(codes(results)).toEqual(['booking.overlaps']);
      await core.bookings.cancelAsStudent(student.id, won[0]!.value.id);
    }
  });

  it('never both books and removes a slot when the coach removes it while a student books', async () => {
    const { core } = await env.make();
    const coach = await makeCoach(core);
    for (let i = 0; i < 5; i++) {
      const slot = await core.slots.create(coach.id, { startsAt: plus(NOW, (24 + i * 2) * HOUR) });
      const student = await makeStudent(core);
      const [booked, removed] = await Promise.allSettled([core.bookings.book(student.id, { slotId: slot.id }), core.slots.remove(coach.id, slot.id)]);
      expect([booked.status, removed.status].filter((s) => s === 'fulfilled')).toHaveLength(1);
      const final = await core.slots.get(slot.id);
      expect(final.status).toBe(booked.status === 'fulfilled' ? 'booked' : 'removed');
    }
  });
});
