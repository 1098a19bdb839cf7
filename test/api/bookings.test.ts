import { describe, expect, it } from 'vitest';
import { getJson, sendJson, type JsonResponse } from '../helpers/http.js';
import type { StudentClaims } from '../helpers/tokens.js';
import type { BookingDto, ProblemDto } from '../../widget/api/contract.schema.js';
import { DAY, HOUR, at, makeCoach, newStudent, openSlot, useWidgetApp } from './fixtures.js';

type BookingBody = BookingDto;
type Problem = ProblemDto;

const ctx = useWidgetApp();

async function book(student: StudentClaims, body: unknown, headers: Record<string, string> = {}): Promise<JsonResponse<{ booking: BookingBody } & Problem>> {
  return sendJson('POST', ctx.url('/api/v1/bookings'), body, { headers: { ...(await ctx.authFor(student)), ...headers } });
}

async function listMine(student: StudentClaims, scope?: 'upcoming' | 'past' | 'cancelled'): Promise<BookingBody[]> {
  const response = await getJson<{ bookings: BookingBody[] }>(ctx.url(`/api/v1/me/bookings${scope ? `?scope=${scope}` : ''}`), {
    headers: await ctx.authFor(student),
  });
  expect(response.status).toBe(200);
  return response.body.bookings;
}

function expectProblem(response: JsonResponse<Problem>, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, code, type: expect.stringContaining(code), title: expect.any(String), detail: expect.any(String) });
}

/** Each test gets its own coach and slot times, so tests never collide in the shared database. */
let day = 2;
const nextDay = () => at(day++ * DAY + HOUR);

