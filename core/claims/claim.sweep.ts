import type { BookingRepository } from '../bookings/booking.repository.js';
import type { Clock } from '../shared/clock.js';
import type { SlotRepository } from '../slots/slot.repository.js';
import type { ClaimRepository } from './claim.repository.js';
import { ORPHAN_GRACE_MS, type OrphanCheck } from './claim.orphans.js';

/** How far back the sweep looks: two of its hourly runs, so consecutive runs overlap. */
export const SWEEP_LOOKBACK_MS = 2 * 3_600_000;

/**
 * The backstop behind healing-on-collision (claim.repository.ts): frees
 * orphans among the claims written recently, opens a slot a moved booking
 * left, and repairs a slot left `open` under an active booking. Its cost
 * follows the work done lately, not the data: it reads only claims created
 * within the lookback before the newest claim (the work in flight when a
 * process last stopped, however long ago that was), by the `createdAt` index.
 * Older orphans are freed where they block. Safe to run while the app serves
 * traffic.
 */
export async function sweepOrphanClaims(deps: { claims: ClaimRepository; slots: SlotRepository; bookings: BookingRepository; clock: Clock; orphans: OrphanCheck }): Promise<number> {
  const { claims, slots, bookings, clock, orphans } = deps;
  const now = clock.now();
  const newest = (await claims.newestCreatedAt()) ?? now;
  const since = new Date(Math.min(newest.getTime(), now.getTime()) - SWEEP_LOOKBACK_MS);
  let removed = 0;
  for await (const batch of claims.createdBetween(since, new Date(now.getTime() - ORPHAN_GRACE_MS))) {
    // Takeover markers matter only while an orphan or an expired hold is being replaced.
    for (const marker of batch.filter((c) => c.kind === 'takeover')) await claims.removeMarker(marker);

    const found = await orphans(batch);
    const slotClaims = batch.filter((c) => c.kind === 'slot' && /^[0-9a-f]{24}$/.test(c.owner));
    const owners = await bookings.statesOf(slotClaims.map((c) => c.owner));
    // The slot a booking moved away from opens again before its claim goes, so nobody books it while it still says booked.
    const movedAway = found.filter((c) => c.kind === 'slot' && owners.get(c.owner)?.status === 'active').map((c) => c._id.slice('slot:'.length));
    const left = await slots.findMany(movedAway);
    for (const slot of left) {
      if (slot.status === 'booked' && slot.bookingId && owners.get(slot.bookingId)?.status === 'active') await slots.setStatus(slot.id, 'open', null, clock.now());
    }
    for (const orphan of found) if (await claims.free(orphan)) removed += 1;

    // A crash between the booking and the slot's status leaves an active booking under an `open` slot.
    const active = [...owners.entries()].filter(([id, b]) => b.status === 'active' && slotClaims.some((c) => c.owner === id && c._id === `slot:${b.slotId}`));
    const states = await slots.statesOf(active.map(([, b]) => b.slotId));
    for (const [bookingId, booking] of active) {
      if (states.get(booking.slotId)?.status === 'open') await slots.setStatus(booking.slotId, 'booked', bookingId, clock.now());
    }
  }
  return removed;
}
