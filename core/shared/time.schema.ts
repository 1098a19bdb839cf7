import { z } from 'zod';

/** A slot is exactly this long. */
export const SLOT_MINUTES = 120;
export const SLOT_MS = SLOT_MINUTES * 60_000;
/** Slot starts sit on this grid (minutes past the hour: 0, 15, 30, 45). */
export const GRID_MINUTES = 15;
export const GRID_MS = GRID_MINUTES * 60_000;

/** An IANA zone name that the runtime's Intl knows (e.g. `Europe/London`). */
export const timeZoneSchema = z.string().min(1).refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'Not a known IANA time zone (for example Europe/London).' },
);

/** An instant given as a Date or an ISO 8601 string with an offset or Z. */
export const instantSchema = z.union([
  z.date(),
  z.iso.datetime({ offset: true, message: 'Use an ISO 8601 instant such as 2026-03-01T10:00:00Z.' }).transform((s) => new Date(s)),
]).refine((d) => !Number.isNaN(d.getTime()), { message: 'Not a valid instant.' });

export const objectIdSchema = z.string().regex(/^[0-9a-f]{24}$/i, 'Not a valid id.');

/** Offset pagination; limits are capped so no query grows without bound. */
export const pageSchema = z.object({
  limit: z.number().int().min(1).max(100).default(20),
  offset: z.number().int().min(0).max(100_000).default(0),
}).strict();
export type PageInput = z.input<typeof pageSchema>;

export interface Page<T> {
  items: T[];
  /** Offset of the next page, or null when this is the last. */
  nextOffset: number | null;
  total: number;
}

/** Cursor pagination: the next page starts after the last item of this one, so no count and no skip. */
export const cursorPageSchema = z.object({
  limit: z.number().int().min(1).max(100).default(20),
  /** `nextCursor` of the previous page; absent or null for the first. */
  cursor: z.string().max(1000).nullish(),
}).strict();
export type CursorPageInput = z.input<typeof cursorPageSchema>;

export interface CursorPage<T> {
  items: T[];
  /** Hand back to get the page after this one; null on the last. */
  nextCursor: string | null;
}
