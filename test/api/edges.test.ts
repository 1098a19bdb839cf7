import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logger.js';
import { rawRequest } from '../helpers/http.js';
import { OpenApiContract } from '../helpers/openapi.js';
import { useWidgetApp } from './fixtures.js';

/** Every log line the app writes, kept so a test can say what reached the log. */
const logLines: string[] = [];
const logger = createLogger(
  { level: 'info', production: true },
  new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  }) as never,
);

const ctx = useWidgetApp({ logger });
let contract: OpenApiContract;

beforeAll(async () => {
  contract = await OpenApiContract.load(ctx.app.baseUrl);
});

const raw = (method: string, path: string, headers: Record<string, string> = {}, body?: string) => rawRequest(ctx.app.baseUrl, method, path, headers, body);

async function expectDocumentedProblem(method: string, path: string, status: number, code: string, options: { headers?: Record<string, string>; body?: string } = {}) {
  const answer = await raw(method, path, options.headers, options.body);
  expect(answer.status, answer.text).toBe(status);
  expect(contract.problemMismatches({ method, url: path, ...answer })).toEqual([]);
  const problem = JSON.parse(answer.text) as { code: string; detail: string };
  expect(problem.code).toBe(code);
  return { ...answer, problem };
}

describe('the edges of the HTTP API answer with documented problem documents', () => {
  it('answers a malformed percent-encoding in a path with a precise 400, logging no stack trace', async () => {
    const before = logLines.length;
    const { problem } = await expectDocumentedProblem('GET', '/api/v1/coaches/%ZZ/slots?from=2026-06-01T00:00:00Z&to=2026-06-02T00:00:00Z', 400, 'request.malformed_path');
    expect(problem.detail).toContain('%ZZ');
    expect(problem.detail).toMatch(/%25/);
    const logged = logLines.slice(before).join('');
    expect(logged).not.toMatch(/URIError|"stack"|at decode/);
    expect(logged).not.toMatch(/"level":50/);
  });

  it('answers the same on an authenticated path, before asking for a token', async () => {
    await expectDocumentedProblem('POST', '/api/v1/bookings/%E0%A4%A/cancel', 400, 'request.malformed_path');
  });

  it.each(['TRACE', 'PUT', 'DELETE', 'PATCH'])('answers %s on a served path with 405 and Allow', async (method) => {
    const { headers } = await expectDocumentedProblem(method, '/api/v1/coaches', 405, 'method.not_allowed');
    expect(headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });

  it('answers GET on a POST-only path with 405 naming POST', async () => {
    const { headers, problem } = await expectDocumentedProblem('GET', '/api/v1/bookings', 405, 'method.not_allowed');
    expect(headers.get('allow')).toBe('POST, OPTIONS');
    expect(problem.detail).toMatch(/Use POST/);
  });

  it('answers headers over 16 KB with a 431 problem document', async () => {
    const { problem } = await expectDocumentedProblem('GET', '/api/v1/coaches', 431, 'request.headers_too_large', {
      headers: { 'x-padding': 'a'.repeat(17 * 1024) },
    });
    expect(problem.detail).toMatch(/16 KB/);
  });

  it('answers a body over 10 KB with 413, once the token is good', async () => {
    const headers = { ...(await ctx.authFor({ sub: 'edge-413', name: 'Big Body', phone: '+442079460413' })), 'content-type': 'application/json' };
    await expectDocumentedProblem('POST', '/api/v1/bookings', 413, 'request.too_large', { headers, body: JSON.stringify({ slotId: 'x'.repeat(11 * 1024) }) });
  });

  it('answers a body that is not JSON with 415', async () => {
    const headers = { ...(await ctx.authFor({ sub: 'edge-415', name: 'Plain Text', phone: '+442079460415' })), 'content-type': 'text/plain' };
    await expectDocumentedProblem('POST', '/api/v1/bookings', 415, 'request.unsupported_media_type', { headers, body: 'slotId=1' });
  });

  it('answers bad JSON from a caller without a token with 401, not 400', async () => {
    await expectDocumentedProblem('POST', '/api/v1/bookings', 401, 'auth.missing_token', { headers: { 'content-type': 'application/json' }, body: '{"slotId":' });
  });

  it('answers bad JSON from a signed-in student with 400', async () => {
    const headers = { ...(await ctx.authFor({ sub: 'edge-400', name: 'Bad Json', phone: '+442079460400' })), 'content-type': 'application/json' };
    await expectDocumentedProblem('POST', '/api/v1/bookings', 400, 'request.malformed_json', { headers, body: '{"slotId":' });
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
  ])('refuses ?%s with a 400 naming the field, as the documented integer range says', async (query, field) => {
    const { problem } = await expectDocumentedProblem('GET', `/api/v1/coaches?${query}`, 400, 'validation.failed');
    expect(problem.detail).toContain(field);
  });

  it('refuses an offset beyond the documented range', async () => {
    const headers = await ctx.authFor({ sub: 'edge-offset', name: 'Far Away', phone: '+442079460401' });
    const { problem } = await expectDocumentedProblem('GET', '/api/v1/me/bookings?offset=100001', 400, 'validation.failed', { headers });
    expect(problem.detail).toMatch(/offset: Use a whole number from 0 to 100000/);
  });

  it.each([['limit=-1', 'limit']])('refuses ?%s too', async (query, field) => {
    const { problem } = await expectDocumentedProblem('GET', `/api/v1/coaches?${query}`, 400, 'validation.failed');
    expect(problem.detail).toContain(field);
  });
});

describe('the OpenAPI document states what the server enforces', () => {
  const parameter = (path: string, name: string) => contract.doc.paths[path].get.parameters.find((p: { name: string }) => p.name === name).schema;

  it('describes limit and offset as integers with the enforced ranges', () => {
    expect(parameter('/api/v1/coaches', 'limit')).toEqual({ type: 'integer', minimum: 1, maximum: 100 });
    expect(parameter('/api/v1/slots', 'limit')).toEqual({ type: 'integer', minimum: 1, maximum: 500 });
    expect(parameter('/api/v1/me/bookings', 'limit')).toEqual({ type: 'integer', minimum: 1, maximum: 100 });
    expect(parameter('/api/v1/me/bookings', 'offset')).toEqual({ type: 'integer', minimum: 0, maximum: 100_000 });
  });

  it('documents 413 and 415 where a body is read, and 429, 431 and 503 everywhere', () => {
    const post = contract.doc.paths['/api/v1/bookings'].post.responses;
    expect(Object.keys(post)).toEqual(expect.arrayContaining(['400', '413', '415', '429', '431', '503']));
    const get = contract.doc.paths['/api/v1/coaches'].get.responses;
    expect(Object.keys(get)).toEqual(expect.arrayContaining(['429', '431', '503']));
    expect(Object.keys(get)).not.toContain('415');
    expect(get['503'].headers['Retry-After'].schema).toEqual({ type: 'integer', minimum: 0 });
    expect(contract.doc.components.responses.MethodNotAllowed.headers.Allow.required).toBe(true);
  });
});
