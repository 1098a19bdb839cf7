import { Types } from 'mongoose';
import type { Actor, BookingService } from '../core.types.js';
import type { ClaimRepository } from '../claims/claim.repository.js';
import { claimKeys } from '../claims/claim.repository.js';
import { ORPHAN_GRACE_MS } from '../claims/claim.orphans.js';
import type { CoachRepository } from '../coaches/coach.repository.js';
import type { IdempotencyService } from '../idempotency/idempotency.service.js';
import type { Clock } from '../shared/clock.js';
import { toObjectId } from '../shared/db.js';
import { DomainError, isDomainError } from '../shared/errors.js';
import type { DomainEventBus } from '../shared/events.js';
import type { RulesConfig } from '../shared/rules-config.js';
import { inScope, scopeFilter, type WorkspaceScope } from '../shared/scope.js';
import { pageSchema, type PageInput } from '../shared/time.schema.js';
import { parseInput } from '../shared/validate.js';
import type { SlotRepository } from '../slots/slot.repository.js';
import type { Slot } from '../slots/slot.schema.js';
import type { StudentRepository } from '../students/student.repository.js';
import type { SlackIdentityRepository } from '../students/slack-identity.repository.js';
import type { Booking, BookingRepository } from './booking.repository.js';
import { assertCancellable, assertNoticeRespected, hasStarted } from './booking.rules.js';
import { bookSlotSchema, cancelSchema, rescheduleSchema, type CancelledBy, type RescheduleInput, type StudentSession } from './booking.schema.js';
import type { AuditActor } from '../audit/audit.schema.js';
import type { SessionViews } from './booking.views.js';
import type { Coach } from '../coaches/coach.schema.js';
import { busyCells, counterKeys, limitChecks } from '../policy/policy.rules.js';
import type { createHoldService } from '../holds/hold.service.js';

interface Deps {
  bookings: BookingRepository;
  slots: SlotRepository;
  coaches: CoachRepository;
  students: StudentRepository;
  slackIdentities: SlackIdentityRepository;
  claims: ClaimRepository;
  views: SessionViews;
  idempotency: IdempotencyService;
  clock: Clock;
  rules: RulesConfig;
  events: DomainEventBus;
  holds: ReturnType<typeof createHoldService>;
}

type Participant = { coachId: string } | { studentId: string } | { admin: true };

