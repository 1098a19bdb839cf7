import type { CoachSession, StudentContext } from '../../core/bookings/booking.schema.js';
import { escapeAndTruncate, escapeMrkdwn, md } from '../mrkdwn.js';
import { formatDayTime, formatPhone, formatSessionTime, inZone } from './format.js';
import type { SlackMessage } from './message.js';
import { cancelSessionButton, contextBlocks, rateSessionButton } from './session-message.view.js';

/** "in 1 hour", "in 45 minutes", "in 1 day 2 hours": the lead as the coach reads it. */
export function formatLead(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `in ${minutes} minute${minutes === 1 ? '' : 's'}`;
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts = [
    days ? `${days} day${days === 1 ? '' : 's'}` : '',
    hours ? `${hours} hour${hours === 1 ? '' : 's'}` : '',
    !days && rest ? `${rest} minute${rest === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return `in ${parts.join(' ')}`;
}

/** The coach's reminder before a session: who, their phone, what came before with them, and when in the coach's own time. */
export function reminderMessage(session: CoachSession, zone: string, now: Date, context?: StudentContext): SlackMessage {
  const name = escapeAndTruncate(session.student.name, 200);
  const when = formatSessionTime(session.startsAt, session.endsAt, zone);
  const lead = formatLead(session.startsAt.getTime() - now.getTime());
  const start = inZone(session.startsAt, zone).toFormat('HH:mm');
  return {
    text: `Reminder: session with ${name} at ${start} (${lead})`,
    blocks: [
      { type: 'section', text: md(`:alarm_clock: *Session with ${name} ${lead}*\n${when}`) },
      {
        type: 'section',
        fields: [md(`*Student*\n${name}`), md(`*Phone*\n${escapeMrkdwn(formatPhone(session.student.phone))}`)],
      },
      ...(context ? contextBlocks(session, context, zone) : []),
      { type: 'actions', elements: [cancelSessionButton(session.id)] },
      { type: 'context', elements: [md(`Times in ${escapeMrkdwn(zone)}. Change or turn off reminders on the app’s Home tab.`)] },
    ],
  };
}

/** When the session ends: one question, one button that opens the rating modal. */
export function ratingPromptMessage(session: CoachSession, zone: string): SlackMessage {
  const name = escapeAndTruncate(session.student.name, 200);
  return {
    text: `How did it go with ${name}?`,
    blocks: [
      { type: 'section', text: md(`:star: *How did it go with ${name}?*\n${formatSessionTime(session.startsAt, session.endsAt, zone)}`) },
      { type: 'actions', elements: [rateSessionButton(session)] },
      { type: 'context', elements: [md(`Your rating and notes are yours alone. Times in ${escapeMrkdwn(zone)}.`)] },
    ],
  };
}

/** The single nudge, a day after the prompt, when the session is still unrated. */
export function ratingNudgeMessage(session: CoachSession, zone: string): SlackMessage {
  const name = escapeAndTruncate(session.student.name, 200);
  return {
    text: `Still to rate: your session with ${name}`,
    blocks: [
      {
        type: 'section',
        text: md(`:hourglass_flowing_sand: Your session with *${name}* on *${formatDayTime(session.startsAt, zone)}* is not rated yet. It takes a few seconds, and this is the only reminder.`),
      },
      { type: 'actions', elements: [rateSessionButton(session)] },
    ],
  };
}
