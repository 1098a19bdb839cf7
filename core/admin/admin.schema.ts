import { z } from 'zod';
import type { AuditEntry } from '../audit/audit.schema.js';
import type { BookingStatus, Cancellation } from '../bookings/booking.schema.js';
import { instantSchema } from '../shared/time.schema.js';

/** The longest range one export may cover: a year, leap day included. */
export const EXPORT_MAX_DAYS = 366;

export const exportRangeSchema = z.object({ from: instantSchema, to: instantSchema }).strict();
export type ExportRange = z.input<typeof exportRangeSchema>;

/** Someone allowed to see and change their workspace's whole schedule. */
export interface Admin {
  /** Their Slack user id (or, through the API, the admin token's `sub`). */
  id: string;
}

/**
 * A session as an admin sees it: who, when, how it went. No phone number or
 * e-mail address (those stay between the two participants) and no notes.
 */
export interface AdminSession {
  id: string;
  slotId: string;
  startsAt: Date;
  endsAt: Date;
  status: BookingStatus;
  coach: { id: string; name: string; timezone: string; slackUserId: string };
  student: { id: string; name: string };
  score: number | null;
  cancellation: Cancellation | null;
}

export interface OpenSlotCount {
  coach: { id: string; name: string; timezone: string };
  open: number;
}

export interface AdminOverview {
  /** Active sessions starting in the admin's today, and in their week (Monday to Sunday), soonest first. */
  today: { items: AdminSession[]; total: number };
  week: { items: AdminSession[]; total: number };
  /** Every coach of the workspace with their open, not yet started slots, most first. */
  openSlots: OpenSlotCount[];
  /** Sessions that ended more than 24 hours ago and have no rating, oldest first. */
  unrated: { items: AdminSession[]; total: number };
  /** Cancellations in the last 30 days, by who cancelled. */
  cancellations: { student: number; coach: number; admin: number; since: Date };
  /** The workspace's latest audit entries, newest first, with the coach's or student's name. */
  recent: Array<AuditEntry & { actorName: string | null }>;
}

/** One row of a sessions export, as plain values (the edges write it as CSV). */
export interface ExportRow {
  coach: string;
  student: string;
  startsUtc: string;
  endsUtc: string;
  coachZone: string;
  startsCoachZone: string;
  endsCoachZone: string;
  status: string;
  score: number | null;
  /** Only when the export asked for the notes of this coach's sessions. */
  notes?: string;
}
