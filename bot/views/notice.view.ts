import { escapeAndTruncate, md } from '../mrkdwn.js';
import type { SlackMessage } from './message.js';

/** A one-line answer (an error or a confirmation). Its text may quote user input, so it is escaped. */
export function noticeMessage(text: string, icon = ':warning:'): SlackMessage {
  const safe = escapeAndTruncate(text, 2900);
  return { text: safe, blocks: [{ type: 'section', text: md(`${icon} ${safe}`) }] };
}
