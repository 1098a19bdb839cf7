import type { Connection } from 'mongoose';
import type { Core } from './core.types.js';
import { bookingModel } from './bookings/booking.model.js';
import { BookingRepository } from './bookings/booking.repository.js';
import { createBookingService } from './bookings/booking.service.js';
import { SessionViews } from './bookings/booking.views.js';
import { claimModel } from './claims/claim.model.js';
import { ClaimRepository } from './claims/claim.repository.js';
import { sweepOrphanClaims } from './claims/claim.sweep.js';
import { coachModel } from './coaches/coach.model.js';
import { CoachRepository } from './coaches/coach.repository.js';
import { createCoachService } from './coaches/coach.service.js';
import { createFeedbackService } from './feedback/feedback.service.js';
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
}

const IDEMPOTENCY_RETENTION_MS = 24 * 3_600_000;

/** Wires the domain over one mongoose connection and makes sure its indexes exist. */
export async function createCore({ connection, clock = systemClock, rules: overrides, events = new DomainEventBus() }: CoreDeps): Promise<Core> {
  const rules: RulesConfig = { ...DEFAULT_RULES, ...overrides };
  const models = {
    claim: claimModel(connection),
    coach: coachModel(connection),
    student: studentModel(connection),
    slackIdentity: slackIdentityModel(connection),
    slot: slotModel(connection),
    booking: bookingModel(connection),
    idempotency: idempotencyModel(connection),
    installation: installationModel(connection),
    rateLimitHit: rateLimitHitModel(connection),
  };
  await guardDb('createIndexes', () => Promise.all(Object.values(models).map((model) => (model as { createIndexes(): Promise<unknown> }).createIndexes())));

  const coaches = new CoachRepository(models.coach);
  const students = new StudentRepository(models.student);
  const slackIdentities = new SlackIdentityRepository(models.slackIdentity);
  const slots = new SlotRepository(models.slot);
  const bookings = new BookingRepository(models.booking);
  const idempotencyRepo = new IdempotencyRepository(models.idempotency);
  const installations = new InstallationRepository(models.installation);
  const views = new SessionViews(coaches, students, rules);
  const rateLimits = new RateLimitRepository(models.rateLimitHit);

  // Slots and sessions from before workspaces were recorded take their coach's team, once.
  const coachTeams = () => coaches.teamsById();
  await slots.backfillTeams(coachTeams);
  await bookings.backfillTeams(coachTeams);

  /** The services at one clock; `withClock` rebuilds them at another over the same data. */
  function build(clock: Clock): Core {
    const claims = new ClaimRepository(models.claim, clock);
    const idempotency = createIdempotencyService(idempotencyRepo, clock, rules.idempotencyLeaseSeconds);
    const holds = createHoldService({ slots, coaches, claims, clock, rules, events });
    return {
      clock,
      rules,
      events,
      idempotency,
      rateLimits,
      coaches: createCoachService({ coaches, slots, bookings, clock, rules, events }),
      students: createStudentService(students, slackIdentities, clock),
      slots: createSlotService({ slots, coaches, claims, clock, rules, events }),
      bookings: createBookingService({ bookings, slots, coaches, students, slackIdentities, claims, views, idempotency, clock, rules, events, holds }),
      holds,
      installations: createInstallationService(installations, clock),
      feedback: createFeedbackService({ bookings, views, clock, events }),
      withClock: build,
      async sweepOrphanClaims() {
        const removed = await sweepOrphanClaims({ claims, slots, bookings, clock });
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
