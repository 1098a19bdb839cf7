import * as z from 'zod/mini';
import {
  bookingResponseSchema,
  bookingSchema,
  bookingsResponseSchema,
  coachSchema,
  coachesResponseSchema,
  demoStudentsResponseSchema,
  demoTokenResponseSchema,
  holdResponseSchema,
  holdSchema,
  openSlotRefSchema,
  openSlotsResponseSchema,
  publicCoachSchema,
  problemSchema,
  QUERY_INTEGER_RANGES,
  slotSchema,
  slotsResponseSchema,
} from './contract.schema.js';
import type { Endpoint } from './endpoint.js';
import { EDGE_PROBLEMS } from './problem.js';
import { allowHeader } from './allow.js';

type JsonSchema = Record<string, unknown>;

const COMPONENT_PREFIX = '#/components/schemas/';

/** Named response shapes become components so clients see `Booking`, not anonymous objects. */
const NAMED_SCHEMAS: Record<string, z.ZodMiniType> = {
  Problem: problemSchema,
  Coach: coachSchema,
  OpenSlotRef: openSlotRefSchema,
  CoachesResponse: coachesResponseSchema,
  Slot: slotSchema,
  SlotsResponse: slotsResponseSchema,
  PublicCoach: publicCoachSchema,
  OpenSlotsResponse: openSlotsResponseSchema,
  Booking: bookingSchema,
  BookingResponse: bookingResponseSchema,
  BookingsResponse: bookingsResponseSchema,
  Hold: holdSchema,
  HoldResponse: holdResponseSchema,
  DemoStudentsResponse: demoStudentsResponseSchema,
  DemoTokenResponse: demoTokenResponseSchema,
};

const STATUS_TEXT: Record<number, string> = {
  400: 'The request is not valid (`validation.failed`, `range.invalid`, `range.too_wide`, `request.malformed_json`, `request.malformed_path`).',
  401: 'Missing, expired or badly signed token (`auth.*`).',
  403: 'The calling page’s origin is not in WIDGET_ORIGINS (`origin.not_allowed`), or, on admin operations, the token carries no `"admin": true` (`auth.not_admin`).',
  404: 'No such resource, or not yours (`*.not_found`).',
  405: 'This method is not served on this path; `Allow` lists those that are (`method.not_allowed`).',
  409: 'Conflict: `slot.taken`, `slot.not_open`, `booking.overlaps`, `slot.held`, `booking.busy`, or `idempotency.in_progress` (with `Retry-After`).',
  413: 'The body is larger than 10 KB (`request.too_large`).',
  415: 'The body is not `application/json` in UTF-8 (`request.unsupported_media_type`).',
  431: 'The request line and headers together exceed 16 KB (`request.headers_too_large`).',
  422: 'A booking rule refused it (`booking.too_soon`, `booking.own_slot`, `booking.cutoff_passed`, …).',
  429: 'Rate limit reached; wait for `Retry-After` seconds.',
  500: 'Unexpected failure; nothing internal is disclosed.',
  503: 'The database does not answer (`service.unavailable`); retry after `Retry-After` seconds.',
};

/**
 * Problems any operation can answer: a page whose origin is not allowed, a
 * rate limit, oversized headers, a database that does not answer, a failure.
 */
const COMMON_PROBLEMS = [403, 429, 431, 500, 503];
const RETRY_AFTER_STATUSES = new Set([409, 429, 503]);

function problemResponse(status: number, retryAfter: boolean, allow = false): JsonSchema {
  const headers: JsonSchema = {
    ...(retryAfter ? { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 0 } } } : {}),
    ...(allow ? { Allow: { description: 'The methods this path serves.', required: true, schema: { type: 'string' } } } : {}),
  };
  return {
    description: STATUS_TEXT[status] ?? 'Problem.',
    ...(Object.keys(headers).length ? { headers } : {}),
    content: { 'application/problem+json': { schema: { $ref: `${COMPONENT_PREFIX}Problem` } } },
  };
}

