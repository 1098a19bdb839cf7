import type { BookingRepository } from '../bookings/booking.repository.js';
import type { Clock } from '../shared/clock.js';
import type { SlotRepository } from '../slots/slot.repository.js';
import { claimKeys, type ClaimRepository } from './claim.repository.js';

/** Claims younger than this may belong to a write still in flight, so the sweep leaves them. */
const GRACE_MS = 60_000;

/**
 * Removes claims whose owner never came to exist or is no longer live (a crash
 * between a claim and the write it guards), and repairs a slot left `open`
 * under an active booking. Safe to run while the app serves traffic.
 */
export async function sweepOrphanClaims(deps: { claims: ClaimRepository; slots: SlotRepository; bookings: BookingRepository; clock: Clock }): Promise<number> {
  const { claims, slots, bookings, clock } = deps;
  let removed = 0;
  for await (const batch of claims.olderThan(new Date(clock.now().getTime() - GRACE_MS))) {
    const slotOwners = batch.filter((c) => c.kind === 'coach-cell').map((c) => c.owner);
    const bookingOwners = batch
      .filter((c) => c.kind === 'student-cell' || c.kind === 'slot' || c.kind === 'cancel' || c.kind === 'limit' || c.kind === 'busy-cell')
      .map((c) => (c.kind === 'cancel' ? c.owner.split(':')[1]! : c.owner))
      .filter((owner) => /^[0-9a-f]{24}$/.test(owner));
    const [liveSlots, activeBookings] = await Promise.all([
      slots.findMany([...new Set(slotOwners)]).then((list) => list.filter((s) => s.status === 'open' || s.status === 'booked')),
      bookings.findActiveByIds([...new Set(bookingOwners)]),
    ]);
    const live = new Set(liveSlots.map((s) => s.id));
    const active = new Map(activeBookings.map((b) => [b.id, b]));

    const orphans: string[] = [];
    const movedAway: string[] = [];
    for (const claim of batch) {
      switch (claim.kind) {
        case 'coach-cell':
          if (!live.has(claim.owner)) orphans.push(claim._id);
          break;
        case 'student-cell': {
          // A move interrupted after the booking changed leaves the old time claimed by a live booking.
          const owner = active.get(claim.owner);
          if (!owner || !claimKeys.studentCells(owner.studentId, owner).includes(claim._id)) orphans.push(claim._id);
          break;
        }
        case 'limit':
        case 'busy-cell':
          if (!active.has(claim.owner)) orphans.push(claim._id);
          break;
        case 'hold':
        case 'hold-pointer':
          if (claim.expiresAt && claim.expiresAt.getTime() <= clock.now().getTime()) orphans.push(claim._id);
          break;
        case 'takeover':
          // Only needed for the moment an expired claim is replaced.
          orphans.push(claim._id);
          break;
        case 'slot': {
          // Removals and withdrawals hold their slot for good.
          if (!/^[0-9a-f]{24}$/.test(claim.owner)) break;
          const owner = active.get(claim.owner);
          if (!owner) orphans.push(claim._id);
          else if (claim._id !== claimKeys.slot(owner.slotId)) {
            orphans.push(claim._id);
            movedAway.push(claim._id.slice('slot:'.length));
          }
          break;
        }
        case 'cancel':
          // A cancellation that never got written leaves the booking active: let it be cancelled again.
          if (active.has(claim.owner.split(':')[1] ?? '')) orphans.push(claim._id);
          break;
      }
    }
    // The slot a booking moved away from opens again before its claim goes, so nobody books it while it still says booked.
    for (const slot of await slots.findMany(movedAway)) {
      if (slot.status === 'booked' && slot.bookingId && active.has(slot.bookingId)) await slots.setStatus(slot.id, 'open', null, clock.now());
    }
    removed += await claims.deleteKeys(orphans);

    const heldSlots = await slots.findMany(activeBookings.map((b) => b.slotId));
    for (const slot of heldSlots) {
      const booking = activeBookings.find((b) => b.slotId === slot.id);
      if (booking && slot.status === 'open') await slots.setStatus(slot.id, 'booked', booking.id, clock.now());
    }
  }
  return removed;
}
