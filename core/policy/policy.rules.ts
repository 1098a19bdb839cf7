import { DateTime } from 'luxon';
import type { CoachSettings } from '../coaches/coach.schema.js';
import type { ErrorCode } from '../shared/errors.js';
import type { RulesConfig } from '../shared/rules-config.js';
import { GRID_MS } from '../shared/time.schema.js';

/**
 * One booking limit as it applies to one booking: the period it counts in
 * (a calendar day or ISO week, in a named zone), how many active sessions it
 * allows there, and the counter claims that enforce it.
 */
export interface LimitCheck {
  code: Extract<ErrorCode, 'booking.daily_limit' | 'booking.weekly_limit' | 'booking.coach_daily_limit'>;
  /** Shared by every counter of this period: `limit:student:<id>:day:2026-06-02`. */
  prefix: string;
  max: number;
  /** The period as an instant range, for the count that catches a limit lowered after bookings were made. */
  from: Date;
  to: Date;
  message: string;
}

/** The n-th counter of a period: `<prefix>:<n>` for n < max. */
export const counterKeys = (check: Pick<LimitCheck, 'prefix' | 'max'>) => Array.from({ length: check.max }, (_, n) => `${check.prefix}:${n}`);

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** The coach's own cap, or the organisation's, whichever is lower. */
export function coachDailyCap(rules: RulesConfig, settings: CoachSettings): number | null {
  const caps = [rules.coachDailyLimit, settings.dailyCap].filter((c): c is number => typeof c === 'number');
  return caps.length ? Math.min(...caps) : null;
}

/**
 * The limits a booking of `startsAt` must respect. The student's day and week
 * are those of the organisation's POLICY_TIMEZONE (a student's own zone is not
 * known for every student, and one rule for everyone cannot be dodged by
 * changing a browser's zone); the coach's day is in the coach's own zone.
 */
export function limitChecks(input: { rules: RulesConfig; studentId: string; coachId: string; coachZone: string; settings: CoachSettings; startsAt: Date }): LimitCheck[] {
  const { rules, studentId, coachId, coachZone, settings, startsAt } = input;
  const checks: LimitCheck[] = [];
  const org = DateTime.fromJSDate(startsAt, { zone: rules.policyTimezone });
  if (rules.studentDailyLimit !== null) {
    const day = org.startOf('day');
    checks.push({
      code: 'booking.daily_limit',
      prefix: `limit:student:${studentId}:day:${day.toISODate()}`,
      max: rules.studentDailyLimit,
      from: day.toJSDate(),
      to: day.plus({ days: 1 }).toJSDate(),
      message: `You can book at most ${plural(rules.studentDailyLimit, 'session')} a day, and you already have that on ${day.setLocale('en-GB').toFormat('ccc d LLL')} (${rules.policyTimezone}). Cancel one or pick another day.`,
    });
  }
  if (rules.studentWeeklyLimit !== null) {
    const week = org.startOf('week');
    checks.push({
      code: 'booking.weekly_limit',
      prefix: `limit:student:${studentId}:week:${week.toISODate()}`,
      max: rules.studentWeeklyLimit,
      from: week.toJSDate(),
      to: week.plus({ weeks: 1 }).toJSDate(),
      message: `You can book at most ${plural(rules.studentWeeklyLimit, 'session')} a week, and you already have that in the week of ${week.setLocale('en-GB').toFormat('ccc d LLL')} (Monday to Sunday, ${rules.policyTimezone}). Cancel one or pick another week.`,
    });
  }
  const cap = coachDailyCap(rules, settings);
  if (cap !== null) {
    const day = DateTime.fromJSDate(startsAt, { zone: coachZone }).startOf('day');
    checks.push({
      code: 'booking.coach_daily_limit',
      prefix: `limit:coach:${coachId}:day:${day.toISODate()}`,
      max: cap,
      from: day.toJSDate(),
      to: day.plus({ days: 1 }).toJSDate(),
      message: `This coach takes at most ${plural(cap, 'session')} a day, and ${day.setLocale('en-GB').toFormat('ccc d LLL')} is full. Pick another day.`,
    });
  }
  return checks;
}

/**
 * The cells a booked session keeps busy on its coach: its own, plus the
 * buffer before it. Extending one side only is enough: two sessions of a
 * coach then share a cell exactly when the later one starts less than a
 * buffer after the earlier one ends, so the unique index enforces the gap in
 * both directions without the two buffers having to be apart from each other.
 * Sessions booked before the coach raised their buffer hold fewer cells, so
 * bookings also check the gap against existing sessions (see the service).
 */
export function busyCells(coachId: string, session: { startsAt: Date; endsAt: Date }, bufferMinutes: number): string[] {
  // Without a buffer the coach's slot cells already keep sessions apart.
  if (bufferMinutes <= 0) return [];
  const keys: string[] = [];
  for (let t = session.startsAt.getTime() - bufferMinutes * 60_000; t < session.endsAt.getTime(); t += GRID_MS) keys.push(`busy:${coachId}:${t / 60_000}`);
  return keys;
}

/** True when `slot` starts or ends closer than `bufferMinutes` to a session (back-to-back counts when the buffer is above 0). */
export function breaksBuffer(slot: { startsAt: Date; endsAt: Date }, session: { startsAt: Date; endsAt: Date }, bufferMinutes: number): boolean {
  const gap = bufferMinutes * 60_000;
  return slot.startsAt.getTime() < session.endsAt.getTime() + gap && session.startsAt.getTime() < slot.endsAt.getTime() + gap;
}
