import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../widget/element/i18n/en.js';
import { MESSAGE_TABLES } from '../../widget/api/i18n.js';
import { assertWidgetBundleFresh, WIDGET_BUNDLE_PATH } from '../helpers/browser.js';

let source = '';

beforeAll(async () => {
  await assertWidgetBundleFresh();
  source = await readFile(WIDGET_BUNDLE_PATH, 'utf8');
});

describe('widget/dist/coach-booking.js', () => {
  // Booleans, not toMatch(source): a failure must not print the whole minified bundle.
  const has = (pattern: RegExp) => pattern.test(source);

  it('is one self-contained ES module: no imports left for the host page to resolve', () => {
    expect(has(/\bimport\s*[\w{*][^;]*?from\s*["'`]/), 'static import').toBe(false);
    expect(has(/\bimport\s*\(/), 'dynamic import').toBe(false);
    expect(has(/\brequire\s*\(/), 'require').toBe(false);
    expect(has(/\bexport\s*\{/), 'export').toBe(true);
  });

  it('carries Lit and defines its element behind a guard', () => {
    expect(has(/adoptedStyleSheets/), 'Lit').toBe(true);
    expect(has(/["'`]coach-booking["'`]/), 'coach-booking').toBe(true);
    expect(has(/customElements\.get\(/), 'define guard').toBe(true);
  });

  it('pulls in no date library, no validation library, no phone metadata and no server code', () => {
    expect(has(/luxon|DateTime\.fromISO|moment\(|dayjs/), 'date library').toBe(false);
    expect(has(/\$ZodType|invalid_type|ZodError/), 'zod').toBe(false);
    expect(has(/libphonenumber|countryCallingCodes/), 'phone metadata').toBe(false);
    expect(has(/mongoose|["'`]node:|process\.env|express/), 'server code').toBe(false);
  });

  it('carries no words of its own: every language, English included, has the same keys and is served apart', () => {
    expect(has(/Book this session|Réserver une séance/), 'a message table inside').toBe(false);
    for (const [language, table] of Object.entries(MESSAGE_TABLES)) {
      expect(Object.keys(table).sort(), language).toEqual(Object.keys(en).sort());
      // Every placeholder of the English sentence is kept, so no value goes missing in translation.
      for (const [key, sentence] of Object.entries(en)) {
        const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        expect(names(table[key as keyof typeof table]), `${language}.${key}`).toEqual(names(sentence));
      }
    }
  });

  it('stays within its budget: 14 KB gzip, counted as the issue counts it (14,000 bytes)', () => {
    const raw = Buffer.byteLength(source);
    const gzip = gzipSync(source, { level: 9 }).length;
    console.log(`coach-booking.js: ${raw} B raw, ${gzip} B gzip`);
    expect(gzip).toBeLessThanOrEqual(14_000);
  });
});
