import type { MrkdwnElement, PlainTextElement } from '@slack/types';

/**
 * Slack reads `<...>` in mrkdwn as mentions (`<!channel>`, `<@U123>`) and
 * links (`<http://x|y>`), and `&` starts an entity. Escaping these three makes
 * user text display as typed and never ping anyone or forge a link.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const escapedLength = (ch: string) => (ch === '&' ? 5 : ch === '<' || ch === '>' ? 4 : ch.length);

/**
 * Escapes `text` and shortens it so the escaped result fits in `max`
 * characters, ending with an ellipsis when cut. It never splits an entity or
 * a surrogate pair (emoji), so the output is always valid mrkdwn.
 */
export function escapeAndTruncate(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  let out = '';
  let length = 0;
  for (const ch of text) {
    const size = escapedLength(ch);
    if (length + size > max - 1) break;
    out += ch;
    length += size;
  }
  return `${escapeMrkdwn(out)}…`;
}

/**
 * A mrkdwn text object. `verbatim` stops Slack from auto-linking bare URLs
 * and channel names in user text; our own markup uses explicit syntax anyway.
 */
export function md(text: string): MrkdwnElement {
  return { type: 'mrkdwn', text, verbatim: true };
}

export function plain(text: string): PlainTextElement {
  return { type: 'plain_text', text, emoji: true };
}
