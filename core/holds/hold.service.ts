import type { HoldService } from '../core.types.js';
import type { ClaimRepository } from '../claims/claim.repository.js';
import { claimKeys } from '../claims/claim.repository.js';
import { assertNoticeRespected } from '../bookings/booking.rules.js';
import type { CoachRepository } from '../coaches/coach.repository.js';
import type { Clock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';
import type { DomainEventBus } from '../shared/events.js';
import type { RulesConfig } from '../shared/rules-config.js';
import { inScope, type WorkspaceScope } from '../shared/scope.js';
import type { SlotRepository } from '../slots/slot.repository.js';
import type { Slot } from '../slots/slot.schema.js';
import type { Hold } from './hold.schema.js';

interface Deps {
  slots: SlotRepository;
  coaches: CoachRepository;
  claims: ClaimRepository;
  clock: Clock;
  rules: RulesConfig;
  events: DomainEventBus;
}

export const SLOT_HELD_MESSAGE = 'Someone is booking this time. Pick another time, or try again in a few minutes.';

/** What a booking learnt about the hold it went through, so it can give the hold back if it fails. */
export interface BookingHold {
  /** The student held the slot before this booking (their own hold from the confirm step). */
  heldBefore: boolean;
}

/**
 * Holds: while a student confirms, their slot is theirs for `holdMinutes`.
 * A hold is an expiring claim `hold:<slotId>` owned by `student:<studentId>`
 * (see ClaimRepository.acquireExpiring), so the stand-in and MongoDB agree on
 * who holds what without TTL indexes, and a lapsed hold never blocks anyone.
 * A student holds one slot at a time: `holdof:<studentId>` points at it, and
 * holding another lets the first go.
 */
export function createHoldService({ slots, coaches, claims, clock, rules, events }: Deps): HoldService & {
  /** Takes the slot's hold for a booking (refused `slot.held` if another student holds it). */
  takeForBooking(studentId: string, slotId: string): Promise<BookingHold>;
  /** After the booking: a successful one consumes the hold; a failed one gives back what it took. */
  finishBooking(studentId: string, slotId: string, hold: BookingHold, booked: boolean): Promise<void>;
} {
  const expiry = () => new Date(clock.now().getTime() + rules.holdMinutes * 60_000);
  const owner = claimKeys.holdOwner;

  async function take(studentId: string, slotId: string, expiresAt: Date) {
    const result = await claims.acquireExpiring(claimKeys.hold(slotId), owner(studentId), 'hold', expiresAt);
    if (!result.ok) throw new DomainError('slot.held', SLOT_HELD_MESSAGE, { heldUntil: result.expiresAt });
    return result;
  }

  async function assertHoldable(slot: Slot): Promise<void> {
    if (slot.status === 'booked') throw new DomainError('slot.taken', 'Someone has just booked that slot. Pick another time.');
    if (slot.status !== 'open') throw new DomainError('slot.not_open', 'That slot is no longer available. Pick another.');
    const coach = await coaches.get(slot.coachId);
    assertNoticeRespected(slot.startsAt, clock.now(), rules, coach.settings.minNoticeHours);
  }

  /** Another workspace's slot does not exist for this request. */
  async function inScopeSlot(slotId: string, scope: WorkspaceScope | undefined): Promise<Slot> {
    const slot = await slots.get(slotId);
    if (!inScope(scope, slot.teamId)) throw new DomainError('slot.not_found', 'That slot does not exist. Refresh the list and pick another.');
    return slot;
  }

  async function release(studentId: string, slotId: string): Promise<boolean> {
    const pointer = await claims.liveClaim(claimKeys.holdPointer(studentId));
    const removed = await claims.releaseKeyCounted(claimKeys.hold(slotId), owner(studentId));
    if (pointer?.ref === slotId) await claims.releaseKey(claimKeys.holdPointer(studentId), owner(studentId));
    return removed;
  }

  return {
    async hold(studentId, slotId, scope): Promise<Hold> {
      const slot = await inScopeSlot(slotId, scope);
      await assertHoldable(slot);
      const expiresAt = expiry();
      await take(studentId, slot.id, expiresAt);
      // A booking that claimed the slot between our read and our hold wins: the hold is no use.
      const booking = await claims.holderOf(claimKeys.slot(slot.id));
      if (booking) {
        await claims.releaseKey(claimKeys.hold(slot.id), owner(studentId));
        throw booking.startsWith('removal:') || booking.startsWith('withdrawal:')
          ? new DomainError('slot.not_open', 'That slot was just withdrawn by the coach. Pick another.')
          : new DomainError('slot.taken', 'Someone has just booked that slot. Pick another time.');
      }
      // One hold per student: the slot they held before is free for others again.
      const previous = await claims.liveClaim(claimKeys.holdPointer(studentId));
      await claims.acquireExpiring(claimKeys.holdPointer(studentId), owner(studentId), 'hold-pointer', expiresAt, slot.id);
      if (previous?.ref && previous.ref !== slot.id) {
        await claims.releaseKey(claimKeys.hold(previous.ref), owner(studentId));
        const [before] = await slots.findMany([previous.ref]);
        if (before) events.emit('slot.hold_changed', { coachId: before.coachId, slotId: before.id, held: false });
      }
      events.emit('slot.hold_changed', { coachId: slot.coachId, slotId: slot.id, held: true });
      return { slotId: slot.id, expiresAt };
    },

    async release(studentId, slotId, scope) {
      const slot = await inScopeSlot(slotId, scope);
      if (await release(studentId, slot.id)) events.emit('slot.hold_changed', { coachId: slot.coachId, slotId: slot.id, held: false });
    },

    async heldByOthers(slotIds, studentId) {
      const live = await claims.liveClaims(slotIds.map(claimKeys.hold));
      const mine = studentId ? owner(studentId) : null;
      return new Set(live.filter((c) => c.owner !== mine).map((c) => c._id.slice('hold:'.length)));
    },

    async takeForBooking(studentId, slotId) {
      const result = await take(studentId, slotId, expiry());
      return { heldBefore: result.renewed };
    },

    async finishBooking(studentId, slotId, hold, booked) {
      if (booked) await release(studentId, slotId);
      else if (!hold.heldBefore) await claims.releaseKey(claimKeys.hold(slotId), owner(studentId));
    },
  };
}
