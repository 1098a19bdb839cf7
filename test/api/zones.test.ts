import { get as httpGet } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { canonicalZone, zoneChoices, type ZoneList } from '../../widget/api/zones.js';
import { useWidgetApp } from './fixtures.js';

const offsetOf = (zone: string, at: Date) => {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')!.value;
  const [, sign, hours = '0', minutes = '0'] = /([+-])(\d+):?(\d*)/.exec(name) ?? [];
  return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes || 0));
};

describe('the time-zone picker’s list', () => {
  const june = new Date('2026-06-01T10:00:00Z');
  const choices = zoneChoices('en-GB', june);

  it('offers current names only, each once, with offset and a friendly name', () => {
    const ids = choices.map((c) => c.id);
    for (const retired of ['Asia/Calcutta', 'Europe/Kiev', 'Asia/Saigon', 'America/Godthab', 'Pacific/Enderbury', 'America/Coral_Harbour']) expect(ids).not.toContain(retired);
    for (const current of ['Asia/Kolkata', 'Europe/Kyiv', 'Asia/Ho_Chi_Minh', 'America/Nuuk', 'Pacific/Kanton', 'UTC']) expect(ids).toContain(current);
    expect(new Set(ids).size).toBe(ids.length);
    expect(choices.find((c) => c.id === 'Europe/Kyiv')).toEqual({ id: 'Europe/Kyiv', city: 'Kyiv', offset: 'GMT+3', name: 'Eastern European Time' });
    expect(choices.find((c) => c.id === 'America/Argentina/Buenos_Aires')?.city).toBe('Buenos Aires');
  });

  it('sorts by offset, west to east, with the offsets of that day on both sides of a DST change', () => {
    const offsets = choices.map((c) => offsetOf(c.id, june));
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    const newYork = (at: string) => zoneChoices('en-US', new Date(at)).find((c) => c.id === 'America/New_York')!.offset;
    expect(newYork('2026-03-08T06:59:00Z')).toBe('GMT-5');
    expect(newYork('2026-03-08T07:00:00Z')).toBe('GMT-4');
  });

  it('names a device zone by its current name', () => {
    expect(canonicalZone('Asia/Calcutta')).toBe('Asia/Kolkata');
    expect(canonicalZone('America/Cordoba')).toBe('America/Argentina/Cordoba');
    expect(canonicalZone('Europe/London')).toBe('Europe/London');
  });
});

describe('GET /widget/zones.json', () => {
  const ctx = useWidgetApp();

  it('answers the list in the asked locale, cacheable, readable from any host page', async () => {
    const response = await fetch(ctx.url('/widget/zones.json?locale=fr-FR'));
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
    const list = (await response.json()) as ZoneList;
    expect(list.zones.find((z) => z.id === 'Asia/Tokyo')).toMatchObject({ city: 'Tokyo', offset: 'UTC+9', name: 'heure normale du Japon' });
    expect(list.aliases['Europe/Kiev']).toBe('Europe/Kyiv');
    const english = (await (await fetch(ctx.url('/widget/zones.json'))).json()) as ZoneList;
    expect(english.zones.find((z) => z.id === 'Asia/Tokyo')?.name).toBe('Japan Standard Time');
  });

  it('is sent compressed to a client that takes brotli or gzip, and plain to one that takes neither', async () => {
    const raw = (acceptEncoding: string | null) =>
      new Promise<{ encoding: string | undefined; vary: string | undefined; body: Buffer }>((resolve, reject) => {
        httpGet(ctx.url('/widget/zones.json?locale=de-DE'), { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ encoding: res.headers['content-encoding'], vary: res.headers.vary, body: Buffer.concat(chunks) }));
        }).on('error', reject);
      });
    const plain = await raw(null);
    expect(plain.encoding).toBeUndefined();
    expect(plain.vary).toBe('Accept-Encoding');
    const br = await raw('gzip, deflate, br');
    expect(br.encoding).toBe('br');
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    const gzip = await raw('gzip');
    expect(gzip.encoding).toBe('gzip');
    expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);
    console.log(`zones.json (de-DE): ${plain.body.length} B, ${gzip.body.length} B gzip, ${br.body.length} B brotli`);
    expect(br.body.length).toBeLessThan(plain.body.length / 4);
  });

  it('refuses a locale that is not a language tag with a problem that says what to send', async () => {
    const response = await fetch(ctx.url('/widget/zones.json?locale=not_a*locale'));
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as { code: string; detail: string };
    expect(problem.code).toBe('request.invalid_locale');
    expect(problem.detail).toContain('locale=en-GB');
  });
});
