/**
 * Time zone arithmetic with the browser's Intl only: a zone library would be
 * most of the bundle. Days are handled as `YYYY-MM-DD` keys in a given zone.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, cached);
  }
  return cached;
}

export function isTimeZone(zone: string | null | undefined): zone is string {
  if (!zone) return false;
  try {
    formatter('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function detectTimeZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return isTimeZone(zone) ? zone : 'UTC';
}

function zoneName(zone: string, locale: string | undefined, at: Date, style: Intl.DateTimeFormatOptions['timeZoneName']): string | undefined {
  return formatter(locale, { timeZone: zone, timeZoneName: style }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value;
}

/** Minutes the zone is ahead of UTC at that instant, read from its "GMT+05:30" name (Tokyo +540, New York -300 or -240). */
export function zoneOffsetMinutes(instant: Date, zone: string): number {
  const [, sign, hours = 0, minutes = 0] = /([+-])(\d+):?(\d*)/.exec(zoneName(zone, 'en-US', instant, 'longOffset') ?? '') ?? [];
  return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The local day of an instant, `YYYY-MM-DD` (the Canadian English date format is exactly that). */
export function dayKey(instant: Date, zone: string): string {
  return formatter('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

function parseDayKey(key: string): { year: number; month: number; day: number } {
  const [year = 1970, month = 1, day = 1] = key.split('-').map(Number);
  return { year, month, day };
}

export function addDays(key: string, days: number): string {
  const { year, month, day } = parseDayKey(key);
  const date = new Date(Date.UTC(year, month - 1, day + days));
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/**
 * The instant a local day begins in a zone. The offset is looked up twice
 * because the first guess may sit on the other side of a DST change.
 */
export function startOfDay(key: string, zone: string): Date {
  const { year, month, day } = parseDayKey(key);
  const midnightAsUtc = Date.UTC(year, month - 1, day);
  let instant = midnightAsUtc - zoneOffsetMinutes(new Date(midnightAsUtc), zone) * 60_000;
  instant = midnightAsUtc - zoneOffsetMinutes(new Date(instant), zone) * 60_000;
  return new Date(instant);
}

/** "Tuesday 3 March" (or "Tue 3 Mar"), in the locale's order, for a day key; no zone involved, the key is already local. */
export function formatDay(key: string, locale: string | undefined, style: 'long' | 'short' = 'long'): string {
  const { year, month, day } = parseDayKey(key);
  const options: Intl.DateTimeFormatOptions =
    style === 'long'
      ? { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' }
      : { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' };
  return formatter(locale, options).format(new Date(Date.UTC(year, month - 1, day, 12)));
}

export function formatTime(instant: Date, zone: string, locale: string | undefined): string {
  return formatter(locale, { timeZone: zone, hour: 'numeric', minute: '2-digit' }).format(instant);
}

/** "Tuesday 3 March 2026, 10:00 – 12:00" */
export function formatSession(start: Date, end: Date, zone: string, locale: string | undefined): string {
  const day = formatter(locale, { timeZone: zone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(start);
  return `${day}, ${formatTime(start, zone, locale)} – ${formatTime(end, zone, locale)}`;
}

/** A zone as a person reads it: "Japan Standard Time (GMT+9)", falling back to the IANA name. */
export function describeZone(zone: string, locale: string | undefined, at: Date = new Date()): string {
  const generic = zoneName(zone, locale, at, 'long');
  const offset = zoneName(zone, locale, at, 'shortOffset');
  if (!generic || generic === offset) return `${zone.replaceAll('_', ' ')} (${offset ?? zone})`;
  return `${generic} (${offset})`;
}

/** `YYYY-MM` of a day key. */
export const monthOf = (key: string): string => key.slice(0, 7);

export function addMonths(month: string, months: number): string {
  const { year, month: m } = parseDayKey(`${month}-01`);
  const date = new Date(Date.UTC(year, m - 1 + months, 1));
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}`;
}

export function daysInMonth(month: string): number {
  const { year, month: m } = parseDayKey(`${month}-01`);
  return new Date(Date.UTC(year, m, 0)).getUTCDate();
}

/** ISO weekday of a day key: 1 is Monday, 7 Sunday. */
export function weekday(key: string): number {
  const { year, month, day } = parseDayKey(key);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() || 7;
}

/** Where the week starts in a locale (1 Monday … 7 Sunday), from Intl's week data where the browser has it. */
export function firstDayOfWeek(locale: string | undefined): number {
  try {
    const l = new Intl.Locale(locale ?? navigator.language) as Intl.Locale & { getWeekInfo?: () => { firstDay: number }; weekInfo?: { firstDay: number } };
    const info = l.getWeekInfo?.() ?? l.weekInfo;
    if (info) return info.firstDay;
    // Older browsers: the common Sunday-first regions (en alone means en-US), Monday elsewhere (ISO 8601).
    return /^(US|CA|JP|BR|IL|MX|PH|TW|KR|IN)$/.test(l.maximize().region ?? '') ? 7 : 1;
  } catch {
    return 1;
  }
}

/** "December 2026" */
export function formatMonth(month: string, locale: string | undefined): string {
  const { year, month: m } = parseDayKey(`${month}-01`);
  return formatter(locale, { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(new Date(Date.UTC(year, m - 1, 1, 12)));
}

/** Weekday names from the given first day: narrow-ish for the header, long for screen readers. */
export function weekdayNames(locale: string | undefined, firstDay: number): Array<{ short: string; long: string }> {
  // 2024-01-01 was a Monday.
  return Array.from({ length: 7 }, (_, i) => {
    const date = new Date(Date.UTC(2024, 0, ((firstDay - 1 + i) % 7) + 1, 12));
    return {
      short: formatter(locale, { timeZone: 'UTC', weekday: 'short' }).format(date),
      long: formatter(locale, { timeZone: 'UTC', weekday: 'long' }).format(date),
    };
  });
}
