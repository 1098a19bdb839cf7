import type { Model } from 'mongoose';
import { findByIds, guardDb, guardInsert, isDuplicateKeyError } from '../shared/db.js';
import type { JobDoc, JobRunDoc } from './job.model.js';
import { LEASE_MS } from './job.rules.js';
import type { Job, JobKind, JobStatus, NewJob } from './job.schema.js';

function toJob(doc: JobDoc): Job {
  return {
    id: doc._id,
    kind: doc.kind,
    bookingId: doc.bookingId ?? null,
    coachId: doc.coachId ?? null,
    sequence: doc.sequence ?? null,
    payload: doc.payload ?? {},
    runAt: doc.runAt,
    after: doc.after ?? null,
    status: doc.status,
    attempts: doc.attempts ?? 0,
    failures: doc.failures ?? 0,
    lastError: doc.lastError ?? null,
    reason: doc.reason ?? null,
    result: doc.result ?? null,
    createdAt: doc.createdAt,
    finishedAt: doc.finishedAt ?? null,
  };
}

export interface DueJob extends Job {
  leaseUntil: Date | null;
}

/**
 * Jobs and their runs. Every write that matters for exactly-once is either a
 * unique-`_id` insert (planning a job, claiming a run) or a write by the one
 * worker that holds the run; nothing relies on an atomic read-modify-write.
 */
export class JobRepository {
  constructor(
    private readonly jobs: Model<JobDoc>,
    private readonly runs: Model<JobRunDoc>,
  ) {}

  /**
   * Plans jobs; one that exists already is left as it is, so planning is
   * idempotent. With `revive`, a job cancelled earlier comes back to life
   * (a reminder turned off and on again).
   */
  async plan(jobs: NewJob[], now: Date, options: { revive?: boolean } = {}): Promise<number> {
    if (jobs.length === 0) return 0;
    const docs = jobs.map((job) => ({
      _id: job.id,
      kind: job.kind,
      bookingId: job.bookingId ?? null,
      coachId: job.coachId ?? null,
      sequence: job.sequence ?? null,
      payload: job.payload ?? {},
      runAt: job.runAt,
      after: job.after ?? null,
      status: 'pending' as const,
      attempts: 0,
      failures: 0,
      leaseUntil: null,
      lastError: null,
      reason: null,
      result: null,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    }));
    let inserted = docs.length;
    const duplicates: string[] = [];
    await guardDb('jobs.plan', async () => {
      try {
        await this.jobs.collection.insertMany(docs as never[], { ordered: false });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        const writeErrors = (error as { writeErrors?: Array<{ index: number; code: number }> | { index: number; code: number } }).writeErrors;
        const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
        for (const w of list) if (w.code === 11000) duplicates.push(docs[w.index]!._id);
        inserted -= list.length;
      }
    });
    if (options.revive && duplicates.length) {
      await Promise.all(
        duplicates.map((id) => {
          const doc = docs.find((d) => d._id === id)!;
          return guardDb('jobs.revive', () =>
            this.jobs.updateOne({ _id: id, status: 'cancelled' }, { $set: { status: 'pending', runAt: doc.runAt, reason: null, finishedAt: null, updatedAt: now } }),
          );
        }),
      );
    }
    return inserted;
  }

  async get(id: string): Promise<DueJob | null> {
    const doc = await guardDb('jobs.get', () => this.jobs.findById(String(id)).lean());
    return doc ? { ...toJob(doc), leaseUntil: doc.leaseUntil ?? null } : null;
  }

  /** These jobs, each read by its `_id`; ids that name nothing are left out. */
  async getMany(ids: string[]): Promise<DueJob[]> {
    const docs = await guardDb('jobs.getMany', () => findByIds(ids.map(String), (filter) => this.jobs.find(filter).lean().exec()));
    return docs.map((doc) => ({ ...toJob(doc), leaseUntil: doc.leaseUntil ?? null }));
  }

  async due(now: Date, kinds: JobKind[], limit: number): Promise<DueJob[]> {
    if (kinds.length === 0) return [];
    const docs = await guardDb('jobs.due', () =>
      this.jobs.find({ status: 'pending', runAt: { $lte: now }, kind: { $in: kinds } }).sort({ runAt: 1 }).limit(limit).lean(),
    );
    return docs.map((doc) => ({ ...toJob(doc), leaseUntil: doc.leaseUntil ?? null }));
  }

  /** The claim: true if this worker now owns attempt `attempt` of the job. */
  async claimRun(jobId: string, attempt: number, worker: string, now: Date, leaseUntil: Date): Promise<boolean> {
    const run = { _id: `${jobId}#${attempt}`, jobId, attempt, worker, startedAt: now, leaseUntil, finishedAt: null, outcome: null };
    return (await guardInsert('jobs.claimRun', () => this.runs.collection.insertOne(run as never))) !== null;
  }

