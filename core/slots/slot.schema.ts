import { DateTime } from 'luxon';
import { z } from 'zod';
import type { PublicCoach } from '../coaches/coach.schema.js';
import type { Page } from '../shared/time.schema.js';
import { instantSchema, objectIdSchema, timeZoneSchema } from '../shared/time.schema.js';

/**
 * open: bookable; booked: has an active session; removed: taken down by the
 * coach while open; withdrawn: the coach cancelled its session.
 * Open and booked slots are "live": they occupy the coach's calendar.
 */
export const SLOT_STATUSES = ['open', 'booked', 'removed', 'withdrawn'] as const;
export type SlotStatus = (typeof SLOT_STATUSES)[number];

export const slotCreateSchema = z.object({
  startsAt: instantSchema,
  /** Optional; when given it must be exactly startsAt + 2h. */
  endsAt: instantSchema.optional(),
}).strict();
export type SlotCreateInput = z.input<typeof slotCreateSchema>;

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-03-10.')
  .refine((date) => DateTime.fromISO(date).isValid, { message: 'That date does not exist (check the day of the month).' });
const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a 24-hour time like 09:30.');

/**
 * Slots given in the coach's wall-clock time: one date, one or more start
 * times, optionally repeated weekly (weeks = total occurrences per time, 1 = no repeat).
 */
export const slotSeriesSchema = z.object({
  date: localDate,
  times: z.array(localTime).min(1, 'Pick at least one start time.').max(12, 'At most 12 start times at once.'),
  timezone: timeZoneSchema,
  weeks: z.number().int().min(1, 'Repeat for at least 1 week.').max(26, 'Repeat for at most 26 weeks.').default(1),
}).strict();
export type SlotSeriesInput = z.input<typeof slotSeriesSchema>;

export const slotRangeSchema = z.object({
  from: instantSchema,
  to: instantSchema,
}).strict();

/** Where a page of the cross-coach listing resumes: the last slot's start (epoch ms) and id. */
const slotCursorSchema = z.string().regex(/^\d{1,15}_[0-9a-f]{24}$/i, 'Not a cursor this API handed out. Start again without one.');

export const openSlotsQuerySchema = z.object({
  from: instantSchema,
  to: instantSchema,
  /** Only this coach's slots. */
  coachId: objectIdSchema.optional(),
  limit: z.number().int().min(1).max(500).default(200),
  cursor: slotCursorSchema.optional(),
}).strict();
export type OpenSlotsQuery = z.input<typeof openSlotsQuerySchema>;

export interface OpenSlotsPage {
  slots: Slot[];
  /** The coaches the page's slots belong to. */
  coaches: PublicCoach[];
  /** Pass back as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
  /** The first bookable slot at or after `to` (same coach filter), for a "next available" jump; null if none within the horizon. */
  nextOpenAfter: Slot | null;
}

export interface Slot {
  id: string;
  coachId: string;
  /** The coach's workspace (Slack team id). */
  teamId: string;
  startsAt: Date;
  endsAt: Date;
  status: SlotStatus;
  bookingId: string | null;
  seriesId: string | null;
  createdAt: Date;
}

export interface SkippedOccurrence {
  startsAt: Date;
  /** Local wall-clock label in the series' zone, e.g. "Tue 3 Mar 10:00". */
  label: string;
  code: string;
  message: string;
  /** Which requested time (index into `times`) this occurrence came from. */
  timeIndex: number;
}

export interface SeriesResult {
  seriesId: string;
  created: Slot[];
  skipped: SkippedOccurrence[];
  /** Occurrences never tried because the caller stopped the series (a shutdown); 0 normally. */
  notAttempted: number;
}

/** "Extend by N weeks": how many more weeks of the same weekday and local times. */
export const seriesExtendSchema = z.object({
  weeks: z.number().int('Pick a whole number of weeks.').min(1, 'Extend by at least 1 week.').max(26, 'Extend by at most 26 weeks at once.'),
}).strict();
export type SeriesExtendInput = z.input<typeof seriesExtendSchema>;

/** A weekly series as one item (see core/slots/series.rules.ts); counts are of occurrences not yet started. */
export interface SeriesSummary {
  id: string;
  coachId: string;
  /** The zone the series keeps its wall-clock times in. */
  timezone: string;
  /** Local weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Local start and end times ("18:00"), earliest first. */
  times: Array<{ start: string; end: string }>;
  open: number;
  booked: number;
  nextStartsAt: Date;
  lastStartsAt: Date;
  /** The local date of the last upcoming occurrence, "2027-01-12". */
  lastDate: string;
}

export type AvailabilityItem = { kind: 'slot'; slot: Slot } | { kind: 'series'; series: SeriesSummary };

export interface AvailabilityPage extends Page<AvailabilityItem> {
  /** Open slots not yet started, in and outside series. */
  openSlots: number;
}

/** What "Remove the rest of the series" did. */
export interface SeriesRemoval {
  series: SeriesSummary;
  /** Open slots taken down. */
  removed: number;
  /** Booked sessions of the series still to come, which stay. */
  kept: Slot[];
  /** Open slots a booking was in the middle of taking, left as they are (they end up booked or open). */
  unsettled: Slot[];
}
