import { DomainError } from '../shared/errors.js';
import type { RulesConfig } from '../shared/rules-config.js';
import { bookableFrom } from '../slots/slot.rules.js';

const HOUR_MS = 3_600_000;

/** The notice a coach's slots need: the organisation's, or more if the coach asks for more. */
export function noticeHours(rules: RulesConfig, coachNoticeHours: number | null | undefined): number {
  return Math.max(rules.minNoticeHours, coachNoticeHours ?? 0);
}

export function assertNoticeRespected(startsAt: Date, now: Date, rules: RulesConfig, coachNoticeHours?: number | null): void {
  const hours = noticeHours(rules, coachNoticeHours);
  if (startsAt.getTime() < bookableFrom(now, { minNoticeHours: hours }).getTime()) {
    throw new DomainError('booking.too_soon', `Sessions with this coach must be booked at least ${hours} hours ahead. Pick a later slot.`);
  }
}

/** The last moment a session can be cancelled: its start minus the cutoff. */
export function cancellationDeadline(startsAt: Date, rules: RulesConfig): Date {
  return new Date(startsAt.getTime() - rules.cancellationCutoffHours * HOUR_MS);
}

/** The cutoff applies alike to cancelling and to moving a session (`what` says which, for the message). */
export function assertCancellable(startsAt: Date, now: Date, rules: RulesConfig, what: 'cancelled' | 'moved' = 'cancelled'): void {
  if (now.getTime() >= startsAt.getTime()) {
    throw new DomainError('booking.already_started', `That session has already started, so it can no longer be ${what}.`);
  }
  if (now.getTime() > cancellationDeadline(startsAt, rules).getTime()) {
    throw new DomainError(
      'booking.cutoff_passed',
      `Sessions can be ${what} up to ${rules.cancellationCutoffHours} hours before they start.`,
    );
  }
}

export function hasStarted(startsAt: Date, now: Date): boolean {
  return now.getTime() >= startsAt.getTime();
}
