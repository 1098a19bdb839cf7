import type { BookingDto } from '../api/contract.schema.js';

/** `coach-booking:booked` — the student booked a session. */
export interface CoachBookingBookedDetail {
  booking: BookingDto;
}

/** `coach-booking:cancelled` — the student cancelled a session. */
export interface CoachBookingCancelledDetail {
  booking: BookingDto;
}

/**
 * `coach-booking:error` — a request failed and the widget showed the student a
 * message. `code` is the API's stable code (`auth.token_expired`,
 * `slot.taken`, …) or `network`; `status` is null when the server was not reached.
 */
export interface CoachBookingErrorDetail {
  code: string;
  message: string;
  status: number | null;
}

export interface CoachBookingEventMap {
  'coach-booking:booked': CustomEvent<CoachBookingBookedDetail>;
  'coach-booking:cancelled': CustomEvent<CoachBookingCancelledDetail>;
  'coach-booking:error': CustomEvent<CoachBookingErrorDetail>;
}

declare global {
  interface HTMLElementEventMap extends CoachBookingEventMap {}
}

/** Public events cross the shadow boundary (composed) and bubble, so the host can listen anywhere above. */
export function emitPublic<K extends keyof CoachBookingEventMap>(target: EventTarget, name: K, detail: CoachBookingEventMap[K]['detail']): void {
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

/** Internal messages between the widget's own parts: they bubble to <coach-booking> and stop at its shadow root. */
export const INTERNAL = {
  announce: 'coach-booking-announce',
  coachSelected: 'coach-booking-coach-selected',
  coachesLoaded: 'coach-booking-coaches-loaded',
  slotSelected: 'coach-booking-slot-selected',
  slotLost: 'coach-booking-slot-lost',
  navigate: 'coach-booking-navigate',
} as const;

export function emitInternal<T>(target: EventTarget, name: (typeof INTERNAL)[keyof typeof INTERNAL], detail: T): void {
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: false }));
}
