import { describe, expect, it } from 'vitest';
import { sendJson } from '../helpers/http.js';
import type { HoldDto, ProblemDto } from '../../widget/api/contract.schema.js';
import { DAY, HOUR, at, makeCoach, newStudent, openSlot, useWidgetApp } from './fixtures.js';

const ctx = useWidgetApp();
let day = 2;
const nextDay = () => at(day++ * DAY + HOUR);

const hold = async (slotId: string, auth: Record<string, string>) =>
  sendJson<{ hold: HoldDto } & ProblemDto>('POST', ctx.url(`/api/v1/slots/${slotId}/hold`), undefined, { headers: auth });
const release = async (slotId: string, auth: Record<string, string>) =>
  sendJson('DELETE', ctx.url(`/api/v1/slots/${slotId}/hold`), undefined, { headers: auth });
const book = async (slotId: string, auth: Record<string, string>) =>
  sendJson<ProblemDto>('POST', ctx.url('/api/v1/bookings'), { slotId }, { headers: auth });

describe('POST and DELETE /api/v1/slots/{slotId}/hold', () => {
  it('holds for the caller (201), tells a second student slot.held before they book, and lets the holder book', async () => {
    const coach = await makeCoach(ctx.core);
    const slot = await openSlot(ctx.core, coach.id, nextDay());
    const [ann, ben] = [await ctx.authFor(newStudent()), await ctx.authFor(newStudent())];

    const first = await hold(slot.id, ann);
    expect(first.status).toBe(201);
    expect(first.body.hold).toEqual({ slotId: slot.id, expiresAt: new Date(ctx.app.clock.now().getTime() + 5 * 60_000).toISOString() });

    const second = await hold(slot.id, ben);
    expect(second.status).toBe(409);
    expect(second.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(second.body).toMatchObject({ code: 'slot.held', detail: expect.stringMatching(/^Someone is booking this time/) });
    expect((await book(slot.id, ben)).body).toMatchObject({ status: 409, code: 'slot.held' });

    expect((await book(slot.id, ann)).status).toBe(201);
    expect((await hold(slot.id, ben)).body).toMatchObject({ status: 409, code: 'slot.taken' });
  });

  it('renews the caller’s own hold, and frees the slot on DELETE (204, also when nothing is held)', async () => {
    const coach = await makeCoach(ctx.core);
    const slot = await openSlot(ctx.core, coach.id, nextDay());
    const [ann, ben] = [await ctx.authFor(newStudent()), await ctx.authFor(newStudent())];
    expect((await hold(slot.id, ann)).status).toBe(201);
    expect((await hold(slot.id, ann)).status).toBe(201);
    expect((await release(slot.id, ben)).status).toBe(204);
    expect((await hold(slot.id, ben)).status).toBe(409);
    const released = await release(slot.id, ann);
    expect(released.status).toBe(204);
    expect(released.body).toBeNull();
    expect((await hold(slot.id, ben)).status).toBe(201);
  });

  it('lapses by the server clock: after HOLD_MINUTES anyone may book', async () => {
    const coach = await makeCoach(ctx.core);
    const slot = await openSlot(ctx.core, coach.id, nextDay());
    const [ann, ben] = [await ctx.authFor(newStudent()), await ctx.authFor(newStudent())];
    await hold(slot.id, ann);
    ctx.app.clock.advance(5 * 60_000);
    try {
      expect((await book(slot.id, ben)).status).toBe(201);
    } finally {
      ctx.app.clock.advance(-5 * 60_000);
    }
  });

  it('needs the student token, and answers 404 for an unknown or malformed slot', async () => {
    const coach = await makeCoach(ctx.core);
    const slot = await openSlot(ctx.core, coach.id, nextDay());
    expect((await hold(slot.id, {})).body).toMatchObject({ status: 401, code: 'auth.missing_token' });
    expect((await release(slot.id, {})).status).toBe(401);
    const auth = await ctx.authFor(newStudent());
    expect((await hold('0123456789abcdef01234567', auth)).body).toMatchObject({ status: 404, code: 'slot.not_found' });
    expect((await hold('not-an-id', auth)).body).toMatchObject({ status: 404, code: 'slot.not_found' });
    expect((await release('not-an-id', auth)).status).toBe(404);
  });
});
