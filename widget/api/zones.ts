import type { RequestHandler } from 'express';
import { DateTime, IANAZone } from 'luxon';
import { acceptedEncoding, precompressed, type Encoding } from './bundle.js';
import { edgeProblem, sendProblem } from './problem.js';

/**
 * The time-zone picker's list, made here rather than in the browser: the
 * table of retired names and the list's assembly would be a tenth of the
 * widget's bytes, paid by every student, while only the few who change
 * zone need them.
 */

/**
 * Browsers (and Node) still answer some zones by names IANA retired (a device
 * in Kyiv reports Europe/Kiev, one in Mumbai Asia/Calcutta); people should
 * only see the current ones. Null: a retired duplicate of a zone already listed.
 */
const RETIRED: Record<string, string | null> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Coral_Harbour': null,
  'America/Godthab': 'America/Nuuk',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};
/** Retired short names of zones that now live one level down (America/Cordoba → America/Argentina/Cordoba). */
const MOVED = { Argentina: ['Buenos_Aires', 'Catamarca', 'Cordoba', 'Jujuy', 'Mendoza'], Indiana: ['Indianapolis'], Kentucky: ['Louisville'] };
for (const [region, cities] of Object.entries(MOVED)) for (const city of cities) RETIRED[`America/${city}`] = `America/${region}/${city}`;

/** Retired name → current name, for every retired name whose current one this runtime knows. */
export const ZONE_ALIASES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(RETIRED).filter((entry): entry is [string, string] => entry[1] !== null && IANAZone.isValidZone(entry[1])),
);

/** The current IANA name of a zone (Europe/Kiev → Europe/Kyiv). */
export const canonicalZone = (zone: string): string => ZONE_ALIASES[zone] ?? zone;

export interface ZoneChoice {
  id: string;
  /** "Kyiv", "Buenos Aires" */
  city: string;
  /** "GMT+2" */
  offset: string;
  /** "Eastern European Time", in the display locale */
  name: string;
}

/** What GET /widget/zones.json answers. */
export interface ZoneList {
  zones: ZoneChoice[];
  /** Retired names a device may still report, each with the current name it stands for. */
  aliases: Record<string, string>;
}

function zoneName(zone: string, locale: string, at: Date, style: 'shortOffset' | 'longGeneric'): string {
  return new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: style }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? '';
}

/** Every current zone, with what a person needs to recognise it, west to east, then by city. */
export function zoneChoices(locale: string, at = new Date()): ZoneChoice[] {
  const ids = Intl.supportedValuesOf('timeZone').filter((id) => RETIRED[id] !== null).map(canonicalZone);
  return [...new Set([...ids, 'UTC'])]
    .map((id) => ({ id, city: id.split('/').pop()!.replaceAll('_', ' '), offset: zoneName(id, locale, at, 'shortOffset'), name: zoneName(id, locale, at, 'longGeneric'), minutes: DateTime.fromJSDate(at, { zone: id }).offset }))
    .sort((a, b) => a.minutes - b.minutes || a.city.localeCompare(b.city))
    .map(({ minutes: _minutes, ...choice }) => choice);
}

const HOUR_MS = 3_600_000;
/** Locales seen in one hour; a flood of made-up tags must not grow memory without end. */
const MAX_CACHED = 64;

/**
 * GET /widget/zones.json?locale=fr-CA — public and cacheable like the script.
 * Offsets are the current ones, so a list is made at most once an hour per
 * locale and cached for as long.
 */
export function serveZones(now: () => Date = () => new Date()): RequestHandler {
  // The list is about 40 KB of JSON, 5-6 KB compressed: each locale's is compressed once, when made.
  const cache = new Map<string, Record<Encoding, Buffer>>();
  return (req, res) => {
    const asked = typeof req.query.locale === 'string' ? req.query.locale : 'en';
    let locale: string;
    try {
      locale = Intl.getCanonicalLocales(asked)[0] ?? 'en';
    } catch {
      sendProblem(res, edgeProblem('request.invalid_locale', `"${asked.slice(0, 40)}" is not a BCP 47 language tag. Send one like locale=en-GB, or leave locale out for English.`));
      return;
    }
    const at = now();
    const key = `${locale}|${Math.floor(at.getTime() / HOUR_MS)}`;
    let bodies = cache.get(key);
    if (!bodies) {
      if (cache.size >= MAX_CACHED) cache.clear();
      bodies = precompressed(Buffer.from(JSON.stringify({ zones: zoneChoices(locale, at), aliases: ZONE_ALIASES } satisfies ZoneList)));
      cache.set(key, bodies);
    }
    const encoding = acceptedEncoding(req);
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.setHeader('Vary', 'Accept-Encoding');
    if (encoding !== 'identity') res.setHeader('Content-Encoding', encoding);
    res.type('application/json').send(bodies[encoding]);
  };
}
