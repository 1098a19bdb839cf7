import { describe, expect, it } from 'vitest';
import { DomainError, ERROR_CODES, type ErrorCode } from '../../core/shared/errors.js';
import { domainProblem, statusForDomainCode } from '../../widget/api/problem.js';

/** Every core code, decided one by one: a new code fails here until someone chooses its status. */
const EXPECTED: Record<ErrorCode, number> = {
  'validation.failed': 400,
  'coach.not_found': 404,
  'student.not_found': 404,
  'slot.not_found': 404,
  'booking.not_found': 404,
  'phone.invalid': 400,
  'slot.bad_length': 422,
  'slot.off_grid': 422,
  'slot.in_past': 422,
  'slot.beyond_horizon': 422,
  'slot.overlaps': 422,
  'slot.taken': 409,
  'slot.held': 409,
  'slot.not_open': 409,
  'slot.booked': 422,
  'slot.removed': 422,
  'series.not_found': 404,
  'booking.too_soon': 422,
  'booking.own_slot': 422,
  'booking.overlaps': 409,
  'booking.daily_limit': 422,
  'booking.weekly_limit': 422,
  'booking.coach_daily_limit': 422,
  'booking.buffer': 422,
  'booking.not_active': 422,
  'booking.cutoff_passed': 422,
  'booking.already_started': 422,
  'booking.other_coach': 422,
  'booking.busy': 409,
  'feedback.too_early': 422,
  'feedback.cancelled_session': 422,
  'slot.no_such_local_time': 422,
  'range.invalid': 400,
  'range.too_wide': 400,
  'idempotency.in_progress': 409,
  'idempotency.key_reused': 422,
  'service.unavailable': 503,
  'admin.required': 403,
};

describe('core error codes as HTTP problems', () => {
  it('gives every core code its deliberate status', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(ERROR_CODES).sort());
    for (const [code, status] of Object.entries(EXPECTED)) expect(statusForDomainCode(code as ErrorCode), code).toBe(status);
  });

  it('passes on the field list and nothing else from the details', () => {
    const problem = domainProblem(
      new DomainError('booking.overlaps', 'You already have a session at that time.', { conflictingBookingId: '0123456789abcdef01234567' }),
    );
    expect(problem).toEqual({
      type: 'tag:coaching-scheduler,2026:problem:booking.overlaps',
      title: ERROR_CODES['booking.overlaps'],
      status: 409,
      detail: 'You already have a session at that time.',
      code: 'booking.overlaps',
    });
    const invalid = domainProblem(new DomainError('validation.failed', 'Invalid input', { issues: [{ path: 'reason', message: 'Too long.' }] }));
    expect(invalid.errors).toEqual([{ location: 'body', path: 'reason', message: 'Too long.' }]);
  });

  it('never shows the cause of an outage', () => {
    const problem = domainProblem(new DomainError('service.unavailable', 'E11000 duplicate key on claims at mongodb://db:27017', { operation: 'claims.acquire' }));
    expect(problem.detail).toBe(ERROR_CODES['service.unavailable']);
    expect(JSON.stringify(problem)).not.toMatch(/mongodb|E11000|claims/);
  });
});
