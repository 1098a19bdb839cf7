import type { Button, KnownBlock } from '@slack/types';
import { DateTime } from 'luxon';
import type { StudentSession } from '../../core/bookings/booking.schema.js';
import { ACTION } from '../ids.js';
import { escapeAndTruncate, escapeMrkdwn, md, plain, quoteText } from '../mrkdwn.js';
import { formatDayTime, formatPhone, formatSessionTime, formatZone } from './format.js';
import type { SlackMessage } from './message.js';

/** Google Calendar's and Outlook's "new event" links, filled in; no file to download, nothing to sign. */
export function calendarLinks(session: StudentSession): { google: string; outlook: string } {
  const title = `Coaching session with ${session.coach.name}`;
  const details = `Coach: ${session.coach.name}\nPhone: ${session.coach.phone ? formatPhone(session.coach.phone) : 'not given yet'}`;
  const compact = (d: Date) => DateTime.fromJSDate(d, { zone: 'UTC' }).toFormat("yyyyLLdd'T'HHmmss'Z'");
  const google = new URL('https://calendar.google.com/calendar/render');
  google.search = new URLSearchParams({ action: 'TEMPLATE', text: title, dates: `${compact(session.startsAt)}/${compact(session.endsAt)}`, details }).toString();
  const outlook = new URL('https://outlook.live.com/calendar/0/deeplink/compose');
  outlook.search = new URLSearchParams({ path: '/calendar/action/compose', rru: 'addevent', subject: title, startdt: session.startsAt.toISOString(), enddt: session.endsAt.toISOString(), body: details }).toString();
  return { google: google.toString(), outlook: outlook.toString() };
}

export const studentCancelButton = (session: Pick<StudentSession, 'id'>, when: string): Button => ({
  type: 'button',
  action_id: ACTION.studentCancel,
  text: plain('Cancel'),
  style: 'danger',
  value: session.id,
  confirm: {
    title: plain('Cancel this session?'),
    text: plain(`${when} will be cancelled and your coach told.`.slice(0, 300)),
    confirm: plain('Cancel session'),
    deny: plain('Keep it'),
    style: 'danger',
  },
});

export const studentMoveButton = (session: Pick<StudentSession, 'id'>): Button => ({
  type: 'button',
  action_id: ACTION.studentMove,
  text: plain('Move'),
  value: session.id,
});

/** Whether the student may still change the session: before the cancellation cutoff. */
const changeable = (session: StudentSession, now: Date) => session.status === 'active' && now.getTime() <= session.cancellableUntil.getTime();

function actions(session: StudentSession, zone: string, now: Date): KnownBlock[] {
  const when = formatSessionTime(session.startsAt, session.endsAt, zone);
  const links = calendarLinks(session);
  const elements: Button[] = [];
  if (changeable(session, now)) elements.push(studentMoveButton(session), studentCancelButton(session, when));
  if (session.status === 'active' && session.endsAt.getTime() > now.getTime()) {
    elements.push(
      { type: 'button', action_id: ACTION.addToGoogleCalendar, text: plain('Add to Google Calendar'), url: links.google },
      { type: 'button', action_id: ACTION.addToOutlook, text: plain('Add to Outlook'), url: links.outlook },
    );
  }
  return elements.length ? [{ type: 'actions', elements }] : [];
}

/**
 * The student's DM about one session, re-rendered (chat.update) as it
 * changes: booked (with the coach's phone, Move, Cancel, calendar links),
 * moved, cancelled by either side.
 */
export function studentSessionMessage(session: StudentSession, zone: string, now: Date, change?: { movedFrom?: Date }): SlackMessage {
  const when = formatSessionTime(session.startsAt, session.endsAt, zone);
  const coach = escapeAndTruncate(session.coach.name, 200);
  const zoneNote: KnownBlock = { type: 'context', elements: [md(`Times in ${escapeMrkdwn(formatZone(zone, now))}.`)] };
  if (session.status === 'cancelled') {
    const by = session.cancellation?.by ?? 'student';
    const who = { coach: `${coach} cancelled it.`, admin: 'The organisers cancelled it.', student: 'You cancelled it.' }[by];
    const blocks: KnownBlock[] = [
      { type: 'section', text: md(`:x: ~Session with *${coach}* on *${when}*~\n${who}`) },
    ];
    if (session.cancellation?.reason) blocks.push({ type: 'section', text: md(`*Reason*\n${quoteText(session.cancellation.reason, 600)}`) });
    blocks.push({ type: 'context', elements: [md('Book another time with `/coaching` or from the app\'s Home tab.')] }, zoneNote);
    const text = { coach: `${session.coach.name} cancelled your session on ${when}`, admin: `The organisers cancelled your session with ${session.coach.name} on ${when}`, student: `Cancelled: your session with ${session.coach.name}, ${when}` }[by];
    return { text, blocks };
  }
  const headline = change?.movedFrom
    ? `:arrows_counterclockwise: *Moved:* your session with *${coach}* is now on *${when}* (was ${formatDayTime(change.movedFrom, zone)}).`
    : `:white_check_mark: *Booked:* a session with *${coach}* on *${when}*.`;
  const blocks: KnownBlock[] = [
    { type: 'section', text: md(headline) },
    {
      type: 'section',
      fields: [
        md(`*Coach*\n${coach}`),
        md(`*Coach's phone*\n${escapeMrkdwn(formatPhone(session.coach.phone))}`),
      ],
    },
    ...actions(session, zone, now),
    {
      type: 'context',
      elements: [md(changeable(session, now)
        ? `You can move or cancel until ${formatDayTime(session.cancellableUntil, zone)}. Times in ${escapeMrkdwn(formatZone(zone, now))}.`
        : `It is too late to move or cancel this session. Times in ${escapeMrkdwn(formatZone(zone, now))}.`)],
    },
  ];
  return { text: `${change?.movedFrom ? 'Moved' : 'Booked'}: session with ${session.coach.name}, ${when}`, blocks };
}

/** One upcoming session on the student's App Home: the time, the coach and their phone, Move and Cancel. */
export function studentSessionItem(session: StudentSession, zone: string, now: Date): KnownBlock[] {
  const when = formatSessionTime(session.startsAt, session.endsAt, zone);
  const inProgress = session.startsAt.getTime() <= now.getTime();
  return [
    { type: 'section', text: md(`*${when}*${inProgress ? ' (now)' : ''}\nwith ${escapeAndTruncate(session.coach.name, 200)} · ${escapeMrkdwn(formatPhone(session.coach.phone))}`) },
    ...actions(session, zone, now),
  ];
}

/** One past or cancelled session on the student's App Home. */
export function studentPastItem(session: StudentSession, zone: string): KnownBlock {
  const when = formatSessionTime(session.startsAt, session.endsAt, zone);
  const coach = escapeAndTruncate(session.coach.name, 200);
  const text = session.status === 'cancelled'
    ? `~${when}~ with ${coach} · cancelled by ${{ coach: 'the coach', admin: 'the organisers', student: 'you' }[session.cancellation?.by ?? 'student']}`
    : `${when} with ${coach}`;
  return { type: 'section', text: md(text) };
}
