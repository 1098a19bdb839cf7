import { readFile } from 'node:fs/promises';
import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/index.js';
import type { Coach } from '../../core/coaches/coach.schema.js';
import { createLogger } from '../../server/logger.js';
import { en } from '../../widget/element/i18n/en.js';
import { TRANSLATIONS } from '../../widget/api/i18n.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { focusedInWidget, hostPageHtml, launchChromium, screenshot, seriousAxeViolations, startHostSite, assertWidgetBundleFresh, type HostSite } from '../helpers/browser.js';
import { mintToken, newStudent, type StudentClaims } from '../helpers/tokens.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PHONE = { width: 360, height: 800 };
const DESKTOP = { width: 1280, height: 900 };

let app: TestApp;
let host: HostSite;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** axe results per state, printed at the end for the closing note. */
const axeLog: string[] = [];

let ada: Coach;
let grace: Coach;
let kenji: Coach;
let later: Coach;
/** Midnight UTC three days from now: past the 12-hour notice, and inside the first month shown or the next. */
let day0: Date;
const utc = (dayOffset: number, hour: number) => new Date(day0.getTime() + dayOffset * DAY + hour * HOUR);
const londonDay = (instant: Date) => DateTime.fromJSDate(instant, { zone: 'Europe/London' }).toISODate()!;

beforeAll(async () => {
  await assertWidgetBundleFresh();
  host = await startHostSite();
  // The host page lives on another origin, so the widget's calls are real cross-origin requests.
  app = await startTestApp({ WIDGET_ORIGINS: host.origin, RATE_LIMIT_PER_MINUTE: '10000' });
  browser = await launchChromium();

  const now = app.clock.now();
  day0 = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 3));
  const onboard = async (slackUserId: string, name: string, timezone: string, phone: string, bio: string) => {
    const { coach } = await app.core.coaches.onboard({ teamId: 'TBROWSER', slackUserId, name, timezone, phone });
    return app.core.coaches.updateProfile(coach.id, { bio });
  };
  ada = await onboard('UADA', 'Ada Okafor', 'Europe/London', '+442079460018', 'Career coach. Ten years hiring engineers.');
  grace = await onboard('UGRACE', 'Grace Kim', 'America/New_York', '+12125550147', 'Interview practice and system design.');
  kenji = await onboard('UKENJI', 'Kenji Sato', 'Asia/Tokyo', '+81312345678', 'Product thinking for designers.');
  later = await onboard('ULATER', 'Lena Berg', 'Europe/Berlin', '+4930123456', 'Back from leave in a few months.');
  for (const [coach, start] of [
    [ada, utc(0, 10)],
    [ada, utc(0, 14)],
    [ada, utc(1, 10)],
    [ada, utc(1, 14)],
    [ada, utc(2, 10)],
    [ada, utc(2, 14)],
    [grace, utc(0, 15)],
    [grace, utc(1, 15)],
    [kenji, utc(0, 18)],
    [later, utc(75, 9)],
  ] as const) {
    await app.core.slots.create(coach.id, { startsAt: start });
  }
}, 120_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await app?.close();
  await host?.close();
  console.log(`axe (serious + critical) per state:\n${axeLog.join('\n')}`);
});

/** Pages opened by the running test, photographed if it fails so CI shows what the browser saw. */
let openPages: Page[] = [];
afterEach(async (context) => {
  if (context.task.result?.state === 'fail') {
    for (const [i, page] of openPages.entries()) await screenshot(page, `FAILED-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}-${i}`).catch(() => {});
  }
  openPages = [];
});

type Opened = Page & { problems: string[]; apiCalls: string[]; timeline: string[]; consoleErrors: string[] };

/** A page on the host site, signed in as `student`, with the widget's attributes. */
async function openWidget(student: StudentClaims | null, attributes: Record<string, string> = {}, options: { viewport?: typeof PHONE; appUrl?: string; locale?: string; timezoneId?: string; fakeTimers?: boolean } = {}): Promise<Opened> {
  const context = await browser.newContext({ viewport: options.viewport ?? PHONE, timezoneId: options.timezoneId ?? 'Europe/London', locale: options.locale ?? 'en-GB', acceptDownloads: true });
  contexts.push(context);
  const page = (await context.newPage()) as Opened;
  openPages.push(page);
  page.problems = [];
  page.apiCalls = [];
  page.timeline = [];
  page.consoleErrors = [];
  page.on('pageerror', (error) => page.problems.push(error.message));
  page.on('console', (message) => message.type() === 'error' && page.consoleErrors.push(message.text()));
  // What the widget asked for, in order of start and end: requests in flight together count as one step.
  const step = (what: string) => (request: { url(): string }) => {
    const { pathname } = new URL(request.url());
    if (/^\/(api\/v1\/slots|widget\/i18n\/)/.test(pathname)) page.timeline.push(`${what} ${pathname}`);
  };
  page.on('request', step('start'));
  page.on('requestfinished', step('end'));
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/v1/') && request.method() !== 'OPTIONS') page.apiCalls.push(`${request.method()} ${url.pathname}`);
  });
  // The page's timers, to move them on instead of waiting; its clock still runs at the real pace.
  if (options.fakeTimers) await page.clock.install();
  const token = student ? await mintToken(student, { now: app.clock.now() }) : '';
  const attrs = { locale: 'en-GB', ...attributes };
  await page.goto(host.page(hostPageHtml({ appUrl: options.appUrl ?? app.baseUrl, token, attributes: attrs })));
  return page;
}