describe('POST /api/v1/bookings', () => {
  it('books an open slot: 201 with the session and the coach phone', async () => {
    const coach = await makeCoach(ctx.core, { name: 'Grace Kim', phone: '+12125550147', timezone: 'America/New_York' });
    const slot = await openSlot(ctx.core, coach.id, nextDay());
    const response = await book(newStudent(), { slotId: slot.id });
    expect(response.status).toBe(201);
    expect(response.body.booking).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      status: 'active',
      startsAt: slot.startsAt.toISOString(),
      endsAt: slot.endsAt.toISOString(),
      coach: { id: coach.id, name: 'Grace Kim', phone: '+12125550147', phoneDisplay: '+1 212 555 0147', avatarUrl: null, timezone: 'America/New_York' },
      cancellation: null,
      cancellableUntil: new Date(slot.startsAt.getTime() - ctx.core.rules.cancellationCutoffHours * HOUR).toISOString(),
    });
    expect(response.headers.get('cache-control')).toContain('no-store');
  });

  it('answers 409 slot.taken when the slot was booked by someone else', async () => {
    const coach = await makeCoach(ctx.core);
    const slot = await openSlot(ctx.core, coach.id, nextDay());
    expect((await book(newStudent(), { slotId: slot.id })).status).toBe(201);
    expectProblem(await book(newStudent(), { slotId: slot.id }), 409, 'slot.taken');
  });

  it('answers 409 booking.overlaps when the student already has a session at that time', async () => {
    const start = nextDay();
    const [first, second] = [await makeCoach(ctx.core), await makeCoach(ctx.core)];
    const slotA = await openSlot(ctx.core, first.id, start);
    const slotB = await openSlot(ctx.core, second.id, new Date(start.getTime() + HOUR));
    const student = newStudent();
    expect((await book(student, { slotId: slotA.id })).status).toBe(201);
    expectProblem(await book(student, { slotId: slotB.id }), 409, 'booking.overlaps');
  });

  it('answers 422 booking.too_soon inside the minimum notice', async () => {
    const coach = await makeCoach(ctx.core);
    const slot = await openSlot(ctx.core, coach.id, at(6 * HOUR));
    expectProblem(await book(newStudent(), { slotId: slot.id }), 422, 'booking.too_soon');
  });

  it('answers 422 booking.own_slot when the coach books their own slot', async () => {
    const coach = await makeCoach(ctx.core, { email: 'coach.self@example.com' });
    const slot = await openSlot(ctx.core, coach.id, nextDay());
    expectProblem(await book(newStudent({ email: 'Coach.Self@example.com' }), { slotId: slot.id }), 422, 'booking.own_slot');
  });

  it('answers 404 slot.not_found for an unknown slot', async () => {
    expectProblem(await book(newStudent(), { slotId: '0123456789abcdef01234567' }), 404, 'slot.not_found');
  });

  it('answers 401 without a token and books nothing', async () => {
    const coach = await makeCoach(ctx.core);
    const slot = await openSlot(ctx.core, coach.id, nextDay());
    const response = await sendJson<Problem>('POST', ctx.url('/api/v1/bookings'), { slotId: slot.id });
    expectProblem(response, 401, 'auth.missing_token');
    expect((await ctx.core.slots.get(slot.id)).status).toBe('open');
  });

  describe('input', () => {
    it('refuses a NoSQL operator in place of an id, and books nothing', async () => {
      const coach = await makeCoach(ctx.core);
      const slot = await openSlot(ctx.core, coach.id, nextDay());
      for (const slotId of [{ $gt: '' }, { $ne: null }, { $regex: '.*' }, [slot.id]]) {
        const response = await book(newStudent(), { slotId });
        expectProblem(response, 400, 'validation.failed');
        expect(response.body.errors).toEqual([expect.objectContaining({ location: 'body', path: 'slotId' })]);
      }
      expect((await ctx.core.slots.get(slot.id)).status).toBe('open');
    });

    it('refuses operators at the top level of the body as unknown fields', async () => {
      const response = await book(newStudent(), { $where: 'sleep(1000)', slotId: '0123456789abcdef01234567' });
      expectProblem(response, 400, 'validation.failed');
      expect(response.body.errors).toEqual([{ location: 'body', path: '$where', message: 'Unknown field.' }]);
    });

    it('lists every offending field: unknown ones and wrong types', async () => {
      const response = await book(newStudent(), { slotId: 42, studentId: 'me', note: 'hi' });
      expectProblem(response, 400, 'validation.failed');
      expect(response.body.errors!.map((e) => e.path).sort()).toEqual(['note', 'slotId', 'studentId']);
    });

    it('refuses a missing body, a non-object body and an empty slotId', async () => {
      for (const body of [undefined, [], 'slot', {}, { slotId: '' }]) {
        expectProblem(await book(newStudent(), body), 400, 'validation.failed');
      }
    });

    /** A body sent as-is, to get past what sendJson would encode. */
    const postRaw = async (contentType: string, body: string) =>
      fetch(ctx.url('/api/v1/bookings'), { method: 'POST', headers: { ...(await ctx.authFor(newStudent())), 'content-type': contentType }, body });

    it('answers 400 request.malformed_json for broken JSON', async () => {
      const response = await postRaw('application/json', '{"slotId": "abc",');
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'request.malformed_json', status: 400 });
    });

    it('answers 415 for a body that is not JSON', async () => {
      const response = await postRaw('application/x-www-form-urlencoded', 'slotId[$gt]=');
      expect(response.status).toBe(415);
      expect(await response.json()).toMatchObject({ code: 'request.unsupported_media_type' });
    });

    it('answers 413 for a body over 10 KB', async () => {
      const response = await book(newStudent(), { slotId: 'x'.repeat(20_000) });
      expectProblem(response, 413, 'request.too_large');
    });
  });

  describe('Idempotency-Key', () => {
    it('makes a retried POST return the same booking instead of a conflict', async () => {
      const coach = await makeCoach(ctx.core);
      const slot = await openSlot(ctx.core, coach.id, nextDay());
      const student = newStudent();
      const key = 'retry-key-0001-abcdef';
      const first = await book(student, { slotId: slot.id }, { 'idempotency-key': key });
      const retry = await book(student, { slotId: slot.id }, { 'idempotency-key': key });
      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.body.booking).toEqual(first.body.booking);
      expect(await listMine(student)).toHaveLength(1);
      // Without the key the same request is a plain conflict.
      expectProblem(await book(student, { slotId: slot.id }), 409, 'slot.taken');
    });

    it('answers parallel retries with the one booking', async () => {
      const coach = await makeCoach(ctx.core);
      const slot = await openSlot(ctx.core, coach.id, nextDay());
      const student = newStudent();
      const responses = await Promise.all(Array.from({ length: 5 }, () => book(student, { slotId: slot.id }, { 'idempotency-key': 'parallel-retry-key-01' })));
      const ids = new Set(responses.map((r) => (r.status === 201 ? r.body.booking.id : `${r.status}:${r.body.code}`)));
      expect(ids.size).toBe(1);
      expect([...ids][0]).toMatch(/^[0-9a-f]{24}$/);
    });

    it('refuses the same key for a different slot with 422 idempotency.key_reused', async () => {
      const coach = await makeCoach(ctx.core);
      const [a, b] = [await openSlot(ctx.core, coach.id, nextDay()), await openSlot(ctx.core, coach.id, nextDay())];
      const student = newStudent();
      expect((await book(student, { slotId: a.id }, { 'idempotency-key': 'reused-key-000001' })).status).toBe(201);
      expectProblem(await book(student, { slotId: b.id }, { 'idempotency-key': 'reused-key-000001' }), 422, 'idempotency.key_reused');
    });

    it('refuses a key that is too short, naming the header', async () => {
      const response = await book(newStudent(), { slotId: '0123456789abcdef01234567' }, { 'idempotency-key': 'short' });
      expectProblem(response, 400, 'validation.failed');
      expect(response.body.errors).toEqual([expect.objectContaining({ location: 'header', path: '(root)' })]);
    });
  });

  it('gives 50 parallel attempts on one slot exactly one 201 and 49 409 slot.held or slot.taken', async () => {
    const coach = await makeCoach(ctx.core);
    const slot = await openSlot(ctx.core, coach.id, nextDay());
    const students = Array.from({ length: 50 }, () => newStudent());
    const tokens = await Promise.all(students.map((s) => ctx.authFor(s)));
    const responses = await Promise.all(
      tokens.map((headers) => sendJson<{ booking?: BookingBody; code?: string }>('POST', ctx.url('/api/v1/bookings'), { slotId: slot.id }, { headers })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    // The winner's hold turns away those that arrive while it books; later ones find the slot taken.
    for (const r of responses.filter((r) => r.status === 409)) expect(['slot.held', 'slot.taken']).toContain(r.body.code);
    const upcoming = await ctx.core.bookings.coachUpcoming(coach.id);
    expect(upcoming.items).toHaveLength(1);
  });
});

