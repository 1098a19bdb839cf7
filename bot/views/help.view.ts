import { escapeAndTruncate, md } from '../mrkdwn.js';
import type { SlackMessage } from './message.js';

export const COMMAND = '/availability';

/** Shown for `/availability help` and, with a note, for anything it does not understand. */
export function helpMessage(unknownSubcommand?: string): SlackMessage {
  const lines = [
    `*\`${COMMAND}\`* opens a form to add 2-hour slots students can book: a date, one or more start times, and optionally a weekly repeat.`,
    `*\`${COMMAND} list\`* shows your upcoming open slots (with Remove) and booked sessions (with Cancel session).`,
    `*\`${COMMAND} export\`* (admins) sends you the sessions of a date range as a CSV file; \`${COMMAND} export 2026-03-01 2026-03-31\` skips the form.`,
    `*\`${COMMAND} help\`* shows this help.`,
    'Your *App Home* (click the app\'s name) has everything in one place: upcoming sessions, open slots, sessions to rate, recent ratings, your stats and profile.',
  ];
  const intro = unknownSubcommand === undefined
    ? ':wave: Here is what you can do:'
    : `:thinking_face: I don't know \`${escapeAndTruncate(unknownSubcommand, 100)}\`. Here is what you can do:`;
  return {
    text: unknownSubcommand === undefined ? `How to use ${COMMAND}` : `Unknown subcommand. How to use ${COMMAND}`,
    blocks: [
      { type: 'section', text: md(intro) },
      { type: 'section', text: md(lines.join('\n\n')) },
    ],
  };
}

export const STUDENT_COMMAND = '/coaching';

/** Shown for `/coaching help` and, with a note, for anything it does not understand. */
export function studentHelpMessage(unknownText?: string): SlackMessage {
  const lines = [
    `*\`${STUDENT_COMMAND}\`* opens a form to book a 2-hour session: pick a coach (or any coach), a day and a time, in your own time zone.`,
    'After booking you get a DM with your coach\'s phone number, buttons to move or cancel, and calendar links.',
    'The app\'s *Home* tab lists your upcoming and past sessions and has *Book a session*.',
    `Coaches add their availability with \`${COMMAND}\`.`,
  ];
  const intro = unknownText === undefined
    ? ':wave: Here is how booking works:'
    : `:thinking_face: I don't know \`${escapeAndTruncate(unknownText, 100)}\`. Here is how booking works:`;
  return {
    text: `How to use ${STUDENT_COMMAND}`,
    blocks: [
      { type: 'section', text: md(intro) },
      { type: 'section', text: md(lines.join('\n\n')) },
    ],
  };
}
