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

/** Every zone the browser knows, for the switcher; older browsers get the zones we can name. */
export function knownTimeZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: 'timeZone') => string[] };
  return intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : [];
}

/** The wall-clock fields of an instant in a zone. */
function wallClock(instant: Date, zone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = formatter('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** Minutes the zone is ahead of UTC at that instant (Tokyo +540, New York -300 or -240). */
export function zoneOffsetMinutes(instant: Date, zone: string): number {
  const w = wallClock(instant, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const whole = Math.floor(instant.getTime() / 1000) * 1000;
  return Math.round((asUtc - whole) / 60_000);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function dayKey(instant: Date, zone: string): string {
  const w = wallClock(instant, zone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
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

/** "Tuesday 3 March" (in the locale's order) for a day key; no zone involved, the key is already local. */
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

/** "Tue 3 Mar, 10:00" */
export function formatDateTime(instant: Date, zone: string, locale: string | undefined): string {
  return formatter(locale, { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' }).format(instant);
}

/** "Tuesday 3 March 2026, 10:00 – 12:00" */
export function formatSession(start: Date, end: Date, zone: string, locale: string | undefined): string {
  const day = formatter(locale, { timeZone: zone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(start);
  return `${day}, ${formatTime(start, zone, locale)} – ${formatTime(end, zone, locale)}`;
}

/** "3 – 9 March 2026" for a week starting on a day key. */
export function formatWeek(startKey: string, locale: string | undefined): string {
  const { year, month, day } = parseDayKey(startKey);
  const end = parseDayKey(addDays(startKey, 6));
  const range = formatter(locale, { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
  return range.formatRange(new Date(Date.UTC(year, month - 1, day, 12)), new Date(Date.UTC(end.year, end.month - 1, end.day, 12)));
}

/** A zone as a person reads it: "Japan Standard Time (GMT+9)", falling back to the IANA name. */
export function describeZone(zone: string, locale: string | undefined, at: Date = new Date()): string {
  const name = (style: Intl.DateTimeFormatOptions['timeZoneName']) =>
    formatter(locale, { timeZone: zone, timeZoneName: style }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value;
  const generic = name('long');
  const offset = name('shortOffset');
  if (!generic || generic === offset) return `${zone.replaceAll('_', ' ')} (${offset ?? zone})`;
  return `${generic} (${offset})`;
}
