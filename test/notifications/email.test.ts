import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/smtp.js';
import { getJson } from '../helpers/http.js';
import { bearer, mintToken, newStudent } from '../helpers/tokens.js';
import { makeCoach } from '../api/fixtures.js';
import type { BookingDto } from '../../widget/api/contract.schema.js';

const NOW = '2026-06-01T09:00:00.000Z';
const HOUR = 3_600_000;
const at = (offset: number) => new Date(new Date(NOW).getTime() + offset);

let smtp: SmtpReceiver;
let app: TestApp;

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  app = await startTestApp({ clock: NOW, SMTP_URL: smtp.url, MAIL_FROM: 'Coaching <coaching@school.example>', RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(async () => {
  await app?.close();
  await smtp?.stop();
});

/** The invitation in a mail, parsed with ical.js. */
function invitation(mail: ParsedMail) {
  const part = mail.attachments.find((a) => a.contentType === 'text/calendar');
  expect(part, 'the mail carries a text/calendar part').toBeDefined();
  const calendar = new ICAL.Component(ICAL.parse(part!.content.toString('utf8')));
  const event = calendar.getFirstSubcomponent('vevent')!;
  const time = (name: string) => event.getFirstPropertyValue(name) as ICAL.Time;
  return {
    method: calendar.getFirstPropertyValue('method'),
    uid: event.getFirstPropertyValue('uid'),
    sequence: event.getFirstPropertyValue('sequence'),
    status: event.getFirstPropertyValue('status'),
    // The URI scheme is case-insensitive (RFC 3986); ical-generator writes MAILTO.
    organizer: String(event.getFirstPropertyValue('organizer')).replace(/^mailto:/i, 'mailto:'),
    organizerName: event.getFirstProperty('organizer')?.getParameter('cn'),
    attendee: String(event.getFirstPropertyValue('attendee')).replace(/^mailto:/i, 'mailto:'),
    start: time('dtstart'),
    end: time('dtend'),
    alarms: event.getAllSubcomponents('valarm').length,
  };
}

const mailsTo = (address: string) => smtp.mails.filter((m) => m.to.includes(address));

async function waitForMails(address: string, count: number) {
  for (let i = 0; i < 100 && mailsTo(address).length < count; i++) {
    await app.jobs.runUntilIdle();
    if (mailsTo(address).length < count) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return mailsTo(address);
}

describe('student email over SMTP', () => {
  it('confirms a booking with an iTIP REQUEST; a move sends an update with the same UID and a higher SEQUENCE; the coach’s cancellation a CANCEL with the reason', async () => {
    const coach = await makeCoach(app.core, { name: 'Grace <b>Kim</b>', phone: '+12125550147', timezone: 'America/New_York' });
    const first = await app.core.slots.create(coach.id, { startsAt: at(48 * HOUR) });
    const second = await app.core.slots.create(coach.id, { startsAt: at(72 * HOUR) });
    const claims = { ...newStudent(), name: 'Sam & Co', email: 'sam@students.example' };
    const auth = bearer(await mintToken(claims, { now: app.clock.now() }));
    const booked = await fetch(`${app.baseUrl}/api/v1/bookings`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ slotId: first.id }) });
    expect(booked.status).toBe(201);
    const { booking } = (await booked.json()) as { booking: BookingDto };

    const [confirmation] = await waitForMails('sam@students.example', 1);
    const mail = confirmation!.parsed;
    expect(mail.subject).toBe('Booked: coaching session with Grace <b>Kim</b>, Wednesday 3 June 2026, 05:00–07:00 (America/New_York)');
    expect(mail.from?.value).toEqual([{ name: 'Coaching', address: 'coaching@school.example' }]);
    expect(mail.text).toContain('Hello Sam & Co,');
    expect(mail.text).toContain("Grace <b>Kim</b>'s phone: +12125550147");
    // In HTML, user text is text: the coach's name cannot become markup.
    expect(mail.html).toContain('Grace &lt;b&gt;Kim&lt;/b&gt;');
    expect(mail.html).toContain('Sam &amp; Co');
    expect(mail.html).not.toContain('<b>Kim</b>');
    const invite = invitation(mail);
    expect(invite).toMatchObject({
      method: 'REQUEST',
      uid: `${booking.id}@coaching-scheduler`,
      sequence: 0,
      status: 'CONFIRMED',
      organizer: 'mailto:coaching@school.example',
      organizerName: 'Grace <b>Kim</b>',
      attendee: 'mailto:sam@students.example',
      alarms: 1,
    });
    expect(invite.start.zone?.tzid).toBe('UTC');
    expect(invite.start.toJSDate()).toEqual(first.startsAt);
    expect(invite.end.toJSDate()).toEqual(first.endsAt);

    const moved = await fetch(`${app.baseUrl}/api/v1/bookings/${booking.id}/reschedule`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ slotId: second.id }) });
    expect(moved.status).toBe(200);
    const [, update] = await waitForMails('sam@students.example', 2);
    expect(update!.parsed.subject).toBe('Moved: coaching session with Grace <b>Kim</b>, now Thursday 4 June 2026, 05:00–07:00 (America/New_York)');
    expect(update!.parsed.text).toContain('(it was Wednesday 3 June 2026, 05:00–07:00 (America/New_York))');
    const updated = invitation(update!.parsed);
    expect(updated).toMatchObject({ method: 'REQUEST', uid: invite.uid, sequence: 1 });
    expect(updated.start.toJSDate()).toEqual(second.startsAt);

    await app.core.bookings.cancelAsCoach(coach.id, booking.id, { reason: 'Ill <script>alert(1)</script>' });
    const [, , cancel] = await waitForMails('sam@students.example', 3);
    expect(cancel!.parsed.subject).toBe('Cancelled: coaching session with Grace <b>Kim</b>, Thursday 4 June 2026, 05:00–07:00 (America/New_York)');
    expect(cancel!.parsed.text).toContain("Grace <b>Kim</b>'s reason: Ill <script>alert(1)</script>");
    expect(cancel!.parsed.html).toContain('Ill &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(invitation(cancel!.parsed)).toMatchObject({ method: 'CANCEL', uid: invite.uid, sequence: 2, status: 'CANCELLED' });

    // The widget's API carries the same reason for the student.
    const past = await getJson<{ bookings: BookingDto[] }>(`${app.baseUrl}/api/v1/me/bookings?scope=cancelled`, { headers: auth });
    expect(past.body.bookings.find((b) => b.id === booking.id)?.cancellation).toMatchObject({ by: 'coach', reason: 'Ill <script>alert(1)</script>' });
    expect(mailsTo('sam@students.example')).toHaveLength(3);
  });

  it('reminds the student 24 hours before, once, and the .ics download carries ORGANIZER, ATTENDEE, VALARM and SEQUENCE with CRLF', async () => {
    const coach = await makeCoach(app.core, { name: 'Ada' });
    const slot = await app.core.slots.create(coach.id, { startsAt: at(96 * HOUR) });
    const claims = { ...newStudent(), email: 'rem@students.example' };
    const student = await app.core.students.upsert({ externalId: claims.sub, name: claims.name, phone: claims.phone, email: claims.email });
    const session = await app.core.bookings.book(student.id, { slotId: slot.id });
    await waitForMails('rem@students.example', 1);
    app.clock.set(new Date(slot.startsAt.getTime() - 24 * HOUR - 1));
    await app.jobs.runUntilIdle();
    expect(mailsTo('rem@students.example')).toHaveLength(1);
    app.clock.set(new Date(slot.startsAt.getTime() - 24 * HOUR));
    const [, reminder] = await waitForMails('rem@students.example', 2);
    expect(reminder!.parsed.subject).toMatch(/^Reminder: coaching session with Ada, /);
    expect(invitation(reminder!.parsed)).toMatchObject({ method: 'REQUEST', sequence: 0 });
    await app.jobs.runUntilIdle();
    expect(mailsTo('rem@students.example')).toHaveLength(2);

    const ics = await fetch(`${app.baseUrl}/api/v1/bookings/${session.id}/calendar.ics`, { headers: bearer(await mintToken(claims, { now: app.clock.now() })) });
    const text = await ics.text();
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    const event = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!;
    expect(String(event.getFirstPropertyValue('organizer')).toLowerCase()).toBe('mailto:coaching@school.example');
    expect(String(event.getFirstPropertyValue('attendee')).toLowerCase()).toBe('mailto:rem@students.example');
    expect(event.getFirstPropertyValue('sequence')).toBe(0);
    expect(event.getAllSubcomponents('valarm')).toHaveLength(1);
  });

  it('retries through an SMTP outage and delivers once the server is back', async () => {
    const coach = await makeCoach(app.core, { name: 'Bea' });
    const slot = await app.core.slots.create(coach.id, { startsAt: at(120 * HOUR) });
    const student = await app.core.students.upsert({ externalId: `outage-${Date.now()}`, name: 'Out Age', phone: '+12125550100', email: 'outage@students.example' });
    await smtp.stop();
    try {
      const session = await app.core.bookings.book(student.id, { slotId: slot.id });
      await app.jobs.runUntilIdle();
      const job = await app.core.jobs.get(`email.confirmation:${session.id}`);
      expect(job).toMatchObject({ status: 'pending', failures: 1, lastError: expect.stringMatching(/ECONNREFUSED/) });
      // Backoff with jitter: the retry waits 15–30 s by the clock, not by a timer.
      const wait = job!.runAt.getTime() - app.clock.now().getTime();
      expect(wait).toBeGreaterThanOrEqual(15_000);
      expect(wait).toBeLessThanOrEqual(30_000);
      app.clock.set(job!.runAt);
      await app.jobs.runUntilIdle();
      expect(await app.core.jobs.get(job!.id)).toMatchObject({ status: 'pending', failures: 2 });
    } finally {
      await smtp.start();
    }
    const job = (await app.core.jobs.list({ kind: 'email.confirmation', status: 'pending' }))[0]!;
    app.clock.set(job.runAt);
    const delivered = await waitForMails('outage@students.example', 1);
    expect(delivered).toHaveLength(1);
    expect(await app.core.jobs.get(job.id)).toMatchObject({ status: 'done', failures: 2 });
  });
});

describe('without SMTP_URL', () => {
  it('plans no email at all, and booking works as before', async () => {
    const plain = await startTestApp({ clock: NOW });
    try {
      expect(plain.core.jobs.delivers('email.confirmation')).toBe(false);
      const coach = await makeCoach(plain.core);
      const slot = await plain.core.slots.create(coach.id, { startsAt: at(48 * HOUR) });
      const student = await plain.core.students.upsert({ externalId: 'no-smtp', name: 'N', phone: '+12125550111', email: 'n@students.example' });
      const session = await plain.core.bookings.book(student.id, { slotId: slot.id });
      expect((await plain.core.jobs.list({ bookingId: session.id })).filter((j) => j.kind.startsWith('email.'))).toEqual([]);
    } finally {
      await plain.close();
    }
  });
});
