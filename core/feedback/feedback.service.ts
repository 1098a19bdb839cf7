import type { FeedbackService } from '../core.types.js';
import type { BookingRepository } from '../bookings/booking.repository.js';
import { hasStarted } from '../bookings/booking.rules.js';
import type { SessionViews } from '../bookings/booking.views.js';
import type { Clock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';
import type { DomainEventBus } from '../shared/events.js';
import { parseInput } from '../shared/validate.js';
import { feedbackSchema } from './feedback.schema.js';

interface Deps {
  bookings: BookingRepository;
  views: SessionViews;
  clock: Clock;
  events: DomainEventBus;
}

export function createFeedbackService({ bookings, views, clock, events }: Deps): FeedbackService {
  return {
    async record(coachId, bookingId, input) {
      const { satisfaction, notes } = parseInput(feedbackSchema, input);
      const booking = await bookings.getFor({ coachId }, bookingId);
      if (booking.status === 'cancelled') throw new DomainError('feedback.cancelled_session');
      const now = clock.now();
      if (!hasStarted(booking.startsAt, now)) {
        throw new DomainError('feedback.too_early', 'This session has not started yet. You can rate it once it has begun.');
      }
      // An edit keeps the first recording time; the replaced version goes to history.
      const recordedAt = booking.feedback?.recordedAt ?? now;
      await bookings.setFeedback(booking, { satisfaction, notes, recordedAt, updatedAt: now }, now);
      await events.emit('feedback.recorded', { coachId, bookingId: booking.id });
      const [view] = await views.forCoach([await bookings.getFor({ coachId }, bookingId)], now);
      return view!;
    },
  };
}
