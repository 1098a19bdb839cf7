import type { Core } from '../core/core.types.js';
import type { WorkspaceScope } from '../core/shared/scope.js';
import type { Slot } from '../core/slots/slot.schema.js';
import { anyCoachTimeValue, type BookingFormInput, type BookingFormMetadata, type TimeChoice } from './views/book-session.view.js';
import { localDate } from './views/format.js';

/** How far ahead the form lists days: the longest range core lists in one query. */
export const BOOKING_WINDOW_DAYS = 31;
const DAY_MS = 86_400_000;
const PAGE = 500;
const MAX_PAGES = 4;

/**
 * The open times the booking form offers, as core lists them for a
 * student (notice and horizon applied), in the student's workspace. A
 * coach who is also a student never sees their own slots.
 */
export async function bookableSlots(core: Core, input: { coachId: string | null; from: Date; to: Date; scope: WorkspaceScope; excludeCoachId: string | null }): Promise<Slot[]> {
  const slots: Slot[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await core.slots.listBookableAcross(
      { from: input.from, to: input.to, limit: PAGE, ...(input.coachId ? { coachId: input.coachId } : {}), ...(cursor ? { cursor } : {}) },
      input.scope,
    );
    slots.push(...result.slots.filter((slot) => slot.coachId !== input.excludeCoachId));
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return slots;
}

/** Everything the form shows for what is chosen so far. */
export async function loadBookingForm(
  core: Core,
  metadata: BookingFormMetadata,
  context: { scope: WorkspaceScope; excludeCoachId: string | null; notice?: string | null; current?: { startsAt: Date; endsAt: Date } | null },
): Promise<BookingFormInput> {
  const now = core.clock.now();
  const slots = await bookableSlots(core, { coachId: metadata.coachId, from: now, to: new Date(now.getTime() + BOOKING_WINDOW_DAYS * DAY_MS), scope: context.scope, excludeCoachId: context.excludeCoachId });
  const days = [...new Set(slots.map((slot) => localDate(slot.startsAt, metadata.tz)))].sort();
  const day = metadata.day && days.includes(metadata.day) ? metadata.day : null;
  const times: TimeChoice[] = [];
  if (day) {
    const ofDay = slots.filter((slot) => localDate(slot.startsAt, metadata.tz) === day);
    if (metadata.coachId) times.push(...ofDay.map((slot) => ({ value: slot.id, startsAt: slot.startsAt, endsAt: slot.endsAt })));
    else {
      const byStart = new Map<number, TimeChoice>();
      for (const slot of ofDay) {
        const at = slot.startsAt.getTime();
        const existing = byStart.get(at);
        if (existing) existing.coaches = (existing.coaches ?? 1) + 1;
        else byStart.set(at, { value: anyCoachTimeValue(slot.startsAt), startsAt: slot.startsAt, endsAt: slot.endsAt, coaches: 1 });
      }
      times.push(...[...byStart.values()].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime()));
    }
  }
  return { metadata: { ...metadata, day }, now, days, times, notice: context.notice ?? null, current: context.current ?? null, windowDays: BOOKING_WINDOW_DAYS };
}

/** The slots a chosen time stands for: the one slot, or every coach's slot starting then (for "any coach"), in a fair order. */
export async function slotsForChoice(core: Core, value: string, context: { scope: WorkspaceScope; excludeCoachId: string | null }): Promise<string[]> {
  const at = /^at:(\d{13})$/.exec(value);
  if (!at) return /^[0-9a-f]{24}$/.test(value) ? [value] : [];
  const startsAt = new Date(Number(at[1]));
  const slots = await bookableSlots(core, { coachId: null, from: startsAt, to: new Date(startsAt.getTime() + 60_000), ...context });
  // Whoever has the time open; shuffled so "any coach" does not always land on the same one.
  const ids = slots.filter((slot) => slot.startsAt.getTime() === startsAt.getTime()).map((slot) => slot.id);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return ids;
}
