import { readFile } from 'node:fs/promises';
import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/index.js';
import type { Coach } from '../../core/coaches/coach.schema.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import {
  assertWidgetBundleFresh,
  focusedInWidget,
  hostPageHtml,
  launchChromium,
  screenshot,
  seriousAxeViolations,
  startHostSite,
  type HostSite,
} from '../helpers/browser.js';
import { mintToken, newStudent, type StudentClaims } from '../helpers/tokens.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let app: TestApp;
let host: HostSite;
let browser: Browser;
const contexts: BrowserContext[] = [];

let ada: Coach;
let grace: Coach;
let kenji: Coach;
/** Midnight UTC three days from now: far enough for the 12-hour notice, near enough to be the first week shown. */
let day0: Date;
const utc = (dayOffset: number, hour: number) => new Date(day0.getTime() + dayOffset * DAY + hour * HOUR);

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
  for (const [coach, start] of [
    [ada, utc(0, 10)],
    [ada, utc(0, 14)],
    [ada, utc(1, 10)],
    [ada, utc(1, 14)],
    [grace, utc(0, 15)],
    [grace, utc(1, 15)],
    [kenji, utc(0, 23)],
  ] as const) {
    await app.core.slots.create(coach.id, { startsAt: start });
  }
}, 120_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await app?.close();
  await host?.close();
});

/** Pages opened by the running test, photographed if it fails so CI shows what the browser saw. */
let openPages: Page[] = [];
afterEach(async (context) => {
  if (context.task.result?.state === 'fail') {
    for (const [i, page] of openPages.entries()) await screenshot(page, `FAILED-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}-${i}`).catch(() => {});
  }
  openPages = [];
});

/** A phone-sized page on the host site, signed in as `student`, with the widget's attributes. */
async function openWidget(student: StudentClaims, attributes: Record<string, string> = {}, viewport = { width: 360, height: 780 }): Promise<Page> {
  const context = await browser.newContext({ viewport, timezoneId: 'Europe/London', locale: 'en-GB', acceptDownloads: true });
  contexts.push(context);
  const page = await context.newPage();
  openPages.push(page);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  const token = await mintToken(student, { now: app.clock.now() });
  await page.goto(host.page(hostPageHtml({ appUrl: app.baseUrl, token, attributes: { locale: 'en-GB', ...attributes } })));
  (page as Page & { problems?: string[] }).problems = problems;
  return page;
}

