/**
 * 10,000 generated requests across every endpoint of a real app process:
 * hostile methods, paths, query strings, headers, tokens and bodies. None
 * may be answered 5xx or crash the process, and every refusal must be a
 * problem document the OpenAPI document describes.
 */
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_WIDGET_SECRET } from '../helpers/app.js';
import { rawRequest } from '../helpers/http.js';
import { OpenApiContract } from '../helpers/openapi.js';
import { unsignedToken } from '../helpers/tokens.js';
import { startFaultyDatabase, type FaultyDatabase } from '../helpers/standin.js';
import { withDatabase } from '../process/server-process.js';
import { openCore, seedSlots, startAppProcess, type AppProcess } from './harness.js';

const REQUESTS = 10_000;
const CONCURRENCY = 12;

let db: FaultyDatabase;
let app: AppProcess;
let contract: OpenApiContract;
let coachId: string;
let slotIds: string[];
let validToken: string;

beforeAll(async () => {
  db = await startFaultyDatabase();
  const uri = withDatabase(db.uri, 'fuzz');
  const seed = await openCore(uri);
  ({ coachId, slotIds } = await seedSlots(seed.core, 40, 'F'));
  await seed.close();
  app = await startAppProcess(uri, { RATE_LIMIT_PER_MINUTE: '1000000' });
  contract = await OpenApiContract.load(app.base);
  validToken = await sign({ sub: 'fuzz-student', name: 'Fuzz <!channel> & co', phone: '+442079460999' });
});

afterAll(async () => {
  await app?.stop();
  await db?.stop();
});

async function sign(claims: Record<string, unknown>, options: { expiresIn?: number; secret?: string; iat?: number } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(now + (options.iat ?? 0))
    .setExpirationTime(now + (options.expiresIn ?? 3_600))
    .sign(new TextEncoder().encode(options.secret ?? TEST_WIDGET_SECRET));
}

const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('<!channel>', '<@U123>', '{"$gt":""}', '../../etc/passwd', '%ZZ', '%', '%00', '\u0000', '💥'.repeat(50), 'a'.repeat(5_000), '__proto__', 'constructor'),
);

/** Something in the place of an id: real ones, near misses, encodings that do not decode. */
const idLike = () =>
  fc.oneof(
    fc.constantFrom(...slotIds, coachId, '000000000000000000000000', 'ffffffffffffffffffffffff'),
    fc.stringMatching(/^[0-9a-f]{24}$/),
    fc.constantFrom('%ZZ', '%E0%A4%A', '%2e%2e', '%2F', '..', '%00', 'null', 'undefined', '$gt', 'x'.repeat(300)),
    hostileText.map((s) => encodeURIComponent(s)),
  );

const jsonValue = fc.jsonValue({ maxDepth: 4 });

const body = () =>
  fc.oneof(
    fc.constant(undefined),
    fc.record({ slotId: fc.oneof(fc.constantFrom(...slotIds), idLike(), jsonValue) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
    fc.constantFrom('{"slotId":{"$gt":""}}', '{"slotId":', '[]', 'null', '"text"', '{"reason":"' + 'r'.repeat(3_000) + '"}', '{"__proto__":{"admin":true}}', '{"externalId":"demo-student-mia"}'),
    jsonValue.map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 200 }),
    fc.constant(`{"slotId":"${'x'.repeat(12_000)}"}`),
  );

const authorization = () =>
  fc.oneof(
    fc.constant(undefined),
    fc.constant('valid'),
    fc.constantFrom('Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearer a.b.c', 'Bearer ' + 'x'.repeat(2_000), 'bearer   x.y.z'),
    hostileText.map((t) => `Bearer ${t}`),
    fc.constantFrom('none', 'expired', 'future', 'long', 'wrong-secret', 'bad-phone', 'operator-sub'),
  );

async function resolveAuthorization(kind: string | undefined): Promise<string | undefined> {
  switch (kind) {
    case undefined:
      return undefined;
    case 'valid':
      return `Bearer ${validToken}`;
    case 'none':
      return `Bearer ${unsignedToken({ sub: 'x', name: 'x', phone: '+442079460001', exp: 4_102_444_800 })}`;
    case 'expired':
      return `Bearer ${await sign({ sub: 'fz', name: 'n', phone: '+442079460001' }, { expiresIn: -600 })}`;
    case 'future':
      return `Bearer ${await sign({ sub: 'fz', name: 'n', phone: '+442079460001' }, { iat: 3_600 })}`;
    case 'long':
      return `Bearer ${await sign({ sub: 'fz', name: 'n', phone: '+442079460001' }, { expiresIn: 30 * 86_400 })}`;
    case 'wrong-secret':
      return `Bearer ${await sign({ sub: 'fz', name: 'n', phone: '+442079460001' }, { secret: 'x'.repeat(40) })}`;
    case 'bad-phone':
      return `Bearer ${await sign({ sub: 'fz', name: '<!here>', phone: '12345' })}`;
    case 'operator-sub':
      return `Bearer ${await sign({ sub: { $gt: '' }, name: 'n', phone: '+442079460001' })}`;
    default:
      return kind;
  }
}

