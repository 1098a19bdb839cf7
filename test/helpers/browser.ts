import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WIDGET_BUNDLE_PATH = path.join(ROOT, 'widget/dist/coach-booking.js');
export const SCREENSHOT_DIR = path.join(ROOT, 'test-output/screenshots');

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Debian's Chromium, driven by playwright-core (no browser download). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

async function newestSourceMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, await newestSourceMtime(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, (await stat(full)).mtimeMs);
  }
  return newest;
}

/**
 * The tests exercise the shipped bundle, so it must exist and be newer than
 * its sources. `npm test` builds it first; a lone vitest run says how.
 */
export async function assertWidgetBundleFresh(): Promise<void> {
  let built: number;
  try {
    built = (await stat(WIDGET_BUNDLE_PATH)).mtimeMs;
  } catch {
    throw new Error('widget/dist/coach-booking.js is missing: run "npm run build:widget" (npm test does it for you).');
  }
  const sources = Math.max(
    await newestSourceMtime(path.join(ROOT, 'widget/element')),
    (await stat(path.join(ROOT, 'widget/api/contract.schema.ts'))).mtimeMs,
  );
  if (sources > built) throw new Error('widget/dist/coach-booking.js is older than widget/element: run "npm run build:widget".');
}

/**
 * A stand-in for the organisation's website, on its own origin (another
 * port), serving pages that embed the widget the way the README says.
 */
export interface HostSite {
  origin: string;
  /** Registers a page and returns its URL. */
  page(html: string): string;
  close(): Promise<void>;
}

export async function startHostSite(): Promise<HostSite> {
  const pages = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const html = pages.get(req.url ?? '');
    if (!html) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    page(html) {
      const url = `/page-${pages.size + 1}`;
      pages.set(url, html);
      return `${origin}${url}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const escapeAttr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * A host page: the two lines from the README, plus hostile global styles (the
 * widget must not be broken by them) and a log of the widget's events.
 */
export function hostPageHtml(options: { appUrl: string; token: string; attributes?: Record<string, string> }): string {
  const attrs = Object.entries({ api: options.appUrl, token: options.token, ...options.attributes })
    .map(([name, value]) => `${name}="${escapeAttr(value)}"`)
    .join(' ');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Host site</title>
  <style>
    /* A careless host stylesheet: none of it may reach inside the widget. */
    * { font-family: "Courier New", monospace; letter-spacing: 2px; }
    body { color: #c00; text-transform: uppercase; line-height: 3; margin: 8px; }
    button { display: none !important; }
    h3, h4 { font-size: 40px; }
  </style>
</head>
<body>
  <main>
    <h1>Our school</h1>
    <script type="module" src="${escapeAttr(options.appUrl)}/widget/coach-booking.js"></script>
    <coach-booking ${attrs}></coach-booking>
  </main>
  <script>
    window.widgetEvents = [];
    for (const name of ['coach-booking:booked', 'coach-booking:cancelled', 'coach-booking:rescheduled', 'coach-booking:token-expired', 'coach-booking:error']) {
      document.addEventListener(name, (event) => window.widgetEvents.push({ name, detail: event.detail, composed: event.composed, bubbles: event.bubbles }));
    }
  </script>
</body>
</html>`;
}

let shotCounter = 0;

/** Saves a screenshot under test-output/screenshots, numbered in the order taken. */
export async function screenshot(target: Page | Locator, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  shotCounter += 1;
  const file = path.join(SCREENSHOT_DIR, `${String(shotCounter).padStart(2, '0')}-${name}.png`);
  await target.screenshot({ path: file, ...('goto' in target ? { fullPage: true } : {}) });
  return file;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown; failureSummary?: string }>;
}

let axeSource: string | null = null;

/** Runs axe-core in the page (it reaches into shadow roots) and returns the serious and critical violations. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run({ include: [['coach-booking']] }, { resultTypes: ['violations'] });
    return result.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map(({ target, failureSummary }) => ({ target, failureSummary })) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** The element focused inside the widget's shadow root, described by role-ish tag and text. */
export async function focusedInWidget(page: Page): Promise<{ tag: string; text: string } | null> {
  return page.evaluate(() => {
    const host = document.querySelector('coach-booking');
    const active = host?.shadowRoot?.activeElement as HTMLElement | null | undefined;
    return active ? { tag: active.tagName.toLowerCase(), text: (active.getAttribute('aria-label') ?? active.textContent ?? '').trim().replace(/\s+/g, ' ') } : null;
  });
}
