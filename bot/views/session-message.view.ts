import type { Button, KnownBlock } from '@slack/types';
import type { CoachSession, StudentContext } from '../../core/bookings/booking.schema.js';
import { ACTION } from '../ids.js';
import { escapeAndTruncate, escapeMrkdwn, md, plain, quoteText } from '../mrkdwn.js';
import { formatDayTime, formatPhone, formatRating, formatSessionTime } from './format.js';
import type { SlackMessage } from './message.js';

export const cancelSessionButton = (bookingId: string): Button => ({
  type: 'button',
  action_id: ACTION.openCancelSession,
  text: plain('Cancel session'),
  style: 'danger',
  value: bookingId,
});

export const rateSessionButton = (session: Pick<CoachSession, 'id' | 'feedback'>): Button => ({
  type: 'button',
  action_id: ACTION.openRateSession,
  text: plain(session.feedback ? 'Edit rating' : 'Rate session'),
  ...(session.feedback ? {} : { style: 'primary' as const }),
  value: session.id,
});

/** Notes quoted in mrkdwn: escaped, every line marked as a quote, then shortened to `max`. */
export const quoteNotes = quoteText;

function studentFields(session: CoachSession) {
  const fields = [
    md(`*Student*\n${escapeAndTruncate(session.student.name, 200)}`),
    md(`*Phone*\n${escapeMrkdwn(formatPhone(session.student.phone))}`),
  ];
  if (session.student.email) fields.push(md(`*Email*\n${escapeAndTruncate(session.student.email, 320, { neutralise: false })}`));
  return fields;
}

export const studentHistoryButton = (studentId: string): Button => ({
  type: 'button',
  action_id: ACTION.openStudentHistory,
  text: plain('Full history'),
  value: studentId,
});

/** "3 sessions with you; last rated 4/5 Good on Tue 3 Mar" and the notes of that rating, quoted: the coach's own only. */
export function contextBlocks(session: CoachSession, context: StudentContext, zone: string): KnownBlock[] {
  const { sessionsHeld, lastRated } = context;
  if (!sessionsHeld) return [{ type: 'context', elements: [md('First session with you.')] }];
  const lines = [`*With you before:* ${sessionsHeld} session${sessionsHeld === 1 ? '' : 's'}`];
  if (lastRated) lines.push(`Last score: ${formatRating(lastRated.satisfaction)} (${formatDayTime(lastRated.startsAt, zone)})`);
  else lines.push('None rated yet.');
  if (lastRated?.notes) lines.push(`Your last notes:\n${quoteNotes(lastRated.notes, 600)}`);
  return [{ type: 'section', text: md(lines.join('\n')), accessory: studentHistoryButton(session.student.id) }];
}

/**
 * The coach's DM about one session. It is re-rendered (chat.update) as the
 * session moves on, so one builder covers every state: booked, cancelled,
 * waiting for a rating, rated.
 */
export function sessionMessage(session: CoachSession, zone: string, context?: StudentContext): SlackMessage {
  const when = formatSessionTime(session.startsAt, session.endsAt, zone);
  const name = escapeAndTruncate(session.student.name, 200);
  const zoneNote = { type: 'context' as const, elements: [md(`Times in ${escapeMrkdwn(zone)}.`)] };

  if (session.status === 'cancelled') {
    const by = { coach: 'you', admin: 'an admin of your workspace', student: name }[session.cancellation?.by ?? 'student'];
    const blocks: KnownBlock[] = [
      { type: 'section', text: md(`:x: ~Session with *${name}* on *${when}*~\nCancelled by ${by}.`) },
    ];
    if (session.cancellation?.reason) blocks.push({ type: 'section', text: md(`*Reason*\n${quoteNotes(session.cancellation.reason, 600)}`) });
    blocks.push(zoneNote);
    return { text: `Cancelled: session with ${name}, ${when}`, blocks };
  }

  if (session.feedback) {
    const blocks: KnownBlock[] = [
      { type: 'section', text: md(`:white_check_mark: *Session with ${name}* on *${when}*\nYour rating: ${formatRating(session.feedback.satisfaction)}`) },
    ];
    if (session.feedback.notes) blocks.push({ type: 'section', text: md(`*Notes*\n${quoteNotes(session.feedback.notes, 2900)}`) });
    blocks.push(
      { type: 'actions', elements: [rateSessionButton(session)] },
      { type: 'context', elements: [md(`Rated ${formatDayTime(session.feedback.recordedAt, zone)}${session.feedback.updatedAt.getTime() !== session.feedback.recordedAt.getTime() ? `, last changed ${formatDayTime(session.feedback.updatedAt, zone)}` : ''}. Times in ${escapeMrkdwn(zone)}.`)] },
    );
    return { text: `Rated ${session.feedback.satisfaction}/5: session with ${name}, ${when}`, blocks };
  }

  if (session.needsRating) {
    return {
      text: `How did your session with ${name} go?`,
      blocks: [
        { type: 'section', text: md(`:star: *How did your session with ${name} go?*\n${when}`) },
        { type: 'section', fields: studentFields(session) },
        { type: 'actions', elements: [rateSessionButton(session)] },
        zoneNote,
      ],
    };
  }

  if (session.movedFrom) {
    const from = formatSessionTime(session.movedFrom.startsAt, session.movedFrom.endsAt, zone);
    return {
      text: `Moved: ${name}, now ${when}`,
      blocks: [
        { type: 'section', text: md(`:calendar: *Session moved*\n*${name}* is now on *${when}* (was ~${from}~).`) },
        { type: 'section', fields: studentFields(session) },
        ...(context ? contextBlocks(session, context, zone) : []),
        { type: 'actions', elements: [cancelSessionButton(session.id)] },
        zoneNote,
      ],
    };
  }

  return {
    text: `New booking: ${name}, ${when}`,
    blocks: [
      { type: 'section', text: md(`:calendar: *New booking*\n*${name}* booked your slot on *${when}*.`) },
      { type: 'section', fields: studentFields(session) },
      ...(context ? contextBlocks(session, context, zone) : []),
      { type: 'actions', elements: [cancelSessionButton(session.id)] },
      zoneNote,
    ],
  };
}

