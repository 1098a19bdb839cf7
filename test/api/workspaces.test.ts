import { beforeAll, describe, expect, it } from 'vitest';
import { getJson, sendJson } from '../helpers/http.js';
import { bearer, mintToken } from '../helpers/tokens.js';
import { DAY, HOUR, at, makeCoach, newStudent, openSlot, useWidgetApp } from './fixtures.js';

const ctx = useWidgetApp();
let north: { id: string };
let south: { id: string };
let northSlot: { id: string };
let southSlot: { id: string };

/** A token for a new student, confined to `workspace` when given. */
async function auth(workspace?: string) {
  const claims = { ...newStudent(), ...(workspace ? { workspace } : {}) };
  return bearer(await mintToken(claims, { now: ctx.app.clock.now() }));
}

beforeAll(async () => {
  north = await makeCoach(ctx.core, { name: 'Nora North', teamId: 'TNORTH' });
  south = await makeCoach(ctx.core, { name: 'Sam South', teamId: 'TSOUTH' });
  northSlot = await openSlot(ctx.core, north.id, at(2 * DAY + HOUR));
  southSlot = await openSlot(ctx.core, south.id, at(3 * DAY + HOUR));
});

const names = (body: { coaches: Array<{ name: string }> }) => body.coaches.map((c) => c.name).sort();
const range = `from=${at(0).toISOString()}&to=${at(7 * DAY).toISOString()}`;

describe('the workspace claim of a student token', () => {
  it('lists only that workspace’s coaches, privately; without it every coach is listed', async () => {
    const confined = await getJson<{ coaches: Array<{ name: string }> }>(ctx.url('/api/v1/coaches'), { headers: await auth('TNORTH') });
    expect(names(confined.body)).toEqual(['Nora North']);
    expect(confined.headers.get('cache-control')).toBe('private, no-store');
    const open = await getJson<{ coaches: Array<{ name: string }> }>(ctx.url('/api/v1/coaches'));
    expect(names(open.body)).toEqual(['Nora North', 'Sam South']);
    const unconfined = await getJson<{ coaches: Array<{ name: string }> }>(ctx.url('/api/v1/coaches'), { headers: await auth() });
    expect(names(unconfined.body)).toEqual(['Nora North', 'Sam South']);
  });

  it('lists open slots across coaches of that workspace only', async () => {
    const across = await getJson<{ slots: Array<{ id: string }> }>(ctx.url(`/api/v1/slots?${range}`), { headers: await auth('TSOUTH') });
    expect(across.status).toBe(200);
    expect(across.body.slots.map((s) => s.id)).toEqual([southSlot.id]);
    const everyone = await getJson<{ slots: Array<{ id: string }> }>(ctx.url(`/api/v1/slots?${range}`));
    expect(everyone.body.slots.map((s) => s.id)).toEqual(expect.arrayContaining([northSlot.id, southSlot.id]));
  });

  it('answers 404 for another workspace’s coach and refuses to book its slot, writing nothing', async () => {
    const headers = await auth('TNORTH');
    const slots = await getJson<{ code: string }>(ctx.url(`/api/v1/coaches/${south.id}/slots?${range}`), { headers });
    expect(slots.status).toBe(404);
    expect(slots.body.code).toBe('coach.not_found');

    const booking = await sendJson<{ code: string }>('POST', ctx.url('/api/v1/bookings'), { slotId: southSlot.id }, { headers });
    expect(booking.status).toBe(404);
    expect(booking.body.code).toBe('slot.not_found');
    expect((await ctx.core.slots.get(southSlot.id)).status).toBe('open');

    const own = await sendJson<{ booking: { coach: { name: string } } }>('POST', ctx.url('/api/v1/bookings'), { slotId: northSlot.id }, { headers });
    expect(own.status).toBe(201);
    expect(own.body.booking.coach.name).toBe('Nora North');
  });

  it('hides the student’s sessions of other workspaces from My sessions and the calendar file', async () => {
    const student = newStudent();
    const unconfined = bearer(await mintToken(student, { now: ctx.app.clock.now() }));
    const inSouth = bearer(await mintToken({ ...student, workspace: 'TSOUTH' }, { now: ctx.app.clock.now() }));
    const slot = await openSlot(ctx.core, north.id, at(9 * DAY));
    const booked = await sendJson<{ booking: { id: string } }>('POST', ctx.url('/api/v1/bookings'), { slotId: slot.id }, { headers: unconfined });
    expect(booked.status).toBe(201);

    const mine = await getJson<{ bookings: unknown[] }>(ctx.url('/api/v1/me/bookings'), { headers: inSouth });
    expect(mine.body.bookings).toEqual([]);
    const ics = await getJson(ctx.url(`/api/v1/bookings/${booked.body.booking.id}/calendar.ics`), { headers: inSouth });
    expect(ics.status).toBe(404);
    const cancel = await sendJson('POST', ctx.url(`/api/v1/bookings/${booked.body.booking.id}/cancel`), {}, { headers: inSouth });
    expect(cancel.status).toBe(404);
    const other = await openSlot(ctx.core, north.id, at(10 * DAY));
    const move = await sendJson('POST', ctx.url(`/api/v1/bookings/${booked.body.booking.id}/reschedule`), { slotId: other.id }, { headers: inSouth });
    expect(move.status).toBe(404);
    expect((await getJson<{ bookings: unknown[] }>(ctx.url('/api/v1/me/bookings'), { headers: unconfined })).body.bookings).toHaveLength(1);
  });

  it('refuses a workspace claim that is not a Slack team id', async () => {
    const response = await sendJson<{ code: string; detail: string }>('POST', ctx.url('/api/v1/bookings'), { slotId: northSlot.id }, { headers: await auth('north; drop') });
    expect(response.status).toBe(401);
    expect(response.body.detail).toContain('The workspace claim must be a Slack team id such as T0123ABCD.');
  });
});
