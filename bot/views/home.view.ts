import type { ActionsBlock, Button, HomeView, KnownBlock, PlainTextOption } from '@slack/types';
import type { CoachSession } from '../../core/bookings/booking.schema.js';
import { REMINDER_CHOICES, type Coach, type CoachStats } from '../../core/coaches/coach.schema.js';
import type { AvailabilityPage } from '../../core/slots/slot.schema.js';
import type { Page } from '../../core/shared/time.schema.js';
import { ACTION, BLOCK, HOME_SECTIONS, homePagerBlockId, type HomeSection } from '../ids.js';
import { escapeAndTruncate, escapeMrkdwn, md, plain } from '../mrkdwn.js';
import { adminModeButton } from './admin-home.view.js';
import { availabilityItemBlocks } from './availability-list.view.js';
import { formatAverage, formatPhone, formatRating, formatSessionTime, formatShare, formatZone } from './format.js';
import { cancelSessionButton, quoteNotes, rateSessionButton } from './session-message.view.js';
import { studentHomeBlocks, type StudentHomeData } from './student-home.view.js';

/**
 * Ten items per section keeps the tab near 60 blocks at most (four sections
 * of header + 10 items + pager + divider, plus the top), under Slack's 100.
 */
export const HOME_PAGE_SIZE = 10;
const NOTES_PREVIEW = 300;

export type HomePaging = Record<HomeSection, number>;
export const FIRST_PAGES: HomePaging = { upcoming: 0, open: 0, rating: 0, past: 0 };

export interface HomeData {
  coach: Coach;
  stats: CoachStats;
  now: Date;
  upcoming: Page<CoachSession>;
  /** Open slots, each weekly series as one item. */
  open: AvailabilityPage;
  needsRating: Page<CoachSession>;
  /** Rated past sessions, newest first. */
  past: Page<CoachSession>;
  paging: HomePaging;
  /** The coach is also an admin: a button switches the tab to the workspace's schedule. */
  admin?: boolean;
}

/** Reads paging back from a published view; anything unexpected means the first pages. */
export function parseHomePaging(privateMetadata: string | undefined): HomePaging {
  try {
    const parsed = JSON.parse(privateMetadata ?? '{}') as Record<string, unknown>;
    const paging = { ...FIRST_PAGES };
    for (const section of HOME_SECTIONS) {
      const value = parsed[section];
      if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 100_000) paging[section] = value;
    }
    return paging;
  } catch {
    return { ...FIRST_PAGES };
  }
}

/** A pager button's value: `<section>:<offset>`. */
export function parsePagerValue(value: string | undefined): { section: HomeSection; offset: number } | null {
  const match = /^(\w+):(\d{1,6})$/.exec(value ?? '');
  if (!match) return null;
  const section = HOME_SECTIONS.find((s) => s === match[1]);
  return section ? { section, offset: Number(match[2]) } : null;
}

function pager(section: HomeSection, page: Page<unknown>, offset: number): KnownBlock[] {
  if (page.total <= HOME_PAGE_SIZE && offset === 0) return [];
  const buttons: Button[] = [];
  if (offset > 0) {
    buttons.push({ type: 'button', action_id: ACTION.homePagePrev, text: plain('◀ Previous'), value: `${section}:${Math.max(0, offset - HOME_PAGE_SIZE)}` });
  }
  if (page.nextOffset !== null) {
    buttons.push({ type: 'button', action_id: ACTION.homePageNext, text: plain('Next ▶'), value: `${section}:${page.nextOffset}` });
  }
  const first = page.items.length ? offset + 1 : 0;
  const blocks: KnownBlock[] = [{ type: 'context', elements: [md(`Showing ${first}–${offset + page.items.length} of ${page.total}`)] }];
  if (buttons.length) blocks.push({ type: 'actions', block_id: homePagerBlockId(section), elements: buttons } satisfies ActionsBlock);
  return blocks;
}

