import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../core/index.js';
import { HOUR, MINUTE, NOW, makeCoach, makeStudent, plus, useCore } from './fixtures.js';

const env = useCore();

async function setup() {
  const { core, clock } = await env.make();
  const coach = await makeCoach(core);
  const slot = await core.slots.create(coach.id, { startsAt: plus(NOW, 24 * HOUR) });
  const [ann, ben] = await Promise.all([makeStudent(core, { name: 'Ann' }), makeStudent(core, { name: 'Ben' })]);
  return { core, clock, coach, slot, ann, ben };
}

describe('holds', () => {
  it('holds a slot for the default 5 minutes and refuses another student slot.held, hold or booking', async () => {
    const { core, slot, ann, ben } = await setup();
    const hold = await core.holds.hold(ann.id, slot.id);
    expect(hold).toEqual({ slotId: slot.id, expiresAt: plus(NOW, 5 * MINUTE) });
    await expect(core.holds.hold(ben.id, slot.id)).rejects.toMatchObject({ code: 'slot.held', message: expect.stringMatching(/^Someone is booking this time/) });
    await expect(core.bookings.book(ben.id, { slotId: slot.id })).rejects.toMatchObject({ code: 'slot.held' });
    expect(await core.holds.heldByOthers([slot.id], ben.id)).toEqual(new Set([slot.id]));
    expect(await core.holds.heldByOthers([slot.id], ann.id)).toEqual(new Set());
  });

  it('lets the holder book, consuming the hold; others then get slot.taken', async () => {
    const { core, slot, ann, ben } = await setup();
    await core.holds.hold(ann.id, slot.id);
    await expect(core.bookings.book(ann.id, { slotId: slot.id })).resolves.toMatchObject({ slotId: slot.id, status: 'active' });
    expect(await core.holds.heldByOthers([slot.id])).toEqual(new Set());
    await expect(core.holds.hold(ben.id, slot.id)).rejects.toMatchObject({ code: 'slot.taken' });
    await expect(core.bookings.book(ben.id, { slotId: slot.id })).rejects.toMatchObject({ code: 'slot.taken' });
  });

  it('stops blocking at its expiry by the injected clock, and not a moment before', async () => {
    const { core, clock, slot, ann, ben } = await setup();
    await core.holds.hold(ann.id, slot.id);
    clock.advance(5 * MINUTE - 1);
    await expect(core.bookings.book(ben.id, { slotId: slot.id })).rejects.toMatchObject({ code: 'slot.held' });
    clock.advance(1);
    await expect(core.bookings.book(ben.id, { slotId: slot.id })).resolves.toMatchObject({ slotId: slot.id });
    await expect(core.bookings.book(ann.id, { slotId: slot.id })).rejects.toMatchObject({ code: 'slot.taken' });
  });

  it('is renewed by holding again, and released by the holder only', async () => {
    const { core, clock, slot, ann, ben } = await setup();
    await core.holds.hold(ann.id, slot.id);
    clock.advance(4 * MINUTE);
    expect((await core.holds.hold(ann.id, slot.id)).expiresAt).toEqual(plus(clock.now(), 5 * MINUTE));
    clock.advance(4 * MINUTE);
    await core.holds.release(ben.id, slot.id); // not Ben's: nothing happens
    await expect(core.holds.hold(ben.id, slot.id)).rejects.toMatchObject({ code: 'slot.held' });
    await core.holds.release(ann.id, slot.id);
    await expect(core.holds.hold(ben.id, slot.id)).resolves.toMatchObject({ slotId: slot.id });
  });

  it('follows HOLD_MINUTES', async () => {
    const { core, clock } = await env.make({ rules: { holdMinutes: 2 } });
    const coach = await makeCoach(core);
    const slot = await core.slots.create(coach.id, { startsAt: plus(NOW, 24 * HOUR) });
    const [ann, ben] = await Promise.all([makeStudent(core), makeStudent(core)]);
    expect((await core.holds.hold(ann.id, slot.id)).expiresAt).toEqual(plus(NOW, 2 * MINUTE));
    clock.advance(2 * MINUTE);
    await expect(core.holds.hold(ben.id, slot.id)).resolves.toMatchObject({ expiresAt: plus(NOW, 4 * MINUTE) });
  });

  it('keeps one hold per student: holding a second slot frees the first', async () => {
    const { core, coach, slot, ann, ben } = await setup();
    const second = await core.slots.create(coach.id, { startsAt: plus(NOW, 30 * HOUR) });
    await core.holds.hold(ann.id, slot.id);
    await core.holds.hold(ann.id, second.id);
    await expect(core.holds.hold(ben.id, slot.id)).resolves.toBeDefined();
    await expect(core.holds.hold(ben.id, second.id)).rejects.toMatchObject({ code: 'slot.held' });
  });

  it('refuses to hold what cannot be booked: booked, removed, too soon, unknown', async () => {
    const { core, coach, ann, ben } = await setup();
    const soon = await core.slots.create(coach.id, { startsAt: plus(NOW, 2 * HOUR) });
    await expect(core.holds.hold(ann.id, soon.id)).rejects.toMatchObject({ code: 'booking.too_soon' });
    const removed = await core.slots.create(coach.id, { startsAt: plus(NOW, 40 * HOUR) });
    await core.slots.remove(coach.id, removed.id);
    await expect(core.holds.hold(ann.id, removed.id)).rejects.toMatchObject({ code: 'slot.not_open' });
    await expect(core.holds.hold(ann.id, '0123456789abcdef01234567')).rejects.toMatchObject({ code: 'slot.not_found' });
    const booked = await core.slots.create(coach.id, { startsAt: plus(NOW, 50 * HOUR) });
    await core.bookings.book(ben.id, { slotId: booked.id });
    await expect(core.holds.hold(ann.id, booked.id)).rejects.toMatchObject({ code: 'slot.taken' });
  });

  it('gives one hold when 20 students race for a slot, and one winner when 10 race for a lapsed hold', async () => {
    const { core, clock, slot } = await setup();
    const students = await Promise.all(Array.from({ length: 20 }, () => makeStudent(core)));
    const results = await Promise.allSettled(students.map((s) => core.holds.hold(s.id, slot.id)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (isDomainError(r.reason) ? r.reason.code : String(r.reason)));
    expect(refused).toEqual(Array(19).fill('slot.held'));

    clock.advance(5 * MINUTE);
    const others = students.slice(10);
    const again = await Promise.allSettled(others.map((s) => core.holds.hold(s.id, slot.id)));
    expect(again.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const winner = others[again.findIndex((r) => r.status === 'fulfilled')]!;
    const holders = await core.holds.heldByOthers([slot.id], winner.id);
    expect(holders.size).toBe(0);
    await expect(core.bookings.book(winner.id, { slotId: slot.id })).resolves.toBeDefined();
  });

  it('gives the hold back when a booking through it fails, but keeps a hold the student already had', async () => {
    const { core, slot, ann, ben } = await setup();
    // Ann already has a session overlapping the slot with another coach.
    const other = await makeCoach(core, { name: 'Coach Bea' });
    const clash = await core.slots.create(other.id, { startsAt: slot.startsAt });
    await core.bookings.book(ann.id, { slotId: clash.id });
    await expect(core.bookings.book(ann.id, { slotId: slot.id })).rejects.toMatchObject({ code: 'booking.overlaps' });
    await expect(core.holds.hold(ben.id, slot.id)).resolves.toBeDefined();
    await core.holds.release(ben.id, slot.id);

    await core.holds.hold(ann.id, slot.id);
    await expect(core.bookings.book(ann.id, { slotId: slot.id })).rejects.toMatchObject({ code: 'booking.overlaps' });
    await expect(core.holds.hold(ben.id, slot.id)).rejects.toMatchObject({ code: 'slot.held' });
  });

  it('is swept once lapsed, and a live hold is left alone', async () => {
    const { core, clock, coach, slot, ann, ben } = await setup();
    const later = await core.slots.create(coach.id, { startsAt: plus(NOW, 30 * HOUR) });
    await core.holds.hold(ann.id, slot.id);
    clock.advance(4 * MINUTE);
    await core.holds.hold(ben.id, later.id);
    clock.advance(2 * MINUTE); // Ann's lapsed a minute ago; Ben's has three minutes left
    const claims = env.db.connection.collection('claims');
    const holdKeys = [`hold:${slot.id}`, `holdof:${ann.id}`, `hold:${later.id}`, `holdof:${ben.id}`];
    expect(await claims.countDocuments({ _id: { $in: holdKeys } } as never)).toBe(4);
    await core.sweepOrphanClaims();
    const left = await claims.find({ _id: { $in: holdKeys } } as never).toArray();
    expect(left.map((c) => c._id).sort()).toEqual([`hold:${later.id}`, `holdof:${ben.id}`].sort());
    await expect(core.holds.hold(ann.id, later.id)).rejects.toMatchObject({ code: 'slot.held' });
  });

  it('keeps a held slot from a session being moved onto it, and lets the holder move onto their own hold', async () => {
    const { core, coach, slot, ann, ben } = await setup();
    const first = await core.slots.create(coach.id, { startsAt: plus(NOW, 50 * HOUR) });
    const session = await core.bookings.book(ann.id, { slotId: first.id });
    await core.holds.hold(ben.id, slot.id);
    await expect(core.bookings.reschedule({ kind: 'student', studentId: ann.id }, session.id, { slotId: slot.id })).rejects.toMatchObject({ code: 'slot.held' });
    expect(await core.bookings.getForStudent(ann.id, session.id)).toMatchObject({ slotId: first.id, status: 'active' });
    await core.holds.release(ben.id, slot.id);
    await core.holds.hold(ann.id, slot.id);
    await expect(core.bookings.reschedule({ kind: 'student', studentId: ann.id }, session.id, { slotId: slot.id })).resolves.toMatchObject({ slotId: slot.id });
    expect(await core.holds.heldByOthers([slot.id])).toEqual(new Set());
  });

  it('does not exist for another workspace', async () => {
    const { core, slot, ann } = await setup();
    await expect(core.holds.hold(ann.id, slot.id, { teamId: 'TOTHER' })).rejects.toMatchObject({ code: 'slot.not_found' });
    await expect(core.holds.hold(ann.id, slot.id, { teamId: 'T0001' })).resolves.toMatchObject({ slotId: slot.id });
  });
});
