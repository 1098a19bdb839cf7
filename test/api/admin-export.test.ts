import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/index.js';
import { bearer, mintToken } from '../helpers/tokens.js';
import { DAY, HOUR, NOW, at, makeCoach, newStudent, useWidgetApp } from './fixtures.js';

const ctx = useWidgetApp();
const TEAM = 'TEXPORT1';
const OTHER = 'TEXPORT2';

const adminToken = (claims: Record<string, unknown> = {}) => mintToken({ sub: 'host-admin-1', admin: true, workspace: TEAM, ...claims }, { now: ctx.app.clock.now() });
const csvUrl = (from: string, to: string) => ctx.url(`/api/v1/admin/sessions.csv?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);

/** Names a spreadsheet would mangle or run: commas, quotes, line breaks, and every formula prefix. */
const AWKWARD = ['Smith, Jane', 'Dwayne "The Rock" J', 'Line one\nline two', '=HYPERLINK("http://evil.example","x")', '+1+1', '-2-2', '@SUM(A1)', '\tTabbed', '\rReturned'];

async function seed() {
  const core = ctx.core;
  const early = core.withClock(new ManualClock(at(-30 * DAY)));
  const coach = await makeCoach(core, { name: '=Coach, "Ada"', timezone: 'America/New_York', teamId: TEAM });
  const elsewhere = await makeCoach(core, { name: 'Other Workspace Coach', teamId: OTHER });
  const rows: Array<{ student: string; startsAt: Date }> = [];
  for (const [index, name] of AWKWARD.entries()) {
    const startsAt = at((2 + index) * DAY);
    const student = await early.students.upsert({ externalId: `export-${index}-${Date.now()}`, name, phone: `+4420794610${String(index).padStart(2, '0')}`, email: `s${index}@example.org` });
    const session = await early.bookings.book(student.id, { slotId: (await early.slots.create(coach.id, { startsAt })).id });
    if (index === 1) await core.bookings.cancelAsCoach(coach.id, session.id, { reason: 'secret reason' });
    rows.push({ student: name, startsAt });
  }
  // A rated session in the past, with notes that must never leave.
  const pastStudent = await early.students.upsert({ externalId: `export-past-${Date.now()}`, name: 'Past Pat', phone: '+442079461099' });
  const past = await early.bookings.book(pastStudent.id, { slotId: (await early.slots.create(coach.id, { startsAt: at(-2 * DAY) })).id });
  await core.feedback.record(coach.id, past.id, { satisfaction: 4, notes: 'PRIVATE NOTE' });
  await early.bookings.book(pastStudent.id, { slotId: (await early.slots.create(elsewhere.id, { startsAt: at(3 * DAY + 4 * HOUR) })).id });
  return { coach, rows };
}

describe('GET /api/v1/admin/sessions.csv', () => {
  it('streams the workspace’s sessions as CSV that a parser reads back exactly, formulas neutralised', async () => {
    const { rows } = await seed();
    const response = await fetch(csvUrl(at(-7 * DAY).toISOString(), at(30 * DAY).toISOString()), { headers: bearer(await adminToken()) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="sessions-2026-05-25-to-2026-07-01\.csv"$/);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const bytes = Buffer.from(await response.arrayBuffer());
    // A byte-order mark first, so spreadsheet apps read the names as UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).not.toContain('PRIVATE NOTE');
    expect(text).not.toContain('secret reason');
    expect(text).not.toContain('+4420794610');

    const records = parse(text, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(records[0]!)).toEqual(['coach', 'student', 'start_utc', 'end_utc', 'coach_time_zone', 'start_coach_time', 'end_coach_time', 'status', 'score']);
    expect(records).toHaveLength(AWKWARD.length + 1);
    // The past session comes first (soonest first), rated, in the coach's zone.
    expect(records[0]).toMatchObject({ student: 'Past Pat', status: 'active', score: '4', coach_time_zone: 'America/New_York', start_utc: at(-2 * DAY).toISOString() });
    expect(records[0]!.start_coach_time).toBe('2026-05-30T05:00:00-04:00');
    const neutral = (name: string) => (/^[=+\-@\t\r]/.test(name) ? `'${name}` : name);
    // Names are stored trimmed (a leading tab or CR never reaches the file this way; see the CSV writer's own test).
    expect(records.slice(1).map((r) => r.student)).toEqual(rows.map((r) => neutral(r.student.trim())));
    expect(records.every((r) => r.coach === `'=Coach, "Ada"`)).toBe(true);
    expect(records[2]).toMatchObject({ status: 'cancelled', score: '' });
    expect(records.map((r) => r.coach)).not.toContain('Other Workspace Coach');
  });

  it('refuses a student token (no admin claim) with a 403 problem, and no token with a 401', async () => {
    const student = await mintToken(newStudent(), { now: ctx.app.clock.now() });
    const refused = await fetch(csvUrl(NOW, at(DAY).toISOString()), { headers: bearer(student) });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await refused.json()).toMatchObject({ status: 403, code: 'auth.not_admin' });
    const notTrue = await fetch(csvUrl(NOW, at(DAY).toISOString()), { headers: bearer(await adminToken({ admin: 'yes' })) });
    expect(notTrue.status).toBe(401);
    const none = await fetch(csvUrl(NOW, at(DAY).toISOString()));
    expect(none.status).toBe(401);
  });

  it('bounds the range at 366 days with a clear 400 problem, and checks the query', async () => {
    const token = bearer(await adminToken());
    const wide = await fetch(csvUrl(NOW, at(367 * DAY).toISOString()), { headers: token });
    expect(wide.status).toBe(400);
    expect(await wide.json()).toMatchObject({ code: 'range.too_wide', detail: 'Ask for at most 366 days at a time.' });
    const backwards = await fetch(csvUrl(at(DAY).toISOString(), NOW), { headers: token });
    expect(await backwards.json()).toMatchObject({ status: 400, code: 'range.invalid' });
    const bad = await fetch(ctx.url('/api/v1/admin/sessions.csv?from=yesterday'), { headers: token });
    expect(await bad.json()).toMatchObject({ status: 400, code: 'validation.failed' });
    const year = await fetch(csvUrl(NOW, at(366 * DAY).toISOString()), { headers: token });
    expect(year.status).toBe(200);
    await year.text();
  });
});
