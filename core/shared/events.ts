import { EventEmitter } from 'node:events';
import type { CoachSession, StudentSession } from '../bookings/booking.schema.js';

/**
 * Things that happened in the domain, for the edges to react to (Slack DMs,
 * App Home republish). Listeners run after the write has been stored; a
 * failing listener never undoes it.
 */
export interface DomainEvents {
  'booking.created': { coachId: string; studentId: string; bookingId: string; slotId: string };
  'booking.cancelled': { coachId: string; studentId: string; bookingId: string; slotId: string; by: 'student' | 'coach' };
  /** The booking keeps its id when it moves, so there is no `previousBookingId`. */
  'booking.rescheduled': { coachId: string; studentId: string; bookingId: string; fromStartsAt: Date; toStartsAt: Date; by: 'student' | 'coach' };
  'feedback.recorded': { coachId: string; bookingId: string };
  'slots.changed': { coachId: string };
  /** A student started or stopped holding a slot (open-slot listings may mark it). */
  'slot.hold_changed': { coachId: string; slotId: string; held: boolean };
  'coach.updated': { coachId: string };
}

export type DomainEventName = keyof DomainEvents;
export type { CoachSession, StudentSession };

export class DomainEventBus {
  private readonly emitter = new EventEmitter();

  constructor(private readonly onListenerError: (error: unknown, event: DomainEventName) => void = () => {}) {
    this.emitter.setMaxListeners(50);
  }

  on<E extends DomainEventName>(event: E, listener: (payload: DomainEvents[E]) => void | Promise<void>): () => void {
    const wrapped = (payload: DomainEvents[E]) => {
      try {
        const result = listener(payload);
        if (result instanceof Promise) result.catch((error) => this.onListenerError(error, event));
      } catch (error) {
        this.onListenerError(error, event);
      }
    };
    this.emitter.on(event, wrapped);
    return () => this.emitter.off(event, wrapped);
  }

  emit<E extends DomainEventName>(event: E, payload: DomainEvents[E]): void {
    this.emitter.emit(event, payload);
  }
}
