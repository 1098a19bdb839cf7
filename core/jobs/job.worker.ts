import { randomUUID } from 'node:crypto';
import type { BookingRepository } from '../bookings/booking.repository.js';
import type { Clock } from '../shared/clock.js';
import type { JobPlanner } from './job.planner.js';
import type { DueJob, JobRepository } from './job.repository.js';
import { DEFER_MS, LEASE_MS, MAX_FAILURES, retryDelayMs, skipReason } from './job.rules.js';
import {
  PermanentJobError,
  RetryLaterError,
  type Job,
  type JobHandler,
  type JobKind,
  type JobLog,
  type JobOutcome,
  type RunSummary,
} from './job.schema.js';

export interface WorkerOptions {
  leaseMs?: number;
  maxFailures?: number;
  /** Jobs run side by side per batch. */
  concurrency?: number;
  batchSize?: number;
  random?: () => number;
}

interface Deps {
  jobs: JobRepository;
  bookings: BookingRepository;
  planner: JobPlanner;
  clock: Clock;
  handlers: ReadonlyMap<JobKind, JobHandler>;
  log: JobLog;
}

type Outcome = keyof Omit<RunSummary, 'ran'> | 'lost';

/** Takes over a run whose worker died at most this many times per pass. */
const TAKEOVER_TRIES = 3;

/**
 * Runs due jobs. Any number of workers, in any number of processes, may run
 * at once: a job's run is claimed by inserting `<jobId>#<attempt>`, which the
 * database lets exactly one of them do. The claimer holds the job for a lease
 * (by the injected clock); if it dies, the run is left unfinished and, once
 * the lease is over, the next worker claims the following attempt.
 *
 * Exactly once, precisely: every message is delivered by one run. A worker
 * that dies after a delivery but before recording it leaves that run to be
 * taken over, which delivers again; that window is the time between the
 * remote side's answer and one database write.
 */
export class JobWorker {
  readonly id = randomUUID();
  private readonly leaseMs: number;
  private readonly maxFailures: number;
  private readonly concurrency: number;
  private readonly batchSize: number;
  private readonly random: () => number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RunSummary> | null = null;
  private again = false;
  private readonly planned = new Set<Promise<void>>();

  constructor(
    private readonly deps: Deps,
    options: WorkerOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? LEASE_MS;
    this.maxFailures = options.maxFailures ?? MAX_FAILURES;
    this.concurrency = options.concurrency ?? 4;
    this.batchSize = options.batchSize ?? 50;
    this.random = options.random ?? Math.random;
  }

  /** One pass over the jobs due now: claims what it can, runs it, reports what happened. */
  async runDue(): Promise<RunSummary> {
    const summary: RunSummary = { ran: 0, done: 0, skipped: 0, failed: 0, retried: 0, deferred: 0 };
    const kinds = [...this.deps.handlers.keys()];
    const due = await this.deps.jobs.due(this.deps.clock.now(), kinds, this.batchSize);
    await this.runAll(due, summary);
    return summary;
  }

