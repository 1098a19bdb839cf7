import type { BookingDto } from '../api/contract.schema.js';

/** `coach-booking:booked` — the student booked a session. */
export interface CoachBookingBookedDetail {
  booking: BookingDto;
}

/** `coach-booking:cancelled` — the student cancelled a session. */
export interface CoachBookingCancelledDetail {
  booking: BookingDto;
}

/** `coach-booking:rescheduled` — the student moved a session; `previous` is the session as it was. */
export interface CoachBookingRescheduledDetail {
  booking: BookingDto;
  previous: BookingDto;
}

/**
 * `coach-booking:token-expired` — the token has expired (or will within a
 * minute, or was refused): set a fresh one on `token`. Whatever the student
 * was doing waits and resumes once it arrives.
 */
export interface CoachBookingTokenExpiredDetail {
  /** `auth.token_expired`, `auth.token_expiring`, `auth.invalid_token` or `auth.missing_token`. */
  code: string;
}

/**
 * `coach-booking:error` — a request failed and the widget showed the student a
 * message. `code` is the API's stable code (`slot.taken`, `origin.not_allowed`,
 * `service.unavailable`, …) or `network`; `status` is null when the server was not reached.
 */
export interface CoachBookingErrorDetail {
  code: string;
  message: string;
  status: number | null;
}

export interface CoachBookingEventMap {
  'coach-booking:booked': CustomEvent<CoachBookingBookedDetail>;
  'coach-booking:cancelled': CustomEvent<CoachBookingCancelledDetail>;
  'coach-booking:rescheduled': CustomEvent<CoachBookingRescheduledDetail>;
  'coach-booking:token-expired': CustomEvent<CoachBookingTokenExpiredDetail>;
  'coach-booking:error': CustomEvent<CoachBookingErrorDetail>;
}

declare global {
  interface HTMLElementEventMap extends CoachBookingEventMap {}
}

/** Public events cross the shadow boundary (composed) and bubble, so the host can listen anywhere above. */
export function emit<K extends keyof CoachBookingEventMap>(target: EventTarget, name: K, detail: CoachBookingEventMap[K]['detail']): void {
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}