/**
 * How a student learns that the coach cancelled: a Slack DM when they are a
 * Slack user of the coach's workspace, an email when they gave an address
 * and email is on, otherwise only on the booking site. The sentence says
 * which, so the coach is never promised a notice nobody sends.
 */
export interface StudentNotice {
  slack: boolean;
  email: boolean;
}

export const NO_NOTICE: StudentNotice = { slack: false, email: false };

export function studentNoticeSentence(notice: StudentNotice, whose: 'your' | 'the' = 'your'): string {
  if (notice.slack && notice.email) return `The student gets a Slack message and an email saying so, with ${whose} reason`;
  if (notice.slack) return `The student gets a Slack message saying so, with ${whose} reason`;
  if (notice.email) return `The student gets an email saying so, with ${whose} reason`;
  return `The student has no email address with us, so no message reaches them: they see it as cancelled, with ${whose} reason, in their sessions on the booking site`;
}

/** A separate DM when a session is cancelled, so the coach gets a notification. */
export function cancellationNotice(session: CoachSession, zone: string, notice: StudentNotice = NO_NOTICE): SlackMessage {
  const when = formatSessionTime(session.startsAt, session.endsAt, zone);
  const name = escapeAndTruncate(session.student.name, 200);
  const by = session.cancellation?.by ?? 'student';
  const headline = {
    student: `:x: *${name}* cancelled their session on *${when}*. The slot is open again.`,
    coach: `:x: You cancelled your session with *${name}* on *${when}*. ${studentNoticeSentence(notice)}. The slot is withdrawn.`,
    admin: `:x: An admin of your workspace cancelled your session with *${name}* on *${when}*. ${studentNoticeSentence(notice, 'the')}. The slot is withdrawn: add the time again with \`/availability\` if you are still free.`,
  }[by];
  const blocks: KnownBlock[] = [{ type: 'section', text: md(headline) }];
  if (session.cancellation?.reason) blocks.push({ type: 'section', text: md(`*Reason*\n${quoteNotes(session.cancellation.reason, 600)}`) });
  blocks.push({ type: 'context', elements: [md(`Times in ${escapeMrkdwn(zone)}.`)] });
  return { text: by === 'student' ? `${name} cancelled: ${when}` : `Cancelled: session with ${name}, ${when}`, blocks };
}

/** A DM when a student moves their session, so the coach gets a notification. */
export function movedNotice(session: CoachSession, fromStartsAt: Date, zone: string): SlackMessage {
  const when = formatSessionTime(session.startsAt, session.endsAt, zone);
  const name = escapeAndTruncate(session.student.name, 200);
  return {
    text: `${name} moved their session to ${when}`,
    blocks: [
      { type: 'section', text: md(`:arrows_counterclockwise: *${name}* moved their session from ${formatDayTime(fromStartsAt, zone)} to *${when}*. The old slot is open again.`) },
      { type: 'section', fields: studentFields(session) },
      { type: 'actions', elements: [cancelSessionButton(session.id)] },
      { type: 'context', elements: [md(`Times in ${escapeMrkdwn(zone)}.`)] },
    ],
  };
}
