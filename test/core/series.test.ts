import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { makeCoach, useCore } from './fixtures.js';

const env = useCore({ now: '2026-02-20T12:00:00.000Z' });

const localTimes = (starts: Date[], zone: string) => starts.map((d) => DateTime.fromJSDate(d, { zone }).toFormat('ccc yyyy-LL-dd HH:mm ZZZZ'));

describe('weekly series', () => {
  it('keeps 10:00 local across America/New_York’s March change', async () => {
    const { core } = await env.make();
    const coach = await makeCoach(core, { timezone: 'America/New_York' });
    // 2026-03-08 is the change: Sundays 1 and 15 March straddle it.
    const result = await core.slots.createSeries(coach.id, { date: '2026-03-01', times: ['10:00'], timezone: 'America/New_York', weeks: 3 });
    expect(result.skipped).toEqual([]);
    expect(result.created.map((s) => s.startsAt.toISOString())).toEqual([
      '2026-03-01T15:00:00.000Z', // EST, UTC-5
      '2026-03-08T14:00:00.000Z', // EDT from that morning, UTC-4
      '2026-03-15T14:00:00.000Z',
    ]);
    expect(localTimes(result.created.map((s) => s.startsAt), 'America/New_York').every((l) => l.includes(' 10:00 '))).toBe(true);
  });

  it('keeps 10:00 local across Europe/London’s October change', async () => {
    const { core } = await env.make({ now: '2026-10-01T12:00:00.000Z' });
    const coach = await makeCoach(core, { timezone: 'Europe/London' });
    // Clocks go back on Sunday 25 October 2026.
    const result = await core.slots.createSeries(coach.id, { date: '2026-10-18', times: ['10:00'], timezone: 'Europe/London', weeks: 3 });
    expect(result.created.map((s) => s.startsAt.toISOString())).toEqual([
      '2026-10-18T09:00:00.000Z', // BST, UTC+1
      '2026-10-25T10:00:00.000Z', // GMT
      '2026-11-01T10:00:00.000Z',
    ]);
  });

  it('creates several times a day and reports each skipped occurrence with its reason', async () => {
    const { core } = await env.make();
    const coach = await makeCoach(core, { timezone: 'Europe/London' });
    const blocker = await core.slots.create(coach.id, { startsAt: '2026-03-03T10:00:00Z' });
    const result = await core.slots.createSeries(coach.id, { date: '2026-02-24', times: ['10:00', '14:00'], timezone: 'Europe/London', weeks: 3 });
    expect(result.created).toHaveLength(5);
    expect(result.skipped).toEqual([
      expect.objectContaining({ code: 'slot.overlaps', label: 'Tue 3 Mar 10:00', timeIndex: 0 }),
    ]);
    expect(result.created.every((s) => s.seriesId === result.seriesId)).toBe(true);
    expect(blocker.status).toBe('open');
  });

  it('reports an occurrence that falls inside the spring-forward gap instead of moving it', async () => {
    const { core } = await env.make();
    const coach = await makeCoach(core, { timezone: 'America/New_York' });
    const result = await core.slots.createSeries(coach.id, { date: '2026-03-01', times: ['02:30'], timezone: 'America/New_York', weeks: 2 });
    expect(result.created.map((s) => s.startsAt.toISOString())).toEqual(['2026-03-01T07:30:00.000Z']);
    expect(result.skipped).toEqual([expect.objectContaining({ code: 'slot.no_such_local_time', label: 'Sun 8 Mar 02:30' })]);
    expect(result.skipped[0]!.message).toBe('02:30 does not exist on Sun 8 Mar in America/New_York because the clocks change.');
  });

  it('skips past and beyond-horizon occurrences, saying why', async () => {
    const { core } = await env.make({ rules: { slotHorizonDays: 10 } });
    const coach = await makeCoach(core, { timezone: 'UTC' });
    const result = await core.slots.createSeries(coach.id, { date: '2026-02-13', times: ['10:00'], timezone: 'UTC', weeks: 4 });
    expect(result.created.map((s) => s.startsAt.toISOString())).toEqual(['2026-02-27T10:00:00.000Z']);
    expect(result.skipped.map((s) => s.code)).toEqual(['slot.in_past', 'slot.in_past', 'slot.beyond_horizon']);
  });

  it('refuses a date that does not exist, saying so rather than blaming the clocks', async () => {
    const { core } = await env.make();
    const coach = await makeCoach(core);
    await expect(core.slots.createSeries(coach.id, { date: '2026-02-30', times: ['10:00'], timezone: 'Europe/London' })).rejects.toMatchObject({
      code: 'validation.failed',
      details: { issues: [{ path: 'date', message: 'That date does not exist (check the day of the month).' }] },
    });
  });

  it('stops between two slots when its signal is aborted, and says how many it did not try', async () => {
    const { core } = await env.make();
    const coach = await makeCoach(core, { timezone: 'UTC' });
    const stop = new AbortController();
    stop.abort();
    const result = await core.slots.createSeries(coach.id, { date: '2026-03-03', times: ['10:00', '14:00'], timezone: 'UTC', weeks: 3 }, { signal: stop.signal });
    expect(result).toMatchObject({ created: [], skipped: [], notAttempted: 6 });
    expect((await core.slots.listOpen(coach.id)).total).toBe(0);
  });

  it('refuses malformed input with a message per field', async () => {
    const { core } = await env.make();
    const coach = await makeCoach(core);
    await expect(
      core.slots.createSeries(coach.id, { date: '03/01/2026', times: ['25:00'], timezone: 'Mars/Base', weeks: 0 }),
    ).rejects.toMatchObject({
      code: 'validation.failed',
      details: { issues: expect.arrayContaining([expect.objectContaining({ path: 'date' }), expect.objectContaining({ path: 'times.0' }), expect.objectContaining({ path: 'timezone' }), expect.objectContaining({ path: 'weeks' })]) },
    });
  });
});
