import type { BookingRepository } from '../bookings/booking.repository.js';
import type { Clock } from '../shared/clock.js';
import type { SlotRepository } from '../slots/slot.repository.js';
import type { ClaimRepository } from './claim.repository.js';
import { ORPHAN_GRACE_MS, type OrphanCheck } from './claim.orphans.js';

/** How far back the sweep looks: two of its hourly runs, so consecutive runs overlap. */
export const SWEEP_LOOKBACK_MS = 2 * 3_600_000;
const HEAL_MARKER_RETENTION_MS = 24 * 3_600_000;

/**
 * The backstop behind healing-on-collision (claim.repository.ts): frees
 * orphans among the claims written recently, and repairs a slot left `open`
 * under an active booking. Its cost follows the work done lately, not the
 * data: it reads only claims created within the lookback before the newest
 * claim (the work in flight when a process last stopped, however long ago that
 * was), by the `createdAt` index. Older orphans are freed where they block.
 * Safe to run while the app serves traffic.
 */
export async function sweepOrphanClaims(deps: { claims: ClaimRepository; slots: SlotRepository; bookings: BookingRepository; clock: Clock; orphans: OrphanCheck }): Promise<number> {
  const { claims, slots, bookings, clock, orphans } = deps;
  const now = clock.now();
  const newest = (await claims.newestCreatedAt()) ?? now;
  const since = new Date(Math.min(newest.getTime(), now.getTime()) - SWEEP_LOOKBACK_MS);
  let removed = 0;
  for await (const batch of claims.createdBetween(since, new Date(now.getTime() - ORPHAN_GRACE_MS))) {
    for (const orphan of await orphans(batch)) if (await claims.free(orphan)) removed += 1;

    // A crash between the booking and the slot's status leaves an active booking under an `open` slot.
    const slotClaims = batch.filter((c) => c.kind === 'slot' && /^[0-9a-f]{24}$/.test(c.owner));
    if (slotClaims.length === 0) continue;
    const owners = await bookings.statesOf(slotClaims.map((c) => c.owner));
    const active = [...owners.entries()].filter(([, b]) => b.status === 'active');
    const states = await slots.statesOf(active.map(([, b]) => b.slotId));
    for (const [bookingId, booking] of active) {
      if (states.get(booking.slotId)?.status === 'open') await slots.setStatus(booking.slotId, 'booked', bookingId, clock.now());
    }
  }
  await claims.pruneHealMarkers(new Date(now.getTime() - HEAL_MARKER_RETENTION_MS));
  return removed;
}
