import nodemailer, { type Transporter } from 'nodemailer';
import { DateTime } from 'luxon';
import type { StudentSession } from '../../core/bookings/booking.schema.js';
import type { Core } from '../../core/core.types.js';
import { PermanentJobError, type Job, type JobKind } from '../../core/jobs/job.schema.js';
import type { Student } from '../../core/students/student.schema.js';
import { sessionCalendar } from '../../widget/api/calendar.js';
import type { MailAddress } from './config.js';

type EmailKind = Extract<JobKind, `email.${string}`>;

export interface Email {
  subject: string;
  text: string;
  html: string;
  /** The iTIP invitation, as calendar apps expect it next to the message. */
  calendar: { method: 'REQUEST' | 'CANCEL'; content: string };
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** "Tuesday 3 March 2026, 10:00–12:00 (Europe/London)": in the coach's zone, which the email names. */
function when(session: Pick<StudentSession, 'startsAt' | 'endsAt' | 'coach'>, startsAt = session.startsAt, endsAt = session.endsAt): string {
  const zone = session.coach.timezone;
  const start = DateTime.fromJSDate(new Date(startsAt), { zone }).setLocale('en-GB');
  const end = DateTime.fromJSDate(new Date(endsAt), { zone }).setLocale('en-GB');
  return `${start.toFormat('cccc d LLLL yyyy, HH:mm')}–${end.toFormat('HH:mm')} (${zone})`;
}

/**
 * The student's emails, as plain data: what each says in text and in HTML
 * (user text escaped), and the invitation that goes with it. Every sentence
 * is about what has actually happened.
 */
export function studentEmail(kind: EmailKind, session: StudentSession, student: Student, options: { now: Date; from: MailAddress }): Email {
  const coach = session.coach.name;
  const phone = session.coach.phone ?? 'not given yet';
  const lines: string[] = [];
  let subject: string;
  let method: 'REQUEST' | 'CANCEL' = 'REQUEST';
  switch (kind) {
    case 'email.confirmation':
      subject = `Booked: coaching session with ${coach}, ${when(session)}`;
      lines.push(`Your coaching session with ${coach} is booked for ${when(session)}.`);
      break;
    case 'email.reminder':
      subject = `Reminder: coaching session with ${coach}, ${when(session)}`;
      lines.push(`A reminder: your coaching session with ${coach} is on ${when(session)}.`);
      break;
    case 'email.update': {
      subject = `Moved: coaching session with ${coach}, now ${when(session)}`;
      const from = session.movedFrom;
      lines.push(`Your coaching session with ${coach} has moved to ${when(session)}${from ? ` (it was ${when(session, from.startsAt, from.endsAt)})` : ''}.`);
      break;
    }
    case 'email.cancellation': {
      method = 'CANCEL';
      subject = `Cancelled: coaching session with ${coach}, ${when(session)}`;
      const by = session.cancellation?.by;
      lines.push(
        by === 'coach'
          ? `${coach} has cancelled your coaching session on ${when(session)}.`
          : by === 'admin'
            ? `Your coaching session with ${coach} on ${when(session)} has been cancelled by the organisers.`
            : `Your coaching session with ${coach} on ${when(session)} is cancelled, as you asked.`,
      );
      if (by === 'coach' && session.cancellation?.reason) lines.push(`${coach}'s reason: ${session.cancellation.reason}`);
      if (by === 'admin' && session.cancellation?.reason) lines.push(`The reason: ${session.cancellation.reason}`);
      break;
    }
  }
  if (method === 'REQUEST') {
    lines.push(`${coach}'s phone: ${phone}`);
    lines.push('The attached invitation adds the session to your calendar, in your own time zone.');
  } else {
    lines.push('The attached notice removes the session from your calendar.');
  }
  const calendar = sessionCalendar(session, {
    now: options.now,
    organizer: options.from,
    attendee: { name: student.name, email: student.email },
    method,
  });
  const greeting = `Hello ${student.name},`;
  const text = [greeting, '', ...lines, '', '— Coaching scheduler', ''].join('\n');
  const html = `<!doctype html><html><body><p>${escapeHtml(greeting)}</p>${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('')}<p>— Coaching scheduler</p></body></html>`;
  return { subject, text, html, calendar: { method, content: calendar } };
}

/** SMTP answers that no retry will change: the mailbox or the message is refused for good. */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/**
 * Student email over SMTP (nodemailer), as the delivery of core's email
 * jobs. Registered only when SMTP_URL is set: without it no email job is
 * ever planned. A connection failure or a 4xx answer is retried by the job
 * with backoff; a 5xx answer is recorded as a permanent failure.
 */
export function registerEmailDelivery(core: Core, options: { smtpUrl: string; from: MailAddress; transport?: Transporter }): Transporter {
  const transport =
    options.transport ??
    nodemailer.createTransport({ url: options.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 });

  for (const kind of ['email.confirmation', 'email.reminder', 'email.cancellation', 'email.update'] as const) {
    core.jobs.handle(kind, async (job: Job) => {
      const student = await core.students.get(String(job.payload.studentId ?? ''));
      if (!student.email) return { skip: 'the student no longer has an e-mail address' };
      const session = await core.bookings.getForStudent(student.id, job.bookingId ?? '');
      const email = studentEmail(kind, session, student, { now: core.clock.now(), from: options.from });
      try {
        const info = await transport.sendMail({
          from: { name: options.from.name, address: options.from.email },
          to: { name: student.name, address: student.email },
          subject: email.subject,
          text: email.text,
          html: email.html,
          // Stable per job: a receiving server or client that sees it twice can tell.
          messageId: `<${job.id.replace(/[^\w.-]/g, '.')}@coaching-scheduler>`,
          icalEvent: { method: email.calendar.method, filename: email.calendar.method === 'CANCEL' ? 'cancel.ics' : 'invite.ics', content: email.calendar.content },
        });
        return { result: { messageId: info.messageId } };
      } catch (error) {
        if (isPermanent(error)) throw new PermanentJobError(`SMTP refused the message: ${(error as Error).message}`);
        throw error;
      }
    });
  }
  return transport;
}
