import type { BookingRepository } from '../bookings/booking.repository.js';
import type { JobLog } from '../jobs/job.schema.js';
import type { Clock } from '../shared/clock.js';
import type { DomainEventBus } from '../shared/events.js';
import type { SlotRepository } from '../slots/slot.repository.js';
import { Types } from 'mongoose';
import type { AuditRepository } from './audit.repository.js';
import type { AuditEntry } from './audit.schema.js';

interface Deps {
  audit: AuditRepository;
  bookings: BookingRepository;
  slots: SlotRepository;
  clock: Clock;
  events: DomainEventBus;
  log: JobLog;
}

/** The most entries one session's history shows: a session that moved many times is still readable. */
export const SESSION_HISTORY_LIMIT = 50;

/**
 * Records who did what from the domain events, as core's own reaction: the
 * entry is written in the same request, right after the action it describes
 * was stored. It is not a durable job because a job would be planned by the
 * same reaction, so it would close no gap (a crash between the action and
 * this write loses the entry either way) and cost a second write. A failed
 * write never undoes the action: it is logged, with the entry, at error level.
 */
export function recordAuditTrail({ audit, bookings, slots, clock, events, log }: Deps): void {
  const fresh = (action: string, subject: string) => `${action}:${subject}:${new Types.ObjectId().toHexString()}`;

  async function write(entry: Omit<AuditEntry, 'at'>): Promise<void> {
    const full = { ...entry, at: clock.now() };
    try {
      await audit.insert(full);
    } catch (error) {
      log('error', { err: error, audit: full }, 'audit entry not recorded (the action itself stands)');
    }
  }

  events.react('booking.created', async ({ bookingId, studentId, coachId, slotId }) => {
    const booking = await bookings.findById(bookingId);
    if (!booking) return;
    // Keyed by the booking: a resumed request that reports the same booking again records it once.
    await write({
      id: `booking.created:${bookingId}`,
      teamId: booking.teamId,
      actor: { kind: 'student', id: studentId },
      action: 'booking.created',
      coachId,
      bookingId,
      slotId,
      seriesId: null,
      details: { startsAt: booking.startsAt },
    });
  });

  events.react('booking.cancelled', async ({ bookingId, coachId, slotId, actor }) => {
    const booking = await bookings.findById(bookingId);
    if (!booking) return;
    await write({
      id: `booking.cancelled:${bookingId}`,
      teamId: booking.teamId,
      actor,
      action: 'booking.cancelled',
      coachId,
      bookingId,
      slotId,
      seriesId: null,
      details: { startsAt: booking.startsAt, reason: booking.cancellation?.reason ?? null },
    });
  });

  events.react('booking.rescheduled', async ({ bookingId, coachId, studentId, toSlotId, fromStartsAt, toStartsAt, by }) => {
    const booking = await bookings.findById(bookingId);
    if (!booking) return;
    await write({
      id: fresh('booking.moved', bookingId),
      teamId: booking.teamId,
      actor: by === 'coach' ? { kind: 'coach', id: coachId } : { kind: 'student', id: studentId },
      action: 'booking.moved',
      coachId,
      bookingId,
      slotId: toSlotId,
      seriesId: null,
      details: { fromStartsAt, toStartsAt },
    });
  });

  events.react('feedback.recorded', async ({ bookingId, coachId }) => {
    const booking = await bookings.findById(bookingId);
    if (!booking?.feedback) return;
    // The score only: notes stay the coach's.
    await write({
      id: fresh('session.rated', bookingId),
      teamId: booking.teamId,
      actor: { kind: 'coach', id: coachId },
      action: 'session.rated',
      coachId,
      bookingId,
      slotId: booking.slotId,
      seriesId: null,
      details: { score: booking.feedback.satisfaction },
    });
  });

  events.react('slots.created', async ({ coachId, teamId, slotId, seriesId, count, firstStartsAt }) => {
    const action = seriesId ? 'series.created' : 'slot.created';
    await write({
      id: fresh(action, seriesId ?? slotId ?? coachId),
      teamId,
      actor: { kind: 'coach', id: coachId },
      action,
      coachId,
      bookingId: null,
      slotId,
      seriesId,
      details: { count, startsAt: firstStartsAt },
    });
  });

  events.react('slot.removed', async ({ coachId, slotId, actor }) => {
    const [slot] = await slots.findMany([slotId]);
    if (!slot) return;
    await write({
      id: `slot.removed:${slotId}`,
      teamId: slot.teamId,
      actor,
      action: 'slot.removed',
      coachId,
      bookingId: null,
      slotId,
      seriesId: null,
      details: { startsAt: slot.startsAt },
    });
  });
}
