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

/** A Slack team (workspace) id. */
export const WORKSPACE_PATTERN = /^[TE][A-Z0-9]{1,30}$/;

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
  /**
   * Optional Slack team id (`T0123ABCD`): confines the widget to that
   * workspace's coaches. Without it the student sees the whole deployment's.
   */
  workspace: z.optional(z.string().check(z.regex(WORKSPACE_PATTERN, 'The workspace claim must be a Slack team id such as T0123ABCD.'))),
  exp: z.number(),
});
export type TokenClaims = z.infer<typeof tokenClaimsSchema>;

/**
 * An admin token: signed like a student token, with `"admin": true`. It
 * needs no name or phone (it is nobody's booking identity); `workspace`
 * confines it to one Slack team, as for students.
 */
export const adminTokenClaimsSchema = z.object({
  sub: z.string().check(z.minLength(1), z.maxLength(200)),
  admin: z.optional(z.boolean()),
  workspace: z.optional(z.string().check(z.regex(WORKSPACE_PATTERN, 'The workspace claim must be a Slack team id such as T0123ABCD.'))),
  exp: z.number(),
});
export type AdminTokenClaims = z.infer<typeof adminTokenClaimsSchema>;

export const adminSessionsQuerySchema = z.strictObject({
  from: instantInputSchema,
  to: instantInputSchema,
});

/** The shape core's coach cursors have (`<id>.<base64url name>`); anything else is refused here, in the query. */
const coachCursorSchema = z.string().check(
  z.maxLength(1000),
  z.regex(/^[0-9a-f]{24}\.[A-Za-z0-9_-]*$/, 'Not a cursor this listing gave out. Pass the nextCursor of the previous page, or leave it out for the first.'),
);

export const coachesQuerySchema = z.strictObject({
  limit: z.optional(queryInteger(1, 100)),
  cursor: z.optional(coachCursorSchema),
});

export const slotsQuerySchema = z.strictObject({
  from: instantInputSchema,
  to: instantInputSchema,
});

/** A page cursor handed out by the API (`nextCursor`), passed back as is. */
const cursorSchema = z.string().check(z.regex(/^\d{1,15}_[0-9a-fA-F]{24}$/, 'Pass back the nextCursor of the previous page unchanged.'));

export const openSlotsQuerySchema = z.strictObject({
  from: instantInputSchema,
  to: instantInputSchema,
  coachId: z.optional(idSchema),
  limit: z.optional(queryInteger(1, 500)),
  cursor: z.optional(cursorSchema),
});

export const BOOKING_SCOPES = ['upcoming', 'past', 'cancelled'] as const;
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

export const rescheduleBookingBodySchema = z.strictObject({
  slotId: idSchema,
});

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
  /** Pass as `cursor` to get the next page; null on the last one. */
  nextCursor: z.nullable(z.string()),
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

export const publicCoachSchema = z.object({
  id: idSchema,
  name: z.string(),
  bio: z.string(),
  avatarUrl: z.nullable(z.string()),
  timezone: z.string(),
});
export type PublicCoachDto = z.infer<typeof publicCoachSchema>;

export const openSlotsResponseSchema = z.object({
  slots: z.array(slotSchema),
  /** Every coach a slot on this page belongs to, once; with `coachId`, that coach even when the page is empty. */
  coaches: z.array(publicCoachSchema),
  /** Pass as `cursor` for the next page of the same range; null on the last page. */
  nextCursor: z.nullable(z.string()),
  /** The first bookable slot at or after `to` (same coach filter), for a "next available" jump; null when none is open within the horizon. */
  nextOpenAfter: z.nullable(slotSchema),
});
export type OpenSlotsResponseDto = z.infer<typeof openSlotsResponseSchema>;

export const bookingSchema = z.object({
  id: idSchema,
  status: z.enum(['active', 'cancelled']),
  startsAt: instantStringSchema,
  endsAt: instantStringSchema,
  coach: z.object({
    id: idSchema,
    name: z.string(),
    /** E.164, for `tel:` links; shown only to the session's student. */
    phone: z.nullable(z.string()),
    /** The same number formatted for people to read (`+44 20 7946 0018`). */
    phoneDisplay: z.nullable(z.string()),
    avatarUrl: z.nullable(z.string()),
    timezone: z.string(),
  }),
  cancellation: z.nullable(
    z.object({
      /** `admin`: an admin of the coach's workspace cancelled it (the organisation, not the coach). */
      by: z.enum(['student', 'coach', 'admin']),
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

export const holdSchema = z.object({
  slotId: idSchema,
  /** Until then nobody else can book the slot; hold it again to renew. */
  expiresAt: instantStringSchema,
});
export type HoldDto = z.infer<typeof holdSchema>;

export const holdResponseSchema = z.object({ hold: holdSchema });

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
