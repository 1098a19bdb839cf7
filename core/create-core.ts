import type { Connection } from 'mongoose';
import type { Core } from './core.types.js';
import { createAdminService } from './admin/admin.service.js';
import { auditModel } from './audit/audit.model.js';
import { AuditRepository } from './audit/audit.repository.js';
import { recordAuditTrail } from './audit/audit.service.js';
import { bookingModel } from './bookings/booking.model.js';
import { BookingRepository } from './bookings/booking.repository.js';
import { createBookingService } from './bookings/booking.service.js';
import { SessionViews } from './bookings/booking.views.js';
import { claimModel } from './claims/claim.model.js';
import { ClaimRepository } from './claims/claim.repository.js';
import { orphanCheck } from './claims/claim.orphans.js';
import { sweepOrphanClaims } from './claims/claim.sweep.js';
import { coachModel } from './coaches/coach.model.js';
import { CoachRepository } from './coaches/coach.repository.js';
import { createCoachService } from './coaches/coach.service.js';
import { createFeedbackService } from './feedback/feedback.service.js';
import { jobModel, jobRunModel } from './jobs/job.model.js';
import { JobPlanner } from './jobs/job.planner.js';
import { JobRepository } from './jobs/job.repository.js';
import type { JobLog } from './jobs/job.schema.js';
import { createJobService } from './jobs/job.service.js';
import { installationModel } from './installations/installation.model.js';
import { InstallationRepository } from './installations/installation.repository.js';
import { createInstallationService } from './installations/installation.service.js';
import { createHoldService } from './holds/hold.service.js';
import { idempotencyModel } from './idempotency/idempotency.model.js';
import { IdempotencyRepository } from './idempotency/idempotency.repository.js';
import { createIdempotencyService } from './idempotency/idempotency.service.js';
import { rateLimitHitModel } from './rate-limits/rate-limit.model.js';
import { RateLimitRepository } from './rate-limits/rate-limit.repository.js';
import { systemClock, type Clock } from './shared/clock.js';
import { guardDb } from './shared/db.js';
import { DomainEventBus } from './shared/events.js';
import { DEFAULT_RULES, type RulesConfig } from './shared/rules-config.js';
import { slotModel } from './slots/slot.model.js';
import { SlotRepository } from './slots/slot.repository.js';
import { createSlotService } from './slots/slot.service.js';
import { studentModel } from './students/student.model.js';
import { StudentRepository } from './students/student.repository.js';
import { slackIdentityModel } from './students/slack-identity.model.js';
import { SlackIdentityRepository } from './students/slack-identity.repository.js';
import { createStudentService } from './students/student.service.js';

export interface CoreDeps {
  connection: Connection;
  clock?: Clock;
  rules?: Partial<RulesConfig>;
  events?: DomainEventBus;
  /** Where the job worker reports retries, skips and failures (the process's logger). */
  log?: JobLog;
}

const IDEMPOTENCY_RETENTION_MS = 24 * 3_600_000;

/** Wires the domain over one mongoose connection and makes sure its indexes exist. */
export async function createCore({ connection, clock = systemClock, rules: overrides, events = new DomainEventBus(), log = () => {} }: CoreDeps): Promise<Core> {
  const rules: RulesConfig = { ...DEFAULT_RULES, ...overrides };
  const models = {
    claim: claimModel(connection),
    coach: coachModel(connection),
    student: studentModel(connection),
    slackIdentity: slackIdentityModel(connection),
    slot: slotModel(connection),
    booking: bookingModel(connection),
    idempotency: idempotencyModel(connection),
    job: jobModel(connection),
    jobRun: jobRunModel(connection),
    installation: installationModel(connection),
    rateLimitHit: rateLimitHitModel(connection),
    audit: auditModel(connection),
  };
  // Building indexes is slow on purpose on a big collection: not a stall, so not cut by the watch.
  await guardDb('createIndexes', () => Promise.all(Object.values(models).map((model) => (model as { createIndexes(): Promise<unknown> }).createIndexes())), { bounded: false });

  const coaches = new CoachRepository(models.coach);
  const students = new StudentRepository(models.student);
  const slackIdentities = new SlackIdentityRepository(models.slackIdentity);
  const slots = new SlotRepository(models.slot);
  const bookings = new BookingRepository(models.booking);
  const idempotencyRepo = new IdempotencyRepository(models.idempotency);
  const installations = new InstallationRepository(models.installation);
  const views = new SessionViews(coaches, students, rules);
  // Jobs are planned at the core's own clock, once per core (not per withClock view).
  const jobRepo = new JobRepository(models.job, models.jobRun);
  const jobs = createJobService({
    jobs: jobRepo,
    bookings,
    planner: (registry) => new JobPlanner({ jobs: jobRepo, bookings, coaches, students, slackIdentities, clock, rules, ...registry }),
    clock,
    events,
    log,
  });
  const rateLimits = new RateLimitRepository(models.rateLimitHit);
  const audit = new AuditRepository(models.audit);
  recordAuditTrail({ audit, bookings, slots, clock, events, log });

  // Slots and sessions from before workspaces were recorded take their coach's team, once.
  const coachTeams = () => coaches.teamsById();
  await slots.backfillTeams(coachTeams);
  await bookings.backfillTeams(coachTeams);

  /** The services at one clock; `withClock` rebuilds them at another over the same data. */
  function build(clock: Clock): Core {
    const orphans = orphanCheck({ slots, bookings, now: () => clock.now() });
    const claims = new ClaimRepository(models.claim, clock, orphans);
    const idempotency = createIdempotencyService(idempotencyRepo, clock, rules.idempotencyLeaseSeconds);
    const holds = createHoldService({ slots, coaches, claims, clock, rules, events });
    const slotService = createSlotService({ slots, coaches, claims, clock, rules, events, bookings });
    const bookingService = createBookingService({ bookings, slots, coaches, students, slackIdentities, claims, views, idempotency, clock, rules, events, holds });
    return {
      clock,
      rules,
      events,
      idempotency,
      jobs,
      rateLimits,
      coaches: createCoachService({ coaches, slots, bookings, clock, rules, events }),
      students: createStudentService(students, slackIdentities, clock),
      slots: slotService,
      bookings: bookingService,
      admin: createAdminService({ bookings, slots, coaches, students, audit, bookingService, slotService, clock }),
      holds,
      installations: createInstallationService(installations, clock),
      feedback: createFeedbackService({ bookings, views, clock, events }),
      withClock: build,
      async sweepOrphanClaims() {
        const removed = await sweepOrphanClaims({ claims, slots, bookings, clock, orphans });
        await idempotencyRepo.pruneOlderThan(new Date(clock.now().getTime() - IDEMPOTENCY_RETENTION_MS));
        return removed;
      },
      async ping() {
        try {
          await connection.db?.admin().ping();
          return connection.readyState === 1;
        } catch {
          return false;
        }
      },
    };
  }

  return build(clock);
}
