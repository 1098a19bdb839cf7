/**
 * The widget's HTTP contract, written once. The server validates requests with
 * these schemas and generates its OpenAPI document from them; the browser
 * bundle parses responses with the same ones. Built on `zod/mini` so the
 * browser only ships the checks it uses, and free of Node APIs for the same
 * reason.
 */
import * as z from 'zod/mini';

// Spelled out rather than with the `i` flag: JSON Schema patterns carry no flags.
const ID_PATTERN = /^[0-9a-fA-F]{24}$/;
/** E.164: a plus, a country code that does not start with 0, at most 15 digits. */
export const E164_PATTERN = /^\+[1-9]\d{6,14}$/;

export const idSchema = z.string().check(z.regex(ID_PATTERN, 'Not a valid id.'));

/** Instants travel as ISO 8601 UTC strings such as `2026-03-10T10:00:00.000Z`. */
export const instantStringSchema = z.iso.datetime({ message: 'Use an ISO 8601 UTC instant such as 2026-03-10T10:00:00Z.' });
/** Requests may also give an offset (`2026-03-10T11:00:00+01:00`); it names the same instant. */
const instantInputSchema = z.iso.datetime({ offset: true, message: 'Use an ISO 8601 instant such as 2026-03-10T10:00:00Z.' });

/**
 * The range of each whole-number query parameter, so the OpenAPI document can
 * describe it as the integer it is rather than as the string the query
 * string carries.
 */
export const QUERY_INTEGER_RANGES = new WeakMap<z.ZodMiniType, { minimum: number; maximum: number }>();

/** A non-negative integer given as a query-string value. */
const queryInteger = (min: number, max: number) => {
  const schema = z.pipe(
    z.string().check(z.regex(/^\d{1,6}$/, 'Use a whole number.')),
    z.pipe(
      z.transform((value: string) => Number(value)),
      z.number().check(z.gte(min, `Use a whole number from ${min} to ${max}.`), z.lte(max, `Use a whole number from ${min} to ${max}.`)),
    ),
  );
  QUERY_INTEGER_RANGES.set(schema, { minimum: min, maximum: max });
  return schema;
};

/* ------------------------------------------------------------------ requests */

/** What the host site signs for its logged-in student (HS256, `exp` required). */
export const tokenClaimsSchema = z.object({
  sub: z.string().check(z.minLength(1), z.maxLength(200)),
  name: z.string().check(z.trim(), z.minLength(1, 'The name claim is empty.'), z.maxLength(120)),
  phone: z.string().check(z.regex(E164_PATTERN, 'The phone claim must be an E.164 number such as +447700900123.')),
  email: z.optional(z.email()),
  exp: z.number(),
});
export type TokenClaims = z.infer<typeof tokenClaimsSchema>;

export const pageQuerySchema = z.strictObject({
  limit: z.optional(queryInteger(1, 100)),
  offset: z.optional(queryInteger(0, 100_000)),
});

export const slotsQuerySchema = z.strictObject({
  from: instantInputSchema,
  to: instantInputSchema,
});

export const BOOKING_SCOPES = ['upcoming', 'past'] as const;
export type BookingScope = (typeof BOOKING_SCOPES)[number];

export const myBookingsQuerySchema = z.strictObject({
  scope: z.optional(z.enum(BOOKING_SCOPES)),
  limit: z.optional(queryInteger(1, 100)),
  offset: z.optional(queryInteger(0, 100_000)),
});

export const createBookingBodySchema = z.strictObject({
  slotId: idSchema,
});
export type CreateBookingBody = z.infer<typeof createBookingBodySchema>;

export const cancelBookingBodySchema = z.strictObject({
  reason: z.optional(z.string().check(z.trim(), z.maxLength(500, 'Keep the reason under 500 characters.'))),
});

/** A client-chosen key (a UUID works) that makes a retried booking return the first result. */
export const idempotencyKeySchema = z.string().check(
  z.minLength(8, 'Use at least 8 characters (a UUID works).'),
  z.maxLength(200, 'Use at most 200 characters.'),
  z.regex(/^[\x21-\x7e]+$/, 'Use printable ASCII characters without spaces.'),
);

export const demoTokenBodySchema = z.strictObject({
  externalId: z.string().check(z.minLength(1), z.maxLength(200)),
});

/* ----------------------------------------------------------------- responses */

export const openSlotRefSchema = z.object({
  id: idSchema,
  startsAt: instantStringSchema,
  endsAt: instantStringSchema,
});

export const coachSchema = z.object({
  id: idSchema,
  name: z.string(),
  bio: z.string(),
  avatarUrl: z.nullable(z.string()),
  timezone: z.string(),
  nextOpenSlot: z.nullable(openSlotRefSchema),
});
export type CoachDto = z.infer<typeof coachSchema>;

export const coachesResponseSchema = z.object({
  coaches: z.array(coachSchema),
  /** Offset of the next page, or null on the last one. */
  nextOffset: z.nullable(z.number()),
});

export const slotSchema = z.object({
  id: idSchema,
  coachId: idSchema,
  startsAt: instantStringSchema,
  endsAt: instantStringSchema,
});
export type SlotDto = z.infer<typeof slotSchema>;

export const slotsResponseSchema = z.object({
  slots: z.array(slotSchema),
});

export const bookingSchema = z.object({
  id: idSchema,
  status: z.enum(['active', 'cancelled']),
  startsAt: instantStringSchema,
  endsAt: instantStringSchema,
  coach: z.object({
    id: idSchema,
    name: z.string(),
    /** E.164; shown only to the session's student. */
    phone: z.nullable(z.string()),
    avatarUrl: z.nullable(z.string()),
    timezone: z.string(),
  }),
  cancellation: z.nullable(
    z.object({
      by: z.enum(['student', 'coach']),
      at: instantStringSchema,
      reason: z.nullable(z.string()),
    }),
  ),
  /** The last moment the student may cancel (the session's start minus the cutoff). */
  cancellableUntil: instantStringSchema,
});
export type BookingDto = z.infer<typeof bookingSchema>;

export const bookingResponseSchema = z.object({ booking: bookingSchema });

export const bookingsResponseSchema = z.object({
  bookings: z.array(bookingSchema),
  nextOffset: z.nullable(z.number()),
});

export const demoStudentsResponseSchema = z.object({
  students: z.array(z.object({ externalId: z.string(), name: z.string() })),
});

export const demoTokenResponseSchema = z.object({
  token: z.string(),
  expiresAt: instantStringSchema,
});

/** RFC 9457 problem document, with a stable `code` member and, for validation, the failing fields. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  detail: z.string(),
  code: z.string(),
  errors: z.optional(
    z.array(
      z.object({
        location: z.enum(['body', 'query', 'header', 'path']),
        path: z.string(),
        message: z.string(),
      }),
    ),
  ),
});
export type ProblemDto = z.infer<typeof problemSchema>;
