import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { getJson, sendJson } from '../helpers/http.js';
import { DAY, HOUR, at, makeCoach, newStudent, openSlot, useWidgetApp } from './fixtures.js';

type Json = Record<string, any>;

const ctx = useWidgetApp();
let doc: Json;
let ajv: Ajv2020;

/** The operations issue 4 promises, plus the document itself. */
const EXPECTED_OPERATIONS = [
  'get /api/v1/coaches',
  'get /api/v1/coaches/{coachId}/slots',
  'get /api/v1/slots',
  'get /api/v1/live',
  'post /api/v1/bookings',
  'get /api/v1/me/bookings',
  'post /api/v1/bookings/{bookingId}/cancel',
  'post /api/v1/bookings/{bookingId}/reschedule',
  'get /api/v1/bookings/{bookingId}/calendar.ics',
  'post /api/v1/slots/{slotId}/hold',
  'delete /api/v1/slots/{slotId}/hold',
  'get /api/v1/admin/sessions.csv',
  'get /api/v1/openapi.json',
];

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

function operations(document: Json): Array<[string, string, Json]> {
  return Object.entries(document.paths as Json).flatMap(([path, item]) =>
    Object.entries(item as Json)
      .filter(([method]) => HTTP_METHODS.has(method))
      .map(([method, operation]) => [method, path, operation as Json] as [string, string, Json]),
  );
}

