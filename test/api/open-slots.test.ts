import { beforeAll, describe, expect, it } from 'vitest';
import type { OpenSlotsResponseDto } from '../../widget/api/contract.schema.js';
import { openSlotsResponseSchema } from '../../widget/api/contract.schema.js';
import { getJson } from '../helpers/http.js';
import { DAY, HOUR, at, makeCoach, openSlot, useWidgetApp } from './fixtures.js';

const ctx = useWidgetApp({ SLOT_HORIZON_DAYS: '60' });
let ada: { id: string };
let grace: { id: string };
let far: { id: string };

const openSlotsUrl = (query: Record<string, string>) => ctx.url(`/api/v1/slots?${new URLSearchParams(query)}`);
const june = { from: '2026-06-01T00:00:00Z', to: '2026-07-01T00:00:00Z' };

async function list(query: Record<string, string>): Promise<OpenSlotsResponseDto> {
  const response = await getJson<OpenSlotsResponseDto>(openSlotsUrl(query));
  expect(response.status).toBe(200);
  // The server's answers are checked against the contract here, not in every student's browser.
  expect(openSlotsResponseSchema.safeParse(response.body).success).toBe(true);
  return response.body;
}

beforeAll(async () => {
  ada = await makeCoach(ctx.core, { name: 'Ada Okafor', bio: 'Career coach.', timezone: 'Europe/London' });
  grace = await makeCoach(ctx.core, { name: 'Grace Kim', timezone: 'America/New_York' });
  far = await makeCoach(ctx.core, { name: 'Far Future', timezone: 'Asia/Tokyo' });
  // Inside the 12-hour notice: open, but no longer bookable.
  await openSlot(ctx.core, ada.id, at(4 * HOUR));
  // Two at the same instant, so the order must break ties by id.
  await openSlot(ctx.core, ada.id, at(2 * DAY + HOUR));
  await openSlot(ctx.core, grace.id, at(2 * DAY + HOUR));
  await openSlot(ctx.core, grace.id, at(3 * DAY + 9 * HOUR));
  await openSlot(ctx.core, ada.id, at(6 * DAY));
  await openSlot(ctx.core, far.id, at(45 * DAY));
});

