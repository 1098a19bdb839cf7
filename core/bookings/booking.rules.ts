import { DomainError } from '../shared/errors.js';
import type { RulesConfig } from '../shared/rules-config.js';
import { bookableFrom } from '../slots/slot.rules.js';

const HOUR_MS = 3_600_000;

export function assertNoticeRespected(startsAt: Date, now: Date, rules: RulesConfig): void {
  if (startsAt.getTime() < bookableFrom(now, rules).getTime()) {
    throw new DomainError(
      'booking.too_soon',
      `Sessions must be booked at least ${rules.minNoticeHours} hours ahead. Pick a later slot.`,
    );
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
