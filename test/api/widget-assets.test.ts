import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { serveWidgetBundle } from '../../widget/api/bundle.js';
import { WIDGET_BUNDLE_PATH } from '../helpers/browser.js';
import { getJson, sendJson } from '../helpers/http.js';
import { bearer, mintToken, newStudent } from '../helpers/tokens.js';
import { useWidgetApp } from './fixtures.js';

describe('GET /widget/coach-booking.js', () => {
  const ctx = useWidgetApp();

  it('serves the built element as JavaScript with an ETag and a five-minute cache', async () => {
    const response = await fetch(ctx.url('/widget/coach-booking.js'));
    expect(response.status, 'build it first: npm run build:widget').toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(response.headers.get('etag')).toMatch(/^"[\w-]+"$/);
    expect(response.headers.get('vary')).toBe('Accept-Encoding');
    const source = await response.text();
    expect(source).toContain('customElements');
    expect(source).toContain('coach-booking');
  });

  it('serves the licences of what it bundles beside it, since the script itself carries none', async () => {
    const source = await readFile(WIDGET_BUNDLE_PATH, 'utf8');
    expect(source.includes('@license'), 'a licence comment left in the script').toBe(false);
    const response = await fetch(ctx.url('/widget/coach-booking.licenses.md'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    const text = await response.text();
    expect(text).toContain('## lit-html');
    expect(text).toContain('Copyright (c) 2017 Google LLC');
    expect(text).toContain('Redistributions in binary form must reproduce the above copyright notice');
  });

  it('answers 304 to a client that already has this version', async () => {
    const first = await fetch(ctx.url('/widget/coach-booking.js'));
    await first.arrayBuffer();
    // As a browser revalidates; without a Cache-Control of its own, fetch() would add `no-cache`.
    const revalidate = (etag: string) => fetch(ctx.url('/widget/coach-booking.js'), { headers: { 'if-none-match': etag, 'cache-control': 'max-age=0' } });
    const again = await revalidate(first.headers.get('etag')!);
    expect(again.status).toBe(304);
    const changed = await revalidate('"some-older-build"');
    expect(changed.status).toBe(200);
    await changed.arrayBuffer();
  });

  /** A raw request, so the test sees the bytes on the wire rather than what fetch() decoded. */
  function getRaw(acceptEncoding: string | null, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const req = httpGet(ctx.url('/widget/coach-booking.js'), { headers: { ...(acceptEncoding === null ? {} : { 'accept-encoding': acceptEncoding }), ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
    });
  }

  it('serves the precompressed script the client accepts: brotli, gzip or raw, each with its own ETag', async () => {
    const raw = await readFile(WIDGET_BUNDLE_PATH);
    const brOnly = await getRaw('br');
    expect(brOnly.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(brOnly.body).equals(raw)).toBe(true);
    expect(brOnly.body.length).toBeLessThan(raw.length / 3);

    const gzipOnly = await getRaw('gzip');
    expect(gzipOnly.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipOnly.body).equals(raw)).toBe(true);

    expect((await getRaw('gzip, deflate, br')).headers['content-encoding']).toBe('br');
    expect((await getRaw('br;q=0.5, gzip')).headers['content-encoding']).toBe('gzip');
    const plain = await getRaw(null);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(raw)).toBe(true);

    const etags = [brOnly, gzipOnly, plain].map((r) => r.headers.etag);
    expect(new Set(etags).size).toBe(3);
    for (const r of [brOnly, gzipOnly, plain]) expect(r.headers.vary).toBe('Accept-Encoding');
  });

  it('revalidates each encoding by its own ETag', async () => {
    const br = await getRaw('br');
    const again = await getRaw('br', { 'if-none-match': br.headers.etag! });
    expect(again.status).toBe(304);
    expect(again.headers.vary).toBe('Accept-Encoding');
    // The brotli ETag does not stand for the gzip bytes.
    expect((await getRaw('gzip', { 'if-none-match': br.headers.etag! })).status).toBe(200);
  });

  it('answers a clear 503 problem when the bundle has not been built', async () => {
    const app = express();
    app.get('/widget/coach-booking.js', serveWidgetBundle('/nonexistent/widget/dist/coach-booking.js'));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const response = await getJson<{ code: string; detail: string }>(`http://127.0.0.1:${port}/widget/coach-booking.js`);
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body.code).toBe('widget.bundle_missing');
      expect(response.body.detail).toContain('npm run build:widget');
    } finally {
      server.close();
    }
  });

  it('has no demo page or demo identities outside demo mode', async () => {
    expect((await fetch(ctx.url('/demo'))).status).toBe(404);
    const students = await getJson<{ code: string }>(ctx.url('/api/v1/demo/students'));
    expect(students.status).toBe(404);
    const token = await sendJson<{ code: string }>('POST', ctx.url('/api/v1/demo/token'), { externalId: 'demo-student-mia' });
    expect(token.status).toBe(404);
    expect(token.body.code).toBe('route.not_found');
  });
});

describe('demo mode', () => {
  // No WIDGET_SIGNING_SECRET: demo mode signs with a random secret of its own.
  const ctx = useWidgetApp({ DEMO_MODE: '1', WIDGET_SIGNING_SECRET: undefined });

  it('serves the demo page, which embeds the widget and the student picker', async () => {
    const response = await fetch(ctx.url('/demo'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await response.text();
    expect(page).toContain('<coach-booking');
    expect(page).toContain("import '/widget/coach-booking.js'");
    expect(page).toContain('<label for="student">');
  });

  it('lists the seeded students and signs a token for one that the API accepts', async () => {
    const students = await getJson<{ students: Array<{ externalId: string; name: string }> }>(ctx.url('/api/v1/demo/students'));
    expect(students.status).toBe(200);
    expect(students.body.students.length).toBeGreaterThan(1);
    const [first] = students.body.students;

    const minted = await sendJson<{ token: string; expiresAt: string }>('POST', ctx.url('/api/v1/demo/token'), { externalId: first!.externalId });
    expect(minted.status).toBe(200);
    expect(new Date(minted.body.expiresAt).getTime()).toBe(ctx.app.clock.now().getTime() + 3_600_000);

    const mine = await getJson<{ bookings: unknown[] }>(ctx.url('/api/v1/me/bookings?scope=past'), { headers: bearer(minted.body.token) });
    expect(mine.status).toBe(200);
    // The seed gave the demo students a history to look at.
    const all = await Promise.all(
      students.body.students.map(async (s) => {
        const { body } = await sendJson<{ token: string }>('POST', ctx.url('/api/v1/demo/token'), { externalId: s.externalId });
        return (await getJson<{ bookings: unknown[] }>(ctx.url('/api/v1/me/bookings?scope=past'), { headers: bearer(body.token) })).body.bookings.length;
      }),
    );
    expect(all.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('refuses a student who is not in the seed', async () => {
    const response = await sendJson<{ code: string }>('POST', ctx.url('/api/v1/demo/token'), { externalId: 'someone-else' });
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('student.not_found');
  });

  it('still refuses tokens it did not sign', async () => {
    const token = await mintToken(newStudent(), { now: ctx.app.clock.now() });
    const response = await getJson<{ code: string }>(ctx.url('/api/v1/me/bookings'), { headers: bearer(token) });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('auth.invalid_token');
  });

  it('documents the demo endpoints in the OpenAPI document', async () => {
    const { body } = await getJson<{ paths: Record<string, unknown> }>(ctx.url('/api/v1/openapi.json'));
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/api/v1/demo/students', '/api/v1/demo/token']));
  });
});
