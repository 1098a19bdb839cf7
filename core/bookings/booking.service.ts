import { Types } from 'mongoose';
import type { BookingService } from '../core.types.js';
import type { ClaimRepository } from '../claims/claim.repository.js';
import { claimKeys } from '../claims/claim.repository.js';
import { ORPHAN_GRACE_MS } from '../claims/claim.orphans.js';
import type { CoachRepository } from '../coaches/coach.repository.js';
import type { IdempotencyService } from '../idempotency/idempotency.service.js';
import type { Clock } from '../shared/clock.js';
import { toObjectId } from '../shared/db.js';
import { DomainError } from '../shared/errors.js';
import type { DomainEventBus } from '../shared/events.js';
import type { RulesConfig } from '../shared/rules-config.js';
import { pageSchema, type PageInput } from '../shared/time.schema.js';
import { parseInput } from '../shared/validate.js';
import type { SlotRepository } from '../slots/slot.repository.js';
import type { Slot } from '../slots/slot.schema.js';
import type { StudentRepository } from '../students/student.repository.js';
import type { Booking, BookingRepository } from './booking.repository.js';
import { assertCancellable, assertNoticeRespected } from './booking.rules.js';
import { bookSlotSchema, cancelSchema, type StudentSession } from './booking.schema.js';
import type { SessionViews } from './booking.views.js';

interface Deps {
  bookings: BookingRepository;
  slots: SlotRepository;
  coaches: CoachRepository;
  students: StudentRepository;
  claims: ClaimRepository;
  views: SessionViews;
  idempotency: IdempotencyService;
  clock: Clock;
  rules: RulesConfig;
  events: DomainEventBus;
}