describe('GET /api/v1/me/bookings', () => {
  it('lists upcoming sessions soonest first, with the coach phone and no feedback', async () => {
    const coach = await makeCoach(ctx.core, { phone: '+442079461777' });
    const later = await openSlot(ctx.core, coach.id, nextDay());
    const sooner = await openSlot(ctx.core, coach.id, at(DAY + 2 * HOUR));
    const student = newStudent();
    await book(student, { slotId: later.id });
    await book(student, { slotId: sooner.id });
    const upcoming = await listMine(student, 'upcoming');
    expect(upcoming.map((b) => b.startsAt)).toEqual([sooner.startsAt.toISOString(), later.startsAt.toISOString()]);
    expect(upcoming.every((b) => b.coach.phone === '+442079461777' && b.coach.phoneDisplay === '+44 20 7946 1777')).toBe(true);
    expect(upcoming.every((b) => !('feedback' in b))).toBe(true);
    expect(await listMine(student)).toEqual(upcoming);
  });

  it('lists held sessions under past and cancelled ones, due or not, under cancelled, without the coach notes', async () => {
    const coach = await makeCoach(ctx.core);
    const student = newStudent();
    const [held, dropped, future] = [await openSlot(ctx.core, coach.id, nextDay()), await openSlot(ctx.core, coach.id, nextDay()), await openSlot(ctx.core, coach.id, nextDay())];
    const heldBooking = await book(student, { slotId: held.id });
    const droppedBooking = await book(student, { slotId: dropped.id });
    const futureBooking = await book(student, { slotId: future.id });
    const headers = await ctx.authFor(student);
    await sendJson('POST', ctx.url(`/api/v1/bookings/${droppedBooking.body.booking.id}/cancel`), { reason: 'Exams' }, { headers });
    await sendJson('POST', ctx.url(`/api/v1/bookings/${futureBooking.body.booking.id}/cancel`), {}, { headers });

    // Before anything took place: the cancelled future session is not "past".
    expect(await listMine(student, 'past')).toEqual([]);
    expect((await listMine(student, 'cancelled')).map((b) => b.id)).toEqual([futureBooking.body.booking.id, droppedBooking.body.booking.id]);

    const clockBefore = ctx.app.clock.now();
    ctx.app.clock.set(new Date(held.endsAt.getTime() + HOUR));
    try {
      await ctx.core.feedback.record(coach.id, heldBooking.body.booking.id, { satisfaction: 5, notes: 'Private coach notes' });
      const past = await listMine(student, 'past');
      expect(past.map((b) => [b.id, b.status])).toEqual([[heldBooking.body.booking.id, 'active']]);
      const cancelled = await listMine(student, 'cancelled');
      expect(cancelled.find((b) => b.id === droppedBooking.body.booking.id)!.cancellation).toMatchObject({ by: 'student', reason: 'Exams' });
      expect(JSON.stringify([past, cancelled])).not.toContain('Private coach notes');
    } finally {
      ctx.app.clock.set(clockBefore);
    }
  });

  it('refuses an unknown scope', async () => {
    const response = await getJson<Problem>(ctx.url('/api/v1/me/bookings?scope=all'), { headers: await ctx.authFor(newStudent()) });
    expectProblem(response, 400, 'validation.failed');
    expect(response.body.errors).toEqual([expect.objectContaining({ location: 'query', path: 'scope' })]);
  });
});

