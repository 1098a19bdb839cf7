import { describe, expect, it } from 'vitest';
import type { ProblemDto } from '../../widget/api/contract.schema.js';
import { getJson, sendJson } from '../helpers/http.js';
import { bearer, mintToken, unsignedToken } from '../helpers/tokens.js';
import { DAY, HOUR, at, makeCoach, newStudent, openSlot, useWidgetApp } from './fixtures.js';

type Problem = ProblemDto;

const ctx = useWidgetApp();
const myBookings = () => ctx.url('/api/v1/me/bookings');

async function expectUnauthorized(headers: Record<string, string>, code: string, detail: RegExp) {
  const response = await getJson<Problem>(myBookings(), { headers });
  expect(response.status).toBe(401);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
  expect(response.body).toMatchObject({ status: 401, code, type: expect.stringContaining(code) });
  expect(response.body.detail).toMatch(detail);
  return response.body;
}

describe('student tokens', () => {
  it('accepts an HS256 token signed with the shared secret', async () => {
    const response = await getJson<{ bookings: unknown[] }>(myBookings(), { headers: await ctx.authFor(newStudent()) });
    expect(response.status).toBe(200);
    expect(response.body.bookings).toEqual([]);
  });

  it('refuses a request without an Authorization header', async () => {
    await expectUnauthorized({}, 'auth.missing_token', /Authorization: Bearer/);
  });

  it('refuses an Authorization header that is not a bearer token', async () => {
    await expectUnauthorized({ authorization: 'Basic dXNlcjpwYXNz' }, 'auth.invalid_token', /Bearer <token>/);
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const claims = { ...newStudent(), exp: Math.floor(ctx.app.clock.now().getTime() / 1000) + 600 };
    await expectUnauthorized(bearer(unsignedToken(claims)), 'auth.invalid_token', /HS256/);
  });

  it('refuses a token signed with HS512, even with the right secret', async () => {
    const token = await mintToken(newStudent(), { now: ctx.app.clock.now(), alg: 'HS512' });
    await expectUnauthorized(bearer(token), 'auth.invalid_token', /Only HS256/);
  });

  it('refuses a token signed with another secret', async () => {
    const token = await mintToken(newStudent(), { now: ctx.app.clock.now(), secret: 'another-secret-that-is-long-enough-0123456789' });
    await expectUnauthorized(bearer(token), 'auth.invalid_token', /signature does not match/);
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const token = await mintToken(newStudent({ sub: 'honest' }), { now: ctx.app.clock.now() });
    const [header, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...newStudent({ sub: 'someone-else' }), exp: 4_102_444_800 })).toString('base64url');
    await expectUnauthorized(bearer(`${header}.${forged}.${signature}`), 'auth.invalid_token', /signature does not match/);
  });

  it('refuses an expired token, measured against the app clock', async () => {
    const token = await mintToken(newStudent(), { now: ctx.app.clock.now(), expiresIn: -60 });
    await expectUnauthorized(bearer(token), 'auth.token_expired', /expired/);
  });

  it('refuses a token without exp', async () => {
    const token = await mintToken(newStudent(), { now: ctx.app.clock.now(), omitExp: true });
    await expectUnauthorized(bearer(token), 'auth.invalid_token', /"exp" claim/);
  });

  it('refuses a token without sub', async () => {
    const { sub: _sub, ...claims } = newStudent();
    const token = await mintToken(claims, { now: ctx.app.clock.now() });
    await expectUnauthorized(bearer(token), 'auth.invalid_token', /"sub" claim/);
  });

  it('refuses a token whose phone is not E.164, naming the claim', async () => {
    const token = await mintToken(newStudent({ phone: '020 7946 0000' }), { now: ctx.app.clock.now() });
    await expectUnauthorized(bearer(token), 'auth.invalid_token', /phone/);
  });

  it('refuses garbage in place of a token', async () => {
    await expectUnauthorized(bearer('not.a.jwt'), 'auth.invalid_token', /well-formed JWT/);
  });

  it('creates the student on first use and refreshes name and phone on later uses', async () => {
    const coach = await makeCoach(ctx.core);
    const slot = await openSlot(ctx.core, coach.id, at(3 * DAY + HOUR));
    const student = newStudent({ name: 'First Name', phone: '+442079460501' });

    const booked = await sendJson<{ booking: { id: string } }>('POST', ctx.url('/api/v1/bookings'), { slotId: slot.id }, { headers: await ctx.authFor(student) });
    expect(booked.status).toBe(201);
    const before = await ctx.core.bookings.getForCoach(coach.id, booked.body.booking.id);
    expect(before.student).toMatchObject({ name: 'First Name', phone: '+442079460501' });

    const renamed = { ...student, name: 'Second Name', phone: '+442079460502' };
    expect((await getJson(myBookings(), { headers: await ctx.authFor(renamed) })).status).toBe(200);
    const after = await ctx.core.bookings.getForCoach(coach.id, booked.body.booking.id);
    expect(after.student).toMatchObject({ id: before.student.id, name: 'Second Name', phone: '+442079460502' });
  });
});
