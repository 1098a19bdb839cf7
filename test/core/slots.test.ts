import { describe, expect, it } from 'vitest';
import { DomainError } from '../../core/index.js';
import { HOUR, MINUTE, NOW, makeCoach, makeStudent, plus, useCore } from './fixtures.js';

const env = useCore();
const base = '2026-06-02T10:00:00.000Z';

async function setup() {
  const { core, clock } = await env.make();
  const coach = await makeCoach(core);
  return { core, clock, coach };
}

describe('creating slots', () => {
  it('creates an open 2-hour slot', async () => {
    const { core, coach } = await setup();
    const slot = await core.slots.create(coach.id, { startsAt: base });
    expect(slot).toMatchObject({ coachId: coach.id, status: 'open', bookingId: null });
    expect(slot.endsAt.getTime() - slot.startsAt.getTime()).toBe(2 * HOUR);
  });

  it('accepts an explicit end of exactly 2 hours and refuses 2 hours plus or minus a minute', async () => {
    const { core, coach } = await setup();
    await expect(core.slots.create(coach.id, { startsAt: base, endsAt: plus(base, 2 * HOUR) })).resolves.toBeDefined();
    await expect(core.slots.create(coach.id, { startsAt: plus(base, 4 * HOUR), endsAt: plus(base, 6 * HOUR + MINUTE) })).rejects.toMatchObject({ code: 'slot.bad_length' });
    await expect(core.slots.create(coach.id, { startsAt: plus(base, 4 * HOUR), endsAt: plus(base, 6 * HOUR - MINUTE) })).rejects.toMatchObject({ code: 'slot.bad_length' });
  });

  it('accepts a slot starting now and refuses one that started a quarter hour ago', async () => {
    const { core, coach } = await setup();
    await expect(core.slots.create(coach.id, { startsAt: NOW })).resolves.toBeDefined();
    await expect(core.slots.create(coach.id, { startsAt: plus(NOW, -15 * MINUTE) })).rejects.toMatchObject({ code: 'slot.in_past' });
  });

  it('refuses a start off the 15-minute grid', async () => {
    const { core, coach } = await setup();
    await expect(core.slots.create(coach.id, { startsAt: '2026-06-02T10:07:00Z' })).rejects.toMatchObject({ code: 'slot.off_grid' });
  });

  it('accepts a start at the 180-day horizon and refuses one beyond it', async () => {
    const { core, coach } = await setup();
    await expect(core.slots.create(coach.id, { startsAt: plus(NOW, 180 * 24 * HOUR) })).resolves.toBeDefined();
    await expect(core.slots.create(coach.id, { startsAt: plus(NOW, 180 * 24 * HOUR + 15 * MINUTE) })).rejects.toMatchObject({ code: 'slot.beyond_horizon' });
  });

  it('honours a configured horizon', async () => {
    const { core } = await env.make({ rules: { slotHorizonDays: 7 } });
    const coach = await makeCoach(core);
    await expect(core.slots.create(coach.id, { startsAt: plus(NOW, 8 * 24 * HOUR) })).rejects.toMatchObject({ code: 'slot.beyond_horizon' });
  });

  it('allows back-to-back slots on both sides', async () => {
    const { core, coach } = await setup();
    await core.slots.create(coach.id, { startsAt: base });
    await expect(core.slots.create(coach.id, { startsAt: plus(base, 2 * HOUR) })).resolves.toBeDefined();
    await expect(core.slots.create(coach.id, { startsAt: plus(base, -2 * HOUR) })).resolves.toBeDefined();
  });

  it.each([
    ['15 minutes of overlap at its end', 2 * HOUR - 15 * MINUTE],
    ['15 minutes of overlap at its start', -(2 * HOUR - 15 * MINUTE)],
    ['the same start', 0],
    ['a start inside it', 45 * MINUTE],
  ])('refuses a slot with %s', async (_label, offset) => {
    const { core, coach } = await setup();
    await core.slots.create(coach.id, { startsAt: base });
    await expect(core.slots.create(coach.id, { startsAt: plus(base, offset) })).rejects.toMatchObject({ code: 'slot.overlaps' });
  });

  it('refuses a slot one minute overlapping either side when given off-grid, before looking at overlap', async () => {
    const { core, coach } = await setup();
    await core.slots.create(coach.id, { startsAt: base });
    await expect(core.slots.create(coach.id, { startsAt: plus(base, 2 * HOUR - MINUTE) })).rejects.toMatchObject({ code: 'slot.off_grid' });
    await expect(core.slots.create(coach.id, { startsAt: plus(base, -2 * HOUR + MINUTE) })).rejects.toMatchObject({ code: 'slot.off_grid' });
  });

  it('allows a slot wholly before and wholly after an existing one, even created later', async () => {
    const { core, coach } = await setup();
    await core.slots.create(coach.id, { startsAt: base });
    await expect(core.slots.create(coach.id, { startsAt: plus(base, -5 * HOUR) })).resolves.toBeDefined();
    await expect(core.slots.create(coach.id, { startsAt: plus(base, 5 * HOUR) })).resolves.toBeDefined();
  });

  it('refuses an overlap with a slot wholly before it in time that was created afterwards', async () => {
    const { core, coach } = await setup();
    await core.slots.create(coach.id, { startsAt: plus(base, 1 * HOUR) });
    await expect(core.slots.create(coach.id, { startsAt: base })).rejects.toMatchObject({ code: 'slot.overlaps' });
  });

  it('lets two coaches hold the same time', async () => {
    const { core, coach } = await setup();
    const other = await makeCoach(core, { name: 'Coach Bea' });
    await core.slots.create(coach.id, { startsAt: base });
    await expect(core.slots.create(other.id, { startsAt: base })).resolves.toBeDefined();
  });

  it('explains bad input with the path and writes nothing', async () => {
    const { core, coach } = await setup();
    const error = await core.slots.create(coach.id, { startsAt: 'next tuesday' } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'validation.failed' });
    expect((error as DomainError).details.issues?.[0]?.path).toBe('startsAt');
    expect((await core.slots.listOpen(coach.id)).total).toBe(0);
  });

  it('refuses a slot for an unknown coach', async () => {
    const { core } = await setup();
    await expect(core.slots.create('0123456789abcdef01234567', { startsAt: base })).rejects.toMatchObject({ code: 'coach.not_found' });
    await expect(core.slots.create('not-an-id', { startsAt: base })).rejects.toMatchObject({ code: 'coach.not_found' });
  });
});

