import type { BookingRepository } from '../bookings/booking.repository.js';
import type { Clock } from '../shared/clock.js';
import type { DomainEventBus } from '../shared/events.js';
import { JobPlanner } from './job.planner.js';
import type { JobRepository } from './job.repository.js';
import type { HandlerOptions, Job, JobHandler, JobKind, JobLog, JobStatus, NewJob } from './job.schema.js';
import { JobWorker, type WorkerOptions } from './job.worker.js';

export interface JobService {
  /**
   * An edge says it delivers this kind of message. Only registered kinds are
   * planned and run, so every instance should register the same ones (they
   * all read the same settings).
   */
  handle(kind: JobKind, handler: JobHandler, options?: HandlerOptions): void;
  delivers(kind: JobKind): boolean;
  /** A worker over this database: `runDue()` is one pass (tests move the clock and call it), `start()` polls. */
  worker(options?: WorkerOptions): JobWorker;
  get(jobId: string): Promise<Job | null>;
  list(filter?: { bookingId?: string; kind?: JobKind; status?: JobStatus }): Promise<Job[]>;
  /** Removes finished jobs older than `before`. */
  prune(before: Date): Promise<number>;
}

interface Deps {
  jobs: JobRepository;
  bookings: BookingRepository;
  planner: (deps: { delivers(kind: JobKind): boolean; webhookTargets(): string[] }) => JobPlanner;
  clock: Clock;
  events: DomainEventBus;
  log: JobLog;
}

/** Jobs over one database, planned from the domain events of `events`. */
export function createJobService({ jobs, bookings, planner: makePlanner, clock, events, log }: Deps): JobService {
  const handlers = new Map<JobKind, JobHandler>();
  let targets: string[] = [];
  const planner = makePlanner({ delivers: (kind) => handlers.has(kind), webhookTargets: () => targets });
  const workers = new Set<JobWorker>();
  // What an event planned is usually due at once (the booking DM, the confirmation): run it now rather than at the next poll,
  // by id, so nothing has to search for it. With no edge delivering anything (core alone, a seed script) there is nothing
  // to plan, and no reads for it.
  const thenRun = async (plan: () => Promise<NewJob[] | void>) => {
    if (handlers.size === 0) return;
    const planned = (await plan()) ?? [];
    const now = clock.now().getTime();
    const dueNow = planned.filter((job) => job.runAt.getTime() <= now).map((job) => job.id);
    for (const worker of workers) worker.runPlanned(dueNow);
  };

  events.react('booking.created', ({ bookingId }) => thenRun(() => planner.onCreated(bookingId)));
  events.react('booking.cancelled', ({ bookingId, by }) => thenRun(() => planner.onCancelled(bookingId, by)));
  events.react('booking.rescheduled', ({ bookingId, by }) => thenRun(() => planner.onRescheduled(bookingId, by)));
  events.react('feedback.recorded', ({ bookingId }) => thenRun(() => planner.onRated(bookingId)));
  events.react('coach.reminder_changed', ({ coachId }) => thenRun(() => planner.onReminderChanged(coachId)));

  return {
    handle(kind, handler, options = {}) {
      handlers.set(kind, handler);
      if (kind === 'webhook') targets = [...(options.targets ?? [])];
    },
    delivers: (kind) => handlers.has(kind),
    worker(options) {
      const worker = new JobWorker({ jobs, bookings, planner, clock, handlers, log }, options);
      workers.add(worker);
      return worker;
    },
    get: (jobId) => jobs.get(jobId),
    list: (filter = {}) => jobs.list(filter),
    prune: (before) => jobs.pruneFinishedBefore(before),
  };
}
