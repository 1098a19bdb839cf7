/**
 * Who did something: a coach, a student, an admin (by their Slack user id)
 * or the system itself (the app being uninstalled from a workspace).
 */
export const ACTOR_KINDS = ['coach', 'student', 'admin', 'system'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export interface AuditActor {
  kind: ActorKind;
  /** A coach or student id, an admin's Slack user id, or what the system was doing (`uninstall`). */
  id: string;
}

/** In the order a session lives through them. */
export const AUDIT_ACTIONS = [
  'slot.created',
  'series.created',
  'booking.created',
  'booking.moved',
  'session.rated',
  'booking.cancelled',
  'slot.removed',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** A few facts about the action, never a note or a phone number. */
export interface AuditDetails {
  reason?: string | null;
  /** Slots a series created. */
  count?: number;
  startsAt?: Date;
  fromStartsAt?: Date;
  toStartsAt?: Date;
  score?: number;
}

export interface AuditEntry {
  id: string;
  teamId: string;
  at: Date;
  actor: AuditActor;
  action: AuditAction;
  coachId: string;
  bookingId: string | null;
  slotId: string | null;
  seriesId: string | null;
  details: AuditDetails;
}
