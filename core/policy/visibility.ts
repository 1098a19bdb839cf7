import { DateTime } from 'luxon';
import type { BookingRepository } from '../bookings/booking.repository.js';
import { noticeHours } from '../bookings/booking.rules.js';
import type { CoachRepository } from '../coaches/coach.repository.js';
import type { RulesConfig } from '../shared/rules-config.js';
import type { Slot } from '../slots/slot.schema.js';
import { bookableFrom } from '../slots/slot.rules.js';
import { breaksBuffer, coachDailyCap } from './policy.rules.js';

const DAY_MS = 86_400_000;

/**
 * Leaves out open slots that a booking would be refused on for the coach's
 * own policy: closer than the coach's buffer to a booked session, on a day
 * the coach's cap has filled, or inside the coach's longer notice. Student
 * limits are the student's to meet and do not hide anything.
 */
export async function withoutUnbookable(deps: { coaches: CoachRepository; bookings: BookingRepository; rules: RulesConfig; now: Date }, open: Slot[]): Promise<Slot[]> {
  const { coaches, bookings, rules, now } = deps;
  if (open.length === 0) return open;
  const owners = await coaches.getMany(open.map((s) => s.coachId));
  const strict = [...owners.values()].filter((c) => c.settings.bufferMinutes > 0 || coachDailyCap(rules, c.settings) !== null || noticeHours(rules, c.settings.minNoticeHours) > rules.minNoticeHours);
  if (strict.length === 0) return open;
  const first = Math.min(...open.map((s) => s.startsAt.getTime()));
  const last = Math.max(...open.map((s) => s.endsAt.getTime()));
  // A day on either side covers the whole local day of the first and last slot in any zone.
  const booked = await bookings.activeForCoachesBetween(strict.map((c) => c.id), new Date(first - DAY_MS), new Date(last + DAY_MS));
  return open.filter((slot) => {
    const coach = owners.get(slot.coachId);
    if (!coach || !strict.includes(coach)) return true;
    if (slot.startsAt.getTime() < bookableFrom(now, { minNoticeHours: noticeHours(rules, coach.settings.minNoticeHours) }).getTime()) return false;
    const theirs = booked.filter((b) => b.coachId === coach.id);
    if (coach.settings.bufferMinutes > 0 && theirs.some((b) => breaksBuffer(slot, b, coach.settings.bufferMinutes))) return false;
    const cap = coachDailyCap(rules, coach.settings);
    if (cap !== null) {
      const day = DateTime.fromJSDate(slot.startsAt, { zone: coach.timezone }).toISODate();
      if (theirs.filter((b) => DateTime.fromJSDate(b.startsAt, { zone: coach.timezone }).toISODate() === day).length >= cap) return false;
    }
    return true;
  });
}
