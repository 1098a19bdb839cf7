import { EventEmitter } from 'node:events';
import type { AuditActor } from '../audit/audit.schema.js';
import type { CancelledBy, CoachSession, StudentSession } from '../bookings/booking.schema.js';

/**
 * Things that happened in the domain. Core's own reactions (planning the
 * session's messages as jobs) run first and are awaited, so when a service
 * returns, what it caused is stored; then the edges' listeners run (App Home
 * republish). Everything runs after the write has been stored; a failing
 * reaction is reported and never undoes it.
 */
export interface DomainEvents {
  'booking.created': { coachId: string; studentId: string; bookingId: string; slotId: string };
  /** `actor` names the admin when `by` is `admin`; otherwise it is the student or the coach. */
  'booking.cancelled': { coachId: string; studentId: string; bookingId: string; slotId: string; by: CancelledBy; actor: AuditActor };
  /** The booking keeps its id when it moves, so there is no `previousBookingId`. */
  'booking.rescheduled': {
    coachId: string;
    studentId: string;
    bookingId: string;
    fromSlotId: string;
    toSlotId: string;
    fromStartsAt: Date;
    toStartsAt: Date;
    by: 'student' | 'coach';
  };
  'feedback.recorded': { coachId: string; bookingId: string };
  /** The coach changed when they are reminded of their sessions. */
  'coach.reminder_changed': { coachId: string };
  'slots.changed': { coachId: string };
  /** A coach added one slot (`slotId`) or a series of them (`seriesId`, `count` created). */
  'slots.created': { coachId: string; teamId: string; slotId: string | null; seriesId: string | null; count: number; firstStartsAt: Date };
  /** An open slot was taken down: by its coach, an admin, or the system (the app was uninstalled). */
  'slot.removed': { coachId: string; slotId: string; actor: AuditActor };
  /** A student started or stopped holding a slot (open-slot listings may mark it). */
  'slot.hold_changed': { coachId: string; slotId: string; held: boolean };
  'coach.updated': { coachId: string };
}

export type DomainEventName = keyof DomainEvents;
export type { CoachSession, StudentSession };

export class DomainEventBus {
  private readonly emitter = new EventEmitter();
  private readonly reactions = new Map<DomainEventName, Array<(payload: never) => Promise<void>>>();

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

  /** Core's own reaction to an event, awaited by `emit` (edges use `on`). */
  react<E extends DomainEventName>(event: E, reaction: (payload: DomainEvents[E]) => Promise<void>): void {
    const list = this.reactions.get(event) ?? [];
    list.push(reaction as (payload: never) => Promise<void>);
    this.reactions.set(event, list);
  }

  async emit<E extends DomainEventName>(event: E, payload: DomainEvents[E]): Promise<void> {
    for (const reaction of this.reactions.get(event) ?? []) {
      try {
        await (reaction as (payload: DomainEvents[E]) => Promise<void>)(payload);
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
    this.emitter.emit(event, payload);
  }
}