async function expectAccessible(page: Page): Promise<void> {
  const violations = await seriousAxeViolations(page);
  expect(violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`)).toEqual([]);
}

const hhmm = (instant: Date, zone: string) => DateTime.fromJSDate(instant, { zone }).toFormat('HH:mm');
/** Expected labels come from luxon, independently of the widget's own Intl code. Hours may or may not be zero-padded. */
const time = (instant: Date, zone: string) => {
  const local = DateTime.fromJSDate(instant, { zone });
  return `${local.hour < 10 ? '0?' : ''}${local.hour}:${local.toFormat('mm')}`;
};
const dayLabel = (instant: Date, zone: string) => {
  const local = DateTime.fromJSDate(instant, { zone }).setLocale('en-GB');
  return `${local.toFormat('cccc')},? ${local.toFormat('d LLLL')}`;
};
/** A slot button's accessible name: "10:00 – 12:00, Tuesday 24 November". */
const slotName = (start: Date, zone: string) =>
  new RegExp(`^${time(start, zone)} – ${time(new Date(start.getTime() + 2 * HOUR), zone)}, ${dayLabel(start, zone)}$`);
const dayHeading = (instant: Date, zone: string) => new RegExp(`^${dayLabel(instant, zone)}$`);

async function events(page: Page): Promise<Array<{ name: string; detail: any; composed: boolean; bubbles: boolean }>> {
  return page.evaluate(() => (window as unknown as { widgetEvents: [] }).widgetEvents);
}

describe('<coach-booking> in Chromium', () => {
  it('books a session end to end on a phone, shows the coach phone and a calendar file', async () => {
    const page = await openWidget(newStudent({ name: 'Mia Chen' }));

    await expect.poll(() => page.getByRole('heading', { name: 'Choose a coach' }).isVisible()).toBe(true);
    await page.getByRole('heading', { name: 'Ada Okafor' }).waitFor();
    // The host page hides every button and sets a monospace, uppercase, spaced-out style: none of it gets in.
    const style = await page.getByRole('button', { name: 'See times with Ada Okafor' }).evaluate((el) => {
      const s = getComputedStyle(el);
      return { display: s.display, font: s.fontFamily, spacing: s.letterSpacing, transform: s.textTransform };
    });
    expect(style.display).not.toBe('none');
    expect(style.font).not.toMatch(/courier/i);
    expect(style).toMatchObject({ spacing: 'normal', transform: 'none' });
    await screenshot(page, 'coaches');
    await expectAccessible(page);

    await page.getByRole('button', { name: 'See times with Ada Okafor' }).click();
    await page.getByRole('heading', { name: 'Times with Ada Okafor' }).waitFor();
    expect(await focusedInWidget(page)).toEqual({ tag: 'h3', text: 'Times with Ada Okafor' });
    await expect.poll(() => page.getByText(/Times are shown in (Greenwich Mean Time|British Summer Time)/).isVisible()).toBe(true);
    const first = page.getByRole('button', { name: slotName(utc(0, 10), 'Europe/London') });
    await first.waitFor();
    await screenshot(page, 'slots');
    await expectAccessible(page);

    await first.click();
    await page.getByRole('heading', { name: 'Confirm your session' }).waitFor();
    await screenshot(page, 'confirm');
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Book this session' }).click();
    await page.getByRole('heading', { name: 'You are booked' }).waitFor();
    const phone = page.getByRole('link', { name: '+442079460018' });
    expect(await phone.getAttribute('href')).toBe('tel:+442079460018');
    expect(await focusedInWidget(page)).toEqual({ tag: 'h3', text: 'You are booked' });
    await screenshot(page, 'booked');
    await expectAccessible(page);

    const booked = (await events(page)).filter((e) => e.name === 'coach-booking:booked');
    expect(booked).toHaveLength(1);
    expect(booked[0]).toMatchObject({ bubbles: true, composed: true, detail: { booking: { status: 'active', coach: { name: 'Ada Okafor', phone: '+442079460018' } } } });
    const slot = await app.core.slots.get(booked[0]!.detail.booking.id ? (await app.core.bookings.getForCoach(ada.id, booked[0]!.detail.booking.id)).slotId : '');
    expect(slot.status).toBe('booked');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Add to calendar' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.ics$/);
    const ics = await readFile((await download.path())!, 'utf8');
    expect(ics).toContain('BEGIN:VCALENDAR');
    expect(ics).toContain('Ada Okafor');
    expect(ics).toContain('+442079460018');

    // Fits the phone: nothing sticks out sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect((page as Page & { problems?: string[] }).problems).toEqual([]);
  });

  it('loses a race gracefully: the slot is taken between choosing and booking', async () => {
    const page = await openWidget(newStudent({ name: 'Leo Martins' }));
    await page.getByRole('button', { name: 'See times with Ada Okafor' }).click();
    const contested = utc(1, 14);
    await page.getByRole('button', { name: slotName(contested, 'Europe/London') }).click();
    await page.getByRole('heading', { name: 'Confirm your session' }).waitFor();

    // Someone else books it first, straight through core.
    const rival = await app.core.students.upsert({ externalId: 'rival-student', name: 'Rival', phone: '+442079460777' });
    const slots = await app.core.slots.listBookable(ada.id, { from: contested, to: new Date(contested.getTime() + HOUR) });
    await app.core.bookings.book(rival.id, { slotId: slots[0]!.id });

    await page.getByRole('button', { name: 'Book this session' }).click();
    // The visible notice (the live region says it too, for screen readers).
    await page.locator('[part~="notice"]').getByText('Someone else just booked that time. Pick another one below.').waitFor();
    await page.getByRole('heading', { name: 'Times with Ada Okafor' }).waitFor();
    // The list was fetched again: the lost time is gone, the others are still offered.
    await expect.poll(() => page.getByRole('button', { name: slotName(utc(1, 10), 'Europe/London') }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: slotName(contested, 'Europe/London') }).count()).toBe(0);
    const status = () => page.evaluate(() => document.querySelector('coach-booking')!.shadowRoot!.querySelector('[role="status"]')!.textContent);
    await expect.poll(status).toMatch(/open time/);
    expect((await events(page)).map((e) => [e.name, e.detail.code])).toContainEqual(['coach-booking:error', 'slot.taken']);
    await screenshot(page, 'race-lost');
    await expectAccessible(page);
  });

  it('lists my sessions, upcoming with phone and past, and cancels one', async () => {
    const student = newStudent({ name: 'Ama Owusu' });
    const record = await app.core.students.upsert({ externalId: student.sub, name: student.name, phone: student.phone });
    // A past session, made as if booked two weeks ago.
    const then = new ManualClock(new Date(app.clock.now().getTime() - 14 * DAY));
    const past = app.core.withClock(then);
    const oldSlot = await past.slots.create(grace.id, { startsAt: new Date(day0.getTime() - 10 * DAY + 15 * HOUR) });
    await past.bookings.book(record.id, { slotId: oldSlot.id });
    const upcomingSlot = (await app.core.slots.listBookable(grace.id, { from: utc(1, 0), to: utc(2, 0) }))[0]!;
    await app.core.bookings.book(record.id, { slotId: upcomingSlot.id });

    const page = await openWidget(student);
    await page.getByRole('button', { name: 'My sessions' }).click();
    await page.getByRole('heading', { name: 'My sessions' }).waitFor();
    const upcoming = page.getByRole('listitem').filter({ hasText: 'Phone:' });
    await upcoming.getByRole('link', { name: '+12125550147' }).waitFor();
    await page.getByText('Held').waitFor();
    await screenshot(page, 'sessions');
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Cancel session with Grace Kim' }).click();
    await page.getByRole('group').getByText(/Cancel your session with Grace Kim/).waitFor();
    // The safe answer has focus, so a stray Enter cancels nothing.
    expect(await focusedInWidget(page)).toEqual({ tag: 'button', text: 'Keep it' });
    await screenshot(page, 'cancel-question');
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Yes, cancel it' }).click();
    await page.getByText('No upcoming sessions.').waitFor();
    await page.getByText('Cancelled by you').waitFor();
    expect((await app.core.slots.get(upcomingSlot.id)).status).toBe('open');
    const cancelled = (await events(page)).filter((e) => e.name === 'coach-booking:cancelled');
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]!.detail.booking).toMatchObject({ status: 'cancelled', cancellation: { by: 'student' } });
    await screenshot(page, 'cancelled');
    await expectAccessible(page);
  });

  it('shows the times of a forced zone: Asia/Tokyo and America/New_York', async () => {
    const start = utc(0, 23);
    for (const zone of ['Asia/Tokyo', 'America/New_York']) {
      const page = await openWidget(newStudent(), { timezone: zone, coach: kenji.id });
      // `coach` opens that coach's times directly.
      await page.getByRole('heading', { name: 'Times with Kenji Sato' }).waitFor();
      const zoneName = zone === 'Asia/Tokyo' ? /Japan Standard Time \(GMT\+9\)/ : /Eastern (Standard|Daylight) Time \(GMT-[45]\)/;
      await page.getByText(zoneName).first().waitFor();
      expect(await page.getByLabel('Change time zone').count()).toBe(0);
      const day = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: dayHeading(start, zone) }) });
      await day.getByRole('button', { name: slotName(start, zone) }).waitFor();
      await screenshot(page, `zone-${zone.replace('/', '-').toLowerCase()}`);
    }
    // Tokyo is already on the next day when New York is in the evening.
    expect(dayHeading(start, 'Asia/Tokyo').source).not.toBe(dayHeading(start, 'America/New_York').source);
  });

  it('lets the student switch zones, and says which zone is shown', async () => {
    const page = await openWidget(newStudent(), { coach: kenji.id });
    await page.getByRole('heading', { name: 'Times with Kenji Sato' }).waitFor();
    const start = utc(0, 23);
    await page.getByRole('button', { name: slotName(start, 'Europe/London') }).waitFor();
    await page.getByLabel('Change time zone').selectOption('Asia/Tokyo');
    await page.getByText(/Times are shown in Japan Standard Time/).waitFor();
    await page.getByRole('button', { name: slotName(start, 'Asia/Tokyo') }).waitFor();
    await expectAccessible(page);
  });

  it('can be used with the keyboard alone', async () => {
    const page = await openWidget(newStudent({ name: 'Raj Iyer' }), {}, { width: 1024, height: 800 });
    await page.getByRole('heading', { name: 'Grace Kim' }).waitFor();

    const tabTo = async (text: string | RegExp, limit = 60) => {
      for (let i = 0; i < limit; i++) {
        await page.keyboard.press('Tab');
        const focused = await focusedInWidget(page);
        if (focused && (typeof text === 'string' ? focused.text === text : text.test(focused.text))) return;
      }
      throw new Error(`Tab never reached ${text}`);
    };

    await tabTo('See times with Grace Kim');
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedInWidget(page)).toEqual({ tag: 'h3', text: 'Times with Grace Kim' });
    await tabTo(slotName(utc(0, 15), 'Europe/London'));
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedInWidget(page)).toEqual({ tag: 'h3', text: 'Confirm your session' });
    await tabTo('Book this session');
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedInWidget(page)).toEqual({ tag: 'h3', text: 'You are booked' });
    await page.getByRole('link', { name: '+12125550147' }).waitFor();
  });
});