  /** Claims and runs each of these jobs it can, a few side by side, counting what happened into `summary`. */
  private async runAll(due: DueJob[], summary: RunSummary): Promise<void> {
    // Workers that read the same due list would all reach for its first job; each takes them in its own order.
    for (let i = due.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [due[i], due[j]] = [due[j]!, due[i]!];
    }
    let next = 0;
    const lane = async () => {
      while (next < due.length) {
        const job = due[next++]!;
        const outcome = await this.claimAndRun(job);
        if (outcome === 'lost') continue;
        summary.ran += 1;
        summary[outcome] += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, due.length) }, lane));
  }

  /** Passes until nothing due is left to claim (for tests and the bench; the poller calls runDue). */
  async runUntilIdle(maxPasses = 50): Promise<RunSummary> {
    const total: RunSummary = { ran: 0, done: 0, skipped: 0, failed: 0, retried: 0, deferred: 0 };
    for (let pass = 0; pass < maxPasses; pass++) {
      // A poll pass of this worker may hold jobs this pass cannot claim: let it finish first.
      await this.running?.catch(() => undefined);
      await this.settled();
      const summary = await this.runDue();
      for (const key of Object.keys(total) as Array<keyof RunSummary>) total[key] += summary[key];
      if (summary.ran === 0 || summary.ran === summary.deferred) break;
    }
    await this.running?.catch(() => undefined);
    await this.settled();
    return total;
  }

  /** Polls every `intervalMs` of real time; what is due is decided by the injected clock. */
  start(intervalMs: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.poke(), intervalMs);
    this.timer.unref();
  }

  /**
   * Runs a pass now if this worker is polling (core calls it when it planned
   * something due at once, so a booking DM does not wait for the next poll).
   */
  poke(): void {
    if (!this.timer) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      let last: RunSummary = { ran: 0, done: 0, skipped: 0, failed: 0, retried: 0, deferred: 0 };
      do {
        this.again = false;
        try {
          last = await this.runDue();
        } catch (error) {
          this.deps.log('error', { err: error }, 'job worker pass failed');
        }
      } while (this.again && this.timer);
      return last;
    })().finally(() => {
      this.running = null;
    });
  }

  /**
   * Runs these jobs, just planned and due, now, if this worker is polling:
   * each read by its `_id` and claimed like any due job. Core calls it after
   * planning, so a booking DM goes out at once without a search for due jobs
   * (on the stand-in, a scan of every job there has ever been).
   */
  runPlanned(ids: string[]): void {
    if (!this.timer || ids.length === 0) return;
    const pass = (async () => {
      const now = this.deps.clock.now().getTime();
      const jobs = (await this.deps.jobs.getMany(ids)).filter((job) => job.status === 'pending' && job.runAt.getTime() <= now && this.deps.handlers.has(job.kind));
      await this.runAll(jobs, { ran: 0, done: 0, skipped: 0, failed: 0, retried: 0, deferred: 0 });
    })()
      .catch((error: unknown) => this.deps.log('error', { err: error }, 'running planned jobs failed'))
      .finally(() => this.planned.delete(pass));
    this.planned.add(pass);
  }

  /** Stops polling and waits for the passes in flight, so a shutdown does not cut a delivery in half. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
    await this.settled();
  }

  /** Waits for the passes over just-planned jobs. */
  private async settled(): Promise<void> {
    while (this.planned.size > 0) await Promise.all(this.planned);
  }

  private async claim(job: DueJob): Promise<number | null> {
    const now = this.deps.clock.now();
    if (job.leaseUntil && job.leaseUntil.getTime() > now.getTime()) return null;
    for (let attempt = job.attempts + 1, tries = 0; tries < TAKEOVER_TRIES; attempt++, tries++) {
      const leaseUntil = new Date(now.getTime() + this.leaseMs);
      if (await this.deps.jobs.claimRun(job.id, attempt, this.id, now, leaseUntil)) {
        await this.deps.jobs.update(job.id, { attempts: attempt, leaseUntil, updatedAt: now });
        return attempt;
      }
      const holder = await this.deps.jobs.getRun(job.id, attempt);
      // Someone is on it, or finished it since we looked: not ours.
      if (!holder || holder.finishedAt || holder.leaseUntil.getTime() > now.getTime()) return null;
      // That worker died holding the run: try the next attempt.
    }
    return null;
  }

  private async claimAndRun(seen: DueJob): Promise<Outcome> {
    const attempt = await this.claim(seen);
    if (attempt === null) return 'lost';
    // Read again under the claim: the job may have finished or been cancelled since the list was read.
    const job = await this.deps.jobs.get(seen.id);
    if (!job || job.status !== 'pending') {
      await this.deps.jobs.finishRun(seen.id, attempt, 'not pending', this.deps.clock.now());
      return 'lost';
    }
    const outcome = await this.run(job);
    await this.deps.jobs.finishRun(job.id, attempt, outcome, this.deps.clock.now());
    return outcome;
  }

  private async run(job: Job): Promise<Exclude<Outcome, 'lost'>> {
    const { jobs, bookings, clock, handlers, log, planner } = this.deps;
    const context = { lookup: (id: string) => jobs.get(id) };

    if (job.after) {
      const prerequisite = await jobs.get(job.after);
      if (prerequisite?.status === 'pending') {
        await jobs.update(job.id, { runAt: new Date(clock.now().getTime() + DEFER_MS), leaseUntil: null, updatedAt: clock.now() });
        return 'deferred';
      }
    }

    const booking = job.bookingId ? await bookings.findById(job.bookingId) : null;
    const reason = skipReason(job, booking, clock.now());
    if (reason) return this.finish(job, 'skipped', { reason });

    let outcome: JobOutcome | void;
    try {
      outcome = await handlers.get(job.kind)!(job, context);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const failures = job.failures + 1;
      if (error instanceof PermanentJobError || failures >= this.maxFailures) {
        log('error', { jobId: job.id, kind: job.kind, failures, err: error }, `job ${job.kind} failed for good: ${message}`);
        await jobs.update(job.id, { status: 'failed', lastError: message, leaseUntil: null, finishedAt: clock.now(), updatedAt: clock.now() }, { failures: 1 });
        return 'failed';
      }
      const delay = error instanceof RetryLaterError ? error.retryAfterMs : retryDelayMs(failures, this.random);
      const runAt = new Date(clock.now().getTime() + delay);
      log('warn', { jobId: job.id, kind: job.kind, failures, retryAt: runAt.toISOString(), err: error }, `job ${job.kind} failed, will retry: ${message}`);
      await jobs.update(job.id, { runAt, lastError: message, leaseUntil: null, updatedAt: clock.now() }, { failures: 1 });
      return 'retried';
    }

    if (outcome && 'skip' in outcome) return this.finish(job, 'skipped', { reason: outcome.skip });
    await this.finish(job, 'done', { result: outcome?.result ?? null });
    await planner.onDelivered(job).catch((error: unknown) => log('error', { jobId: job.id, err: error }, 'planning the follow-up of a job failed'));
    return 'done';
  }

  private async finish(job: Job, status: 'done' | 'skipped', fields: { reason?: string; result?: Record<string, unknown> | null }): Promise<'done' | 'skipped'> {
    const now = this.deps.clock.now();
    await this.deps.jobs.update(job.id, { status, ...fields, leaseUntil: null, finishedAt: now, updatedAt: now });
    if (status === 'skipped') this.deps.log('info', { jobId: job.id, kind: job.kind, reason: fields.reason }, `job ${job.kind} skipped: ${fields.reason}`);
    return status;
  }
}
