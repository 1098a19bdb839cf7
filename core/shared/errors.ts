/**
 * The one error type core throws. `code` is stable and machine-readable; the
 * edges (HTTP, Slack) map it to a status or a message. `message` is written for
 * a person and says how to fix the problem where there is a fix.
 */
export const ERROR_CODES = {
  'validation.failed': 'The input is not valid.',
  'coach.not_found': 'No such coach.',
  'student.not_found': 'No such student.',
  'slot.not_found': 'No such slot.',
  'booking.not_found': 'No such session.',
  'phone.invalid': 'That phone number is not valid.',
  'slot.bad_length': 'A slot is exactly 2 hours long.',
  'slot.off_grid': 'Slots start on the quarter hour.',
  'slot.in_past': 'A slot cannot start in the past.',
  'slot.beyond_horizon': 'That slot is too far in the future.',
  'slot.overlaps': 'That slot overlaps another of your slots.',
  'slot.taken': 'Someone has just booked that slot.',
  'slot.held': 'Someone is booking this time.',
  'slot.not_open': 'That slot is no longer open.',
  'slot.booked': 'That slot is booked: cancel the session instead.',
  'slot.removed': 'That slot was already removed.',
  'series.not_found': 'No such series.',
  'booking.too_soon': 'That slot starts too soon to book.',
  'booking.own_slot': 'You cannot book your own slot.',
  'booking.overlaps': 'You already have a session at that time.',
  'booking.daily_limit': 'You have reached the number of sessions you can book in one day.',
  'booking.weekly_limit': 'You have reached the number of sessions you can book in one week.',
  'booking.coach_daily_limit': 'This coach is fully booked on that day.',
  'booking.buffer': 'That time is too close to another session of this coach.',
  'booking.not_active': 'That session is already cancelled.',
  'booking.cutoff_passed': 'It is too late to cancel that session.',
  'booking.already_started': 'That session has already started.',
  'booking.other_coach': 'A session can only move to another time with the same coach.',
  'booking.busy': 'That session is being changed right now. Try again in a moment.',
  'feedback.too_early': 'A session can be rated once it has started.',
  'feedback.cancelled_session': 'A cancelled session cannot be rated.',
  'slot.no_such_local_time': 'That local time does not exist on that day because the clocks change.',
  'range.invalid': 'The end of the range must come after its start.',
  'range.too_wide': 'That range is too wide: ask for fewer days.',
  'idempotency.in_progress': 'The same request is still being processed. Try again in a moment.',
  'idempotency.key_reused': 'That idempotency key was used for a different request.',
  'service.unavailable': 'The booking service is busy. Try again in a moment.',
  'admin.required': 'Only admins can do that.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** A problem with one input field: `path` names it, `message` says what is wrong. */
export interface FieldIssue {
  path: string;
  message: string;
}

export interface DomainErrorDetails {
  issues?: FieldIssue[];
  [key: string]: unknown;
}

export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly code: ErrorCode;
  readonly details: DomainErrorDetails;

  constructor(code: ErrorCode, message?: string, details: DomainErrorDetails = {}, options?: { cause?: unknown }) {
    super(message ?? ERROR_CODES[code], options);
    this.code = code;
    this.details = details;
  }
}

export function isDomainError(error: unknown, code?: ErrorCode): error is DomainError {
  return error instanceof DomainError && (code === undefined || error.code === code);
}
