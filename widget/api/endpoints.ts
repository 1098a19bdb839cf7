import type { Request } from 'express';
import type { Core } from '../../core/core.types.js';
import type { Student } from '../../core/students/student.schema.js';
import { sessionCalendar, type CalendarOrganizer } from './calendar.js';
import {
  bookingResponseSchema,
  bookingsResponseSchema,
  cancelBookingBodySchema,
  coachesQuerySchema,
  coachesResponseSchema,
  createBookingBodySchema,
  holdResponseSchema,
  idSchema,
  idempotencyKeySchema,
  myBookingsQuerySchema,
  openSlotsQuerySchema,
  openSlotsResponseSchema,
  rescheduleBookingBodySchema,
  slotsQuerySchema,
  slotsResponseSchema,
} from './contract.schema.js';
import { defineEndpoint, type Endpoint } from './endpoint.js';
import { parseRequestPart } from './problem.js';
import { presentBooking, presentCoach, presentHold, presentOpenSlots, presentSlot } from './present.js';

function pathParam(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value : '';
}

function requireStudent(student: Student | null): Student {
  if (!student) throw new Error('endpoint declared auth: true but ran without a student');
  return student;
}

/** The student-facing operations of the booking widget, in the order the OpenAPI document lists them. */
export function widgetEndpoints(core: Core, calendar: { organizer: CalendarOrganizer }): Endpoint[] {
  return [
    defineEndpoint({
      method: 'get',
      path: '/coaches',
      operationId: 'listCoaches',
      summary: 'All coaches with their next open slot, by name',
      description:
        'A page of at most `limit` coaches (default 100). While `nextCursor` is not null, pass it as `cursor` to get the next page. ' +
        'With a student token whose `workspace` claim names a Slack team, only that workspace’s coaches; otherwise every coach of the deployment.',
      tag: 'Coaches',
      auth: false,
      query: coachesQuerySchema,
      responses: [{ status: 200, description: 'A page of coaches.', schema: coachesResponseSchema }],
      problems: [400],
      async handle({ res, query, scope }) {
        const page = await core.coaches.list({ limit: query.limit ?? 100, cursor: query.cursor ?? null }, scope);
        res.json({ coaches: page.items.map(presentCoach), nextCursor: page.nextCursor });
      },
    }),

    defineEndpoint({
      method: 'get',
      path: '/coaches/{coachId}/slots',
      operationId: 'listCoachSlots',
      summary: "A coach's open slots that can still be booked, in [from, to)",
      description: 'The range may span at most 31 days; a wider one is refused with `range.too_wide`.',
      tag: 'Coaches',
      auth: false,
      params: { coachId: idSchema },
      query: slotsQuerySchema,
      responses: [{ status: 200, description: 'Open, bookable slots, soonest first.', schema: slotsResponseSchema }],
      problems: [400, 404],
      async handle({ req, res, query, scope }) {
        const coachId = pathParam(req, 'coachId');
        // Asked first so an unknown coach (or one outside the token's workspace) is a 404 rather than an empty list.
        await core.coaches.getPublic(coachId, scope);
        const slots = await core.slots.listBookable(coachId, { from: query.from, to: query.to }, scope);
        res.json({ slots: slots.map(presentSlot) });
      },
    }),

    defineEndpoint({
      method: 'get',
      path: '/slots',
      operationId: 'listOpenSlots',
      summary: 'Open slots across coaches (or one, with coachId) that can still be booked, in [from, to)',
      description:
        'Soonest first, a page at a time (`limit`, default 200, at most 500; follow `nextCursor`). ' +
        'The minimum-notice and horizon rules apply as for one coach. The range may span at most 32 days ' +
        '(a calendar month in any zone); a wider one is refused with `range.too_wide`. `nextOpenAfter` is the first ' +
        'bookable slot at or after `to`, so a client can jump over empty months. With a student token whose `workspace` ' +
        'claim names a Slack team, only that workspace’s slots.',
      tag: 'Coaches',
      auth: false,
      query: openSlotsQuerySchema,
      responses: [{ status: 200, description: 'A page of open, bookable slots with their coaches.', schema: openSlotsResponseSchema }],
      problems: [400, 404],
      async handle({ res, query, scope }) {
        const page = await core.slots.listBookableAcross({ ...query, limit: query.limit ?? 200 }, scope);
        res.json(presentOpenSlots(page));
      },
    }),

    defineEndpoint({
      method: 'post',
      path: '/bookings',
      operationId: 'createBooking',
      summary: 'Book an open slot for the signed-in student',
      description:
        'With an `Idempotency-Key` header, a retried request returns the booking the first one made instead of a conflict.',
      tag: 'Bookings',
      auth: true,
      body: createBookingBodySchema,
      bodyRequired: true,
      headers: {
        'Idempotency-Key': { schema: idempotencyKeySchema, description: 'A client-chosen key, such as a UUID, unique per booking attempt.' },
      },
      responses: [{ status: 201, description: 'The new session, with the coach’s phone.', schema: bookingResponseSchema }],
      problems: [400, 401, 404, 409, 422],
      async handle({ req, res, body, student, scope }) {
        const rawKey = req.get('idempotency-key');
        const idempotencyKey = rawKey === undefined ? undefined : parseRequestPart(idempotencyKeySchema, rawKey, 'header');
        const session = await core.bookings.book(requireStudent(student).id, { slotId: body.slotId, idempotencyKey }, scope);
        res.status(201).json({ booking: presentBooking(session) });
      },
    }),

    defineEndpoint({
      method: 'post',
      path: '/slots/{slotId}/hold',
      operationId: 'holdSlot',
      summary: 'Hold an open slot for the signed-in student while they confirm',
      description:
        'Nobody else can book or hold the slot until `expiresAt` (HOLD_MINUTES, default 5). Holding it again renews the hold; ' +
        'holding another slot lets this one go. Booking it consumes the hold. `slot.held` (409) when another student holds it, ' +
        '`slot.taken` (409) when it is booked.',
      tag: 'Bookings',
      auth: true,
      params: { slotId: idSchema },
      responses: [{ status: 201, description: 'The hold.', schema: holdResponseSchema }],
      problems: [401, 404, 409, 422],
      async handle({ req, res, student, scope }) {
        const hold = await core.holds.hold(requireStudent(student).id, pathParam(req, 'slotId'), scope);
        res.status(201).json({ hold: presentHold(hold) });
      },
    }),

    defineEndpoint({
      method: 'delete',
      path: '/slots/{slotId}/hold',
      operationId: 'releaseSlotHold',
      summary: "Let the signed-in student's hold on a slot go",
      description: 'Answers 204 whether or not the student held the slot, so a retried release is harmless.',
      tag: 'Bookings',
      auth: true,
      params: { slotId: idSchema },
      responses: [{ status: 204, description: 'The slot is no longer held by this student.' }],
      problems: [401, 404],
      async handle({ req, res, student, scope }) {
        await core.holds.release(requireStudent(student).id, pathParam(req, 'slotId'), scope);
        res.status(204).end();
      },
    }),

    defineEndpoint({
      method: 'get',
      path: '/me/bookings',
      operationId: 'listMyBookings',
      summary: "The signed-in student's upcoming, past or cancelled sessions",
      description:
        'Upcoming: active sessions not yet started, soonest first. Past: sessions that took place (started, not cancelled), newest first. ' +
        'Cancelled: cancelled sessions, soonest start last. Coaches’ notes are never included.',
      tag: 'Bookings',
      auth: true,
      query: myBookingsQuerySchema,
      responses: [{ status: 200, description: 'A page of sessions.', schema: bookingsResponseSchema }],
      problems: [400, 401],
      async handle({ res, query, student, scope }) {
        const studentId = requireStudent(student).id;
        const page = { limit: query.limit ?? 20, offset: query.offset ?? 0 };
        const which = query.scope ?? 'upcoming';
        const result =
          which === 'upcoming'
            ? await core.bookings.studentUpcoming(studentId, page, scope)
            : which === 'past'
              ? await core.bookings.studentPast(studentId, page, scope)
              : await core.bookings.studentCancelled(studentId, page, scope);
        res.json({ bookings: result.items.map(presentBooking), nextOffset: result.nextOffset });
      },
    }),

    defineEndpoint({
      method: 'post',
      path: '/bookings/{bookingId}/cancel',
      operationId: 'cancelBooking',
      summary: 'Cancel one of the signed-in student’s upcoming sessions',
      description: 'Allowed until the cancellation cutoff before the start; the slot opens again for others.',
      tag: 'Bookings',
      auth: true,
      params: { bookingId: idSchema },
      body: cancelBookingBodySchema,
      bodyRequired: false,
      responses: [{ status: 200, description: 'The cancelled session.', schema: bookingResponseSchema }],
      problems: [400, 401, 404, 422],
      async handle({ req, res, body, student, scope }) {
        const session = await core.bookings.cancelAsStudent(requireStudent(student).id, pathParam(req, 'bookingId'), { reason: body.reason }, scope);
        res.json({ booking: presentBooking(session) });
      },
    }),

    defineEndpoint({
      method: 'post',
      path: '/bookings/{bookingId}/reschedule',
      operationId: 'rescheduleBooking',
      summary: 'Move one of the signed-in student’s upcoming sessions to another open slot of the same coach',
      description:
        'The session keeps its id and moves in one step: the new slot is secured before the old one is released, and the old slot opens again for others. ' +
        'Allowed until the cancellation cutoff before the current start; the new slot must respect the booking notice. ' +
        'On a conflict (`slot.taken`, `slot.not_open`, `booking.overlaps`, `booking.busy`) the session stays exactly as it was. ' +
        'Asking to move a session to the slot it already has answers 200 with the session unchanged, so a retried request is harmless.',
      tag: 'Bookings',
      auth: true,
      params: { bookingId: idSchema },
      body: rescheduleBookingBodySchema,
      bodyRequired: true,
      responses: [{ status: 200, description: 'The session at its new time.', schema: bookingResponseSchema }],
      problems: [400, 401, 404, 409, 422],
      async handle({ req, res, body, student, scope }) {
        const session = await core.bookings.reschedule({ kind: 'student', studentId: requireStudent(student).id }, pathParam(req, 'bookingId'), { slotId: body.slotId }, scope);
        res.json({ booking: presentBooking(session) });
      },
    }),

    defineEndpoint({
      method: 'get',
      path: '/bookings/{bookingId}/calendar.ics',
      operationId: 'getBookingCalendar',
      summary: 'The session as an iCalendar (RFC 5545) event',
      description: 'Only the session’s participants may fetch it; anyone else gets 404, so ids reveal nothing.',
      tag: 'Bookings',
      auth: true,
      params: { bookingId: idSchema },
      responses: [{ status: 200, description: 'A VCALENDAR with one VEVENT naming the coach and their phone.', contentType: 'text/calendar' }],
      problems: [401, 404],
      async handle({ req, res, student, scope }) {
        const me = requireStudent(student);
        const session = await core.bookings.getForStudent(me.id, pathParam(req, 'bookingId'), scope);
        const body = sessionCalendar(session, { now: core.clock.now(), organizer: calendar.organizer, attendee: { name: me.name, email: me.email } });
        res
          .status(200)
          .type('text/calendar; charset=utf-8')
          .setHeader('Content-Disposition', `attachment; filename="coaching-session-${session.id}.ics"`)
          .setHeader('Cache-Control', 'private, no-store')
          .send(body);
      },
    }),
  ];
}
