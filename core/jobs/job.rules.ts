import type { Booking } from '../bookings/booking.repository.js';
import type { Job, JobKind } from './job.schema.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const RETRY_BASE_MS = 30_000;
export const RETRY_CAP_MS = HOUR;
/** Failed runs before a job is given up for good. 30 s, 1, 2, 4, 8, 16, 32 min: about an hour of trying. */
export const MAX_FAILURES = 8;
/** How long a claimed run belongs to its worker; every delivery times out well inside it. */
export const LEASE_MS = 2 * MINUTE;
/** How long a waiting update is put back while the message it edits is still being sent. */
export const DEFER_MS = 5_000;
export const NUDGE_AFTER_MS = 24 * HOUR;

/**
 * Exponential backoff with jitter: the nth failure waits base·2ⁿ⁻¹ (capped),
 * scaled by a random factor in [0.5, 1) so that workers retrying one outage
 * do not come back in lockstep.
 */
export function retryDelayMs(failures: number, random: () => number = Math.random, base = RETRY_BASE_MS, cap = RETRY_CAP_MS): number {
  const exponential = Math.min(cap, base * 2 ** Math.max(0, failures - 1));
  return Math.round(exponential * (0.5 + random() / 2));
}

/** Messages about a session at a time: stale once the session moved or was cancelled. */
const TIMED: ReadonlySet<JobKind> = new Set(['slack.reminder', 'email.reminder', 'slack.rating_prompt', 'slack.rating_nudge']);

/**
 * Core's last word before a job is delivered, on the session as it is now.
 * Returns why the job should not be delivered, or null to go ahead.
 *
 * Catch-up: a reminder whose moment passed while no worker ran (the app was
 * down) is still sent late if the session has not started, and skipped once
 * it has. A rating prompt is always sent, however late, unless the coach has
 * rated in the meantime; the nudge likewise.
 *
 * A Slack student's "booked" DM for a session cancelled before it could go
 * out is skipped: the cancellation's own DM, which waits for it, is the one
 * to read.
 */
export function skipReason(job: Job, booking: Booking | null, now: Date): string | null {
  if (job.kind === 'slack.student_dm' && job.payload.what === 'booked' && booking && booking.status !== 'active') return 'the session was cancelled before the booking message went out';
  if (!TIMED.has(job.kind)) return null;
  if (!booking) return 'the session no longer exists';
  if (booking.status !== 'active') return 'the session was cancelled';
  if (job.sequence !== null && booking.sequence !== job.sequence) return 'the session was moved';
  switch (job.kind) {
    case 'slack.reminder':
    case 'email.reminder':
      return now.getTime() >= booking.startsAt.getTime() ? 'the session had already started when the reminder could run' : null;
    case 'slack.rating_prompt':
    case 'slack.rating_nudge':
      return booking.feedback ? 'the session is already rated' : null;
    default:
      return null;
  }
}

export const REMINDER_KINDS: JobKind[] = ['slack.reminder', 'email.reminder'];
/** Everything a move or a cancellation makes stale. */
export const TIMED_KINDS: JobKind[] = [...TIMED];
