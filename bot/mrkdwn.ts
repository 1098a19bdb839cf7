import type { MrkdwnElement, PlainTextElement } from '@slack/types';

/**
 * Slack reads `<...>` in mrkdwn as mentions (`<!channel>`, `<@U123>`) and
 * links (`<http://x|y>`), and `&` starts an entity. Escaping these three makes
 * text display as typed and never ping anyone or forge a link. Use it alone
 * for text the app itself makes (zone names, formatted phones).
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * mrkdwn has no escape for its formatting marks, so a name like `*Bob*`
 * inside our `*bold*` closes the bold early, and a backtick breaks out of
 * `code`. People's text gets look-alike characters instead, which read the
 * same and format nothing: ∗ (U+2217), ˍ (U+02CD), ∼ (U+223C), ˋ (U+02CB).
 */
const NEUTRAL: Record<string, string> = { '*': '\u2217', _: '\u02CD', '~': '\u223C', '`': '\u02CB' };

function escapeChar(ch: string, neutralise: boolean): string {
  if (ch === '&') return '&amp;';
  if (ch === '<') return '&lt;';
  if (ch === '>') return '&gt;';
  return (neutralise && NEUTRAL[ch]) || ch;
}

/**
 * People's text (names, notes, reasons, bios) for mrkdwn: escaped,
 * formatting marks neutralised, shortened so the result fits `max`.
 * `neutralise: false` keeps marks for values that must stay copyable as
 * they are (an e-mail address), which never sit inside formatting.
 */
export function escapeAndTruncate(text: string, max: number, options: { neutralise?: boolean } = {}): string {
  const neutralise = options.neutralise ?? true;
  return truncateMapped(text, max, (ch) => escapeChar(ch, neutralise));
}

/**
 * Maps text code point by code point (an emoji is never split) and stops
 * before the output would pass `max`, ending with an ellipsis when cut.
 * Truncating the finished output, not the input, is what keeps a result
 * that grows while it is made (entities, quote marks) inside the limit.
 */
function truncateMapped(text: string, max: number, map: (ch: string) => string, prefix = ''): string {
  const chars = [...text];
  const pieces = chars.map(map);
  const total = prefix.length + pieces.reduce((sum, p) => sum + p.length, 0);
  if (total <= max) return prefix + pieces.join('');
  let out = prefix;
  for (const piece of pieces) {
    if (out.length + piece.length > max - 1) break;
    out += piece;
  }
  return `${out}…`;
}

/**
 * Notes as a mrkdwn block quote: escaped, neutralised, every line marked
 * with `>`, and only then shortened to `max`, so a note of many short lines
 * (each gaining a `>`) still fits.
 */
export function quoteText(text: string, max: number): string {
  return truncateMapped(text, max, (ch) => (ch === '\n' ? '\n>' : escapeChar(ch, true)), '>');
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
