import type { BookingRepository } from '../bookings/booking.repository.js';
import type { SlotRepository } from '../slots/slot.repository.js';
import type { ClaimDoc } from './claim.model.js';

/**
 * How long a claim, or its owner's last change, must stand before a claim that
 * guards nothing counts as an orphan. Every write finishes its claims and its
 * owner document within one request (bounded database calls, a couple of
 * seconds at worst), so anything older is left by a crash, not in flight.
 */
export const ORPHAN_GRACE_MS = 10_000;

const OBJECT_ID = /^[0-9a-f]{24}$/;

export type OrphanCheck = (claims: ClaimDoc[]) => Promise<ClaimDoc[]>;

/**
 * The claims among these that guard nothing: a crash between a claim and the
 * write it guards (an owner that never appeared), or between an owner's change
 * and the release of its claims (a removed slot, a cancelled booking). One
 * batched read per owner collection, by `_id`.
 */
export function orphanCheck(deps: { slots: SlotRepository; bookings: BookingRepository; now: () => Date }): OrphanCheck {
  return async (claims) => {
    const cutoff = deps.now().getTime() - ORPHAN_GRACE_MS;
    const settled = claims.filter((c) => c.kind !== 'heal' && c.createdAt.getTime() <= cutoff);
    if (settled.length === 0) return [];
    const bookingOf = (c: ClaimDoc) => (c.kind === 'cancel' ? (c.owner.split(':')[1] ?? '') : c.owner);
    const slotIds = [...new Set(settled.filter((c) => c.kind === 'coach-cell').map((c) => c.owner))];
    const bookingIds = [...new Set(settled.filter((c) => c.kind !== 'coach-cell').map(bookingOf).filter((id) => OBJECT_ID.test(id)))];
    const [slots, bookings] = await Promise.all([deps.slots.statesOf(slotIds), deps.bookings.statesOf(bookingIds)]);
    const changedLongAgo = (at: Date) => at.getTime() <= cutoff;

    return settled.filter((claim) => {
      switch (claim.kind) {
        case 'coach-cell': {
          const slot = slots.get(claim.owner);
          if (!slot) return true;
          return slot.status !== 'open' && slot.status !== 'booked' && changedLongAgo(slot.updatedAt);
        }
        case 'student-cell':
        case 'slot': {
          // Removals and withdrawals hold their slot for good.
          if (claim.kind === 'slot' && !OBJECT_ID.test(claim.owner)) return false;
          const booking = bookings.get(claim.owner);
          if (!booking) return true;
          return booking.status !== 'active' && changedLongAgo(booking.updatedAt);
        }
        case 'cancel': {
          // A cancellation that never got written leaves the booking active: let it be cancelled again.
          const booking = bookings.get(bookingOf(claim));
          return !booking || booking.status === 'active';
        }
        default:
          return false;
      }
    });
  };
}