describe('GET /api/v1/slots (open slots across coaches)', () => {
  it('lists every coach’s bookable slots in the range, soonest first, with their coaches once each', async () => {
    const body = await list(june);
    expect(body.slots.map((s) => s.startsAt)).toEqual(['2026-06-03T10:00:00.000Z', '2026-06-03T10:00:00.000Z', '2026-06-04T18:00:00.000Z', '2026-06-07T09:00:00.000Z']);
    expect(body.slots.slice(0, 2).map((s) => s.coachId).sort()).toEqual([ada.id, grace.id].sort());
    expect(body.slots.slice(2).map((s) => s.coachId)).toEqual([grace.id, ada.id]);
    const tied = body.slots.slice(0, 2).map((s) => s.id);
    expect(tied).toEqual([...tied].sort());
    expect(body.coaches.map((c) => c.name).sort()).toEqual(['Ada Okafor', 'Grace Kim']);
    expect(body.coaches.find((c) => c.id === ada.id)).toEqual({ id: ada.id, name: 'Ada Okafor', bio: 'Career coach.', avatarUrl: null, timezone: 'Europe/London' });
    // Nothing bookable is left in June, but Far Future opens in July.
    expect(body.nextCursor).toBeNull();
    expect(body.nextOpenAfter).toMatchObject({ coachId: far.id, startsAt: '2026-07-16T09:00:00.000Z' });
    expect(JSON.stringify(body)).not.toMatch(/\+44|phone/);
  });

  it('keeps the minimum notice: a slot 4 hours away is not listed', async () => {
    const body = await list({ from: '2026-06-01T00:00:00Z', to: '2026-06-02T00:00:00Z' });
    expect(body.slots).toEqual([]);
    expect(body.nextOpenAfter?.startsAt).toBe('2026-06-03T10:00:00.000Z');
  });

  it('keeps the horizon: nothing beyond SLOT_HORIZON_DAYS is listed or offered as next', async () => {
    await ctx.core.slots.create(far.id, { startsAt: at(59 * DAY) });
    ctx.app.clock.set(new Date(ctx.app.clock.now().getTime() - 10 * DAY));
    try {
      const body = await list({ from: '2026-07-20T00:00:00Z', to: '2026-08-01T00:00:00Z' });
      expect(body.slots).toEqual([]);
      expect(body.nextOpenAfter).toBeNull();
    } finally {
      ctx.app.clock.set(new Date(ctx.app.clock.now().getTime() + 10 * DAY));
    }
  });

  it('pages with limit and nextCursor, each slot exactly once, ties included', async () => {
    const all = await list(june);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: OpenSlotsResponseDto = await list({ ...june, limit: '1', ...(cursor ? { cursor } : {}) });
      seen.push(...page.slots.map((s) => s.id));
      expect(page.coaches.map((c) => c.id)).toEqual(page.slots.map((s) => s.coachId));
      // The "next available" hint belongs to the last page only.
      if (page.nextCursor) expect(page.nextOpenAfter).toBeNull();
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(all.slots.map((s) => s.id));
    expect(pages).toBe(all.slots.length);
  });

  it('narrows to one coach with coachId, and says when that coach is free next', async () => {
    const body = await list({ ...june, to: '2026-06-05T00:00:00Z', coachId: ada.id });
    expect(body.slots.map((s) => s.startsAt)).toEqual(['2026-06-03T10:00:00.000Z']);
    expect(body.nextOpenAfter).toMatchObject({ coachId: ada.id, startsAt: '2026-06-07T09:00:00.000Z' });
    // Named even when nothing of theirs is in the range, so a page can say whose calendar it is.
    const empty = await list({ from: '2026-06-08T00:00:00Z', to: '2026-06-09T00:00:00Z', coachId: ada.id });
    expect([empty.slots, empty.coaches.map((c) => c.name)]).toEqual([[], ['Ada Okafor']]);
  });

  it('answers 404 for an unknown coach and 400 for a bad range or cursor, saying what to fix', async () => {
    const unknown = await getJson<{ code: string }>(openSlotsUrl({ ...june, coachId: '0123456789abcdef01234567' }));
    expect([unknown.status, unknown.body.code]).toEqual([404, 'coach.not_found']);
    const wide = await getJson<{ code: string; detail: string }>(openSlotsUrl({ from: '2026-06-01T00:00:00Z', to: '2026-07-04T00:00:00Z' }));
    expect([wide.status, wide.body.code, wide.body.detail]).toEqual([400, 'range.too_wide', 'Ask for at most 32 days at a time.']);
    const backwards = await getJson<{ code: string }>(openSlotsUrl({ from: june.to, to: june.from }));
    expect([backwards.status, backwards.body.code]).toEqual([400, 'range.invalid']);
    const cursor = await getJson<{ code: string; errors: Array<{ path: string; message: string }> }>(openSlotsUrl({ ...june, cursor: 'page-2' }));
    expect(cursor.status).toBe(400);
    expect(cursor.body.errors).toEqual([expect.objectContaining({ path: 'cursor', message: expect.stringMatching(/nextCursor/) })]);
  });

  it('accepts a 31-day month that gains an hour at the end of summer time', async () => {
    const response = await getJson(openSlotsUrl({ from: '2026-09-30T23:00:00Z', to: '2026-11-01T00:00:00Z' }));
    expect(response.status).toBe(200);
  });

  it('is in the OpenAPI document', async () => {
    const doc = await getJson<{ paths: Record<string, Record<string, { operationId: string; parameters: Array<{ name: string }> }>> }>(ctx.url('/api/v1/openapi.json'));
    const operation = doc.body.paths['/api/v1/slots']!.get!;
    expect(operation.operationId).toBe('listOpenSlots');
    expect(operation.parameters.map((p) => p.name).sort()).toEqual(['coachId', 'cursor', 'from', 'limit', 'to']);
  });
});
