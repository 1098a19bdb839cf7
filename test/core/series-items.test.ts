import { DateTime } from 'luxon';
import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { isDomainError, type Core } from '../../core/index.js';
import { HOUR, makeCoach, makeStudent, plus, useCore } from './fixtures.js';

/** Tuesday 1 December 2026, 10:00 UTC (GMT in London). */
const NOW = '2026-12-01T10:00:00.000Z';
const env = useCore({ now: NOW });

const local = (d: Date | string, zone: string) => DateTime.fromJSDate(new Date(d), { zone }).toFormat('ccc yyyy-LL-dd HH:mm');

async function weeklySeries(core: Core, coachId: string, input: { date: string; times?: string[]; weeks: number; timezone?: string }) {
  return core.slots.createSeries(coachId, { date: input.date, times: input.times ?? ['18:00'], timezone: input.timezone ?? 'Europe/London', weeks: input.weeks });
}

describe('a weekly series as one item', () => {
  it('lists a series once with its weekday, local times, zone, counts and last date, beside single open slots', async () => {
    const { core } = await env.make();
    const coach = await makeCoach(core, { timezone: 'Europe/London' });
    const series = await weeklySeries(core, coach.id, { date: '2026-12-08', weeks: 6 });
    const single = await core.slots.create(coach.id, { startsAt: '2026-12-02T09:00:00Z' });
    await core.bookings.book((await makeStudent(core)).id, { slotId: series.created[1]!.id });
    await core.bookings.book((await makeStudent(core)).id, { slotId: series.created[3]!.id });

    const page = await core.slots.listAvailability(coach.id);
    expect(page.total).toBe(2);
    expect(page.openSlots).toBe(5);
    expect(page.items[0]).toEqual({ kind: 'slot', slot: expect.objectContaining({ id: single.id }) });
    expect(page.items[1]).toEqual({
      kind: 'series',
      series: expect.objectContaining({
        id: series.seriesId, timezone: 'Europe/London', weekday: 2, times: [{ start: '18:00', end: '20:00' }],
        open: 4, booked: 2, lastDate: '2027-01-12',
      }),
    });
  });

  it('lists one date with several times slot by slot: that is not a weekly series', async () => {
    const { core } = await env.make();
    const coach = await makeCoach(core);
    await weeklySeries(core, coach.id, { date: '2026-12-08', times: ['10:00', '14:00'], weeks: 1 });
    const page = await core.slots.listAvailability(coach.id);
    expect(page.items.map((i) => i.kind)).toEqual(['slot', 'slot']);
  });

  it('uses the coach’s zone for series made before their zone was stored', async () => {
    const { core } = await env.make();
    const coach = await makeCoach(core, { timezone: 'America/New_York' });
    const series = await weeklySeries(core, coach.id, { date: '2026-12-08', times: ['09:00'], weeks: 3, timezone: 'America/New_York' });
    await env.db.connection.collection('slots').updateMany({ seriesId: new Types.ObjectId(series.seriesId) }, { $unset: { seriesTimezone: '' } });
    const summary = await core.slots.series(coach.id, series.seriesId);
    expect(summary).toMatchObject({ timezone: 'America/New_York', times: [{ start: '09:00', end: '11:00' }] });
  });

  it('is not found for another coach, a malformed id, or a series with nothing left to come', async () => {
    const { core, clock } = await env.make();
    const coach = await makeCoach(core);
    const other = await makeCoach(core);
    const series = await weeklySeries(core, coach.id, { date: '2026-12-08', weeks: 2 });
    await expect(core.slots.series(other.id, series.seriesId)).rejects.toMatchObject({ code: 'series.not_found' });
    await expect(core.slots.removeRestOfSeries(coach.id, 'nonsense')).rejects.toMatchObject({ code: 'series.not_found' });
    clock.advance(30 * 24 * HOUR);
    await expect(core.slots.extendSeries(coach.id, series.seriesId, { weeks: 1 })).rejects.toMatchObject({ code: 'series.not_found' });
  });
});