function section<T>(input: {
  key: HomeSection;
  title: string;
  page: Page<T>;
  offset: number;
  empty: string;
  item: (item: T) => KnownBlock | KnownBlock[];
  /** What the header counts, when not the items (open slots, of which a series is one item). */
  count?: number;
}): KnownBlock[] {
  const { key, title, page, offset, empty, item, count = page.total } = input;
  return [
    { type: 'header', text: plain(`${title} (${count})`) },
    ...(page.items.length ? page.items.flatMap(item) : [{ type: 'section' as const, text: md(`_${empty}_`) }]),
    ...pager(key, page, offset),
    { type: 'divider' },
  ];
}

/** "1 hour", "30 minutes", "1 day": a reminder lead as the select shows it. */
export function leadLabel(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`;
  if (minutes % 60 === 0) return `${minutes / 60} hour${minutes === 60 ? '' : 's'}`;
  return `${minutes} minutes`;
}

const REMINDER_OFF = 'off';

/** The reminder leads a coach can pick (their current one included), and which is picked; App Home and the Settings modal share them. */
export function reminderOptions(current: number | null): { options: PlainTextOption[]; selected: PlainTextOption } {
  const choices = [...new Set([...REMINDER_CHOICES, ...(current === null ? [] : [current])])].sort((a, b) => a - b);
  const options: PlainTextOption[] = [
    ...choices.map((minutes) => ({ text: plain(`${leadLabel(minutes)} before`), value: String(minutes) })),
    { text: plain('No reminders'), value: REMINDER_OFF },
  ];
  return { options, selected: options.find((o) => o.value === (current === null ? REMINDER_OFF : String(current)))! };
}

/** The coach's reminder lead, changed right here: one select, saved as soon as it is picked. */
function reminderControl(current: number | null): KnownBlock {
  const { options, selected } = reminderOptions(current);
  return {
    type: 'section',
    block_id: BLOCK.reminderLead,
    text: md(current === null ? '*Session reminders*\nOff: no DM before your sessions.' : `*Session reminders*\nA DM ${leadLabel(current)} before each session.`),
    accessory: { type: 'static_select', action_id: ACTION.reminderLead, options, initial_option: selected },
  };
}

/** The select's value as core's setting: minutes, or null for off; undefined if it is not one we offer. */
export function parseReminderChoice(value: string | undefined): number | null | undefined {
  if (value === REMINDER_OFF) return null;
  const minutes = Number(value);
  return Number.isInteger(minutes) && minutes > 0 ? minutes : undefined;
}

/** The coaching part of App Home. `canShare` adds "Share my booking link" (PUBLIC_BOOKING_URL is set). */
export function coachHomeBlocks(data: HomeData, options: { canShare?: boolean } = {}): KnownBlock[] {
  const { coach, stats, now, paging } = data;
  const zone = coach.timezone;
  const when = (s: { startsAt: Date; endsAt: Date }) => formatSessionTime(s.startsAt, s.endsAt, zone);
  const student = (s: CoachSession) => escapeAndTruncate(s.student.name, 200);

  const profileLines = [
    `*${escapeAndTruncate(coach.name, 200)}*`,
    `${coach.phone ? escapeMrkdwn(formatPhone(coach.phone)) : ':warning: No phone yet: students need one to reach you.'} · ${escapeMrkdwn(formatZone(zone, now))}`,
  ];
  if (coach.bio) profileLines.push(escapeAndTruncate(coach.bio, 600));

  const blocks: KnownBlock[] = [
    { type: 'header', text: plain('Your coaching') },
    {
      type: 'section',
      text: md(profileLines.join('\n')),
      accessory: { type: 'button', action_id: ACTION.openEditProfile, text: plain('Edit profile'), value: coach.id },
    },
    {
      type: 'actions',
      elements: [
        { type: 'button', action_id: ACTION.openAddAvailability, text: plain('Add availability'), style: 'primary', value: coach.id },
        { type: 'button', action_id: ACTION.openSettings, text: plain('Settings'), value: coach.id },
        ...(data.admin ? [adminModeButton] : []),
        ...(options.canShare ? [{ type: 'button' as const, action_id: ACTION.shareBookingLink, text: plain('Share my booking link'), value: coach.id }] : []),
      ],
    },
    reminderControl(coach.reminderMinutesBefore),
    {
      type: 'section',
      fields: [
        md(`*Sessions held*\n${stats.sessionsHeld}`),
        md(`*Average satisfaction*\n${formatAverage(stats.averageSatisfaction)}`),
        md(`*Rated*\n${formatShare(stats.ratedShare)} (${stats.ratedCount} of ${stats.sessionsHeld})`),
        md(`*Upcoming sessions*\n${stats.upcomingCount}`),
        md(`*Open slots*\n${stats.openSlotCount}`),
      ],
    },
    { type: 'context', elements: [md(`Times in ${escapeMrkdwn(formatZone(zone, now))}.`)] },
    { type: 'divider' },
    ...section({
      key: 'upcoming',
      title: 'Upcoming sessions',
      page: data.upcoming,
      offset: paging.upcoming,
      empty: 'Nothing booked yet.',
      item: (s) => ({
        type: 'section',
        text: md(`*${when(s)}*\n${student(s)} · ${escapeMrkdwn(formatPhone(s.student.phone))}`),
        accessory: cancelSessionButton(s.id),
      }),
    }),
    ...section({
      key: 'open',
      title: 'Open slots',
      page: data.open,
      count: data.open.openSlots,
      offset: paging.open,
      empty: 'No open slots. Add availability to be bookable.',
      item: (entry) => availabilityItemBlocks(entry, zone, now),
    }),
    ...section({
      key: 'rating',
      title: 'Needs rating',
      page: data.needsRating,
      offset: paging.rating,
      empty: 'All caught up.',
      item: (s) => ({ type: 'section', text: md(`*${when(s)}*\nwith ${student(s)}`), accessory: rateSessionButton(s) }),
    }),
    ...section({
      key: 'past',
      title: 'Recent sessions',
      page: data.past,
      offset: paging.past,
      empty: 'No rated sessions yet.',
      item: (s) => {
        const lines = [`*${when(s)}* with ${student(s)}`];
        if (s.feedback) lines.push(formatRating(s.feedback.satisfaction));
        if (s.feedback?.notes) lines.push(quoteNotes(s.feedback.notes, NOTES_PREVIEW));
        return { type: 'section', text: md(lines.join('\n')), accessory: rateSessionButton(s) };
      },
    }),
  ];
  blocks.pop(); // no divider after the last section
  return blocks;
}

/** A coach's App Home alone. */
export function homeView(data: HomeData, options: { canShare?: boolean } = {}): HomeView {
  return { type: 'home', private_metadata: JSON.stringify(data.paging), blocks: coachHomeBlocks(data, options) };
}

/**
 * App Home for one Slack user: the coaching part for a coach, the sessions
 * they booked for a student, both (coaching first) for someone who is both,
 * and a welcome for someone who is neither yet.
 */
export function appHomeView(input: { coach: HomeData | null; student: StudentHomeData | null; canShare?: boolean }): HomeView {
  const { coach, student } = input;
  if (!coach && !student) return welcomeHomeView();
  const blocks: KnownBlock[] = [];
  if (coach) blocks.push(...coachHomeBlocks(coach, { canShare: input.canShare ?? false }));
  if (coach && student) blocks.push({ type: 'divider' });
  if (student) blocks.push(...studentHomeBlocks(student));
  return { type: 'home', private_metadata: JSON.stringify(coach?.paging ?? FIRST_PAGES), blocks };
}

/** For someone who is neither a coach nor a student yet. */
export function welcomeHomeView(): HomeView {
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: plain('Coaching sessions') },
      {
        type: 'section',
        text: md('*Book a 2-hour session with a coach:* press the button or run `/coaching` in any channel or DM. You get a DM with your coach\'s phone number, and your sessions show up here.'),
      },
      { type: 'actions', elements: [{ type: 'button', action_id: ACTION.openBookSession, text: plain('Book a session'), style: 'primary', value: 'book' }] },
      { type: 'divider' },
      {
        type: 'section',
        text: md('*Coach?* Run `/availability` to add your first slots: you become a coach, with your name, time zone and phone taken from your Slack profile. Students book them here or on the website.'),
      },
      { type: 'context', elements: [md('Type `/coaching help` or `/availability help` for all commands.')] },
    ],
  };
}