export function createBookingService(deps: Deps): BookingService {
  const { bookings, slots, coaches, students, claims, views, idempotency, clock, rules, events } = deps;

  /**
   * The booking itself. Two claims make it safe under any number of parallel
   * requests on any MongoDB-compatible server: the slot's single booking claim
   * (one winner per slot), then the student's calendar cells (no overlapping
   * sessions for one student, whichever coaches they are with).
   */
  async function bookOnce(studentId: string, slotId: string): Promise<StudentSession> {
    const student = await students.get(studentId);
    const slot = await slots.get(slotId);
    assertSlotBookable(slot);
    const coach = await coaches.get(slot.coachId);
    if (student.email && coach.email && student.email.toLowerCase() === coach.email.toLowerCase()) {
      throw new DomainError('booking.own_slot', 'That is your own slot: coaches cannot book themselves.');
    }
    assertNoticeRespected(slot.startsAt, clock.now(), rules);

    const _id = new Types.ObjectId();
    const bookingId = String(_id);
    const slotClaim = await claims.acquire([claimKeys.slot(slot.id)], bookingId, 'slot');
    if (!slotClaim.ok) {
      await repairOpenSlotUnderBooking(slot, slotClaim);
      throw slotClaim.holder.startsWith('removal:') || slotClaim.holder.startsWith('withdrawal:')
        ? new DomainError('slot.not_open', 'That slot was just withdrawn by the coach. Pick another.')
        : new DomainError('slot.taken', 'Someone has just booked that slot. Pick another time.');
    }
    const cells = claimKeys.studentCells(studentId, slot);
    let booking: Booking;
    try {
      const cellClaim = await claims.acquire(cells, bookingId, 'student-cell');
      if (!cellClaim.ok) {
        throw new DomainError('booking.overlaps', 'You already have a session at that time. Cancel it first or pick another time.', {
          conflictingBookingId: cellClaim.holder,
        });
      }
      booking = await bookings.insert({ _id, slotId: slot.id, coachId: slot.coachId, studentId, startsAt: slot.startsAt, endsAt: slot.endsAt, now: clock.now() });
    } catch (error) {
      await claims.releaseKeys([claimKeys.slot(slot.id), ...cells], bookingId);
      throw error;
    }
    await slots.setStatus(slot.id, 'booked', bookingId, clock.now());
    events.emit('booking.created', { coachId: slot.coachId, studentId, bookingId });
    const [view] = await views.forStudent([booking]);
    return view!;
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

  function assertSlotBookable(slot: Slot): void {
    if (slot.status === 'booked') throw new DomainError('slot.taken', 'Someone has just booked that slot. Pick another time.');
    if (slot.status !== 'open') throw new DomainError('slot.not_open', 'That slot is no longer available. Pick another.');
  }

  async function cancel(booking: Booking, by: 'student' | 'coach', reason: string | null): Promise<void> {
    if (booking.status !== 'active') throw new DomainError('booking.not_active');
    assertCancellable(booking.startsAt, clock.now(), rules);
    // One cancellation per booking, even if student and coach press at once.
    const claim = await claims.acquire([claimKeys.cancel(booking.id)], `${by}:${booking.id}`, 'cancel');
    if (!claim.ok) throw new DomainError('booking.not_active');
    const now = clock.now();
    try {
      await bookings.markCancelled(booking.id, { by, at: now, reason });
    } catch (error) {
      await claims.releaseKey(claimKeys.cancel(booking.id), `${by}:${booking.id}`);
      throw error;
    }
    await claims.releaseKeys(claimKeys.studentCells(booking.studentId, booking), booking.id);
    const slotKey = claimKeys.slot(booking.slotId);
    if (by === 'student') {
      // The slot opens again for others.
      await slots.setStatus(booking.slotId, 'open', null, now);
      await claims.releaseKey(slotKey, booking.id);
    } else {
      // The coach withdraws the slot: it stays unbookable and frees the coach's calendar.
      await claims.transfer(slotKey, booking.id, claimKeys.withdrawalOwner(booking.slotId));
      await slots.setStatus(booking.slotId, 'withdrawn', null, now);
      await claims.releaseKeys(claimKeys.coachCells(booking.coachId, booking), booking.slotId);
    }
    events.emit('booking.cancelled', { coachId: booking.coachId, studentId: booking.studentId, bookingId: booking.id, by });
  }

  const pageOf = (page?: PageInput) => parseInput(pageSchema, page ?? {});
  const asId = (id: string) => toObjectId(id, 'booking.not_found');

  return {
    async book(studentId, input) {
      const { slotId, idempotencyKey } = parseInput(bookSlotSchema, input);
      if (!idempotencyKey) return bookOnce(studentId, slotId);
      let fresh: StudentSession | null = null;
      const { result, replayed } = await idempotency.once(`booking:${studentId}`, idempotencyKey, slotId, async () => {
        fresh = await bookOnce(studentId, slotId);
        return fresh.id;
      });
      if (!replayed && fresh) return fresh;
      const [view] = await views.forStudent([await bookings.getFor({ studentId }, result)]);
      return view!;
    },

    async cancelAsStudent(studentId, bookingId, input) {
      const { reason } = parseInput(cancelSchema, input ?? {});
      const booking = await bookings.getFor({ studentId }, bookingId);
      await cancel(booking, 'student', reason || null);
      const [view] = await views.forStudent([await bookings.getFor({ studentId }, bookingId)]);
      return view!;
    },

    async cancelAsCoach(coachId, bookingId, input) {
      const { reason } = parseInput(cancelSchema, input ?? {});
      const booking = await bookings.getFor({ coachId }, bookingId);
      await cancel(booking, 'coach', reason || null);
      const [view] = await views.forCoach([await bookings.getFor({ coachId }, bookingId)], clock.now());
      return view!;
    },

    async getForCoach(coachId, bookingId) {
      const [view] = await views.forCoach([await bookings.getFor({ coachId }, bookingId)], clock.now());
      return view!;
    },

    async getForStudent(studentId, bookingId) {
      const [view] = await views.forStudent([await bookings.getFor({ studentId }, bookingId)]);
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

    async studentUpcoming(studentId, page) {
      const { limit, offset } = pageOf(page);
      const filter = { studentId: asId(studentId), status: 'active', startsAt: { $gt: clock.now() } };
      return views.studentPage(await bookings.page(filter, { startsAt: 1 }, limit, offset));
    },

    async studentPast(studentId, page) {
      const { limit, offset } = pageOf(page);
      const filter = { studentId: asId(studentId), $or: [{ status: 'cancelled' }, { startsAt: { $lte: clock.now() } }] };
      return views.studentPage(await bookings.page(filter, { startsAt: -1 }, limit, offset));
    },
  };
}
