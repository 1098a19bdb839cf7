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
  slotSchema,
  slotsResponseSchema,
} from './contract.schema.js';
import type { Endpoint } from './endpoint.js';
import { EDGE_PROBLEMS } from './problem.js';

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
  400: 'The request is not valid (`validation.failed`, `range.invalid`, `range.too_wide`, `request.malformed_json`).',
  401: 'Missing, expired or badly signed token (`auth.*`).',
  403: 'The calling page’s origin is not in WIDGET_ORIGINS (`origin.not_allowed`).',
  404: 'No such resource, or not yours (`*.not_found`).',
  409: 'Conflict: `slot.taken`, `slot.held`, `slot.not_open`, `booking.overlaps`, `booking.busy`, `idempotency.in_progress`.',
  413: 'The body is larger than 10 KB.',
  422: 'A booking rule refused it (`booking.too_soon`, `booking.own_slot`, `booking.cutoff_passed`, …).',
  429: 'Rate limit reached; wait for `Retry-After` seconds.',
  500: 'Unexpected failure; nothing internal is disclosed.',
  503: 'A dependency is unavailable; retry after `Retry-After` seconds.',
};

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
    stripDialect(z.toJSONSchema(schema, { io, unrepresentable: 'throw' }) as JsonSchema);

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
    // Any cross-origin call may be refused for its origin, and any call rate-limited or failed.
    for (const status of [...endpoint.problems, 403, 429, 500]) {
      const headers = status === 429 ? { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } } : undefined;
      responses[String(status)] = {
        description: STATUS_TEXT[status] ?? 'Problem.',
        ...(headers ? { headers } : {}),
        content: { 'application/problem+json': { schema: { $ref: `${COMPONENT_PREFIX}Problem` } } },
      };
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
      security: endpoint.auth ? [{ studentToken: [] }] : [],
    };
    const path = `/api/v1${endpoint.path}`;
    paths[path] = { ...paths[path], [endpoint.method]: operation };
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
      ...(endpoints.some((e) => e.tag === 'Demo') ? [{ name: 'Demo', description: 'Only with DEMO_MODE=1: demo identities.' }] : []),
    ],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        studentToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'An HS256 JWT signed by the host site with WIDGET_SIGNING_SECRET, carrying sub, name, phone (E.164), optional email, and exp.',
        },
      },
    },
  };
}
