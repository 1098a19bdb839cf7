import { beforeAll, describe, expect, it } from 'vitest';
import type { CoachDto } from '../../widget/api/contract.schema.js';
import { getJson, type JsonResponse } from '../helpers/http.js';
import { DAY, HOUR, at, makeCoach, openSlot, useWidgetApp } from './fixtures.js';

type CoachBody = CoachDto;
type CoachesBody = { coaches: CoachBody[]; nextCursor: string | null };

const ctx = useWidgetApp();
let ada: { id: string };
let idle: { id: string };
let adaSlots: Array<{ id: string }>;

beforeAll(async () => {
  ada = await makeCoach(ctx.core, { name: 'Ada Okafor', bio: 'Career coach.', timezone: 'Europe/London', phone: '+442079460018' });
  idle = await makeCoach(ctx.core, { name: 'Zed Idle', timezone: 'Asia/Tokyo' });
  adaSlots = [
    await openSlot(ctx.core, ada.id, at(2 * DAY + HOUR)), // 3 June 10:00Z
    await openSlot(ctx.core, ada.id, at(5 * DAY + HOUR)), // 6 June 10:00Z
    await openSlot(ctx.core, ada.id, at(40 * DAY + HOUR)), // 11 July 10:00Z
  ];
  // Inside the 12-hour notice: open, but not bookable any more.
  await openSlot(ctx.core, ada.id, at(4 * HOUR));
});

describe('GET /api/v1/coaches', () => {
  it('lists every coach with bio, zone and next bookable slot, and never a phone', async () => {
    const response = await getJson<CoachesBody>(ctx.url('/api/v1/coaches'));
    expect(response.status).toBe(200);
    expect(response.body.nextCursor).toBeNull();
    expect(response.body).not.toHaveProperty('total');
    const byName = new Map(response.body.coaches.map((c) => [c.name, c]));
    expect(byName.get('Ada Okafor')).toEqual({
      id: ada.id,
      name: 'Ada Okafor',
      bio: 'Career coach.',
      avatarUrl: null,
      timezone: 'Europe/London',
      nextOpenSlot: { id: adaSlots[0]!.id, startsAt: '2026-06-03T10:00:00.000Z', endsAt: '2026-06-03T12:00:00.000Z' },
    });
    expect(byName.get('Zed Idle')).toMatchObject({ id: idle.id, nextOpenSlot: null, timezone: 'Asia/Tokyo' });
    expect(JSON.stringify(response.body)).not.toContain('+44');
  });

  it('pages with limit and a cursor: every coach once, in name order, and the last page says so', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const page: JsonResponse<CoachesBody> = await getJson<CoachesBody>(ctx.url(`/api/v1/coaches?limit=1${query}`));
      expect(page.status).toBe(200);
      expect(page.body.coaches).toHaveLength(1);
      seen.push(page.body.coaches[0]!.name);
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 10);
    expect(seen).toEqual(['Ada Okafor', 'Zed Idle']);
  });

  it('keeps its place when the last coach of a page is renamed before the next page is asked for', async () => {
    const first = await getJson<CoachesBody>(ctx.url('/api/v1/coaches?limit=1'));
    await ctx.core.coaches.updateProfile(ada.id, { name: 'Zzz Ada' });
    try {
      const second = await getJson<CoachesBody>(ctx.url(`/api/v1/coaches?limit=1&cursor=${encodeURIComponent(first.body.nextCursor!)}`));
      expect(second.body.coaches.map((c) => c.name)).toEqual(['Zed Idle']);
    } finally {
      await ctx.core.coaches.updateProfile(ada.id, { name: 'Ada Okafor' });
    }
  });

  it('refuses a cursor it did not give out, and the old offset parameter, naming the query field', async () => {
    for (const [query, field] of [['cursor=not-a-cursor', 'cursor'], ['offset=1', 'offset']] as const) {
      const response = await getJson<{ code: string; errors: Array<{ location: string; path: string; message: string }> }>(ctx.url(`/api/v1/coaches?${query}`));
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('validation.failed');
      expect(response.body.errors).toEqual([expect.objectContaining({ location: 'query', path: field })]);
    }
  });

  it('rejects a limit out of range and unknown query fields, naming them', async () => {
    const response = await getJson<{ code: string; errors: Array<{ location: string; path: string }> }>(ctx.url('/api/v1/coaches?limit=500&sort=name'));
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation.failed');
    expect(response.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ location: 'query', path: 'limit' }), expect.objectContaining({ location: 'query', path: 'sort' })]),
    );
  });
});

