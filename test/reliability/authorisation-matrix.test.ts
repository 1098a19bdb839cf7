/**
 * Every operation of the OpenAPI document, asked about one student's
 * sessions by every kind of caller: nobody, that student, another student,
 * and a stale token. The coach's phone reaches only the student in the
 * session; the student's phone and the coach's private notes reach no one.
 */
import { describe, expect, it } from 'vitest';
import { HOUR, at, makeCoach, newStudent, openSlot, useWidgetApp } from '../api/fixtures.js';
import { bearer, mintToken } from '../helpers/tokens.js';

const ctx = useWidgetApp();

const COACH_PHONE = '+442079461777';
const STUDENT_PHONE = '+447400123777';
const NOTES = 'PRIVATE-NOTE-7f3a: asked about salary';

/** Every way each phone number could be written in a response. */
const PHONE_FORMS: Record<string, string[]> = {
  [COACH_PHONE]: [COACH_PHONE, COACH_PHONE.slice(1), '02079461777', '+44 20 7946 1777', '020 7946 1777'],
  [STUDENT_PHONE]: [STUDENT_PHONE, STUDENT_PHONE.slice(1), '07400123777', '+44 7400 123777', '07400 123777'],
};
const phoneForms = (e164: string) => PHONE_FORMS[e164]!;

type Role = 'anonymous' | 'owner' | 'other' | 'expired';

describe('the authorisation matrix', () => {
  it('shows phones only to the two people in a session, and notes to no one, on every operation', async () => {
    const core = ctx.core;
    const coach = await makeCoach(core, { phone: COACH_PHONE, name: 'Matrix Coach' });
    const past = await openSlot(core, coach.id, at(13 * HOUR));
    const upcoming = await openSlot(core, coach.id, at(3 * 24 * HOUR));
    const spare = await openSlot(core, coach.id, at(4 * 24 * HOUR));
    const owner = newStudent({ phone: STUDENT_PHONE, name: 'Owner Student' });
    const other = newStudent({ name: 'Other Student' });
    const tokensAt = async (now: Date): Promise<Record<Role, Record<string, string>>> => ({
      anonymous: {},
      owner: bearer(await mintToken(owner, { now })),
      other: bearer(await mintToken(other, { now })),
      expired: bearer(await mintToken(owner, { now, expiresIn: -3_600 })),
    });
    let tokens = await tokensAt(ctx.app.clock.now());
    const book = async (slotId: string) => {
      const response = await fetch(ctx.url('/api/v1/bookings'), { method: 'POST', headers: { ...tokens.owner, 'content-type': 'application/json' }, body: JSON.stringify({ slotId }) });
      const answer = (await response.json()) as { booking: { id: string } };
      expect(response.status, JSON.stringify(answer)).toBe(201);
      return answer.booking.id;
    };
    const pastBooking = await book(past.id);
    const upcomingBooking = await book(upcoming.id);
    // The session happens; the coach writes private notes about it.
    ctx.app.clock.advance(16 * HOUR);
    await core.feedback.record(coach.id, pastBooking, { satisfaction: 4, notes: NOTES });
    tokens = await tokensAt(ctx.app.clock.now());

    const doc = (await (await fetch(ctx.url('/api/v1/openapi.json'))).json()) as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    const from = ctx.app.clock.now().toISOString();
    const to = at(20 * 24 * HOUR).toISOString();
    const queries: Record<string, string> = {
      '/api/v1/coaches/{coachId}/slots': `?from=${from}&to=${to}`,
      '/api/v1/slots': `?from=${from}&to=${to}`,
      '/api/v1/me/bookings': '',
    };
    const bodies: Record<string, unknown> = {
      '/api/v1/bookings': { slotId: spare.id },
      '/api/v1/bookings/{bookingId}/reschedule': { slotId: spare.id },
      '/api/v1/bookings/{bookingId}/cancel': { reason: 'matrix' },
    };

    const rows: string[] = [];
    const leaks: string[] = [];
    let operations = 0;
    // The owner goes last: their own requests change things (a cancel, a move).
    for (const role of ['anonymous', 'expired', 'other', 'owner'] as Role[]) {
      for (const [template, item] of Object.entries(doc.paths)) {
        for (const [method, operation] of Object.entries(item)) {
          if (!['get', 'post', 'delete'].includes(method) || template === '/api/v1/live') continue;
          for (const bookingId of template.includes('{bookingId}') ? [pastBooking, upcomingBooking] : [null]) {
            operations += 1;
            const path = template.replace('{coachId}', coach.id).replace('{bookingId}', bookingId ?? '').replace('{slotId}', spare.id);
            const query = queries[template] ?? '';
            const body = method === 'post' ? bodies[template] ?? {} : undefined;
            const response = await fetch(ctx.url(path + query), {
              method: method.toUpperCase(),
              headers: { ...tokens[role], ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
              ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
            });
            const text = await response.text();
            rows.push(`${role.padEnd(9)} ${method.toUpperCase().padEnd(6)} ${template}${bookingId === pastBooking ? ' (past)' : ''} → ${response.status}`);
            const what = `${role} ${method} ${path}`;
            if (text.includes(NOTES)) leaks.push(`${what}: the coach's notes`);
            if (phoneForms(STUDENT_PHONE).some((form) => text.includes(form))) leaks.push(`${what}: the student's phone`);
            // Only an answer about the caller's own sessions (a signed-in, successful request) may carry their coach's phone.
            const mayShowCoachPhone = Boolean(operation.security?.length) && response.status < 300 && (role === 'owner' || role === 'other');
            if (!mayShowCoachPhone && phoneForms(COACH_PHONE).some((form) => text.includes(form))) leaks.push(`${what}: the coach's phone`);
            if (operation.security?.length && role !== 'owner' && role !== 'other') expect(response.status, what).toBe(401);
            if (role === 'other' && bookingId !== null) expect(response.status, what).toBe(404);
          }
        }
      }
    }
    console.log(`authorisation matrix: ${operations} requests\n${rows.join('\n')}`);
    expect(leaks).toEqual([]);
    // The check can fail: the owner does see the coach's phone.
    const mine = await (await fetch(ctx.url('/api/v1/me/bookings?scope=past'), { headers: tokens.owner })).text();
    expect(mine).toContain(COACH_PHONE);
  });
});
