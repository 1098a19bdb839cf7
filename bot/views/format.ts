import { DateTime } from 'luxon';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { SATISFACTION_LABELS } from '../../core/feedback/feedback.schema.js';

/**
 * Times are always shown in the coach's own zone, never the server's, and in
 * British English like core's labels ("Tue 3 Mar 10:00"), so the two agree.
 */
export function inZone(at: Date, zone: string): DateTime {
  return DateTime.fromJSDate(at, { zone }).setLocale('en-GB');
}

/** "Tue 3 Mar, 10:00–12:00" */
export function formatSessionTime(startsAt: Date, endsAt: Date, zone: string): string {
  const start = inZone(startsAt, zone);
  const end = inZone(endsAt, zone);
  const endFormat = start.hasSame(end, 'day') ? 'HH:mm' : 'ccc d LLL HH:mm';
  return `${start.toFormat('ccc d LLL, HH:mm')}–${end.toFormat(endFormat)}`;
}

/** "Tue 3 Mar 10:00", the same shape core uses for skipped occurrences. */
export function formatDayTime(at: Date, zone: string): string {
  return inZone(at, zone).toFormat('ccc d LLL HH:mm');
}

/**
 * "Europe/London (BST)", "America/New_York (EST)", "Asia/Tokyo (UTC+09:00)":
 * the zone plus what it is called at that moment. Abbreviations depend on the
 * locale (BST is British, EST American); where neither has one, the offset.
 */
export function formatZone(zone: string, at: Date): string {
  const local = DateTime.fromJSDate(at, { zone });
  const named = ['en-GB', 'en-US'].map((locale) => local.setLocale(locale).toFormat('ZZZZ')).find((name) => /^[A-Z]{2,5}$/.test(name));
  return `${zone} (${named ?? `UTC${local.toFormat('ZZ')}`})`;
}

/** The calendar date in the zone, as `yyyy-MM-dd`. */
export function localDate(at: Date, zone: string): string {
  return inZone(at, zone).toISODate() ?? '';
}

export function formatRating(satisfaction: number): string {
  const stars = '★'.repeat(satisfaction) + '☆'.repeat(Math.max(0, 5 - satisfaction));
  return `${stars} ${satisfaction}/5 ${SATISFACTION_LABELS[satisfaction] ?? ''}`.trimEnd();
}

export function formatAverage(average: number | null): string {
  return average === null ? '–' : `${average.toFixed(1)}/5`;
}

export function formatShare(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** "+44 20 7946 0958" from E.164, or the raw value if it cannot be parsed. */
export function formatPhone(e164: string | null): string {
  if (!e164) return 'no phone';
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
