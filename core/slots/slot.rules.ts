import { DateTime } from 'luxon';
import { DomainError, isDomainError } from '../shared/errors.js';
import type { RulesConfig } from '../shared/rules-config.js';
import { GRID_MS, SLOT_MS } from '../shared/time.schema.js';
import type { SkippedOccurrence } from './slot.schema.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Half-open intervals [aStart, aEnd) and [bStart, bEnd) overlap. Back-to-back ones do not. */
export function overlaps(aStart: Date, aEnd: Date, bStart: Date, bEnd: Date): boolean {
  return aStart.getTime() < bEnd.getTime() && bStart.getTime() < aEnd.getTime();
}

export function isOnGrid(startsAt: Date): boolean {
  return startsAt.getTime() % GRID_MS === 0;
}

export function slotEnd(startsAt: Date): Date {
  return new Date(startsAt.getTime() + SLOT_MS);
}

/**
 * The 15-minute cells an interval on the grid occupies, as epoch minutes.
 * Two grid-aligned intervals overlap exactly when they share a cell, which
 * lets the database's unique index decide overlaps (see core/claims).
 */
export function cellsOf(startsAt: Date, endsAt: Date): number[] {
  const cells: number[] = [];
  for (let t = startsAt.getTime(); t < endsAt.getTime(); t += GRID_MS) cells.push(t / 60_000);
  return cells;
}

/** Checks a new slot's shape and timing; throws the first rule it breaks. */
export function assertSlotAcceptable(startsAt: Date, endsAt: Date | undefined, now: Date, rules: RulesConfig): void {
  if (endsAt && endsAt.getTime() !== startsAt.getTime() + SLOT_MS) {
    const minutes = Math.round((endsAt.getTime() - startsAt.getTime()) / 60_000);
    throw new DomainError('slot.bad_length', `A slot is exactly 2 hours long; this one is ${minutes} minutes.`, {
      issues: [{ path: 'endsAt', message: 'Must be exactly 2 hours after the start.' }],
    });
  }
  if (!isOnGrid(startsAt)) {
    throw new DomainError('slot.off_grid', 'Slots start on the quarter hour (:00, :15, :30 or :45).', {
      issues: [{ path: 'startsAt', message: 'Pick a start on the quarter hour.' }],
    });
  }
  if (startsAt.getTime() < now.getTime()) {
    throw new DomainError('slot.in_past', 'That start time has already passed. Pick a time from now on.', {
      issues: [{ path: 'startsAt', message: 'This time is in the past.' }],
    });
  }
  if (startsAt.getTime() > now.getTime() + rules.slotHorizonDays * DAY_MS) {
    throw new DomainError('slot.beyond_horizon', `Slots can be added at most ${rules.slotHorizonDays} days ahead.`, {
      issues: [{ path: 'startsAt', message: `Pick a time within the next ${rules.slotHorizonDays} days.` }],
    });
  }
}

/** A range query for bookable slots: ordered and at most `maxDays` wide (31 unless told). */
export function assertRange(from: Date, to: Date, maxDays = 31): void {
  if (to.getTime() <= from.getTime()) throw new DomainError('range.invalid');
  if (to.getTime() - from.getTime() > maxDays * DAY_MS) {
    throw new DomainError('range.too_wide', `Ask for at most ${maxDays} days at a time.`);
  }
}

/** The latest start a slot may have (and so the end of anything worth listing). */
export function horizonEnd(now: Date, rules: RulesConfig): Date {
  return new Date(now.getTime() + rules.slotHorizonDays * DAY_MS);
}

/** The earliest start a student may still book. */
export function bookableFrom(now: Date, rules: Pick<RulesConfig, 'minNoticeHours'>): Date {
  return new Date(now.getTime() + rules.minNoticeHours * HOUR_MS);
}

export interface PlannedOccurrence {
  startsAt: Date;
  /** Local wall-clock label in the series' zone, e.g. "Tue 3 Mar 10:00". */
  label: string;
  timeIndex: number;
}

/**
 * The occurrences of a series (one date, several wall-clock times, weekly
 * for `weeks`) with every rule that needs no database applied: what is left
 * still has to pass the overlap check when it is created. Pure and fast, so
 * Slack can show these refusals inline before it answers.
 */
export function planSeries(
  input: { date: string; times: string[]; timezone: string; weeks: number },
  now: Date,
  rules: RulesConfig,
): { occurrences: PlannedOccurrence[]; skipped: SkippedOccurrence[] } {
  const occurrences: PlannedOccurrence[] = [];
  const skipped: SkippedOccurrence[] = [];
  const times = [...new Set(input.times)].map((time) => {
    const [hour, minute] = time.split(':').map(Number) as [number, number];
    return { time, hour, minute };
  });
  const first = DateTime.fromISO(input.date, { zone: input.timezone });
  for (let week = 0; week < input.weeks; week++) {
    // Adding weeks in the coach's zone keeps the wall-clock time across DST changes.
    const day = first.plus({ weeks: week });
    const dayLabel = day.setLocale('en-GB').toFormat('ccc d LLL');
    for (const [timeIndex, { time, hour, minute }] of times.entries()) {
      const local = day.set({ hour, minute, second: 0, millisecond: 0 });
      const startsAt = local.toJSDate();
      // The label is what the coach picked; a time in the spring-forward gap is moved past it by luxon (02:30 → 03:30).
      const label = `${dayLabel} ${time}`;
      if (local.hour !== hour || local.minute !== minute) {
        skipped.push({
          startsAt, label, timeIndex,
          code: 'slot.no_such_local_time',
          message: `${time} does not exist on ${dayLabel} in ${input.timezone} because the clocks change.`,
        });
        continue;
      }
      try {
        assertSlotAcceptable(startsAt, undefined, now, rules);
        occurrences.push({ startsAt, label, timeIndex });
      } catch (error) {
        if (!isDomainError(error)) throw error;
        skipped.push({ startsAt, label, timeIndex, code: error.code, message: error.message });
      }
    }
  }
  return { occurrences, skipped };
}