describe('removing slots', () => {
  it('removes an open slot and frees its time', async () => {
    const { core, coach } = await setup();
    const slot = await core.slots.create(coach.id, { startsAt: base });
    await expect(core.slots.remove(coach.id, slot.id)).resolves.toMatchObject({ status: 'removed' });
    expect((await core.slots.get(slot.id)).status).toBe('removed');
    await expect(core.slots.create(coach.id, { startsAt: base })).resolves.toBeDefined();
  });

  it('refuses to remove a booked slot: it has to be cancelled', async () => {
    const { core, coach } = await setup();
    const slot = await core.slots.create(coach.id, { startsAt: base });
    const student = await makeStudent(core);
    await core.bookings.book(student.id, { slotId: slot.id });
    await expect(core.slots.remove(coach.id, slot.id)).rejects.toMatchObject({ code: 'slot.booked' });
    expect((await core.slots.get(slot.id)).status).toBe('booked');
  });

  it('does not let one coach remove another coach’s slot', async () => {
    const { core, coach } = await setup();
    const other = await makeCoach(core);
    const slot = await core.slots.create(coach.id, { startsAt: base });
    await expect(core.slots.remove(other.id, slot.id)).rejects.toMatchObject({ code: 'slot.not_found' });
  });

  it('makes a removed slot unbookable', async () => {
    const { core, coach } = await setup();
    const slot = await core.slots.create(coach.id, { startsAt: base });
    await core.slots.remove(coach.id, slot.id);
    const student = await makeStudent(core);
    await expect(core.bookings.book(student.id, { slotId: slot.id })).rejects.toMatchObject({ code: 'slot.not_open' });
  });
});

describe('listing slots', () => {
  it('lists a coach’s open future slots soonest first, paginated', async () => {
    const { core, coach } = await setup();
    for (let i = 4; i >= 0; i--) await core.slots.create(coach.id, { startsAt: plus(base, i * 24 * HOUR) });
    const first = await core.slots.listOpen(coach.id, { limit: 2 });
    expect(first.total).toBe(5);
    expect(first.items.map((s) => s.startsAt.toISOString())).toEqual([base, plus(base, 24 * HOUR).toISOString()]);
    expect(first.nextOffset).toBe(2);
    const last = await core.slots.listOpen(coach.id, { limit: 2, offset: 4 });
    expect(last.items).toHaveLength(1);
    expect(last.nextOffset).toBeNull();
  });

  it('lists bookable slots in a range, leaving out those inside the notice period (12 hours: at it is in, before it is out)', async () => {
    const { core, coach } = await setup();
    const soon = await core.slots.create(coach.id, { startsAt: plus(NOW, 10 * HOUR) });
    const later = await core.slots.create(coach.id, { startsAt: plus(NOW, 12 * HOUR) });
    const outside = await core.slots.create(coach.id, { startsAt: plus(NOW, 10 * 24 * HOUR) });
    const slots = await core.slots.listBookable(coach.id, { from: NOW, to: plus(NOW, 5 * 24 * HOUR) });
    const ids = slots.map((s) => s.id);
    expect(ids).toContain(later.id);
    expect(ids).not.toContain(soon.id);
    expect(ids).not.toContain(outside.id);
  });

  it('refuses a range wider than 31 days or ending before it starts', async () => {
    const { core, coach } = await setup();
    await expect(core.slots.listBookable(coach.id, { from: NOW, to: plus(NOW, 31 * 24 * HOUR + MINUTE) })).rejects.toMatchObject({ code: 'range.too_wide' });
    await expect(core.slots.listBookable(coach.id, { from: NOW, to: plus(NOW, 31 * 24 * HOUR) })).resolves.toEqual([]);
    await expect(core.slots.listBookable(coach.id, { from: NOW, to: NOW })).rejects.toMatchObject({ code: 'range.invalid' });
  });
});
