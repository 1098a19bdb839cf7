import { Schema, type Connection, type Model } from 'mongoose';
import { JOB_KINDS, JOB_STATUSES, type JobKind, type JobStatus } from './job.schema.js';

export interface JobDoc {
  _id: string;
  kind: JobKind;
  bookingId: string | null;
  coachId: string | null;
  sequence: number | null;
  payload: Record<string, unknown>;
  runAt: Date;
  after: string | null;
  status: JobStatus;
  attempts: number;
  failures: number;
  /** Until when the current run's worker owns the job (informational: the run document decides). */
  leaseUntil: Date | null;
  lastError: string | null;
  reason: string | null;
  result: Record<string, unknown> | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

/**
 * One document per run of a job, keyed `<jobId>#<attempt>`. Inserting it is
 * the claim: the `_id` unique index lets exactly one worker have attempt N,
 * on real MongoDB and on the stand-in alike (whose findOneAndUpdate is not
 * atomic). A run whose lease ran out without finishing belonged to a worker
 * that died; the next worker claims attempt N+1.
 */
export interface JobRunDoc {
  _id: string;
  jobId: string;
  attempt: number;
  worker: string;
  startedAt: Date;
  leaseUntil: Date;
  finishedAt: Date | null;
  outcome: string | null;
}

const jobSchema = new Schema<JobDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: JOB_KINDS, required: true },
    bookingId: { type: String, default: null },
    coachId: { type: String, default: null },
    sequence: { type: Number, default: null },
    payload: { type: Schema.Types.Mixed, default: {} },
    runAt: { type: Date, required: true },
    after: { type: String, default: null },
    status: { type: String, enum: JOB_STATUSES, required: true },
    attempts: { type: Number, default: 0 },
    failures: { type: Number, default: 0 },
    leaseUntil: { type: Date, default: null },
    lastError: { type: String, default: null },
    reason: { type: String, default: null },
    result: { type: Schema.Types.Mixed, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
  },
  { versionKey: false, collection: 'jobs', minimize: false },
);
// The worker's query: due pending jobs, soonest first.
jobSchema.index({ status: 1, runAt: 1 });
jobSchema.index({ bookingId: 1, status: 1 });
jobSchema.index({ coachId: 1, kind: 1, status: 1 });
// Pruning: finished jobs older than a date (a pending job has no finishedAt).
jobSchema.index({ finishedAt: 1 });

const jobRunSchema = new Schema<JobRunDoc>(
  {
    _id: { type: String, required: true },
    jobId: { type: String, required: true },
    attempt: { type: Number, required: true },
    worker: { type: String, required: true },
    startedAt: { type: Date, required: true },
    leaseUntil: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
    outcome: { type: String, default: null },
  },
  { versionKey: false, collection: 'job_runs' },
);
jobRunSchema.index({ jobId: 1 });

export function jobModel(connection: Connection): Model<JobDoc> {
  return (connection.models.Job as Model<JobDoc> | undefined) ?? connection.model<JobDoc>('Job', jobSchema);
}

export function jobRunModel(connection: Connection): Model<JobRunDoc> {
  return (connection.models.JobRun as Model<JobRunDoc> | undefined) ?? connection.model<JobRunDoc>('JobRun', jobRunSchema);
}