describe('removing the rest of a series', () => {
  it('removes the open slots still to come, keeps booked sessions and says which', async () => {
    const { core, clock } = await env.make();
    const coach = await makeCoach(core, { timezone: 'Europe/London' });
    const series = await weeklySeries(core, coach.id, { date: '2026-12-01', weeks: 6 });
    const student = await makeStudent(core);
    const booked = await core.bookings.book(student.id, { slotId: series.created[2]!.id });
    // The first occurrence (today 18:00) has started: it is not part of "the rest".
    clock.advance(9 * HOUR);

    const result = await core.slots.removeRestOfSeries(coach.id, series.seriesId);
    expect(result.removed).toBe(4);
    expect(result.kept.map((s) => s.id)).toEqual([booked.slotId]);
    expect(result.unsettled).toEqual([]);
    expect((await core.slots.get(series.created[0]!.id)).status).toBe('open');
    for (const slot of series.created.slice(1)) {
      expect((await core.slots.get(slot.id)).status).toBe(slot.id === booked.slotId ? 'booked' : 'removed');
    }
    expect((await core.bookings.getForStudent(student.id, booked.id)).status).toBe('active');
    // One booked session left on one date: listed with the sessions, no longer as a series.
    expect((await core.slots.listAvailability(coach.id)).items).toEqual([]);
  });

  it('never leaves a booked session without its slot, nor a removed slot booked, when bookings race the removal', async () => {
    const { core } = await env.make();
    for (let round = 0; round < 3; round++) {
      const coach = await makeCoach(core);
      const series = await weeklySeries(core, coach.id, { date: '2026-12-08', weeks: 8 });
      const students = await Promise.all(series.created.map(() => makeStudent(core)));
      const [removal, ...bookings] = await Promise.allSettled([
        core.slots.removeRestOfSeries(coach.id, series.seriesId),
        ...series.created.map((slot, i) => core.bookings.book(students[i]!.id, { slotId: slot.id })),
      ]);
      if (removal!.status !== 'fulfilled') throw removal!.reason;
      const won = bookings.flatMap((b) => (b.status === 'fulfilled' ? [b.value] : []));
      for (const b of bookings) if (b.status === 'rejected') expect(isDomainError(b.reason) && ['slot.not_open', 'slot.taken'].includes(b.reason.code)).toBe(true);
      const after = await Promise.all(series.created.map((slot) => core.slots.get(slot.id)));
      for (const booking of won) expect(after.find((s) => s.id === booking.slotId)).toMatchObject({ status: 'booked', bookingId: booking.id });
      expect(after.filter((s) => s.status === 'booked').map((s) => s.id).sort()).toEqual(won.map((b) => b.slotId).sort());
      // Every slot ended either booked or removed, and the report matches what happened.
      expect(after.every((s) => s.status === 'booked' || s.status === 'removed')).toBe(true);
      expect(removal.value.removed).toBe(after.filter((s) => s.status === 'removed').length);
      expect(removal.value.kept.map((s) => s.id).sort()).toEqual(won.map((b) => b.slotId).sort());
    }
  });

  it('removes a slot a booking claimed and then gave up (over the student’s daily limit) instead of keeping it', async () => {
    const { core } = await env.make({ rules: { studentDailyLimit: 1 } });
    const coach = await makeCoach(core);
    const other = await makeCoach(core);
    const series = await weeklySeries(core, coach.id, { date: '2026-12-08', weeks: 4 });
    const student = await makeStudent(core);
    await core.bookings.book(student.id, { slotId: (await core.slots.create(other.id, { startsAt: plus(series.created[0]!.startsAt, -4 * HOUR) })).id });
    const [removal, refused] = await Promise.allSettled([
      core.slots.removeRestOfSeries(coach.id, series.seriesId),
      core.bookings.book(student.id, { slotId: series.created[0]!.id }),
    ]);
    expect(refused).toMatchObject({ status: 'rejected' });
    expect(removal).toMatchObject({ status: 'fulfilled', value: { removed: 4, kept: [], unsettled: [] } });
  });
});