  async getRun(jobId: string, attempt: number): Promise<JobRunDoc | null> {
    return guardDb('jobs.getRun', async () => (await this.runs.collection.findOne({ _id: `${jobId}#${attempt}` } as never)) as unknown as JobRunDoc | null);
  }

  async finishRun(jobId: string, attempt: number, outcome: string, now: Date): Promise<void> {
    await guardDb('jobs.finishRun', () => this.runs.collection.updateOne({ _id: `${jobId}#${attempt}` } as never, { $set: { finishedAt: now, outcome } }));
  }

  /** Written only by the worker holding the run. */
  async update(jobId: string, set: Partial<Omit<JobDoc, '_id'>>, inc: Partial<Record<'failures', number>> = {}): Promise<void> {
    await guardDb('jobs.update', () => this.jobs.updateOne({ _id: jobId }, { $set: set, ...(Object.keys(inc).length ? { $inc: inc } : {}) }));
  }

  /**
   * Cancels those of these jobs that are still pending, each by its `_id`
   * (a booking's jobs have deterministic ids, while a filter on `bookingId`
   * is a scan of every job on the stand-in). A job is cancelled by claiming
   * its next run the way a worker would, so a worker can never deliver it
   * afterwards; one a worker is running at this moment is left to that
   * worker, which decides from the session as it is now (see skipReason).
   */
  async cancelPendingByIds(ids: string[], reason: string, now: Date): Promise<number> {
    const pending = (await this.getMany(ids)).filter((job) => job.status === 'pending');
    const cancelled = await Promise.all(
      pending.map(async (job) => {
        if (job.attempts > 0) {
          const current = await this.getRun(job.id, job.attempts);
          if (current && !current.finishedAt && current.leaseUntil.getTime() > now.getTime()) return false;
        }
        const attempt = job.attempts + 1;
        if (!(await this.claimRun(job.id, attempt, 'cancellation', now, new Date(now.getTime() + LEASE_MS)))) return false;
        await this.update(job.id, { status: 'cancelled', reason, attempts: attempt, leaseUntil: null, finishedAt: now, updatedAt: now });
        await this.finishRun(job.id, attempt, 'cancelled', now);
        return true;
      }),
    );
    return cancelled.filter(Boolean).length;
  }

  /** Cancels pending jobs of a coach or booking by a filter (a coach's reminders when their lead time changes). */
  async cancelPending(filter: { bookingId?: string; coachId?: string; kinds: JobKind[]; sequenceBelow?: number }, reason: string, now: Date): Promise<number> {
    const query: Record<string, unknown> = { status: 'pending', kind: { $in: filter.kinds } };
    if (filter.bookingId) query.bookingId = filter.bookingId;
    if (filter.coachId) query.coachId = filter.coachId;
    if (filter.sequenceBelow !== undefined) query.sequence = { $lt: filter.sequenceBelow };
    const result = await guardDb('jobs.cancelPending', () =>
      this.jobs.updateMany(query, { $set: { status: 'cancelled', reason, finishedAt: now, updatedAt: now } }),
    );
    return result.modifiedCount;
  }

  async list(filter: { bookingId?: string; kind?: JobKind; status?: JobStatus }): Promise<Job[]> {
    const query: Record<string, unknown> = {};
    if (filter.bookingId) query.bookingId = String(filter.bookingId);
    if (filter.kind) query.kind = String(filter.kind);
    if (filter.status) query.status = String(filter.status);
    const docs = await guardDb('jobs.list', () => this.jobs.find(query).sort({ runAt: 1, _id: 1 }).lean());
    return docs.map(toJob);
  }

  /**
   * Finished jobs and their runs older than `before`, removed for good. Booking
   * DMs stay: a session booked months ahead may still be moved, and the update
   * needs to know which message to edit.
   */
  async pruneFinishedBefore(before: Date): Promise<number> {
    return guardDb('jobs.prune', async () => {
      const old = await this.jobs
        .find({ status: { $ne: 'pending' }, finishedAt: { $lt: before }, kind: { $ne: 'slack.booking_dm' } })
        .select({ _id: 1 })
        .limit(5000)
        .lean();
      if (old.length === 0) return 0;
      const ids = old.map((d) => d._id);
      await this.runs.deleteMany({ jobId: { $in: ids } });
      const result = await this.jobs.deleteMany({ _id: { $in: ids } });
      return result.deletedCount;
    });
  }
}
