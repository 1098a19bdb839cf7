import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProblemDto } from '../../widget/api/contract.schema.js';
import { startTestApp, TEST_WIDGET_SECRET, type TestApp } from '../helpers/app.js';
import { getJson, sendJson } from '../helpers/http.js';
import { bearer, newStudent } from '../helpers/tokens.js';
import { NOW } from './fixtures.js';

const ISSUER = 'https://www.example.org';
const AUDIENCE = 'coach-booking';

interface TokenShape {
  iss?: string;
  aud?: string | string[];
  /** Seconds relative to the app's now. */
  iat?: number | null;
  exp?: number;
  secret?: string;
  kid?: string;
  sub?: string;
}

function sign(app: TestApp, shape: TokenShape = {}): Promise<string> {
  const now = Math.floor(app.clock.now().getTime() / 1000);
  const student = newStudent(shape.sub ? { sub: shape.sub } : {});
  const jwt = new SignJWT({ name: student.name, phone: student.phone })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...(shape.kid ? { kid: shape.kid } : {}) })
    .setSubject(student.sub)
    .setExpirationTime(now + (shape.exp ?? 3_600));
  if (shape.iat !== null) jwt.setIssuedAt(now + (shape.iat ?? 0));
  if (shape.iss) jwt.setIssuer(shape.iss);
  if (shape.aud) jwt.setAudience(shape.aud);
  return jwt.sign(new TextEncoder().encode(shape.secret ?? TEST_WIDGET_SECRET));
}

async function answer(app: TestApp, token: string) {
  return getJson<ProblemDto>(`${app.baseUrl}/api/v1/me/bookings`, { headers: bearer(token) });
}

async function expectRefused(app: TestApp, token: string, detail: RegExp) {
  const response = await answer(app, token);
  expect(response.status).toBe(401);
  expect(response.body).toMatchObject({ code: 'auth.invalid_token' });
  expect(response.body.detail).toMatch(detail);
}

describe('token binding with WIDGET_TOKEN_ISSUER and WIDGET_TOKEN_AUDIENCE set', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ clock: NOW, WIDGET_TOKEN_ISSUER: ISSUER, WIDGET_TOKEN_AUDIENCE: AUDIENCE, WIDGET_TOKEN_MAX_LIFETIME_HOURS: '2' });
  });
  afterAll(() => app.close());

  it('accepts a token with the right iss and aud', async () => {
    expect((await answer(app, await sign(app, { iss: ISSUER, aud: AUDIENCE }))).status).toBe(200);
  });

  it('accepts an aud list that includes the expected audience', async () => {
    expect((await answer(app, await sign(app, { iss: ISSUER, aud: ['other', AUDIENCE] }))).status).toBe(200);
  });

  it('refuses a token without iss, saying which issuer is expected', async () => {
    await expectRefused(app, await sign(app, { aud: AUDIENCE }), /"iss": "https:\/\/www\.example\.org".*WIDGET_TOKEN_ISSUER/);
  });

  it('refuses a token from another issuer', async () => {
    await expectRefused(app, await sign(app, { iss: 'https://evil.example', aud: AUDIENCE }), /WIDGET_TOKEN_ISSUER/);
  });

  it('refuses a token for another audience', async () => {
    await expectRefused(app, await sign(app, { iss: ISSUER, aud: 'another-app' }), /"aud" must include "coach-booking".*WIDGET_TOKEN_AUDIENCE/);
  });

  it('refuses a token living longer than WIDGET_TOKEN_MAX_LIFETIME_HOURS', async () => {
    await expectRefused(app, await sign(app, { iss: ISSUER, aud: AUDIENCE, exp: 3 * 3_600 }), /valid for 3 h; at most 2 h .*WIDGET_TOKEN_MAX_LIFETIME_HOURS/);
  });

  it('measures a token without iat from now', async () => {
    await expectRefused(app, await sign(app, { iss: ISSUER, aud: AUDIENCE, iat: null, exp: 3 * 3_600 }), /valid for 3 h from now/);
    expect((await answer(app, await sign(app, { iss: ISSUER, aud: AUDIENCE, iat: null, exp: 3_600 }))).status).toBe(200);
  });
});

describe('token time checks', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ clock: NOW });
  });
  afterAll(() => app.close());

  it('ignores iss and aud when neither is configured', async () => {
    expect((await answer(app, await sign(app, { iss: 'anyone', aud: 'anything' }))).status).toBe(200);
  });

  it('refuses by default a token valid for more than 24 hours', async () => {
    await expectRefused(app, await sign(app, { exp: 25 * 3_600 }), /at most 24 h/);
    expect((await answer(app, await sign(app, { exp: 24 * 3_600 }))).status).toBe(200);
  });

  it('refuses a token issued in the future, beyond the clock skew', async () => {
    await expectRefused(app, await sign(app, { iat: 120 }), /issued in the future/);
  });

  it('allows a few seconds of clock skew either way', async () => {
    expect((await answer(app, await sign(app, { iat: 20 }))).status).toBe(200);
    expect((await answer(app, await sign(app, { iat: -3_600, exp: -10 }))).status).toBe(200);
  });

  it('still refuses a token expired longer ago than the skew', async () => {
    const response = await answer(app, await sign(app, { iat: -3_600, exp: -60 }));
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('auth.token_expired');
  });
});

describe('demo mode signs with its own secret', () => {
  let demo: TestApp;
  let production: TestApp;
  beforeAll(async () => {
    [demo, production] = await Promise.all([startTestApp({ clock: NOW, DEMO_MODE: '1' }), startTestApp({ clock: NOW })]);
  });
  afterAll(() => Promise.all([demo.close(), production.close()]));

  async function demoToken(externalId = 'demo-student-mia'): Promise<string> {
    const response = await sendJson<{ token: string }>('POST', `${demo.baseUrl}/api/v1/demo/token`, { externalId });
    expect(response.status).toBe(200);
    return response.body.token;
  }

  it('mints demo tokens that are not signed with WIDGET_SIGNING_SECRET', async () => {
    const response = await answer(production, await demoToken());
    expect(response.status).toBe(401);
    expect(response.body.detail).toMatch(/signature does not match/);
  });

  it('accepts its demo tokens and, beside them, tokens signed with WIDGET_SIGNING_SECRET', async () => {
    expect((await answer(demo, await demoToken())).status).toBe(200);
    expect((await answer(demo, await sign(demo))).status).toBe(200);
  });

  it('does not let a host-signed token pass as a demo token, nor a demo key id name anyone but a seeded student', async () => {
    await expectRefused(demo, await sign(demo, { kid: 'demo' }), /signature does not match/);
    const token = await demoToken();
    const [header, , signature] = token.split('.');
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...payload, sub: 'host-user-42' })).toString('base64url');
    await expectRefused(demo, `${header}.${forged}.${signature}`, /signature does not match/);
  });

  it('in demo mode without WIDGET_SIGNING_SECRET accepts only demo tokens', async () => {
    const bare = await startTestApp({ clock: NOW, DEMO_MODE: '1', WIDGET_SIGNING_SECRET: undefined as never });
    try {
      await expectRefused(bare, await sign(bare), /only tokens from \/api\/v1\/demo\/token/);
    } finally {
      await bare.close();
    }
  });
});