export function createBookingService(deps: Deps): BookingService {
  const { bookings, slots, coaches, students, slackIdentities, claims, views, idempotency, clock, rules, events, holds } = deps;

  /**
   * The booking itself. Two claims make it safe under any number of parallel
   * requests on any MongoDB-compatible server: the slot's single booking claim
   * (one winner per slot), then the student's calendar cells (no overlapping
   * sessions for one student, whichever coaches they are with).
   */
  async function bookOnce(studentId: string, slotId: string, scope: WorkspaceScope | undefined, resumed = false): Promise<StudentSession> {
    const student = await students.get(studentId);
    const slot = await slots.get(slotId);
    // Another workspace's slot does not exist for this request.
    if (!inScope(scope, slot.teamId)) throw new DomainError('slot.not_found', 'That slot does not exist. Refresh the list and pick another.');
    if (resumed) {
      const earlier = await finishEarlierRun(studentId, slot);
      if (earlier) return earlier;
    }
    assertSlotBookable(slot);
    const coach = await coaches.get(slot.coachId);
    // Exact in Slack (the coach's own Slack user is this student); by e-mail for a website token.
    const sameSlackUser = (await slackIdentities.find(coach.teamId, coach.slackUserId))?.studentId === studentId;
    if (sameSlackUser || (student.email && coach.email && student.email.toLowerCase() === coach.email.toLowerCase())) {
      throw new DomainError('booking.own_slot', 'That is your own slot: coaches cannot book themselves.');
    }
    assertNoticeRespected(slot.startsAt, clock.now(), rules, coach.settings.minNoticeHours);

    // The hold comes first: a student who holds the slot from the confirm step
    // books through it, and anyone else is told `slot.held` before any other claim.
    const hold = await holds.takeForBooking(studentId, slot.id);
    let booked = false;
    try {
      const view = await claimAndInsert(studentId, slot, coach);
      booked = true;
      return view;
    } finally {
      await holds.finishBooking(studentId, slot.id, hold, booked);
    }
  }

  async function claimAndInsert(studentId: string, slot: Slot, coach: Coach): Promise<StudentSession> {
    const _id = new Types.ObjectId();
    const bookingId = String(_id);
    const slotClaim = await claims.acquire([claimKeys.slot(slot.id)], bookingId, 'slot');
    if (!slotClaim.ok) {
      await repairOpenSlotUnderBooking(slot, slotClaim);
      throw slotClaimRefused(slotClaim.holder);
    }
    const cells = claimKeys.studentCells(studentId, slot);
    let booking: Booking;
    try {
      await claimStudentTime(cells, bookingId, 'Cancel it first or pick another time.');
      const policyClaims = await claimPolicy({ bookingId, studentId, coach, session: slot });
      try {
        booking = await bookings.insert({ _id, slotId: slot.id, coachId: slot.coachId, teamId: coach.teamId, studentId, startsAt: slot.startsAt, endsAt: slot.endsAt, policyClaims, now: clock.now() });
      } catch (error) {
        await claims.releaseKeys(policyClaims, bookingId);
        throw error;
      }
    } catch (error) {
      await releaseAfterFailure(error, () => claims.releaseKeys([claimKeys.slot(slot.id), ...cells], bookingId));
      throw error;
    }
    await slots.setStatus(slot.id, 'booked', bookingId, clock.now());
    await events.emit('booking.created', { coachId: slot.coachId, studentId, bookingId, slotId: slot.id });
    const [view] = await views.forStudent([booking]);
    return view!;
  }

  /**
   * The organisation's and the coach's policy for one session: a counter
   * claim per limit (the n-th session of that day or week, n below the limit,
   * so unique inserts make the limits exact under parallel bookings) and the
   * coach's busy cells with the buffer before the session. A moved session
   * keeps the counters of periods it stays in and the cells it still covers.
   * Anything refused gives back what this call took.
   */
  async function claimPolicy(input: { bookingId: string; studentId: string; coach: Coach; session: { startsAt: Date; endsAt: Date }; moving?: Booking }): Promise<string[]> {
    const { bookingId, studentId, coach, session, moving } = input;
    const kept = moving?.policyClaims ?? [];
    const keys: string[] = [];
    const taken: string[] = [];
    try {
      for (const check of limitChecks({ rules, studentId, coachId: coach.id, coachZone: coach.timezone, settings: coach.settings, startsAt: session.startsAt })) {
        const reused = kept.find((key) => key.startsWith(`${check.prefix}:`));
        if (reused) {
          keys.push(reused);
          continue;
        }
        // Counted first, so a limit lowered after bookings were made still holds for new ones.
        const owner = check.code === 'booking.coach_daily_limit' ? { coachId: coach.id } : { studentId };
        const existing = await bookings.countActiveBetween(owner, check.from, check.to, moving?.id);
        const key = existing < check.max ? await claims.acquireFirstFree(counterKeys(check), bookingId, 'limit') : null;
        if (!key) throw new DomainError(check.code, check.message, { limit: check.max });
        keys.push(key);
        taken.push(key);
      }
      const buffer = coach.settings.bufferMinutes;
      if (buffer > 0) {
        const tooClose = await bookings.countActiveNear(coach.id, session, buffer, moving?.id);
        const cells = busyCells(coach.id, session, buffer);
        const fresh = cells.filter((key) => !kept.includes(key));
        const claim = tooClose === 0 ? await claims.acquire(fresh, bookingId, 'busy-cell') : null;
        if (!claim?.ok) throw new DomainError('booking.buffer', `This coach keeps ${buffer} minutes free before and after each session, and another session is too close to this time. Pick another time.`, { bufferMinutes: buffer });
        taken.push(...fresh);
        keys.push(...cells);
      }
    } catch (error) {
      await claims.releaseKeys(taken, bookingId);
      throw error;
    }
    return keys;
  }

  /**
   * A crash between a booking and its slot's status leaves the slot listed as
   * open under a settled, active booking. The first booking that collides with
   * it puts the listing right, so the slot stops being offered.
   */
  async function repairOpenSlotUnderBooking(slot: Slot, held: { holder: string; heldSince: Date | null }): Promise<void> {
    if (slot.status !== 'open' || !held.heldSince || clock.now().getTime() - held.heldSince.getTime() < ORPHAN_GRACE_MS) return;
    const owner = (await bookings.statesOf([held.holder])).get(held.holder);
    if (owner?.status === 'active' && owner.slotId === slot.id) await slots.setStatus(slot.id, 'booked', held.holder, clock.now());
  }

  /**
   * Takes back what a failed write claimed. When the database itself is
   * what failed, the caller is answered at once and the release is left to
   * finish in the background: waiting on it would only add another timeout
   * to the wait, and a claim it cannot remove is an orphan the sweep frees.
   */
  async function releaseAfterFailure(error: unknown, release: () => Promise<void>): Promise<void> {
    if (isDomainError(error, 'service.unavailable')) void release().catch(() => {});
    else await release();
  }

  /**
   * A retry that took its Idempotency-Key over from a run that crashed: if
   * that run got as far as the booking, the booking is the answer, and what
   * the crash cut short (the slot's status, the event that tells the coach,
   * delivered once per booking) is done now.
   */
  async function finishEarlierRun(studentId: string, slot: Slot): Promise<StudentSession | null> {
    const holder = await claims.holderOf(claimKeys.slot(slot.id));
    if (!holder || !/^[0-9a-f]{24}$/.test(holder)) return null;
    const [earlier] = await bookings.findActiveByIds([holder]);
    if (!earlier || earlier.studentId !== studentId || earlier.slotId !== slot.id) return null;
    if (slot.status === 'open') await slots.setStatus(slot.id, 'booked', earlier.id, clock.now());
    events.emit('booking.created', { coachId: slot.coachId, studentId, bookingId: earlier.id, slotId: slot.id });
    const [view] = await views.forStudent([earlier]);
    return view!;
  }

  function slotClaimRefused(holder: string): DomainError {
    return holder.startsWith('removal:') || holder.startsWith('withdrawal:')
      ? new DomainError('slot.not_open', 'That slot was just withdrawn by the coach. Pick another.')
      : new DomainError('slot.taken', 'Someone has just booked that slot. Pick another time.');
  }

  /** The student's calendar cells for a session; `booking.overlaps` when another of their sessions holds one. */
  async function claimStudentTime(cells: string[], bookingId: string, advice: string): Promise<void> {
    const cellClaim = await claims.acquire(cells, bookingId, 'student-cell');
    if (!cellClaim.ok) {
      throw new DomainError('booking.overlaps', `You already have a session at that time. ${advice}`, {
        conflictingBookingId: cellClaim.holder,
      });
    }
  }

  const busy = () => new DomainError('booking.busy', 'That session is being changed right now. Try again in a moment.');

  function assertMovable(booking: Booking): void {
    if (booking.status !== 'active') throw new DomainError('booking.not_active', 'That session is cancelled, so it cannot be moved.');
    assertCancellable(booking.startsAt, clock.now(), rules, 'moved');
  }

  /**
   * Moves a session to another slot of its coach, keeping its id. Under the
   * booking's change key (shared with cancel, so a move and a cancellation
   * never interleave) the new slot and the student's new time are claimed
   * first; only once both are held does the booking change and the old time
   * get released. Any refusal leaves the booking exactly as it was.
   */
  async function reschedule(participant: Participant, by: 'student' | 'coach', bookingId: string, slotId: string, scope?: WorkspaceScope): Promise<Booking> {
    const booking = await bookings.getFor(participant, bookingId, scope);
    // Already there: a retried request, answered with the session as it is.
    if (booking.slotId === slotId && booking.status === 'active') return booking;
    assertMovable(booking);
    const target = await slots.get(slotId);
    if (target.coachId !== booking.coachId) {
      throw new DomainError('booking.other_coach', 'A session can only move to another time with the same coach. To change coach, cancel it and book the other coach.');
    }
    assertSlotBookable(target);
    const coach = await coaches.get(booking.coachId);
    assertNoticeRespected(target.startsAt, clock.now(), rules, coach.settings.minNoticeHours);

    // The target's hold, as for a booking: another student confirming that time keeps it.
    const hold = await holds.takeForBooking(booking.studentId, target.id);
    let moved = false;
    try {
      const result = await moveUnderLock(participant, by, booking, target);
      moved = true;
      return result;
    } finally {
      await holds.finishBooking(booking.studentId, target.id, hold, moved);
    }
  }

  async function moveUnderLock(participant: Participant, by: 'student' | 'coach', booking: Booking, target: Slot): Promise<Booking> {
    const bookingId = booking.id;
    const slotId = target.id;
    const lockKey = claimKeys.cancel(booking.id);
    const lockOwner = claimKeys.moveOwner(booking.id);
    const lock = await claims.acquire([lockKey], lockOwner, 'cancel');
    if (!lock.ok) throw lock.holder === lockOwner ? busy() : new DomainError('booking.not_active', 'That session is cancelled, so it cannot be moved.');
    try {
      const current = await bookings.getFor(participant, bookingId);
      if (current.slotId === slotId) return current;
      assertMovable(current);

      const slotKey = claimKeys.slot(target.id);
      const slotClaim = await claims.acquire([slotKey], current.id, 'slot');
      if (!slotClaim.ok) throw slotClaimRefused(slotClaim.holder);
      const cells = claimKeys.studentCells(current.studentId, target);
      let policyClaims: string[];
      let takenForMove: string[] = [];
      try {
        await claimStudentTime(cells, current.id, 'Your session stays where it was; pick another time.');
        const coach = await coaches.get(current.coachId);
        policyClaims = await claimPolicy({ bookingId: current.id, studentId: current.studentId, coach, session: target, moving: current });
        takenForMove = policyClaims.filter((key) => !current.policyClaims.includes(key));
        await bookings.moveTo(current, { slotId: target.id, startsAt: target.startsAt, endsAt: target.endsAt, policyClaims }, by, clock.now());
      } catch (error) {
        await claims.releaseKeys([slotKey, ...cells, ...takenForMove], current.id);
        throw error;
      }
      // The old time's counters and buffer cells that the new time does not reuse.
      await claims.releaseKeys(current.policyClaims.filter((key) => !policyClaims.includes(key)), current.id);
      const now = clock.now();
      await slots.setStatus(target.id, 'booked', current.id, now);
      await releaseTime(current, by, now, { keepPolicy: true });
      await events.emit('booking.rescheduled', {
        coachId: current.coachId,
        studentId: current.studentId,
        bookingId: current.id,
        fromSlotId: current.slotId,
        toSlotId: target.id,
        fromStartsAt: current.startsAt,
        toStartsAt: target.startsAt,
        by,
      });
      return await bookings.getFor(participant, bookingId);
    } finally {
      await claims.releaseKey(lockKey, lockOwner);
    }
  }

  /**
   * Gives back the time a session held: the student's cells, and its slot —
   * opened again when the student let go, withdrawn when the coach or an
   * admin did (a coach who cancels or moves a session is not free at that
   * time, and an admin's cancellation must not book the coach again unasked).
   */
  async function releaseTime(booking: Booking, by: CancelledBy, now: Date, options: { keepPolicy?: boolean } = {}): Promise<void> {
    await claims.releaseKeys(claimKeys.studentCells(booking.studentId, booking), booking.id);
    if (!options.keepPolicy) await claims.releaseKeys(booking.policyClaims, booking.id);
    const slotKey = claimKeys.slot(booking.slotId);
    if (by === 'student') {
      await slots.setStatus(booking.slotId, 'open', null, now);
      await claims.releaseKey(slotKey, booking.id);
    } else {
      await claims.transfer(slotKey, booking.id, claimKeys.withdrawalOwner(booking.slotId));
      await slots.setStatus(booking.slotId, 'withdrawn', null, now);
      await claims.releaseKeys(claimKeys.coachCells(booking.coachId, booking), booking.slotId);
    }
  }

  function assertSlotBookable(slot: Slot): void {
    if (slot.status === 'booked') throw new DomainError('slot.taken', 'Someone has just booked that slot. Pick another time.');
    if (slot.status !== 'open') throw new DomainError('slot.not_open', 'That slot is no longer available. Pick another.');
  }

  async function cancel(participant: Participant, bookingId: string, actor: AuditActor, reason: string | null, scope?: WorkspaceScope): Promise<void> {
    const by: CancelledBy = actor.kind === 'admin' ? 'admin' : actor.kind === 'coach' ? 'coach' : 'student';
    const before = await bookings.getFor(participant, bookingId, scope);
    if (before.status !== 'active') throw new DomainError('booking.not_active');
    // The cutoff protects the two participants from each other; an admin may step in until the session starts.
    if (by === 'admin') {
      if (hasStarted(before.startsAt, clock.now())) throw new DomainError('booking.already_started', 'That session has already started, so it can no longer be cancelled.');
    } else assertCancellable(before.startsAt, clock.now(), rules);
    // One cancellation per booking, even if student and coach press at once;
    // a move holds the same key while it runs.
    const claim = await claims.acquire([claimKeys.cancel(before.id)], `${by}:${before.id}`, 'cancel');
    if (!claim.ok) throw claim.holder === claimKeys.moveOwner(before.id) ? busy() : new DomainError('booking.not_active');
    // Read again under the claim: a move that finished in between changed the slot and time to release.
    const booking = await bookings.getFor(participant, bookingId);
    const now = clock.now();
    try {
      await bookings.markCancelled(booking.id, { by, at: now, reason });
    } catch (error) {
      await claims.releaseKey(claimKeys.cancel(booking.id), `${by}:${booking.id}`);
      throw error;
    }
    await releaseTime(booking, by, now);
    await events.emit('booking.cancelled', { coachId: booking.coachId, studentId: booking.studentId, bookingId: booking.id, slotId: booking.slotId, by, actor });
  }

  const pageOf = (page?: PageInput) => parseInput(pageSchema, page ?? {});
  const asId = (id: string) => toObjectId(id, 'booking.not_found');

  return {
    async book(studentId, input, scope) {
      const { slotId, idempotencyKey } = parseInput(bookSlotSchema, input);
      if (!idempotencyKey) return bookOnce(studentId, slotId, scope);
      let fresh: StudentSession | null = null;
      const { result, replayed } = await idempotency.once(`booking:${studentId}`, idempotencyKey, slotId, async ({ takeover }) => {
        fresh = await bookOnce(studentId, slotId, scope, takeover);
        return fresh.id;
      });
      if (!replayed && fresh) return fresh;
      const [view] = await views.forStudent([await bookings.getFor({ studentId }, result, scope)]);
      return view!;
    },

    async cancelAsStudent(studentId, bookingId, input, scope) {
      const { reason } = parseInput(cancelSchema, input ?? {});
      await cancel({ studentId }, bookingId, { kind: 'student', id: studentId }, reason || null, scope);
      const [view] = await views.forStudent([await bookings.getFor({ studentId }, bookingId)]);
      return view!;
    },

    async cancelAsCoach(coachId, bookingId, input) {
      const { reason } = parseInput(cancelSchema, input ?? {});
      await cancel({ coachId }, bookingId, { kind: 'coach', id: coachId }, reason || null);
      const [view] = await views.forCoach([await bookings.getFor({ coachId }, bookingId)], clock.now());
      return view!;
    },

    async cancelAsAdmin(admin, bookingId, input, scope) {
      const { reason } = parseInput(cancelSchema, input ?? {});
      await cancel({ admin: true }, bookingId, { kind: 'admin', id: admin.id }, reason || null, scope);
    },

    reschedule: (async (actor: Actor, bookingId: string, input: RescheduleInput, scope?: WorkspaceScope) => {
      const { slotId } = parseInput(rescheduleSchema, input);
      if (actor.kind === 'student') {
        const moved = await reschedule({ studentId: actor.studentId }, 'student', bookingId, slotId, scope);
        const [view] = await views.forStudent([moved]);
        return view!;
      }
      const moved = await reschedule({ coachId: actor.coachId }, 'coach', bookingId, slotId);
      const [view] = await views.forCoach([moved], clock.now());
      return view!;
    }) as BookingService['reschedule'],

    async getForCoach(coachId, bookingId) {
      const [view] = await views.forCoach([await bookings.getFor({ coachId }, bookingId)], clock.now());
      return view!;
    },

    async getForStudent(studentId, bookingId, scope) {
      const [view] = await views.forStudent([await bookings.getFor({ studentId }, bookingId, scope)]);
      return view!;
    },

    async coachUpcoming(coachId, page) {
      const { limit, offset } = pageOf(page);
      const now = clock.now();
      const filter = { coachId: asId(coachId), status: 'active', startsAt: { $gt: now } };
      return views.coachPage(await bookings.page(filter, { startsAt: 1 }, limit, offset), now);
    },

    async coachPast(coachId, page) {
      const { limit, offset } = pageOf(page);
      const now = clock.now();
      const filter = { coachId: asId(coachId), status: 'active', startsAt: { $lte: now } };
      return views.coachPage(await bookings.page(filter, { rated: 1, startsAt: -1 }, limit, offset), now);
    },

    async coachNeedsRating(coachId, page) {
      const { limit, offset } = pageOf(page);
      const now = clock.now();
      const filter = { coachId: asId(coachId), status: 'active', rated: false, startsAt: { $lte: now } };
      return views.coachPage(await bookings.page(filter, { startsAt: -1 }, limit, offset), now);
    },

    async studentContextForCoach(coachId, studentId) {
      const now = clock.now();
      const mine = { coachId: asId(coachId), studentId: toObjectId(studentId, 'student.not_found'), status: 'active', endsAt: { $lte: now } };
      // The latest rated one alone: a page would count them too, a read nobody shows.
      const [sessionsHeld, last] = await Promise.all([bookings.count(mine), bookings.first({ ...mine, rated: true }, { startsAt: -1 })]);
      return {
        sessionsHeld,
        lastRated: last?.feedback ? { bookingId: last.id, startsAt: last.startsAt, satisfaction: last.feedback.satisfaction, notes: last.feedback.notes } : null,
      };
    },

    async historyWithStudent(coachId, studentId, page) {
      const { limit, offset } = pageOf(page);
      const now = clock.now();
      const filter = { coachId: asId(coachId), studentId: toObjectId(studentId, 'student.not_found') };
      return views.coachPage(await bookings.page(filter, { startsAt: -1 }, limit, offset), now);
    },

    async coachRatedPast(coachId, page) {
      const { limit, offset } = pageOf(page);
      const now = clock.now();
      const filter = { coachId: asId(coachId), status: 'active', rated: true, endsAt: { $lte: now } };
      return views.coachPage(await bookings.page(filter, { startsAt: -1 }, limit, offset), now);
    },

    async studentUpcoming(studentId, page, scope) {
      const { limit, offset } = pageOf(page);
      // Until it has ended a session is still ahead of the student, so it is never missing from both lists.
      const filter = { studentId: asId(studentId), ...scopeFilter(scope), status: 'active', endsAt: { $gt: clock.now() } };
      return views.studentPage(await bookings.page(filter, { startsAt: 1 }, limit, offset));
    },

    async studentPast(studentId, page, scope) {
      const { limit, offset } = pageOf(page);
      // A cancelled session never took place: it is listed under cancelled, whenever it was due.
      const filter = { studentId: asId(studentId), ...scopeFilter(scope), status: 'active', endsAt: { $lte: clock.now() } };
      return views.studentPage(await bookings.page(filter, { startsAt: -1 }, limit, offset));
    },

    async studentCancelled(studentId, page, scope) {
      const { limit, offset } = pageOf(page);
      const filter = { studentId: asId(studentId), ...scopeFilter(scope), status: 'cancelled' };
      return views.studentPage(await bookings.page(filter, { startsAt: -1 }, limit, offset));
    },
  };
}