/** Whole-number query parameters travel as strings but are integers in a range: say so. */
function describeQueryIntegers(ctx: { zodSchema: unknown; jsonSchema: JsonSchema }): void {
  const range = QUERY_INTEGER_RANGES.get(ctx.zodSchema as z.ZodMiniType);
  if (!range) return;
  for (const key of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[key];
  Object.assign(ctx.jsonSchema, { type: 'integer', minimum: range.minimum, maximum: range.maximum });
}

/** The document declares the dialect once; `$id`s made from component refs are not valid 2020-12 ids. */
function stripDialect(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  return rest;
}

/**
 * Builds the OpenAPI 3.1 document from the endpoint descriptions and their zod
 * schemas. OpenAPI 3.1 uses JSON Schema 2020-12, zod's default target, so the
 * converted schemas go in unchanged.
 */
export function buildOpenApiDocument(endpoints: Endpoint[], options: { serverUrl: string | null; version: string }): JsonSchema {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(NAMED_SCHEMAS)) registry.add(schema, { id });
  const generated = z.toJSONSchema(registry, { uri: (id) => `${COMPONENT_PREFIX}${id}` }).schemas as Record<string, JsonSchema>;
  const components = Object.fromEntries(Object.entries(generated).map(([id, schema]) => [id, stripDialect(schema)]));

  const responseSchemaRef = (schema: z.ZodMiniType): JsonSchema => {
    const named = Object.entries(NAMED_SCHEMAS).find(([, candidate]) => candidate === schema);
    return named ? { $ref: `${COMPONENT_PREFIX}${named[0]}` } : convert(schema, 'output');
  };
  const convert = (schema: z.ZodMiniType, io: 'input' | 'output'): JsonSchema =>
    stripDialect(z.toJSONSchema(schema, { io, unrepresentable: 'throw', override: describeQueryIntegers }) as JsonSchema);

  const paths: Record<string, Record<string, unknown>> = {};
  for (const endpoint of endpoints) {
    const parameters: JsonSchema[] = [];
    for (const [name, schema] of Object.entries(endpoint.params ?? {})) {
      parameters.push({ name, in: 'path', required: true, schema: convert(schema, 'input') });
    }
    if (endpoint.query) {
      const query = convert(endpoint.query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
      for (const [name, schema] of Object.entries(query.properties ?? {})) {
        parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
      }
    }
    for (const [name, header] of Object.entries(endpoint.headers ?? {})) {
      parameters.push({ name, in: 'header', required: false, description: header.description, schema: convert(header.schema, 'input') });
    }

    const responses: Record<string, unknown> = {};
    for (const response of endpoint.responses) {
      if (response.status === 204) {
        responses['204'] = { description: response.description };
        continue;
      }
      const content = response.schema
        ? { 'application/json': { schema: responseSchemaRef(response.schema) } }
        : { [response.contentType ?? 'application/octet-stream']: { schema: { type: 'string' } } };
      responses[String(response.status)] = { description: response.description, content };
    }
    // A body can be malformed, too large or not JSON; a path parameter can be undecodable (`%ZZ`).
    const bodyProblems = [...(endpoint.body ? [400, 413, 415] : []), ...(endpoint.params ? [400] : [])];
    for (const status of [...new Set([...endpoint.problems, ...bodyProblems, ...COMMON_PROBLEMS])].sort()) {
      responses[String(status)] = problemResponse(status, RETRY_AFTER_STATUSES.has(status));
    }

    const operation: JsonSchema = {
      operationId: endpoint.operationId,
      summary: endpoint.summary,
      ...(endpoint.description ? { description: endpoint.description } : {}),
      tags: [endpoint.tag],
      ...(parameters.length ? { parameters } : {}),
      ...(endpoint.body
        ? {
            requestBody: {
              required: endpoint.bodyRequired ?? false,
              content: { 'application/json': { schema: convert(endpoint.body, 'input') } },
            },
          }
        : {}),
      responses,
      security: endpoint.auth === 'admin' ? [{ adminToken: [] }] : endpoint.auth ? [{ studentToken: [] }] : [],
    };
    const path = `/api/v1${endpoint.path}`;
    paths[path] = { ...paths[path], [endpoint.method]: operation };
  }
  // Any other method on a served path is answered 405 with Allow. OpenAPI has
  // no place for responses to undeclared methods, so each path item says it
  // and points at the shared response.
  const methodsByPath = new Map<string, string[]>();
  for (const endpoint of endpoints) {
    const path = `/api/v1${endpoint.path}`;
    methodsByPath.set(path, [...(methodsByPath.get(path) ?? []), endpoint.method]);
  }
  for (const [path, methods] of methodsByPath) {
    paths[path] = {
      description: `Other methods are answered 405 (see components.responses.MethodNotAllowed) with \`Allow: ${allowHeader(methods)}\`.`,
      ...paths[path],
    };
  }

  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Coaching scheduler: booking widget API',
      version: options.version,
      description:
        'What the <coach-booking> element calls. Errors are RFC 9457 problem documents with a stable `code`. ' +
        `Edge codes: ${Object.keys(EDGE_PROBLEMS).join(', ')}.`,
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    tags: [
      { name: 'Coaches', description: 'Public: who can be booked, and when.' },
      { name: 'Bookings', description: 'The signed-in student’s sessions.' },
      { name: 'Documentation', description: 'This document.' },
      { name: 'Admin', description: 'For the organisation’s admins, with an admin token.' },
      ...(endpoints.some((e) => e.tag === 'Demo') ? [{ name: 'Demo', description: 'Only with DEMO_MODE=1: demo identities.' }] : []),
    ],
    paths,
    components: {
      schemas: components,
      responses: { MethodNotAllowed: problemResponse(405, false, true) },
      securitySchemes: {
        studentToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'An HS256 JWT signed by the host site with WIDGET_SIGNING_SECRET, carrying sub, name, phone (E.164), optional email, and exp.',
        },
        adminToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'An HS256 JWT signed by the host site with WIDGET_SIGNING_SECRET (issuer, audience and lifetime rules as for student tokens), carrying sub, ' +
            '"admin": true, exp, and optionally workspace (a Slack team id) to confine it to that workspace. A token without "admin": true is refused 403 auth.not_admin.',
        },
      },
    },
  };
}
