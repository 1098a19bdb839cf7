import { DateTime } from 'luxon';
import type { RulesConfig } from '../shared/rules-config.js';
import type { LiveSlot } from './slot.repository.js';
import { horizonEnd } from './slot.rules.js';
import type { AvailabilityItem, SeriesSummary } from './slot.schema.js';

const WEEK_MS = 7 * 86_400_000;

/** How many weeks one "Extend" may add at most (the same bound as creating a series). */
export const MAX_EXTEND_WEEKS = 26;

/**
 * A series as one item: its weekday and local times in the series' zone,
 * how many upcoming occurrences are open and booked, and the last one.
 * Null when its upcoming slots fall on fewer than two dates: one date with
 * several times (or the last week of a series) is not a weekly series any
 * more, and is listed slot by slot.
 */
export function summariseSeries(seriesId: string, live: LiveSlot[], coachZone: string): SeriesSummary | null {
  if (live.length === 0) return null;
  const zone = live.find((l) => l.seriesTimezone)?.seriesTimezone ?? coachZone;
  const local = live.map(({ slot }) => ({ slot, start: DateTime.fromJSDate(slot.startsAt, { zone }), end: DateTime.fromJSDate(slot.endsAt, { zone }) }));
  if (new Set(local.map((l) => l.start.toISODate())).size < 2) return null;
  const times = new Map<string, { start: string; end: string }>();
  for (const { start, end } of local) times.set(start.toFormat('HH:mm'), { start: start.toFormat('HH:mm'), end: end.toFormat('HH:mm') });
  const sorted = [...local].sort((a, b) => a.slot.startsAt.getTime() - b.slot.startsAt.getTime());
  const last = sorted.at(-1)!;
  return {
    id: seriesId,
    coachId: sorted[0]!.slot.coachId,
    timezone: zone,
    weekday: sorted[0]!.start.weekday,
    times: [...times.values()].sort((a, b) => a.start.localeCompare(b.start)),
    open: live.filter((l) => l.slot.status === 'open').length,
    booked: live.filter((l) => l.slot.status === 'booked').length,
    nextStartsAt: sorted[0]!.slot.startsAt,
    lastStartsAt: last.slot.startsAt,
    lastDate: last.start.toISODate()!,
  };
}

/**
 * A coach's upcoming availability as a person reads it: each weekly series
 * once, and every open slot outside one on its own, soonest first. Booked
 * slots outside a series are sessions, listed elsewhere.
 */
export function availabilityItems(live: LiveSlot[], coachZone: string): AvailabilityItem[] {
  const bySeries = new Map<string, LiveSlot[]>();
  const items: Array<AvailabilityItem & { at: number }> = [];
  for (const entry of live) {
    const seriesId = entry.slot.seriesId;
    if (seriesId) bySeries.set(seriesId, [...(bySeries.get(seriesId) ?? []), entry]);
    else if (entry.slot.status === 'open') items.push({ kind: 'slot', slot: entry.slot, at: entry.slot.startsAt.getTime() });
  }
  for (const [seriesId, entries] of bySeries) {
    const series = summariseSeries(seriesId, entries, coachZone);
    if (series) items.push({ kind: 'series', series, at: series.nextStartsAt.getTime() });
    else for (const { slot } of entries) if (slot.status === 'open') items.push({ kind: 'slot', slot, at: slot.startsAt.getTime() });
  }
  items.sort((a, b) => a.at - b.at);
  return items.map(({ at: _at, ...item }) => item as AvailabilityItem);
}

/** The first date an extension adds: a week after the series' last upcoming date, in its zone. */
export function extensionStart(series: SeriesSummary): string {
  return DateTime.fromISO(series.lastDate, { zone: series.timezone }).plus({ weeks: 1 }).toISODate()!;
}

/** How many weeks can still be added before the booking horizon: 0 when the series already reaches it. */
export function extendableWeeks(series: SeriesSummary, now: Date, rules: RulesConfig): number {
  const room = horizonEnd(now, rules).getTime() - series.lastStartsAt.getTime();
  return Math.max(0, Math.min(MAX_EXTEND_WEEKS, Math.floor(room / WEEK_MS)));
}

