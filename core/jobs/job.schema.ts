/**
 * Scheduled work: every message a session causes after the booking (DMs,
 * emails, webhooks) is a job in MongoDB, planned by core from domain events
 * and delivered by an edge adapter that registered for its kind.
 */
export const JOB_KINDS = [
  /** The coach's DM about a new booking; later updated in place. */
  'slack.booking_dm',
  /** Re-renders the booking DM (chat.update) after a move or a cancellation. */
  'slack.session_update',
  /** A separate DM when a student cancels, so the coach gets a notification. */
  'slack.cancellation_dm',
  /** A separate DM when a student moves their session, so the coach gets a notification. */
  'slack.move_dm',
  /** The student's own DM, when they are a Slack user of the coach's workspace: booked, moved, or cancelled by the coach. */
  'slack.student_dm',
  'slack.reminder',
  /** "How did it go with …?" when the session ends. */
  'slack.rating_prompt',
  /** One reminder to rate, 24 hours after the prompt, unless rated. */
  'slack.rating_nudge',
  'email.confirmation',
  'email.reminder',
  'email.cancellation',
  'email.update',
  'webhook',
] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** pending: waiting or being worked on; the other four are final. */
export const JOB_STATUSES = ['pending', 'done', 'skipped', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface Job {
  /** Deterministic (kind, booking, version…), so planning the same thing twice makes one job. */
  id: string;
  kind: JobKind;
  bookingId: string | null;
  coachId: string | null;
  /** The booking's `sequence` the job was planned for; a later move or cancellation makes it stale. */
  sequence: number | null;
  payload: Record<string, unknown>;
  runAt: Date;
  /** Another job that must be final before this one runs (an update waits for the message it updates). */
  after: string | null;
  status: JobStatus;
  /** Runs started, including ones taken over after a lease expired. */
  attempts: number;
  /** Runs that failed; bounded by the worker's maxFailures. */
  failures: number;
  lastError: string | null;
  /** Why a job was skipped or cancelled. */
  reason: string | null;
  /** What the delivery reported (e.g. the Slack channel and ts of a DM). */
  result: Record<string, unknown> | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export type NewJob = Pick<Job, 'id' | 'kind' | 'runAt'> & Partial<Pick<Job, 'bookingId' | 'coachId' | 'sequence' | 'payload' | 'after'>>;

/** What a handler reports: delivered (with an optional result), or nothing to do after all. */
export type JobOutcome = { result?: Record<string, unknown> } | { skip: string };

export interface JobContext {
  /** Another job by id (e.g. the booking DM a later update edits). */
  lookup(jobId: string): Promise<Job | null>;
}

export type JobHandler = (job: Job, context: JobContext) => Promise<JobOutcome | void>;

export interface HandlerOptions {
  /** For webhooks: one job per target and event, so each receiver is retried on its own. */
  targets?: string[];
}

/** Thrown by a handler: retrying cannot help (a bad address, a 4xx answer). Recorded and logged; never retried. */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
}

/** Thrown by a handler when the other side said when to come back (Slack's 429 Retry-After). */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

export interface RunSummary {
  /** Jobs this worker claimed and ran to an outcome. */
  ran: number;
  done: number;
  skipped: number;
  failed: number;
  retried: number;
  /** Waiting on another job; put back without counting as a failure. */
  deferred: number;
}

export type JobLog = (level: 'info' | 'warn' | 'error', fields: Record<string, unknown>, message: string) => void;
