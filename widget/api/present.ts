import type { CoachListing } from '../../core/coaches/coach.schema.js';
import type { StudentSession } from '../../core/bookings/booking.schema.js';
import type { Slot } from '../../core/slots/slot.schema.js';
import type { Hold } from '../../core/holds/hold.schema.js';
import type { PublicCoach } from '../../core/coaches/coach.schema.js';
import type { OpenSlotsPage } from '../../core/slots/slot.schema.js';
import { formatPhoneForDisplay } from '../../core/shared/phone.js';
import type { BookingDto, CoachDto, HoldDto, OpenSlotsResponseDto, PublicCoachDto, SlotDto } from './contract.schema.js';

/**
 * Core hands back Dates, and an idempotent replay hands back the stored JSON
 * (strings), so both are accepted and both leave as ISO UTC strings.
 */
const iso = (value: Date | string): string => new Date(value).toISOString();

export function presentCoach(coach: CoachListing): CoachDto {
  return {
    id: coach.id,
    name: coach.name,
    bio: coach.bio,
    avatarUrl: coach.avatarUrl,
    timezone: coach.timezone,
    nextOpenSlot: coach.nextOpenSlot
      ? { id: coach.nextOpenSlot.id, startsAt: iso(coach.nextOpenSlot.startsAt), endsAt: iso(coach.nextOpenSlot.endsAt) }
      : null,
  };
}

export function presentSlot(slot: Slot): SlotDto {
  return { id: slot.id, coachId: slot.coachId, startsAt: iso(slot.startsAt), endsAt: iso(slot.endsAt) };
}

export function presentHold(hold: Hold): HoldDto {
  return { slotId: hold.slotId, expiresAt: iso(hold.expiresAt) };
}

/** A session as its student sees it. Built field by field so nothing core adds later leaks by accident. */
export function presentBooking(session: StudentSession): BookingDto {
  return {
    id: session.id,
    status: session.status,
    startsAt: iso(session.startsAt),
    endsAt: iso(session.endsAt),
    coach: {
      id: session.coach.id,
      name: session.coach.name,
      phone: session.coach.phone,
      phoneDisplay: session.coach.phone ? formatPhoneForDisplay(session.coach.phone) : null,
      avatarUrl: session.coach.avatarUrl,
      timezone: session.coach.timezone,
    },
    cancellation: session.cancellation
      ? { by: session.cancellation.by, at: iso(session.cancellation.at), reason: session.cancellation.reason }
      : null,
    cancellableUntil: iso(session.cancellableUntil),
  };
}

export function presentPublicCoach(coach: PublicCoach): PublicCoachDto {
  return { id: coach.id, name: coach.name, bio: coach.bio, avatarUrl: coach.avatarUrl, timezone: coach.timezone };
}

export function presentOpenSlots(page: OpenSlotsPage): OpenSlotsResponseDto {
  return {
    slots: page.slots.map(presentSlot),
    coaches: page.coaches.map(presentPublicCoach),
    nextCursor: page.nextCursor,
    nextOpenAfter: page.nextOpenAfter ? presentSlot(page.nextOpenAfter) : null,
  };
}
