import { describe, expect, inject, it } from 'vitest';
import { closeMongo, connectMongo } from '../../core/db/connection.js';
import { createLogger } from '../../server/logger.js';
import { getJson } from '../helpers/http.js';
import { atStartOfRateLimitWindow } from '../helpers/rate-limit.js';
import { newStudent, useWidgetApp } from './fixtures.js';

const ALLOWED = 'https://school.example';

describe('CORS', () => {
  const logLines: Array<{ msg: string; origin?: string }> = [];
  const logger = createLogger({ level: 'warn', production: true }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
  const ctx = useWidgetApp({ WIDGET_ORIGINS: `${ALLOWED}, https://other.example`, logger });

  it('lets a listed origin read responses', async () => {
    const response = await fetch(ctx.url('/api/v1/coaches'), { headers: { origin: ALLOWED } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('vary')).toMatch(/origin/i);
  });

  it('answers a listed origin’s preflight with the headers the widget sends', async () => {
    const response = await fetch(ctx.url('/api/v1/bookings'), {
      method: 'OPTIONS',
      headers: { origin: ALLOWED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, idempotency-key' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toBe('authorization,content-type,idempotency-key');
  });

  it('refuses any other origin with a readable 403 origin.not_allowed and no data, and logs what to change', async () => {
    for (const origin of ['https://evil.example', 'https://school.example.evil.example', 'null']) {
      const response = await fetch(ctx.url('/api/v1/coaches'), { headers: { origin } });
      expect(response.status).toBe(403);
      // The page may read this refusal (so the widget can name it), and nothing else.
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      const problem = (await response.json()) as { code: string; detail: string; coaches?: unknown };
      expect(problem.code).toBe('origin.not_allowed');
      expect(problem.detail).toContain(`Add "${origin}" to WIDGET_ORIGINS`);
      expect(problem.coaches).toBeUndefined();
      const preflight = await fetch(ctx.url('/api/v1/bookings'), {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
      });
      expect(preflight.status).toBe(204);
    }
    const warnings = logLines.filter((line) => line.msg.startsWith('refused a cross-origin request'));
    expect(warnings.map((w) => w.origin)).toEqual(['https://evil.example', 'https://school.example.evil.example', 'null']);
    expect(warnings[0]!.msg).toBe(
      'refused a cross-origin request from https://evil.example: add "https://evil.example" to WIDGET_ORIGINS (now: https://school.example,https://other.example); scheme, host and port must match exactly',
    );
  });

  it('refuses a book request from an unlisted origin before it does anything', async () => {
    const response = await fetch(ctx.url('/api/v1/bookings'), {
      method: 'POST',
      headers: { origin: 'http://localhost:8080', 'content-type': 'application/json', ...(await ctx.authFor(newStudent())) },
      body: JSON.stringify({ slotId: '0123456789abcdef01234567' }),
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { code: string }).code).toBe('origin.not_allowed');
  });

  it('lets the page the API serves itself (same origin) through', async () => {
    const response = await fetch(ctx.url('/api/v1/coaches'), { headers: { origin: new URL(ctx.url('/')).origin } });
    expect(response.status).toBe(200);
  });

  it('lets any page load the widget script itself', async () => {
    const response = await fetch(ctx.url('/widget/coach-booking.js'), { headers: { origin: 'https://evil.example' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('rate limits', () => {
  // 2 a minute per student, so 20 per address.
  const ctx = useWidgetApp({ RATE_LIMIT_PER_MINUTE: '2' });

  it('stops one student after their budget, with 429, Retry-After and a problem body, while others go on', async () => {
    await atStartOfRateLimitWindow();
    const student = newStudent();
    const statuses: number[] = [];
    let limited: Response | null = null;
    for (let i = 0; i < 4; i++) {
      // A fresh token each time: the budget belongs to the student, not to the token.
      const response = await fetch(ctx.url('/api/v1/me/bookings'), { headers: await ctx.authFor(student) });
      statuses.push(response.status);
      if (response.status === 429) limited ??= response;
      else await response.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited!.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await limited!.json()).toMatchObject({ status: 429, code: 'rate_limited', detail: expect.stringContaining('2 requests a minute per student') });

    const other = await fetch(ctx.url('/api/v1/me/bookings'), { headers: await ctx.authFor(newStudent()) });
    expect(other.status).toBe(200);
  });

  it('refuses before anything is written: a limited request does not update the student', async () => {
    await atStartOfRateLimitWindow();
    const student = newStudent({ name: 'Before Limit' });
    for (let i = 0; i < 2; i++) expect((await fetch(ctx.url('/api/v1/me/bookings'), { headers: await ctx.authFor(student) })).status).toBe(200);
    const renamed = await fetch(ctx.url('/api/v1/me/bookings'), { headers: await ctx.authFor({ ...student, name: 'After Limit' }) });
    expect(renamed.status).toBe(429);
    const connection = await connectMongo(inject('mongoUri'), ctx.app.dbName);
    try {
      const stored = await connection.collection('students').findOne({ externalId: student.sub });
      expect(stored?.name).toBe('Before Limit');
    } finally {
      await closeMongo(connection);
    }
  });

});

describe('per-address rate limit', () => {
  const ctx = useWidgetApp({ RATE_LIMIT_PER_MINUTE: '2' });

  it('stops one address after ten students’ worth of requests', async () => {
    await atStartOfRateLimitWindow();
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      const response = await fetch(ctx.url('/api/v1/coaches'));
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(await response.json()).toMatchObject({ code: 'rate_limited', detail: expect.stringContaining('from one address') });
      } else {
        await response.arrayBuffer();
      }
    }
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });
});

describe('errors', () => {
  const ctx = useWidgetApp();

  it('answers an unknown API path with a 404 problem', async () => {
    const response = await getJson<{ code: string; status: number }>(ctx.url('/api/v1/nothing-here'));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ code: 'route.not_found', status: 404 });
  });

  it('turns an unexpected failure into a 500 problem that discloses nothing', async () => {
    const coaches = ctx.core.coaches;
    const original = coaches.list;
    coaches.list = async () => {
      throw new Error('connection string mongodb://admin:hunter2@db at /srv/app/core/coaches.ts:42');
    };
    try {
      const response = await fetch(ctx.url('/api/v1/coaches'));
      const text = await response.text();
      expect(response.status).toBe(500);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(text)).toMatchObject({ status: 500, code: 'internal.error' });
      expect(text).not.toMatch(/hunter2|mongodb:|\.ts:|at /);
    } finally {
      coaches.list = original;
    }
  });
});
