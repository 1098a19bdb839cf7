import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeAndTruncate, escapeMrkdwn } from '../../bot/mrkdwn.js';

describe('escaping for mrkdwn', () => {
  it('turns the three control characters into entities so nothing pings or links', () => {
    expect(escapeMrkdwn('<!channel> <@U123> <http://x|y> & more')).toBe('&lt;!channel&gt; &lt;@U123&gt; &lt;http://x|y&gt; &amp; more');
    expect(escapeMrkdwn('&lt;')).toBe('&amp;lt;');
  });

  it('shortens to the limit without splitting an entity or an emoji', () => {
    expect(escapeAndTruncate('&&&&', 12)).toBe('&amp;&amp;…');
    expect(escapeAndTruncate('🦊🦊🦊', 4)).toBe('🦊…');
    expect(escapeAndTruncate('short', 10)).toBe('short');
  });

  it('always fits the limit and stays well-formed, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('&', '<', '>', 'a', '🦊', 'é', '\n') , maxLength: 400 }), fc.integer({ min: 2, max: 600 }), (text, max) => {
        const out = escapeAndTruncate(text, max);
        expect(out.length).toBeLessThanOrEqual(max);
        // Only our entities remain: no raw < or >, and every & starts one.
        expect(out).not.toMatch(/[<>]/);
        expect(out.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
        // No lone surrogate (a split emoji).
        expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      }),
    );
  });
});
