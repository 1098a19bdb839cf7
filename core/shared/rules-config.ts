import { z } from 'zod';
import { envNumber, envPositive } from './env.js';
import { timeZoneSchema } from './time.schema.js';

/** The tunable business rules. Defaults match the product's published rules. */
export interface RulesConfig {
  /** How far ahead a slot may start. */
  slotHorizonDays: number;
  /** How long before its start a slot can still be booked (a coach may ask for more, never less). */
  minNoticeHours: number;
  /** How long before its start a session can still be cancelled. */
  cancellationCutoffHours: number;
  /** How long before a session the student gets a reminder email; 0: none. */
  studentReminderHoursBefore: number;
  /**
   * How long a request holds its Idempotency-Key while it runs. A retry that
   * finds the key still held after this (its first run crashed) takes over.
   */
  idempotencyLeaseSeconds: number;
  /** How long a student's hold on a slot lasts while they confirm. */
  holdMinutes: number;
  /** Active sessions one student may have on one day; null for no limit. */
  studentDailyLimit: number | null;
  /** Active sessions one student may have in one week (Monday to Sunday); null for no limit. */
  studentWeeklyLimit: number | null;
  /** Active sessions one coach may have on one of their days, unless the coach sets a lower cap; null for none. */
  coachDailyLimit: number | null;
  /** The zone whose calendar days and weeks the student limits count in. */
  policyTimezone: string;
}

export const DEFAULT_RULES: RulesConfig = {
  slotHorizonDays: 180,
  minNoticeHours: 12,
  cancellationCutoffHours: 2,
  studentReminderHoursBefore: 24,
  idempotencyLeaseSeconds: 10,
  holdMinutes: 5,
  studentDailyLimit: 1,
  studentWeeklyLimit: 3,
  coachDailyLimit: null,
  policyTimezone: 'UTC',
};

/** A limit: a whole number from 1, or `none` (or empty) for no limit. */
const envLimit = (fallback: number | null) =>
  z
    .string()
    .trim()
    .regex(/^(none|[1-9]\d{0,3})?$/i, { error: 'must be a whole number from 1 to 9999, or none' })
    .transform((v) => (v === '' || v.toLowerCase() === 'none' ? null : Number(v)))
    .optional()
    .transform((v) => (v === undefined ? fallback : v));

/** The environment variables that set the rules. */
export const rulesEnvShape = {
  SLOT_HORIZON_DAYS: envPositive(DEFAULT_RULES.slotHorizonDays),
  BOOKING_MIN_NOTICE_HOURS: envNumber().min(0, 'must be 0 or more').default(DEFAULT_RULES.minNoticeHours),
  CANCELLATION_CUTOFF_HOURS: envNumber().min(0, 'must be 0 or more').default(DEFAULT_RULES.cancellationCutoffHours),
  STUDENT_REMINDER_HOURS: envNumber().min(0, 'must be 0 (no reminder email) or more').max(24 * 14, 'must be at most 336 (two weeks)').default(DEFAULT_RULES.studentReminderHoursBefore),
  IDEMPOTENCY_LEASE_SECONDS: envNumber().min(1, 'must be at least 1').max(3_600, 'must be at most 3600').default(DEFAULT_RULES.idempotencyLeaseSeconds),
  HOLD_MINUTES: envNumber().int('must be a whole number').min(1, 'must be at least 1').max(60, 'must be at most 60').default(DEFAULT_RULES.holdMinutes),
  STUDENT_DAILY_LIMIT: envLimit(DEFAULT_RULES.studentDailyLimit),
  STUDENT_WEEKLY_LIMIT: envLimit(DEFAULT_RULES.studentWeeklyLimit),
  COACH_DAILY_LIMIT: envLimit(DEFAULT_RULES.coachDailyLimit),
  POLICY_TIMEZONE: timeZoneSchema.default(DEFAULT_RULES.policyTimezone),
};

export type RulesEnv = z.output<z.ZodObject<typeof rulesEnvShape>>;

export function rulesFromEnv(e: RulesEnv): RulesConfig {
  return {
    slotHorizonDays: e.SLOT_HORIZON_DAYS,
    minNoticeHours: e.BOOKING_MIN_NOTICE_HOURS,
    cancellationCutoffHours: e.CANCELLATION_CUTOFF_HOURS,
    studentReminderHoursBefore: e.STUDENT_REMINDER_HOURS,
    idempotencyLeaseSeconds: e.IDEMPOTENCY_LEASE_SECONDS,
    holdMinutes: e.HOLD_MINUTES,
    studentDailyLimit: e.STUDENT_DAILY_LIMIT,
    studentWeeklyLimit: e.STUDENT_WEEKLY_LIMIT,
    coachDailyLimit: e.COACH_DAILY_LIMIT,
    policyTimezone: e.POLICY_TIMEZONE,
  };
}