describe('extending a series', () => {
  it('adds weeks on the same weekday and local time across a DST change', async () => {
    const { core } = await env.make({ now: '2027-02-20T10:00:00.000Z' });
    const coach = await makeCoach(core, { timezone: 'Europe/London' });
    // Tuesdays 2 to 23 March 2027; the clocks go forward on Sunday 28 March.
    const series = await weeklySeries(core, coach.id, { date: '2027-03-02', weeks: 4 });
    const result = await core.slots.extendSeries(coach.id, series.seriesId, { weeks: 3 });
    expect(result.skipped).toEqual([]);
    expect(result.created.map((s) => local(s.startsAt, 'Europe/London'))).toEqual(['Tue 2027-03-30 18:00', 'Tue 2027-04-06 18:00', 'Tue 2027-04-13 18:00']);
    expect(result.created.map((s) => s.startsAt.toISOString())).toEqual(['2027-03-30T17:00:00.000Z', '2027-04-06T17:00:00.000Z', '2027-04-13T17:00:00.000Z']);
    expect(result.created.every((s) => s.seriesId === series.seriesId)).toBe(true);
    expect(await core.slots.series(coach.id, series.seriesId)).toMatchObject({ open: 7, lastDate: '2027-04-13' });
  });

  it('keeps the series’ own zone when the coach’s differs, and every time of the series', async () => {
    const { core } = await env.make();
    const coach = await makeCoach(core, { timezone: 'Europe/London' });
    const series = await weeklySeries(core, coach.id, { date: '2026-12-08', times: ['09:00', '13:00'], weeks: 2, timezone: 'America/New_York' });
    const result = await core.slots.extendSeries(coach.id, series.seriesId, { weeks: 1 });
    expect(result.created.map((s) => local(s.startsAt, 'America/New_York'))).toEqual(['Tue 2026-12-22 09:00', 'Tue 2026-12-22 13:00']);
  });

  it('skips an occurrence that overlaps another slot, saying which and why, and creates the rest', async () => {
    const { core } = await env.make();
    const coach = await makeCoach(core, { timezone: 'Europe/London' });
    const series = await weeklySeries(core, coach.id, { date: '2026-12-08', weeks: 2 });
    await core.slots.create(coach.id, { startsAt: '2026-12-29T19:00:00Z' });
    const result = await core.slots.extendSeries(coach.id, series.seriesId, { weeks: 3 });
    expect(result.created.map((s) => local(s.startsAt, 'Europe/London'))).toEqual(['Tue 2026-12-22 18:00', 'Tue 2027-01-05 18:00']);
    expect(result.skipped).toEqual([expect.objectContaining({ code: 'slot.overlaps', label: 'Tue 29 Dec 18:00', message: expect.stringContaining('overlaps another of your slots') })]);
  });

  it('skips weeks beyond the booking horizon and refuses a number of weeks out of bounds', async () => {
    const { core } = await env.make({ rules: { slotHorizonDays: 30 } });
    const coach = await makeCoach(core);
    const series = await weeklySeries(core, coach.id, { date: '2026-12-08', weeks: 2 });
    const result = await core.slots.extendSeries(coach.id, series.seriesId, { weeks: 4 });
    // The horizon ends on 31 December at 10:00.
    expect(result.created.map((s) => s.startsAt.toISOString())).toEqual(['2026-12-22T18:00:00.000Z', '2026-12-29T18:00:00.000Z']);
    expect(result.skipped).toEqual([
      expect.objectContaining({ code: 'slot.beyond_horizon', label: 'Tue 5 Jan 18:00' }),
      expect.objectContaining({ code: 'slot.beyond_horizon', label: 'Tue 12 Jan 18:00' }),
    ]);
    for (const weeks of [0, 27, 1.5]) {
      await expect(core.slots.extendSeries(coach.id, series.seriesId, { weeks })).rejects.toMatchObject({ code: 'validation.failed' });
    }
  });
});
