import type { BookingRepository, BookingState } from '../bookings/booking.repository.js';
import type { SlotRepository } from '../slots/slot.repository.js';
import type { ClaimDoc } from './claim.model.js';
import { claimKeys } from './claim.repository.js';

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
 * write it guards (an owner that never appeared), between an owner's change
 * and the release of its claims (a removed slot, a cancelled or moved
 * booking), or an expired hold. One batched read per owner collection, by `_id`.
 * Takeover markers are not judged here: the sweep prunes them.
 */
export function orphanCheck(deps: { slots: SlotRepository; bookings: BookingRepository; now: () => Date }): OrphanCheck {
  return async (claims) => {
    const now = deps.now().getTime();
    const cutoff = now - ORPHAN_GRACE_MS;
    const settled = claims.filter((c) => c.kind !== 'takeover' && c.createdAt.getTime() <= cutoff);
    if (settled.length === 0) return [];
    const bookingOf = (c: ClaimDoc) => (c.kind === 'cancel' ? (c.owner.split(':')[1] ?? '') : c.owner);
    const slotIds = [...new Set(settled.filter((c) => c.kind === 'coach-cell').map((c) => c.owner))];
    const bookingIds = [...new Set(settled.filter((c) => c.kind !== 'coach-cell').map(bookingOf).filter((id) => OBJECT_ID.test(id)))];
    const [slots, bookings] = await Promise.all([deps.slots.statesOf(slotIds), deps.bookings.statesOf(bookingIds)]);
    const changedLongAgo = (at: Date) => at.getTime() <= cutoff;
    /** The booking let go of this claim: gone, or cancelled or moved (not just now). */
    const releasedBy = (booking: BookingState | undefined, stillNeeds: (b: BookingState) => boolean) =>
      !booking || ((booking.status !== 'active' || !stillNeeds(booking)) && changedLongAgo(booking.updatedAt));

    return settled.filter((claim) => {
      const booking = bookings.get(bookingOf(claim));
      switch (claim.kind) {
        case 'coach-cell': {
          const slot = slots.get(claim.owner);
          return !slot || (slot.status !== 'open' && slot.status !== 'booked' && changedLongAgo(slot.updatedAt));
        }
        case 'student-cell':
          // A move leaves the old time claimed by a booking that is now elsewhere.
          return releasedBy(booking, (b) => claimKeys.studentCells(b.studentId, b).includes(claim._id));
        case 'slot':
          // Removals and withdrawals hold their slot for good.
          if (!OBJECT_ID.test(claim.owner)) return false;
          return releasedBy(booking, (b) => claimKeys.slot(b.slotId) === claim._id);
        case 'limit':
        case 'busy-cell':
          // Owned through the booking's policyClaims: a move leaves the old period's counters and cells behind.
          return releasedBy(booking, (b) => b.policyClaims.includes(claim._id));
        case 'cancel':
          // A cancellation (or move) that never finished leaves the booking active: let it be cancelled or moved again.
          return !booking || booking.status === 'active';
        case 'hold':
        case 'hold-pointer':
          return claim.expiresAt instanceof Date && claim.expiresAt.getTime() <= now;
        default:
          return false;
      }
    });
  };
}