const query = () =>
  fc.oneof(
    fc.constant(''),
    fc.constantFrom(
      `?from=${new Date().toISOString()}&to=${new Date(Date.now() + 14 * 86_400_000).toISOString()}`,
      `?from=${new Date().toISOString()}&to=${new Date(Date.now() + 14 * 86_400_000).toISOString()}&coachId=${coachId}&limit=5`,
      '?from=2026-01-01T00:00:00Z&to=2030-01-01T00:00:00Z',
      '?from=yesterday&to=tomorrow',
      '?limit=0', '?limit=101', '?limit=-1', '?limit=1e2', '?limit=5&limit=6', '?limit[]=1', '?offset=99999999',
      '?scope=past', '?scope=everything', '?from[$gt]=', '?__proto__[x]=1', '?cursor=%ZZ',
    ),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }).map((d) => `?${new URLSearchParams(d)}`),
  );

const pathFor = (coach: string, id: string) => [
  '/api/v1/coaches',
  `/api/v1/coaches/${coach}/slots`,
  '/api/v1/bookings',
  '/api/v1/me/bookings',
  `/api/v1/bookings/${id}/cancel`,
  `/api/v1/bookings/${id}/calendar.ics`,
  `/api/v1/bookings/${id}/reschedule`,
  '/api/v1/slots',
  `/api/v1/slots/${id}/hold`,
  '/api/v1/openapi.json',
  '/api/v1/demo/token',
  `/api/v1/${id}`,
  '/healthz',
  '/api/v2/coaches',
];

const requestArbitrary = () => fc.record({
  method: fc.constantFrom('GET', 'GET', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'TRACE', 'HEAD', 'OPTIONS'),
  which: fc.nat({ max: 13 }),
  coach: fc.oneof(fc.constant(coachId), idLike()),
  id: idLike(),
  query: query(),
  authorization: authorization(),
  contentType: fc.constantFrom(undefined, 'application/json', 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-8'),
  idempotencyKey: fc.oneof(fc.constant(undefined), fc.uuid(), hostileText.map((t) => encodeURIComponent(t).slice(0, 300))),
  origin: fc.constantFrom(undefined, 'https://evil.example', 'null'),
  body: body(),
  padding: fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 0, 0, 17_000),
});

describe('fuzzing the widget API', () => {
  it(`answers ${REQUESTS} hostile requests with no 5xx, no crash, and only documented problems`, async () => {
    const samples = fc.sample(requestArbitrary(), { numRuns: REQUESTS, seed: 20_261_201 });
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < samples.length) {
          const sample = samples[next++]!;
          const path = pathFor(sample.coach, sample.id)[sample.which]! + sample.query;
          const headers: Record<string, string> = {};
          const auth = await resolveAuthorization(sample.authorization);
          if (auth !== undefined) headers.authorization = auth;
          if (sample.contentType) headers['content-type'] = sample.contentType;
          if (sample.idempotencyKey) headers['idempotency-key'] = sample.idempotencyKey;
          if (sample.origin) headers.origin = sample.origin;
          // A 431 carries its problem document, which a HEAD request cannot take (Node sees it before it knows the method).
          if (sample.padding && sample.method !== 'HEAD') headers['x-padding'] = 'p'.repeat(sample.padding);
          const answer = await rawRequest(app.base, sample.method, path, headers, sample.body);
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          if (answer.status === -1) continue;
          if (answer.status === 0 || answer.status >= 500) {
            failures.push(`${sample.method} ${path.slice(0, 120)} → ${answer.status} ${answer.text.slice(0, 200)}`);
          } else if (answer.status >= 400 && path.startsWith('/api/') && sample.method !== 'HEAD') {
            failures.push(...contract.problemMismatches({ method: sample.method, url: path, status: answer.status, headers: answer.headers, text: answer.text }));
          }
        }
      }),
    );
    // Only a few samples may be ones no HTTP client can send at all.
    expect(statuses.get(-1) ?? 0).toBeLessThan(REQUESTS / 10);
    console.log(`fuzz: ${REQUESTS} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(app.server.child.exitCode).toBeNull();
    expect(app.server.logs().filter((l) => /unhandled|uncaught/i.test(String(l.msg)))).toEqual([]);
    // The generator reached every kind of answer, so the check could fail.
    for (const status of [200, 400, 401, 404, 405, 413, 415, 431]) expect(statuses.get(status) ?? 0, `status ${status}`).toBeGreaterThan(0);
  });
});
