import { z } from 'zod';
import { objectIdSchema } from '../shared/time.schema.js';

export const BOOKING_STATUSES = ['active', 'cancelled'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

export const bookSlotSchema = z.object({
  slotId: objectIdSchema,
  /** A client-chosen key: a retried request with the same key returns the same booking. */
  idempotencyKey: z.string().min(8).max(200).optional(),
}).strict();
export type BookSlotInput = z.input<typeof bookSlotSchema>;

export const rescheduleSchema = z.object({
  slotId: objectIdSchema,
}).strict();
export type RescheduleInput = z.input<typeof rescheduleSchema>;

export const cancelSchema = z.object({
  reason: z.string().trim().max(500, 'Keep the reason under 500 characters.').optional(),
}).strict();

/** An admin may cancel any session of their workspace; the student and the coach are told it was the organisation. */
export const CANCELLED_BY = ['student', 'coach', 'admin'] as const;
export type CancelledBy = (typeof CANCELLED_BY)[number];

export interface Cancellation {
  by: CancelledBy;
  at: Date;
  reason: string | null;
}

export interface FeedbackView {
  satisfaction: number;
  notes: string;
  recordedAt: Date;
  updatedAt: Date;
}

export interface Party {
  id: string;
  name: string;
  /** E.164; present only because the viewer is the other participant. */
  phone: string | null;
}

/** A session as its coach sees it. */
export interface CoachSession {
  id: string;
  slotId: string;
  startsAt: Date;
  endsAt: Date;
  status: BookingStatus;
  student: Party & { email: string | null };
  feedback: FeedbackView | null;
  /** Earlier versions of the rating, oldest first: what `feedback` replaced. */
  feedbackHistory: Array<{ satisfaction: number; notes: string; replacedAt: Date }>;
  cancellation: Cancellation | null;
  /** Started, active and not rated yet. */
  needsRating: boolean;
  /** Bumped by each move and by the cancellation (the iCalendar SEQUENCE). */
  sequence: number;
  /** Where the session was before its latest move, or null if it never moved. */
  movedFrom: { startsAt: Date; endsAt: Date } | null;
  createdAt: Date;
}

/** A session as its student sees it: no feedback. */
export interface StudentSession {
  id: string;
  slotId: string;
  startsAt: Date;
  endsAt: Date;
  status: BookingStatus;
  coach: Party & { avatarUrl: string | null; timezone: string };
  cancellation: Cancellation | null;
  /** The last moment the student may cancel (the start minus the cutoff). */
  cancellableUntil: Date;
  /** Bumped by each move and by the cancellation (the iCalendar SEQUENCE). */
  sequence: number;
  /** Where the session was before its latest move, or null if it never moved. */
  movedFrom: { startsAt: Date; endsAt: Date } | null;
  createdAt: Date;
}

/**
 * What a coach knows of a student before meeting them, from their own
 * sessions together only: another coach's ratings and notes never appear.
 */
export interface StudentContext {
  /** Sessions with this coach that have ended and were not cancelled. */
  sessionsHeld: number;
  /** The latest rated one of those. */
  lastRated: { bookingId: string; startsAt: Date; satisfaction: number; notes: string } | null;
}