describe('GET /api/v1/coaches/{coachId}/slots', () => {
  const slotsUrl = (coachId: string, from: string, to: string) =>
    ctx.url(`/api/v1/coaches/${coachId}/slots?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);

  it('returns the open, bookable slots in the range, soonest first, as UTC instants', async () => {
    const response = await getJson<{ slots: unknown[] }>(slotsUrl(ada.id, '2026-06-01T00:00:00Z', '2026-06-30T00:00:00Z'));
    expect(response.status).toBe(200);
    expect(response.body.slots).toEqual([
      { id: adaSlots[0]!.id, coachId: ada.id, startsAt: '2026-06-03T10:00:00.000Z', endsAt: '2026-06-03T12:00:00.000Z' },
      { id: adaSlots[1]!.id, coachId: ada.id, startsAt: '2026-06-06T10:00:00.000Z', endsAt: '2026-06-06T12:00:00.000Z' },
    ]);
  });

  it('accepts instants with an offset', async () => {
    const response = await getJson<{ slots: Array<{ id: string }> }>(slotsUrl(ada.id, '2026-06-03T11:00:00+02:00', '2026-06-04T00:00:00+02:00'));
    expect(response.status).toBe(200);
    expect(response.body.slots.map((s) => s.id)).toEqual([adaSlots[0]!.id]);
  });

  it('answers an empty list for a coach with no open slots', async () => {
    const response = await getJson<{ slots: unknown[] }>(slotsUrl(idle.id, '2026-06-01T00:00:00Z', '2026-06-20T00:00:00Z'));
    expect(response.status).toBe(200);
    expect(response.body.slots).toEqual([]);
  });

  it('accepts exactly 31 days and refuses a wider range with range.too_wide', async () => {
    expect((await getJson(slotsUrl(ada.id, '2026-06-01T00:00:00Z', '2026-07-02T00:00:00Z'))).status).toBe(200);
    const response = await getJson<{ code: string; status: number }>(slotsUrl(ada.id, '2026-06-01T00:00:00Z', '2026-07-02T00:01:00Z'));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'range.too_wide', status: 400 });
  });

  it('refuses a range that ends before it starts', async () => {
    const response = await getJson<{ code: string }>(slotsUrl(ada.id, '2026-06-10T00:00:00Z', '2026-06-01T00:00:00Z'));
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('range.invalid');
  });

  it('refuses a missing or malformed instant, naming the field', async () => {
    const response = await getJson<{ code: string; errors: Array<{ path: string; location: string }> }>(
      ctx.url(`/api/v1/coaches/${ada.id}/slots?from=tomorrow`),
    );
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation.failed');
    expect(response.body.errors.map((e) => `${e.location}:${e.path}`).sort()).toEqual(['query:from', 'query:to']);
  });

  it('refuses query operators instead of passing them on', async () => {
    const response = await getJson<{ code: string }>(ctx.url(`/api/v1/coaches/${ada.id}/slots?from[$gt]=&to=2026-06-10T00:00:00Z`));
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation.failed');
  });

  it('answers 404 coach.not_found for an unknown or malformed coach id', async () => {
    for (const id of ['0123456789abcdef01234567', 'not-an-id']) {
      const response = await getJson<{ code: string }>(slotsUrl(id, '2026-06-01T00:00:00Z', '2026-06-10T00:00:00Z'));
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('coach.not_found');
    }
  });
});