function resolve(ref: string): Json {
  expect(ref).toMatch(/^#\//);
  return ref
    .slice(2)
    .split('/')
    .reduce<Json>((node, key) => {
      expect(node, `${ref} does not resolve`).toHaveProperty([key]);
      return node[key];
    }, doc);
}

/** Validates a real response body against the schema the document gives for that operation and status. */
function validateResponse(method: string, path: string, status: number, body: unknown, mediaType = 'application/json'): void {
  const schema = doc.paths[path][method].responses[String(status)]?.content?.[mediaType]?.schema;
  expect(schema, `${method} ${path} documents no ${status} ${mediaType} body`).toBeDefined();
  const validate = ajv.compile({ $ref: `openapi.json${schema.$ref ?? ''}`, ...(schema.$ref ? {} : schema) });
  const valid = validate(body);
  expect(validate.errors ?? [], `${method} ${path} ${status}`).toEqual([]);
  expect(valid).toBe(true);
}

beforeAll(async () => {
  const response = await getJson<Json>(ctx.url('/api/v1/openapi.json'));
  expect(response.status).toBe(200);
  doc = response.body;
  // Strict: a keyword JSON Schema 2020-12 does not know fails the compile. Formats are
  // left to the patterns zod emits next to them.
  ajv = new Ajv2020({ strict: true, validateFormats: false, allErrors: true });
  ajv.addKeyword({ keyword: 'components' });
  ajv.addSchema({ $id: 'openapi.json', components: doc.components });
});

describe('GET /api/v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document with the JSON Schema 2020-12 dialect', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.jsonSchemaDialect).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.components.securitySchemes.studentToken).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  });

  it('lists every route of the widget API, and no other', () => {
    const listed = operations(doc).map(([method, path]) => `${method} ${path}`);
    expect(listed.sort()).toEqual([...EXPECTED_OPERATIONS].sort());
  });

  it('declares every path parameter, has unique operation ids, and documents success and problem answers', () => {
    const ids = new Set<string>();
    for (const [method, path, operation] of operations(doc)) {
      expect(ids.has(operation.operationId)).toBe(false);
      ids.add(operation.operationId);
      const declared = (operation.parameters ?? []).filter((p: Json) => p.in === 'path').map((p: Json) => p.name);
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(declared, `${method} ${path}`).toEqual(templated);
      for (const p of operation.parameters ?? []) expect(p.in === 'path' ? p.required : true).toBe(true);
      const statuses = Object.keys(operation.responses);
      expect(statuses.some((s) => s.startsWith('2')), `${method} ${path}`).toBe(true);
      for (const status of statuses.filter((s) => /^[45]/.test(s))) {
        expect(operation.responses[status].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
      }
    }
  });

  it('marks the student endpoints as needing the bearer token, and only those', () => {
    const secured = operations(doc)
      .filter(([, , op]) => op.security.some((s: Json) => 'studentToken' in s))
      .map(([method, path]) => `${method} ${path}`)
      .sort();
    expect(operations(doc).filter(([, , op]) => op.security.some((s: Json) => 'adminToken' in s)).map(([method, path]) => `${method} ${path}`)).toEqual(['get /api/v1/admin/sessions.csv']);
    expect(doc.components.securitySchemes.adminToken.description).toContain('"admin": true');
    expect(secured).toEqual(
      [
        'get /api/v1/me/bookings',
        'post /api/v1/bookings',
        'post /api/v1/bookings/{bookingId}/cancel',
        'post /api/v1/bookings/{bookingId}/reschedule',
        'get /api/v1/bookings/{bookingId}/calendar.ics',
        'post /api/v1/slots/{slotId}/hold',
        'delete /api/v1/slots/{slotId}/hold',
      ].sort(),
    );
  });

  it('resolves every $ref and every schema compiles as strict JSON Schema 2020-12', () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) resolve(JSON.parse(`{${ref}}`).$ref);
    for (const name of Object.keys(doc.components.schemas)) {
      expect(() => ajv.compile({ $ref: `openapi.json#/components/schemas/${name}` }), name).not.toThrow();
    }
    for (const [method, path, operation] of operations(doc)) {
      for (const p of operation.parameters ?? []) expect(() => ajv.compile(p.schema), `${method} ${path} ${p.name}`).not.toThrow();
      const body = operation.requestBody?.content['application/json'].schema;
      if (body) expect(() => ajv.compile(body), `${method} ${path} body`).not.toThrow();
    }
  });

  it('documents the same request rules the API enforces', () => {
    const body = ajv.compile(doc.paths['/api/v1/bookings'].post.requestBody.content['application/json'].schema);
    expect(body({ slotId: '0123456789abcdef01234567' })).toBe(true);
    expect(body({ slotId: { $gt: '' } })).toBe(false);
    expect(body({ slotId: '0123456789abcdef01234567', extra: 1 })).toBe(false);
    const scope = doc.paths['/api/v1/me/bookings'].get.parameters.find((p: Json) => p.name === 'scope');
    expect(scope.schema.enum).toEqual(['upcoming', 'past', 'cancelled']);
  });

  it('describes the real responses: every body the API sends validates against its documented schema', async () => {
    const coach = await makeCoach(ctx.core, { bio: 'Documented.' });
    const slot = await openSlot(ctx.core, coach.id, at(3 * DAY + HOUR));
    const headers = await ctx.authFor(newStudent());

    const coaches = await getJson(ctx.url('/api/v1/coaches'));
    validateResponse('get', '/api/v1/coaches', 200, coaches.body);

    const slots = await getJson(ctx.url(`/api/v1/coaches/${coach.id}/slots?from=2026-06-01T00:00:00Z&to=2026-06-30T00:00:00Z`));
    validateResponse('get', '/api/v1/coaches/{coachId}/slots', 200, slots.body);

    const held = await sendJson('POST', ctx.url(`/api/v1/slots/${slot.id}/hold`), undefined, { headers });
    validateResponse('post', '/api/v1/slots/{slotId}/hold', 201, held.body);
    const heldByOther = await sendJson('POST', ctx.url(`/api/v1/slots/${slot.id}/hold`), undefined, { headers: await ctx.authFor(newStudent()) });
    validateResponse('post', '/api/v1/slots/{slotId}/hold', 409, heldByOther.body, 'application/problem+json');

    const booked = await sendJson<{ booking: { id: string } }>('POST', ctx.url('/api/v1/bookings'), { slotId: slot.id }, { headers });
    validateResponse('post', '/api/v1/bookings', 201, booked.body);

    const conflict = await sendJson('POST', ctx.url('/api/v1/bookings'), { slotId: slot.id }, { headers: await ctx.authFor(newStudent()) });
    validateResponse('post', '/api/v1/bookings', 409, conflict.body, 'application/problem+json');

    const invalid = await sendJson('POST', ctx.url('/api/v1/bookings'), { slotId: 1 }, { headers });
    validateResponse('post', '/api/v1/bookings', 400, invalid.body, 'application/problem+json');

    // The check can fail: the same body with a field the contract does not have is refused.
    const extended = ajv.compile({ $ref: 'openapi.json#/components/schemas/BookingResponse' });
    expect(extended({ booking: { ...booked.body.booking, feedback: { satisfaction: 5 } } })).toBe(false);

    const mine = await getJson(ctx.url('/api/v1/me/bookings?scope=upcoming'), { headers });
    validateResponse('get', '/api/v1/me/bookings', 200, mine.body);

    const cancelled = await sendJson('POST', ctx.url(`/api/v1/bookings/${booked.body.booking.id}/cancel`), {}, { headers });
    validateResponse('post', '/api/v1/bookings/{bookingId}/cancel', 200, cancelled.body);

    const unauthorized = await getJson(ctx.url('/api/v1/me/bookings'));
    validateResponse('get', '/api/v1/me/bookings', 401, unauthorized.body, 'application/problem+json');
  });
});
