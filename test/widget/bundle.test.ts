import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertWidgetBundleFresh, WIDGET_BUNDLE_PATH } from '../helpers/browser.js';

let source = '';

beforeAll(async () => {
  await assertWidgetBundleFresh();
  source = await readFile(WIDGET_BUNDLE_PATH, 'utf8');
});

describe('widget/dist/coach-booking.js', () => {
  // Booleans, not toMatch(source): a failure must not print 75 KB of minified code.
  const has = (pattern: RegExp) => pattern.test(source);

  it('is one self-contained ES module: no imports left for the host page to resolve', () => {
    expect(has(/\bimport\s*[\w{*][^;]*?from\s*["'`]/), 'static import').toBe(false);
    expect(has(/\bimport\s*\(/), 'dynamic import').toBe(false);
    expect(has(/\brequire\s*\(/), 'require').toBe(false);
    expect(has(/\bexport\s*\{/), 'export').toBe(true);
  });

  it('carries Lit and defines every element behind a guard', () => {
    expect(has(/adoptedStyleSheets/), 'Lit').toBe(true);
    for (const tag of ['coach-booking', 'coach-booking-coach-list', 'coach-booking-slot-picker', 'coach-booking-confirm', 'coach-booking-sessions']) {
      expect(has(new RegExp(`["'\`]${tag}["'\`]`)), tag).toBe(true);
    }
    expect(has(/customElements\.get\(/), 'define guard').toBe(true);
  });

  it('pulls in no date library and no server code', () => {
    expect(has(/luxon|DateTime\.fromISO|moment\(|dayjs/), 'date library').toBe(false);
    expect(has(/mongoose|["'`]node:|process\.env|express/), 'server code').toBe(false);
  });

  it('stays within its size budget (80 KB raw, 25 KB gzip)', () => {
    const raw = Buffer.byteLength(source);
    const gzip = gzipSync(source, { level: 9 }).length;
    console.log(`coach-booking.js: ${(raw / 1024).toFixed(1)} KB raw, ${(gzip / 1024).toFixed(1)} KB gzip`);
    expect(raw).toBeLessThan(80 * 1024);
    expect(gzip).toBeLessThan(25 * 1024);
  });
});