async function expectAccessible(page: Page, state: string): Promise<void> {
  const violations = await seriousAxeViolations(page);
  axeLog.push(`  ${state}: ${violations.length}`);
  expect(violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`)).toEqual([]);
}

/** A state seen as a student would: photographed at phone and desktop width, axe-checked at both, and nothing sticking out sideways. */
async function look(page: Page, state: string): Promise<void> {
  for (const [size, viewport] of [['360', PHONE], ['1280', DESKTOP]] as const) {
    await page.setViewportSize(viewport);
    await screenshot(page, `${state}-${size}`);
    await expectAccessible(page, `${state} at ${size} px`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${state} fits ${size} px`).toBeLessThanOrEqual(viewport.width);
  }
  await page.setViewportSize(PHONE);
}

/** Hours may or may not be zero-padded, depending on the browser's locale data. */
const hhmm = (instant: Date, zone = 'Europe/London') => {
  const local = DateTime.fromJSDate(instant, { zone });
  return `${local.hour < 10 ? '0?' : ''}${local.hour}:${local.toFormat('mm')}`;
};
/** A time's accessible name, "10:00 – 12:00 with Ada Okafor on Thursday 3 December"; expected values come from luxon, not the widget's Intl code. */
const slotName = (start: Date, coach: string, zone = 'Europe/London') => {
  const local = DateTime.fromJSDate(start, { zone }).setLocale('en-GB');
  return new RegExp(`^${hhmm(start, zone)} – ${hhmm(new Date(start.getTime() + 2 * HOUR), zone)} with ${coach} on ${local.toFormat('cccc')},? ${local.toFormat('d LLLL')}$`);
};
const cell = (page: Page, day: string) => page.locator(`td[data-day="${day}"]`);

async function events(page: Page): Promise<Array<{ name: string; detail: any; composed: boolean; bubbles: boolean }>> {
  return page.evaluate(() => (window as unknown as { widgetEvents: [] }).widgetEvents);
}

/** Pages the calendar to the month of `instant` and picks its day. */
async function showDay(page: Page, instant: Date): Promise<void> {
  const day = londonDay(instant);
  const month = DateTime.fromISO(day).setLocale('en-GB').toFormat('LLLL yyyy');
  const heading = page.locator('#cb-month');
  await heading.waitFor();
  for (let i = 0; i < 12 && (await heading.textContent()) !== month; i++) {
    const shown = DateTime.fromFormat((await heading.textContent())!, 'LLLL yyyy', { locale: 'en-GB' });
    await page.getByRole('button', { name: shown < DateTime.fromISO(day) ? 'Next month' : 'Previous month' }).click();
    await expect.poll(() => heading.textContent()).not.toBe(shown.setLocale('en-GB').toFormat('LLLL yyyy'));
  }
  await cell(page, day).click();
}