describe('POST /api/v1/bookings/{id}/cancel', () => {
  it('cancels the student’s session and opens the slot again', async () => {
    const coach = await makeCoach(ctx.core);
    const slot = await openSlot(ctx.core, coach.id, nextDay());
    const student = newStudent();
    const { body } = await book(student, { slotId: slot.id });
    const response = await sendJson<{ booking: BookingBody }>('POST', ctx.url(`/api/v1/bookings/${body.booking.id}/cancel`), { reason: 'Ill' }, {
      headers: await ctx.authFor(student),
    });
    expect(response.status).toBe(200);
    expect(response.body.booking).toMatchObject({ id: body.booking.id, status: 'cancelled', cancellation: { by: 'student', reason: 'Ill' } });
    expect((await ctx.core.slots.get(slot.id)).status).toBe('open');
    // Someone else can now have it.
    expect((await book(newStudent(), { slotId: slot.id })).status).toBe(201);
  });

  it('accepts a request with no body at all', async () => {
    const coach = await makeCoach(ctx.core);
    const slot = await openSlot(ctx.core, coach.id, nextDay());
    const student = newStudent();
    const { body } = await book(student, { slotId: slot.id });
    const response = await fetch(ctx.url(`/api/v1/bookings/${body.booking.id}/cancel`), { method: 'POST', headers: await ctx.authFor(student) });
    expect(response.status).toBe(200);
  });

  it('answers 404 to another student, and leaves the session alone', async () => {
    const coach = await makeCoach(ctx.core);
    const slot = await openSlot(ctx.core, coach.id, nextDay());
    const owner = newStudent();
    const { body } = await book(owner, { slotId: slot.id });
    const response = await sendJson<Problem>('POST', ctx.url(`/api/v1/bookings/${body.booking.id}/cancel`), {}, { headers: await ctx.authFor(newStudent()) });
    expectProblem(response, 404, 'booking.not_found');
    expect((await listMine(owner))[0]!.status).toBe('active');
  });

  it('answers 422 booking.cutoff_passed inside the cancellation cutoff', async () => {
    const coach = await makeCoach(ctx.core);
    const slot = await openSlot(ctx.core, coach.id, nextDay());
    const student = newStudent();
    const { body } = await book(student, { slotId: slot.id });
    const clockBefore = ctx.app.clock.now();
    ctx.app.clock.set(new Date(slot.startsAt.getTime() - HOUR));
    try {
      const response = await sendJson<Problem>('POST', ctx.url(`/api/v1/bookings/${body.booking.id}/cancel`), {}, { headers: await ctx.authFor(student) });
      expectProblem(response, 422, 'booking.cutoff_passed');
    } finally {
      ctx.app.clock.set(clockBefore);
    }
  });

  it('answers 422 booking.not_active for a session already cancelled', async () => {
    const coach = await makeCoach(ctx.core);
    const slot = await openSlot(ctx.core, coach.id, nextDay());
    const student = newStudent();
    const { body } = await book(student, { slotId: slot.id });
    const cancel = async () => sendJson<Problem>('POST', ctx.url(`/api/v1/bookings/${body.booking.id}/cancel`), {}, { headers: await ctx.authFor(student) });
    expect((await cancel()).status).toBe(200);
    expectProblem(await cancel(), 422, 'booking.not_active');
  });

  it('refuses a reason over 500 characters and unknown fields', async () => {
    const response = await sendJson<Problem>('POST', ctx.url('/api/v1/bookings/0123456789abcdef01234567/cancel'), { reason: 'x'.repeat(501), by: 'coach' }, {
      headers: await ctx.authFor(newStudent()),
    });
    expectProblem(response, 400, 'validation.failed');
    expect(response.body.errors!.map((e) => e.path).sort()).toEqual(['by', 'reason']);
  });

  it('answers 404 for an unknown or malformed booking id', async () => {
    for (const id of ['0123456789abcdef01234567', 'nope']) {
      const response = await sendJson<Problem>('POST', ctx.url(`/api/v1/bookings/${id}/cancel`), {}, { headers: await ctx.authFor(newStudent()) });
      expectProblem(response, 404, 'booking.not_found');
    }
  });
});

