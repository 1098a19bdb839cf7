import { envNumber, envPositive } from './env.js';

/** The tunable business rules. Defaults match the product's published rules. */
export interface RulesConfig {
  /** How far ahead a slot may start. */
  slotHorizonDays: number;
  /** How long before its start a slot can still be booked. */
  minNoticeHours: number;
  /** How long before its start a session can still be cancelled. */
  cancellationCutoffHours: number;
  /**
   * How long a request holds its Idempotency-Key while it runs. A retry that
   * finds the key still held after this (its first run crashed) takes over.
   */
  idempotencyLeaseSeconds: number;
}

export const DEFAULT_RULES: RulesConfig = {
  slotHorizonDays: 180,
  minNoticeHours: 12,
  cancellationCutoffHours: 2,
  idempotencyLeaseSeconds: 10,
};

/** The environment variables that set the rules. */
export const rulesEnvShape = {
  SLOT_HORIZON_DAYS: envPositive(DEFAULT_RULES.slotHorizonDays),
  BOOKING_MIN_NOTICE_HOURS: envNumber().min(0, 'must be 0 or more').default(DEFAULT_RULES.minNoticeHours),
  CANCELLATION_CUTOFF_HOURS: envNumber().min(0, 'must be 0 or more').default(DEFAULT_RULES.cancellationCutoffHours),
  IDEMPOTENCY_LEASE_SECONDS: envNumber().min(1, 'must be at least 1').max(3_600, 'must be at most 3600').default(DEFAULT_RULES.idempotencyLeaseSeconds),
};

export function rulesFromEnv(e: {
  SLOT_HORIZON_DAYS: number;
  BOOKING_MIN_NOTICE_HOURS: number;
  CANCELLATION_CUTOFF_HOURS: number;
  IDEMPOTENCY_LEASE_SECONDS: number;
}): RulesConfig {
  return {
    slotHorizonDays: e.SLOT_HORIZON_DAYS,
    minNoticeHours: e.BOOKING_MIN_NOTICE_HOURS,
    cancellationCutoffHours: e.CANCELLATION_CUTOFF_HOURS,
    idempotencyLeaseSeconds: e.IDEMPOTENCY_LEASE_SECONDS,
  };
}