describe('<coach-booking> in Chromium', () => {
  it('books from the date-first view across coaches, first time shown after one request, with a dialable phone', async () => {
    const page = await openWidget(newStudent({ name: 'Mia Chen' }));
    const first = utc(0, 10);
    await page.getByRole('grid').waitFor();
    // The first view opens on the first day with open times, with every coach's times that day.
    await page.getByRole('button', { name: slotName(first, 'Ada Okafor') }).waitFor();
    expect(page.apiCalls.filter((call) => !call.endsWith('/live'))).toEqual(['GET /api/v1/slots']);
    // The widget's words and the times are fetched side by side: one sequential step after the script.
    expect(page.timeline.slice(0, 2).sort()).toEqual(['start /api/v1/slots', 'start /widget/i18n/en.json']);
    await page.getByRole('button', { name: slotName(utc(0, 15), 'Grace Kim') }).waitFor();
    await page.getByRole('button', { name: slotName(utc(0, 18), 'Kenji Sato') }).waitFor();
    expect(await cell(page, londonDay(first)).getAttribute('aria-selected')).toBe('true');
    // A time never wraps, however narrow the grid.
    for (const box of await page.locator('[part="slot-button"] b').all()) expect((await box.boundingBox())!.height).toBeLessThan(30);
    // The host page hides every button and sets monospace, uppercase, spaced-out text: none of it gets in.
    const style = await page.getByRole('button', { name: 'Next month' }).evaluate((el) => {
      const s = getComputedStyle(el);
      return { display: s.display, font: s.fontFamily, spacing: s.letterSpacing, transform: s.textTransform };
    });
    expect(style.display).not.toBe('none');
    expect(style.font).not.toMatch(/courier/i);
    expect(style).toMatchObject({ spacing: 'normal', transform: 'none' });
    await look(page, 'date-first');

    await page.getByRole('button', { name: slotName(utc(0, 14), 'Ada Okafor') }).click();
    await page.getByRole('heading', { name: 'Confirm your session' }).waitFor();
    expect(await focusedInWidget(page)).toEqual({ tag: 'h3', text: 'Confirm your session' });
    await look(page, 'confirm');

    await page.getByRole('button', { name: 'Book this session' }).click();
    await page.getByRole('heading', { name: 'You are booked' }).waitFor();
    const phone = page.getByRole('link', { name: '+44 20 7946 0018' });
    expect(await phone.getAttribute('href')).toBe('tel:+442079460018');
    expect(await focusedInWidget(page)).toEqual({ tag: 'h3', text: 'You are booked' });
    await look(page, 'booked');

    const booked = (await events(page)).filter((e) => e.name === 'coach-booking:booked');
    expect(booked).toHaveLength(1);
    expect(booked[0]).toMatchObject({ bubbles: true, composed: true, detail: { booking: { status: 'active', coach: { name: 'Ada Okafor', phone: '+442079460018', phoneDisplay: '+44 20 7946 0018' } } } });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Add to calendar' }).click()]);
    const ics = await readFile((await download.path())!, 'utf8');
    expect(ics).toContain('BEGIN:VCALENDAR');
    expect(ics).toContain('Ada Okafor');
    expect(page.problems).toEqual([]);
  });

  it('opens a coach page on the first month with an open time, in two requests, and jumps with "Next available"', async () => {
    const page = await openWidget(newStudent(), { coach: later.id });
    const start = utc(75, 9);
    const month = DateTime.fromJSDate(start, { zone: 'Europe/London' }).toFormat('LLLL yyyy');
    await page.getByRole('heading', { name: month }).waitFor();
    await page.getByRole('button', { name: slotName(start, 'Lena Berg') }).waitFor();
    expect(page.apiCalls.filter((call) => !call.endsWith('/live'))).toEqual(['GET /api/v1/slots', 'GET /api/v1/slots']);
    await page.getByRole('heading', { name: 'Lena Berg' }).waitFor();
    await page.getByText('Back from leave in a few months.').waitFor();
    // en-GB weeks start on Monday.
    expect(await page.locator('th').first().getAttribute('abbr')).toBe('Monday');

    // Back to this month: nothing there, and the jump names the day.
    const current = DateTime.fromJSDate(app.clock.now(), { zone: 'Europe/London' });
    for (let i = 0; i < 4 && !(await page.getByRole('heading', { name: current.toFormat('LLLL yyyy') }).isVisible()); i++) {
      await page.getByRole('button', { name: 'Previous month' }).click();
    }
    const label = DateTime.fromJSDate(start, { zone: 'Europe/London' }).setLocale('en-GB').toFormat('ccc d LLL');
    await page.getByRole('button', { name: `Next available: ${label}` }).first().waitFor();
    await look(page, 'coach-page-empty-month');
    await page.getByRole('button', { name: `Next available: ${label}` }).first().click();
    await page.getByRole('button', { name: slotName(start, 'Lena Berg') }).waitFor();
  });

  it('starts weeks on Sunday for en-US', async () => {
    const page = await openWidget(newStudent(), { locale: 'en-US' });
    await page.getByRole('grid').waitFor();
    expect(await page.locator('th').first().getAttribute('abbr')).toBe('Sunday');
  });

  it('shows coach cards with initials, bio and next open time, and a coach page with the calendar', async () => {
    const page = await openWidget(newStudent());
    await page.getByRole('button', { name: 'Choose a coach' }).click();
    const card = page.locator('[part="coach-card"]').filter({ hasText: 'Grace Kim' });
    await card.getByText('Interview practice and system design.').waitFor();
    await card.getByText(/Next open time: /).waitFor();
    expect((await card.locator('[part="avatar"]').textContent())?.trim()).toBe('GK');
    await look(page, 'coach-cards');
    await page.getByRole('button', { name: 'See times with Grace Kim' }).click();
    await page.getByRole('heading', { name: 'Grace Kim' }).waitFor();
    await page.getByRole('button', { name: slotName(utc(0, 15), 'Grace Kim') }).waitFor();
    // Only Grace's times on her page.
    expect(await page.getByRole('button', { name: /with Ada Okafor/ }).count()).toBe(0);
    await look(page, 'coach-page');
  });

  it('books with the keyboard alone, moving through the calendar grid with arrow keys', async () => {
    const page = await openWidget(newStudent({ name: 'Raj Iyer' }), {}, { viewport: DESKTOP });
    const target = utc(1, 15);
    await page.getByRole('button', { name: slotName(utc(0, 15), 'Grace Kim') }).waitFor();
    const tabTo = async (match: (focused: { tag: string; text: string }) => boolean, limit = 40) => {
      for (let i = 0; i < limit; i++) {
        await page.keyboard.press('Tab');
        const focused = await focusedInWidget(page);
        if (focused && match(focused)) return;
      }
      throw new Error('Tab never got there');
    };
    // One tab stop for the whole grid: the chosen day.
    await tabTo((f) => f.tag === 'td');
    const focusedDay = () => page.evaluate(() => (document.querySelector('coach-booking')!.shadowRoot!.activeElement as HTMLElement).dataset.day);
    expect(await focusedDay()).toBe(londonDay(utc(0, 0)));
    await page.keyboard.press('ArrowRight');
    expect(await focusedDay()).toBe(londonDay(utc(1, 0)));
    await page.keyboard.press('ArrowDown');
    expect(await focusedDay()).toBe(londonDay(utc(8, 0)));
    await page.keyboard.press('Home');
    expect(DateTime.fromISO((await focusedDay())!).weekday).toBe(1);
    await page.keyboard.press('End');
    expect(DateTime.fromISO((await focusedDay())!).weekday).toBe(7);
    await page.keyboard.press('PageDown');
    await page.keyboard.press('PageUp');
    await page.keyboard.press('ArrowUp');
    for (let i = 0; i < 14 && (await focusedDay()) !== londonDay(target); i++) await page.keyboard.press((await focusedDay())! > londonDay(target) ? 'ArrowLeft' : 'ArrowRight');
    expect(await focusedDay()).toBe(londonDay(target));
    await page.keyboard.press('Enter');
    // The day's times render after Enter; on a loaded machine Tab must not race ahead of them.
    await page.getByRole('button', { name: slotName(target, 'Grace Kim') }).waitFor();
    await tabTo((f) => slotName(target, 'Grace Kim').test(f.text));
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedInWidget(page)).toEqual({ tag: 'h3', text: 'Confirm your session' });
    await page.getByRole('button', { name: 'Book this session' }).waitFor();
    await tabTo((f) => f.text === 'Book this session');
    await page.keyboard.press('Enter');
    // The booking is a server round trip: on a loaded machine it takes longer than expect.poll's one second.
    await expect.poll(() => focusedInWidget(page), { timeout: 10_000 }).toEqual({ tag: 'h3', text: 'You are booked' });
    await page.getByRole('link', { name: '+1 212 555 0147' }).waitFor();
  });

  it('keeps the chosen time when the token expires mid-booking: asks the host, then books once the fresh token arrives', async () => {
    const student = newStudent({ name: 'Tomás Ruiz' });
    const page = await openWidget(student);
    const start = utc(2, 10);
    await showDay(page, start);
    await page.getByRole('button', { name: slotName(start, 'Ada Okafor') }).click();
    await page.getByRole('heading', { name: 'Confirm your session' }).waitFor();

    // An hour and a bit later the token has expired.
    app.clock.advance(61 * 60_000);
    try {
      await page.getByRole('button', { name: 'Book this session' }).click();
      await expect.poll(async () => (await events(page)).filter((e) => e.name === 'coach-booking:token-expired').map((e) => e.detail.code)).toEqual(['auth.token_expired']);
      await page.getByText('Renewing your sign-in…').waitFor();
      await screenshot(page, 'token-renewing-360');
      // Nothing was lost: same view, same time.
      await page.getByRole('heading', { name: 'Confirm your session' }).waitFor();
      const fresh = await mintToken(student, { now: app.clock.now() });
      await page.evaluate((token) => document.querySelector('coach-booking')!.setAttribute('token', token), fresh);
      await page.getByRole('heading', { name: 'You are booked' }).waitFor();
      const booked = (await events(page)).filter((e) => e.name === 'coach-booking:booked');
      expect(booked.map((e) => e.detail.booking.startsAt)).toEqual([start.toISOString()]);
      expect((await events(page)).filter((e) => e.name === 'coach-booking:error')).toEqual([]);
    } finally {
      app.clock.advance(-61 * 60_000);
    }
  });

  it('says the sign-in has expired when the host sends no fresh token within 10 s, and still books when one comes later', async () => {
    const student = newStudent({ name: 'Ines Duarte' });
    // A time of its own: the test ends by booking it.
    const start = (await app.core.slots.create(ada.id, { startsAt: utc(6, 10) })).startsAt;
    const page = await openWidget(student, {}, { fakeTimers: true });
    await showDay(page, start);
    await page.getByRole('button', { name: slotName(start, 'Ada Okafor') }).click();
    await page.getByRole('heading', { name: 'Confirm your session' }).waitFor();

    app.clock.advance(61 * 60_000);
    try {
      await page.getByRole('button', { name: 'Book this session' }).click();
      await page.getByText('Renewing your sign-in…').waitFor();
      await page.clock.fastForward(9_000);
      expect((await events(page)).filter((e) => e.name === 'coach-booking:error')).toEqual([]);
      await page.clock.fastForward(1_500);
      await page.getByText('Your sign-in has expired. Reload the page to sign in again.').waitFor();
      const errors = (await events(page)).filter((e) => e.name === 'coach-booking:error').map((e) => ({ code: e.detail.code, status: e.detail.status }));
      expect(errors).toEqual([{ code: 'auth.token_expired', status: 401 }]);
      // The chosen time is still there, and a host that answers late is still heard.
      await page.getByRole('heading', { name: 'Confirm your session' }).waitFor();
      const fresh = await mintToken(student, { now: app.clock.now() });
      await page.evaluate((token) => document.querySelector('coach-booking')!.setAttribute('token', token), fresh);
      await page.getByRole('heading', { name: 'You are booked' }).waitFor();
      await expect.poll(() => page.getByText('Your sign-in has expired. Reload the page to sign in again.').count()).toBe(0);
    } finally {
      app.clock.advance(-61 * 60_000);
    }
  });

  it('drops a time someone else books, live, without a reload', async () => {
    const page = await openWidget(newStudent());
    const contested = utc(1, 10);
    await showDay(page, contested);
    const button = page.getByRole('button', { name: slotName(contested, 'Ada Okafor') });
    await button.waitFor();
    const calls = page.apiCalls.length;
    const rival = await app.core.students.upsert({ externalId: `rival-${Date.now()}`, name: 'Rival', phone: '+442079460777' });
    const [slot] = await app.core.slots.listBookable(ada.id, { from: contested, to: new Date(contested.getTime() + HOUR) });
    const before = Date.now();
    await app.core.bookings.book(rival.id, { slotId: slot!.id });
    await button.waitFor({ state: 'detached', timeout: 5_000 });
    expect(Date.now() - before).toBeLessThan(5_000);
    // Told by the event stream: no request was needed to learn it.
    expect(page.apiCalls.slice(calls)).toEqual([]);
    await page.getByRole('button', { name: slotName(utc(1, 14), 'Ada Okafor') }).waitFor();
  });

  it('loses a race gracefully: the time was taken before the page heard of it', async () => {
    const page = await openWidget(newStudent({ name: 'Leo Martins' }));
    const contested = utc(1, 14);
    await showDay(page, contested);
    const time = page.getByRole('button', { name: slotName(contested, 'Ada Okafor') });
    await time.waitFor();
    // Someone else books it while this page is not listening (a dropped connection, another instance).
    await page.evaluate(() => (document.querySelector('coach-booking') as unknown as { live: EventSource }).live.close());
    const rival = await app.core.students.upsert({ externalId: `rival2-${Date.now()}`, name: 'Rival', phone: '+442079460778' });
    const [slot] = await app.core.slots.listBookable(ada.id, { from: contested, to: new Date(contested.getTime() + HOUR) });
    await app.core.bookings.book(rival.id, { slotId: slot!.id });
    // Choosing it asks the server for a hold, which says it is taken: back to fresh times, with a word why.
    await time.click();
    await page.locator('[part~="notice"]').getByText('Someone else just booked that time. Pick another one.').waitFor();
    await expect.poll(() => page.getByRole('button', { name: slotName(contested, 'Ada Okafor') }).count()).toBe(0);
    await look(page, 'race-lost');
  });

  it('holds the chosen time on the real holds API: "someone is booking this time" while another student holds it', async () => {
    const page = await openWidget(newStudent({ name: 'Hana Ito' }));
    const start = utc(2, 18);
    const slot = await app.core.slots.create(ada.id, { startsAt: start });
    const rival = await app.core.students.upsert({ externalId: `holder-${Date.now()}`, name: 'Holder', phone: '+442079460779' });
    await app.core.holds.hold(rival.id, slot.id);
    await showDay(page, start);
    const time = page.getByRole('button', { name: slotName(start, 'Ada Okafor') });
    await time.click();
    await page.getByText('Someone is booking this time. Pick another one, or try again in a few minutes.').waitFor();
    // The rival lets it go: choosing it again holds it for this student, and booking consumes the hold.
    await app.core.holds.release(rival.id, slot.id);
    await page.getByRole('button', { name: '← Other times' }).click();
    await time.click();
    await page.getByText(/^This time is held for you until \d{1,2}:\d\d\.$/).waitFor();
    await expect(app.core.holds.hold(rival.id, slot.id)).rejects.toMatchObject({ code: 'slot.held' });
    await page.getByRole('button', { name: 'Book this session' }).click();
    await page.getByRole('heading', { name: 'You are booked' }).waitFor();
  });

  it('says "someone is booking this time" when another student holds it, and that it is held when it is yours', async () => {
    const page = await openWidget(newStudent());
    const start = utc(2, 14);
    await showDay(page, start);
    // The holds API answers as its contract says (helper H11 builds it); here it is played by the test.
    let answer: { status: number; body: unknown } = { status: 409, body: { type: 'x', title: 'Held', status: 409, detail: 'Someone is booking this time.', code: 'slot.held' } };
    await page.route(/\/api\/v1\/slots\/[0-9a-f]{24}\/hold$/, (route) =>
      route.fulfill({ status: route.request().method() === 'DELETE' ? 204 : answer.status, contentType: 'application/json', headers: { 'access-control-allow-origin': '*' }, body: JSON.stringify(answer.body) }),
    );
    const time = page.getByRole('button', { name: slotName(start, 'Ada Okafor') });
    await time.click();
    await page.getByText('Someone is booking this time. Pick another one, or try again in a few minutes.').waitFor();
    expect(await page.getByRole('button', { name: 'Book this session' }).getAttribute('aria-disabled')).toBe('true');
    await look(page, 'confirm-held-by-other');
    await page.getByRole('button', { name: '← Other times' }).click();
    answer = { status: 201, body: { hold: { slotId: 'x', expiresAt: new Date(Date.now() + 5 * 60_000).toISOString() } } };
    await time.click();
    await page.getByText(/^This time is held for you until \d{1,2}:\d\d\.$/).waitFor();
  });

  it('names the integrator’s mistake when the page’s origin is not allowed, and the server logs what to change', async () => {
    const lines: Array<{ msg: string; origin?: string }> = [];
    const logger = createLogger({ level: 'warn', production: true }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const strict = await startTestApp({ WIDGET_ORIGINS: 'http://localhost:9', RATE_LIMIT_PER_MINUTE: '10000', logger, dbName: app.dbName });
    try {
      const page = await openWidget(newStudent(), {}, { appUrl: strict.baseUrl });
      await page.locator('[part="error"]').getByText('Booking is not set up for this website yet. Please tell the site’s team.').waitFor();
      await expect.poll(async () => (await events(page)).filter((e) => e.name === 'coach-booking:error').map((e) => e.detail.code)).toContain('origin.not_allowed');
      await expect.poll(() => page.consoleErrors.join('\n')).toContain(`Add "${host.origin}" to WIDGET_ORIGINS`);
      expect(await page.getByText(/Cannot reach/).count()).toBe(0);
      expect(lines.some((line) => line.msg.startsWith(`refused a cross-origin request from ${host.origin}: add "${host.origin}" to WIDGET_ORIGINS`))).toBe(true);
      await look(page, 'origin-refused');
    } finally {
      await strict.close();
    }
  });

  it('says the service is busy (503) in the student’s language, and keeps their place', async () => {
    const page = await openWidget(newStudent(), { locale: 'fr-FR' }, { locale: 'fr-FR' });
    await page.getByRole('grid').waitFor();
    await page.route(/\/api\/v1\/slots\?/, (route) =>
      route.fulfill({ status: 503, contentType: 'application/problem+json', headers: { 'access-control-allow-origin': '*', 'retry-after': '2' }, body: JSON.stringify({ type: 'x', title: 'Unavailable', status: 503, detail: 'The service is temporarily unavailable.', code: 'service.unavailable' }) }),
    );
    await page.getByRole('button', { name: 'Mois suivant' }).click();
    await page.locator('[part="error"]').getByText('Le service de réservation est surchargé. Réessayez dans un instant.').waitFor();
    await look(page, 'busy-fr');
    await page.unroute(/\/api\/v1\/slots\?/);
    await page.getByRole('button', { name: 'Réessayer' }).click();
    await page.getByRole('grid').waitFor();
  });

  it('lets the student pick a zone from a searchable list of current names, the device’s first', async () => {
    const page = await openWidget(newStudent(), {}, { timezoneId: 'Asia/Calcutta' });
    await page.getByText(/Times are shown in India Standard Time/).waitFor();
    await page.getByRole('button', { name: 'Change time zone' }).click();
    const options = page.locator('.zone-option');
    expect((await options.first().textContent())?.trim()).toMatch(/^Kolkata\s+GMT\+5:30 · this device/);
    await page.getByLabel('Search time zones').fill('kiev');
    expect(await options.count()).toBe(0);
    await page.getByLabel('Search time zones').fill('kyiv');
    await options.first().getByText('Europe/Kyiv', { exact: false }).waitFor();
    await page.getByLabel('Search time zones').fill('tokyo');
    await look(page, 'zone-picker');
    await options.first().click();
    await page.getByText(/Times are shown in Japan Standard Time/).waitFor();
    // 18:00 in London is 03:00 the next day in Tokyo.
    await cell(page, DateTime.fromJSDate(utc(0, 18), { zone: 'Asia/Tokyo' }).toISODate()!).click();
    await page.getByRole('button', { name: slotName(utc(0, 18), 'Kenji Sato', 'Asia/Tokyo') }).waitFor();
  });

  it('groups my sessions: upcoming, past and cancelled apart, each action named with its date; moves and cancels', async () => {
    const student = newStudent({ name: 'Ama Owusu' });
    const record = await app.core.students.upsert({ externalId: student.sub, name: student.name, phone: student.phone });
    // A past session, booked two weeks ago.
    const past = app.core.withClock(new ManualClock(new Date(app.clock.now().getTime() - 14 * DAY)));
    const oldSlot = await past.slots.create(grace.id, { startsAt: new Date(day0.getTime() - 10 * DAY + 15 * HOUR) });
    await past.bookings.book(record.id, { slotId: oldSlot.id });
    // A future one the coach cancelled with a reason, and one the student cancelled twice over.
    const dropped = await app.core.slots.create(kenji.id, { startsAt: utc(4, 2) });
    const droppedSession = await app.core.bookings.book(record.id, { slotId: dropped.id });
    await app.core.bookings.cancelAsCoach(kenji.id, droppedSession.id, { reason: 'Conference that week' });
    const twice = await app.core.slots.create(grace.id, { startsAt: utc(5, 15) });
    for (let i = 0; i < 2; i++) await app.core.bookings.cancelAsStudent(record.id, (await app.core.bookings.book(record.id, { slotId: twice.id })).id);
    const upcomingSlot = await app.core.slots.create(grace.id, { startsAt: utc(3, 15) });
    await app.core.bookings.book(record.id, { slotId: upcomingSlot.id });

    const page = await openWidget(student);
    await page.getByRole('button', { name: 'My sessions' }).click();
    await page.getByRole('heading', { name: 'My sessions' }).waitFor();
    const group = (name: string) => page.locator('section.group').filter({ has: page.getByRole('heading', { name, exact: true }) });
    await group('Upcoming').getByRole('link', { name: '+1 212 555 0147' }).waitFor();
    expect(await group('Past').locator('[part="session"]').count()).toBe(1);
    await group('Past').getByText('Held').waitFor();
    // The coach's cancellation of a future session is not "past"; the double cancellation is one entry.
    expect(await group('Cancelled').locator('[part="session"]').count()).toBe(2);
    await group('Cancelled').getByText('Cancelled by Kenji Sato').waitFor();
    await group('Cancelled').getByText('Reason: Conference that week').waitFor();
    expect(await page.locator('[part="error"]').count()).toBe(0);
    const date = DateTime.fromJSDate(upcomingSlot.startsAt, { zone: 'Europe/London' }).setLocale('en-GB').toFormat('ccc d LLL');
    await page.getByRole('button', { name: `Add to calendar: session with Grace Kim on ${date}` }).waitFor();
    await look(page, 'sessions');

    // Move it to another of Grace's times.
    const target = (await app.core.slots.create(grace.id, { startsAt: utc(3, 19) })).startsAt;
    await page.getByRole('button', { name: `Move session with Grace Kim on ${date}` }).click();
    await page.getByText(/^Moving your session of .*Pick a new time with Grace Kim\.$/).waitFor();
    await showDay(page, target);
    await look(page, 'move-pick');
    await page.getByRole('button', { name: slotName(target, 'Grace Kim') }).click();
    await page.getByRole('heading', { name: 'Move your session' }).waitFor();
    await page.getByRole('button', { name: 'Move to this time' }).click();
    await page.getByRole('heading', { name: 'Your session is moved' }).waitFor();
    const moved = (await events(page)).filter((e) => e.name === 'coach-booking:rescheduled');
    expect(moved).toHaveLength(1);
    expect(moved[0]!.detail).toMatchObject({ booking: { startsAt: target.toISOString() }, previous: { startsAt: upcomingSlot.startsAt.toISOString() } });
    expect((await app.core.slots.get(upcomingSlot.id)).status).toBe('open');

    // Then cancel it.
    await page.getByRole('button', { name: 'See my sessions' }).click();
    const newDate = DateTime.fromJSDate(target, { zone: 'Europe/London' }).setLocale('en-GB').toFormat('ccc d LLL');
    await page.getByRole('button', { name: `Cancel session with Grace Kim on ${newDate}` }).click();
    await page.getByRole('group').getByText(`Cancel your session with Grace Kim on ${newDate}?`).waitFor();
    expect(await focusedInWidget(page)).toEqual({ tag: 'button', text: 'Keep it' });
    await look(page, 'cancel-question');
    await page.getByRole('button', { name: 'Yes, cancel it' }).click();
    await page.getByText('No upcoming sessions.').waitFor();
    expect(await group('Cancelled').locator('[part="session"]').count()).toBe(3);
    const cancelled = (await events(page)).filter((e) => e.name === 'coach-booking:cancelled');
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]!.detail.booking).toMatchObject({ status: 'cancelled', cancellation: { by: 'student' } });
  });

  it('shows the first open time on /demo after one request for times and none for coaches', async () => {
    const demo = await startTestApp({ DEMO_MODE: '1', RATE_LIMIT_PER_MINUTE: '10000' });
    try {
      const context = await browser.newContext({ viewport: DESKTOP, timezoneId: 'Europe/London', locale: 'en-GB' });
      contexts.push(context);
      const page = await context.newPage();
      openPages.push(page);
      const calls: string[] = [];
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (/^\/api\/v1\/(slots|coaches)/.test(url.pathname)) calls.push(url.pathname);
      });
      await page.goto(`${demo.baseUrl}/demo`);
      await page.locator('coach-booking [part="slot-button"]').first().waitFor();
      expect(calls).toEqual(['/api/v1/slots']);
      await screenshot(page, 'demo-1280');
    } finally {
      await demo.close();
    }
  }, 60_000);

  describe.each(Object.keys(TRANSLATIONS))('in %s', (language) => {
    it('shows every word in that language, and axe finds nothing serious', async () => {
      const locale = `${language}-${language === 'es' ? 'ES' : language.toUpperCase()}`;
      const page = await openWidget(newStudent(), { locale }, { locale, viewport: DESKTOP });
      const table = TRANSLATIONS[language as keyof typeof TRANSLATIONS];
      // English sentences that this language says differently (a few words, such as "Coach", are the same).
      const english = Object.entries(en)
        .filter(([key, text]) => table[key as keyof typeof table] !== text)
        .flatMap(([, text]) => text.split(/\{\w+\}/).map((part) => part.trim()))
        .filter((part) => part.length >= 5);
      const text = () =>
        page.evaluate(() => {
          const root = document.querySelector('coach-booking')!.shadowRoot!;
          const labels = [...root.querySelectorAll('[aria-label]')].map((el) => el.getAttribute('aria-label'));
          return `${(root.querySelector('.base') as HTMLElement).innerText}\n${labels.join('\n')}`;
        });
      const noEnglish = async (state: string) => {
        const shown = await text();
        // Whole words only: Spanish "Cancelar" is not the English "Cancel".
        const found = english.filter((sentence) => new RegExp(`(^|[^\\p{L}])${sentence.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}])`, 'u').test(shown));
        expect(found, state).toEqual([]);
        await expectAccessible(page, `${state} (${language})`);
        await screenshot(page, `${state}-${language}-1280`);
      };
      await page.getByRole('grid').waitFor();
      await page.locator('[part="slot-button"]').first().waitFor();
      await noEnglish('date-first');
      await page.locator('[part="slot-button"]').first().click();
      await page.locator('[part="confirm"]').waitFor();
      await noEnglish('confirm');
      await page.locator('[part="nav"] button').nth(1).click();
      await page.locator('section.group').first().waitFor();
      await noEnglish('sessions');
      await page.locator('[part="nav"] button').first().click();
      await page.locator('[part="tabs"] button').nth(1).click();
      await page.locator('[part="coach-card"]').first().waitFor();
      await noEnglish('coach-cards');
    });
  });
});