describe('POST /api/v1/bookings/{id}/reschedule', () => {
  const move = async (student: StudentClaims, bookingId: string, body: unknown) =>
    sendJson<{ booking: BookingBody } & Problem>('POST', ctx.url(`/api/v1/bookings/${bookingId}/reschedule`), body, { headers: await ctx.authFor(student) });

  it('moves the session in one step: 200 with the same id at the new time, the old slot open again', async () => {
    const coach = await makeCoach(ctx.core, { phone: '+442079460033' });
    const first = await openSlot(ctx.core, coach.id, nextDay());
    const second = await openSlot(ctx.core, coach.id, nextDay());
    const student = newStudent();
    const { body } = await book(student, { slotId: first.id });
    const response = await move(student, body.booking.id, { slotId: second.id });
    expect(response.status).toBe(200);
    expect(response.body.booking).toEqual({
      ...body.booking,
      startsAt: second.startsAt.toISOString(),
      endsAt: second.endsAt.toISOString(),
      cancellableUntil: new Date(second.startsAt.getTime() - ctx.core.rules.cancellationCutoffHours * HOUR).toISOString(),
    });
    expect((await listMine(student)).map((b) => [b.id, b.startsAt])).toEqual([[body.booking.id, second.startsAt.toISOString()]]);
    expect((await book(newStudent(), { slotId: first.id })).status).toBe(201);
  });

  it('answers 409 slot.taken when the new slot is booked, and the session stays where it was', async () => {
    const coach = await makeCoach(ctx.core);
    const first = await openSlot(ctx.core, coach.id, nextDay());
    const taken = await openSlot(ctx.core, coach.id, nextDay());
    const student = newStudent();
    const { body } = await book(student, { slotId: first.id });
    expect((await book(newStudent(), { slotId: taken.id })).status).toBe(201);
    expectProblem(await move(student, body.booking.id, { slotId: taken.id }), 409, 'slot.taken');
    expect((await listMine(student))[0]).toEqual(body.booking);
  });

  it('answers 409 booking.overlaps when the student has another session at the new time', async () => {
    const coach = await makeCoach(ctx.core);
    const other = await makeCoach(ctx.core);
    const first = await openSlot(ctx.core, coach.id, nextDay());
    const start = nextDay();
    const target = await openSlot(ctx.core, coach.id, start);
    const clash = await openSlot(ctx.core, other.id, new Date(start.getTime() + HOUR));
    const student = newStudent();
    const { body } = await book(student, { slotId: first.id });
    expect((await book(student, { slotId: clash.id })).status).toBe(201);
    expectProblem(await move(student, body.booking.id, { slotId: target.id }), 409, 'booking.overlaps');
    expect((await listMine(student)).find((b) => b.id === body.booking.id)).toEqual(body.booking);
  });

  it('answers 422 for another coach’s slot or inside the cutoff, 404 to another student, 400 for a bad body', async () => {
    const coach = await makeCoach(ctx.core);
    const first = await openSlot(ctx.core, coach.id, nextDay());
    const later = await openSlot(ctx.core, coach.id, nextDay());
    const elsewhere = await openSlot(ctx.core, (await makeCoach(ctx.core)).id, nextDay());
    const student = newStudent();
    const { body } = await book(student, { slotId: first.id });
    expectProblem(await move(student, body.booking.id, { slotId: elsewhere.id }), 422, 'booking.other_coach');
    expectProblem(await move(newStudent(), body.booking.id, { slotId: later.id }), 404, 'booking.not_found');
    const bad = await move(student, body.booking.id, { slotId: 'nope', when: 'now' });
    expectProblem(bad, 400, 'validation.failed');
    expect(bad.body.errors!.map((e) => e.path).sort()).toEqual(['slotId', 'when']);
    expectProblem(await move(student, body.booking.id, undefined), 400, 'validation.failed');
    const clockBefore = ctx.app.clock.now();
    ctx.app.clock.set(new Date(first.startsAt.getTime() - HOUR));
    try {
      expectProblem(await move(student, body.booking.id, { slotId: later.id }), 422, 'booking.cutoff_passed');
    } finally {
      ctx.app.clock.set(clockBefore);
    }
    expect((await listMine(student))[0]).toEqual(body.booking);
  });
});

