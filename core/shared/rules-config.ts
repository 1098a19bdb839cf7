import { envNumber, envPositive } from './env.js';

/** The tunable business rules. Defaults match the product's published rules. */
export interface RulesConfig {
  /** How far ahead a slot may start. */
  slotHorizonDays: number;
  /** How long before its start a slot can still be booked. */
  minNoticeHours: number;
  /** How long before its start a session can still be cancelled. */
  cancellationCutoffHours: number;
  /** How long before a session the student gets a reminder email; 0: none. */
  studentReminderHoursBefore: number;
}

export const DEFAULT_RULES: RulesConfig = {
  slotHorizonDays: 180,
  minNoticeHours: 12,
  cancellationCutoffHours: 2,
  studentReminderHoursBefore: 24,
};

/** The environment variables that set the rules. */
export const rulesEnvShape = {
  SLOT_HORIZON_DAYS: envPositive(DEFAULT_RULES.slotHorizonDays),
  BOOKING_MIN_NOTICE_HOURS: envNumber().min(0, 'must be 0 or more').default(DEFAULT_RULES.minNoticeHours),
  CANCELLATION_CUTOFF_HOURS: envNumber().min(0, 'must be 0 or more').default(DEFAULT_RULES.cancellationCutoffHours),
  STUDENT_REMINDER_HOURS: envNumber().min(0, 'must be 0 (no reminder email) or more').max(24 * 14, 'must be at most 336 (two weeks)').default(DEFAULT_RULES.studentReminderHoursBefore),
};

export function rulesFromEnv(e: { SLOT_HORIZON_DAYS: number; BOOKING_MIN_NOTICE_HOURS: number; CANCELLATION_CUTOFF_HOURS: number; STUDENT_REMINDER_HOURS: number }): RulesConfig {
  return {
    slotHorizonDays: e.SLOT_HORIZON_DAYS,
    minNoticeHours: e.BOOKING_MIN_NOTICE_HOURS,
    cancellationCutoffHours: e.CANCELLATION_CUTOFF_HOURS,
    studentReminderHoursBefore: e.STUDENT_REMINDER_HOURS,
  };
}