describe('GET /api/v1/bookings/{id}/calendar.ics', () => {
  it('gives the student an RFC 5545 event with the coach name and phone', async () => {
    const coach = await makeCoach(ctx.core, { name: 'Ada, "the" Coach; Okafor', phone: '+442079460018' });
    const slot = await openSlot(ctx.core, coach.id, nextDay());
    const student = newStudent();
    const { body } = await book(student, { slotId: slot.id });
    const response = await fetch(ctx.url(`/api/v1/bookings/${body.booking.id}/calendar.ics`), { headers: await ctx.authFor(student) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename=".+\.ics"/);
    const text = await response.text();
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines).toContain('VERSION:2.0');
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
    expect(lines).toContain(`UID:${body.booking.id}@coaching-scheduler`);
    const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    expect(lines).toContain(`DTSTART:${stamp(slot.startsAt)}`);
    expect(lines).toContain(`DTEND:${stamp(slot.endsAt)}`);
    expect(lines).toContain('STATUS:CONFIRMED');
    // Commas and semicolons are escaped as RFC 5545 requires.
    expect(text).toContain('SUMMARY:Coaching session with Ada\\, "the" Coach\\; Okafor');
    expect(text).toContain('+442079460018');
    expect(lines.every((l) => l.length <= 75)).toBe(true);
  });

  it('answers 404 to a student who is not in the session', async () => {
    const coach = await makeCoach(ctx.core);
    const slot = await openSlot(ctx.core, coach.id, nextDay());
    const { body } = await book(newStudent(), { slotId: slot.id });
    const response = await getJson<Problem>(ctx.url(`/api/v1/bookings/${body.booking.id}/calendar.ics`), { headers: await ctx.authFor(newStudent()) });
    expectProblem(response, 404, 'booking.not_found');
  });

  it('answers 401 without a token', async () => {
    const response = await getJson<Problem>(ctx.url('/api/v1/bookings/0123456789abcdef01234567/calendar.ics'));
    expectProblem(response, 401, 'auth.missing_token');
  });
});

describe('phone numbers across students', () => {
  it('never shows student B anything of student A’s session, nor A’s phone', async () => {
    const coach = await makeCoach(ctx.core, { phone: '+442079460999' });
    const slot = await openSlot(ctx.core, coach.id, nextDay());
    const alice = newStudent({ name: 'Alice Leak', phone: '+442079460111' });
    const bob = newStudent({ name: 'Bob Probe', phone: '+442079460222' });
    const aliceBooking = (await book(alice, { slotId: slot.id })).body.booking;
    const bobHeaders = await ctx.authFor(bob);

    const seen: string[] = [];
    const collect = async (response: Promise<{ status: number; body: unknown }>) => {
      const { body } = await response;
      seen.push(typeof body === 'string' ? body : JSON.stringify(body));
    };
    await collect(getJson(ctx.url('/api/v1/me/bookings?scope=upcoming'), { headers: bobHeaders }));
    await collect(getJson(ctx.url('/api/v1/me/bookings?scope=past'), { headers: bobHeaders }));
    await collect(getJson(ctx.url('/api/v1/coaches')));
    await collect(getJson(ctx.url(`/api/v1/coaches/${coach.id}/slots?from=2026-06-01T00:00:00Z&to=2026-07-01T00:00:00Z`)));
    await collect(getJson(ctx.url(`/api/v1/bookings/${aliceBooking.id}/calendar.ics`), { headers: bobHeaders }));
    await collect(sendJson('POST', ctx.url(`/api/v1/bookings/${aliceBooking.id}/cancel`), {}, { headers: bobHeaders }));
    await collect(sendJson('POST', ctx.url('/api/v1/bookings'), { slotId: slot.id }, { headers: bobHeaders }));

    const everything = seen.join('\n');
    expect(everything).not.toContain('+442079460111');
    expect(everything).not.toContain('Alice Leak');
    expect(everything).not.toContain(aliceBooking.id);
    // Bob never booked, so the coach's phone must not reach him either.
    expect(everything).not.toContain('+442079460999');
    // And the session is still Alice's.
    expect((await listMine(alice))[0]).toMatchObject({ id: aliceBooking.id, status: 'active' });
  });
});
