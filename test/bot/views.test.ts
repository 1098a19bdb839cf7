import type { View } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { CoachSession } from '../../core/bookings/booking.schema.js';
import type { Coach, CoachStats } from '../../core/coaches/coach.schema.js';
import type { AvailabilityItem, AvailabilityPage, SeriesResult, SeriesSummary, Slot } from '../../core/slots/slot.schema.js';
import type { Page } from '../../core/shared/time.schema.js';
import { addAvailabilityModal } from '../../bot/views/add-availability.view.js';
import { availabilityList, LIST_PAGE_SIZE } from '../../bot/views/availability-list.view.js';
import { editProfileModal } from '../../bot/views/edit-profile.view.js';
import { helpMessage, studentHelpMessage } from '../../bot/views/help.view.js';
import { DateTime } from 'luxon';
import type { StudentSession } from '../../core/bookings/booking.schema.js';
import { bookSessionModal, type BookingFormMetadata, type TimeChoice } from '../../bot/views/book-session.view.js';
import { studentSessionMessage } from '../../bot/views/student-session.view.js';
import { studentHomeSizes } from '../../bot/views/student-home.view.js';
import { appHomeView, FIRST_PAGES, HOME_PAGE_SIZE, homeView, welcomeHomeView, type HomeData } from '../../bot/views/home.view.js';
import { checkMessage, checkView, LIMITS } from '../../bot/views/limits.js';
import type { SlackMessage } from '../../bot/views/message.js';
import { noticeMessage } from '../../bot/views/notice.view.js';
import { seriesReport, seriesSummary } from '../../bot/views/series-report.view.js';
import { extendSeriesModal, seriesCounts, seriesExtendedMessage, seriesItemBlocks, seriesLabel, seriesRemovalMessage } from '../../bot/views/series.view.js';
import { cancellationNotice, movedNotice, sessionMessage } from '../../bot/views/session-message.view.js';
import { cancelSessionModal, rateSessionModal, shareLinkModal, studentHistoryModal } from '../../bot/views/session-modals.view.js';
import { mrkdwnTexts, visibleText } from './bot-fixture.js';

const NOW = new Date('2026-03-02T09:00:00Z');
const HOUR = 3_600_000;
const HOSTILE = '<!channel> <@U123> <http://x|y>';
// 120 UTF-16 units (the longest name core accepts) of emoji and the three characters mrkdwn escapes.
const WORST_NAME = '🦊<&>'.repeat(24);
const WORST_NOTES = '&'.repeat(3000); // every character becomes five when escaped
const HOSTILE_NOTES = `${HOSTILE} `.repeat(100).slice(0, 3000);
let ids = 0;
const oid = () => (++ids).toString(16).padStart(24, '0');

function coach(overrides: Partial<Coach> = {}): Coach {
  return {
    id: oid(), teamId: 'T1', slackUserId: 'U1', name: 'Grace Hopper', bio: 'Career coach.', timezone: 'Europe/London',
    avatarUrl: null, phone: '+442079460958', email: 'grace@example.com', reminderMinutesBefore: 60, createdAt: NOW, updatedAt: NOW,
    settings: { bufferMinutes: 0, dailyCap: null, minNoticeHours: null }, ...overrides,
  };
}

function slot(startHours: number): Slot {
  const startsAt = new Date(NOW.getTime() + startHours * HOUR);
  return { id: oid(), coachId: oid(), teamId: 'T0TEST', startsAt, endsAt: new Date(startsAt.getTime() + 2 * HOUR), status: 'open', bookingId: null, seriesId: null, createdAt: NOW };
}

function session(startHours: number, overrides: Partial<CoachSession> = {}): CoachSession {
  const s = slot(startHours);
  return {
    id: oid(), slotId: s.id, startsAt: s.startsAt, endsAt: s.endsAt, status: 'active',
    student: { id: oid(), name: 'Rosa Parks', phone: '+12025550199', email: 'rosa@example.com' },
    feedback: null, feedbackHistory: [], cancellation: null, needsRating: false, sequence: 0, movedFrom: null, createdAt: NOW, ...overrides,
  };
}

const rated = (notes: string, satisfaction = 4): Partial<CoachSession> => ({ feedback: { satisfaction, notes, recordedAt: NOW, updatedAt: new Date(NOW.getTime() + HOUR) } });
const page = <T>(items: T[], total = items.length, offset = 0): Page<T> => ({ items, total, nextOffset: offset + items.length < total ? offset + items.length : null });
const availability = (items: Array<Slot | SeriesSummary>, total = items.length, offset = 0): AvailabilityPage => ({
  ...page<AvailabilityItem>(items.map((item) => ('weekday' in item ? { kind: 'series', series: item } : { kind: 'slot', slot: item })), total, offset),
  openSlots: total * 26,
});
/** A series with the most text a series can show: twelve times a day in a long zone name. */
function weekly(overrides: Partial<SeriesSummary> = {}): SeriesSummary {
  return {
    id: oid(), coachId: oid(), timezone: 'America/Argentina/ComodRivadavia', weekday: 2,
    times: Array.from({ length: 12 }, (_, i) => ({ start: `${String(i * 2).padStart(2, '0')}:00`, end: `${String(i * 2 + 2).padStart(2, '0')}:00` })),
    open: 300, booked: 12, nextStartsAt: new Date(NOW.getTime() + 24 * HOUR), lastStartsAt: new Date(NOW.getTime() + 170 * 24 * HOUR), lastDate: '2026-08-19', ...overrides,
  };
}
const stats: CoachStats = { sessionsHeld: 1234, ratedCount: 1000, averageSatisfaction: 4.2567, ratedShare: 0.8103, upcomingCount: 100, openSlotCount: 100 };

/** App Home with 100 of everything, on a middle page, with the worst user text. */
function worstHome(): HomeData {
  const name = { student: { id: oid(), name: WORST_NAME, phone: '+12025550199', email: `${'x'.repeat(300)}@example.com` } };
  const upcoming = Array.from({ length: HOME_PAGE_SIZE }, (_, i) => session(24 + i * 2, name));
  return {
    coach: coach({ name: WORST_NAME, bio: '&'.repeat(1000) }),
    stats,
    now: NOW,
    upcoming: page(upcoming, 100, 50),
    // Every item a series: two blocks each, the most an open item takes.
    open: availability(Array.from({ length: HOME_PAGE_SIZE }, () => weekly()), 100, 50),
    needsRating: page(Array.from({ length: HOME_PAGE_SIZE }, (_, i) => session(-10 - i * 2, { ...name, needsRating: true })), 100, 50),
    past: page(Array.from({ length: HOME_PAGE_SIZE }, (_, i) => session(-100 - i * 2, { ...name, ...rated(i % 2 ? WORST_NOTES : HOSTILE_NOTES) })), 100, 50),
    paging: { upcoming: 50, open: 50, rating: 50, past: 50 },
  };
}

const series = (created: number, skipped: number): SeriesResult => ({
  seriesId: oid(),
  created: Array.from({ length: created }, (_, i) => slot(24 + i * 2)),
  skipped: Array.from({ length: skipped }, (_, i) => ({ startsAt: slot(500 + i).startsAt, label: 'Tue 3 Mar 10:00', code: i % 2 ? 'slot.overlaps' : 'slot.beyond_horizon', message: 'x'.repeat(200), timeIndex: 0 })),
  notAttempted: 0,
});

function studentSession(startHours: number, overrides: Partial<StudentSession> = {}): StudentSession {
  const s = slot(startHours);
  return {
    id: oid(), slotId: s.id, startsAt: s.startsAt, endsAt: s.endsAt, status: 'active',
    coach: { id: oid(), name: WORST_NAME, phone: '+442079460958', avatarUrl: null, timezone: 'Europe/London' },
    cancellation: null, cancellableUntil: new Date(s.startsAt.getTime() - 2 * HOUR), sequence: 0, movedFrom: null, createdAt: NOW, ...overrides,
  } as StudentSession;
}

const bookingMetadata = (overrides: Partial<BookingFormMetadata> = {}): BookingFormMetadata => ({ tz: 'America/Argentina/ComodRivadavia', coachId: oid(), coachName: WORST_NAME, day: '2026-03-03', askPhone: true, ...overrides });
const hundredTimes: TimeChoice[] = Array.from({ length: 150 }, (_, i) => ({ value: `at:${NOW.getTime() + i * 900_000}`, startsAt: new Date(NOW.getTime() + i * 900_000), endsAt: new Date(NOW.getTime() + i * 900_000 + 2 * HOUR), coaches: 40 }));
const allDays = Array.from({ length: 32 }, (_, i) => DateTime.fromJSDate(NOW).plus({ days: i }).toISODate()!);
const worstStudentHome = (alsoCoach: boolean) => {
  const sizes = studentHomeSizes(alsoCoach);
  return {
    zone: 'Pacific/Chatham', now: NOW,
    upcoming: page(Array.from({ length: sizes.upcoming }, (_, i) => studentSession(24 + i * 2)), 100),
    past: page(Array.from({ length: sizes.past }, (_, i) => studentSession(-100 - i * 2, i % 2 ? { status: 'cancelled', cancellation: { by: 'coach', at: NOW, reason: WORST_NOTES } } : {})), 100),
  };
};
const manyVersions = (): Partial<CoachSession> => ({ ...rated(WORST_NOTES), feedbackHistory: Array.from({ length: 40 }, (_, i) => ({ satisfaction: (i % 5) + 1, notes: i % 2 ? WORST_NOTES : 'a\n'.repeat(1500), replacedAt: NOW })) });

const views: Array<[string, () => View]> = [
  ['book a session, 32 days, 150 times, asking for a phone, after a lost race', () => bookSessionModal({ metadata: bookingMetadata(), now: NOW, days: allDays, times: hundredTimes, notice: `${HOSTILE} `.repeat(40), current: null, windowDays: 31 })],
  ['book a session, nothing open', () => bookSessionModal({ metadata: bookingMetadata({ coachId: null, coachName: null, day: null, askPhone: false }), now: NOW, days: [], times: [], windowDays: 31 })],
  ['move a session', () => bookSessionModal({ metadata: bookingMetadata({ move: oid() }), now: NOW, days: allDays, times: hundredTimes.slice(0, 12), current: { startsAt: NOW, endsAt: NOW }, windowDays: 31 })],
  ['edit rating with 40 earlier versions of 3,000 characters', () => rateSessionModal(session(-3, manyVersions()), 'Europe/London', { bookingId: oid() })],
  ['student history, 20 sessions with the worst notes', () => studentHistoryModal({ studentName: WORST_NAME, sessions: page(Array.from({ length: 20 }, (_, i) => session(-10 - i * 3, { ...rated(i % 2 ? WORST_NOTES : HOSTILE_NOTES), ...(i % 3 ? {} : { status: 'cancelled' as const, cancellation: { by: 'coach' as const, at: NOW, reason: null } }) })), 500), zone: 'Asia/Kathmandu' })],
  ['share my booking link, longest URL', () => shareLinkModal(`https://www.example.org/?${'a=&'.repeat(630)}coach=${oid()}`)],
  ['App Home, coach and student, 100 of everything', () => appHomeView({ coach: worstHome(), student: worstStudentHome(true), canShare: true })],
  ['App Home, student only', () => appHomeView({ coach: null, student: worstStudentHome(false) })],
  ['add availability, asking for a phone', () => addAvailabilityModal({ timezone: 'America/Argentina/ComodRivadavia', now: NOW, askPhone: true })],
  ['add availability', () => addAvailabilityModal({ timezone: 'Europe/London', now: NOW, askPhone: false })],
  ['rate session, new', () => rateSessionModal(session(-3, { student: { id: oid(), name: WORST_NAME, phone: null, email: null }, needsRating: true }), 'Asia/Kathmandu', { bookingId: oid() })],
  ['edit rating, 3,000-character notes', () => rateSessionModal(session(-3, rated(WORST_NOTES)), 'Europe/London', { bookingId: oid(), channel: 'D0123456789', ts: '1700000000.123456' })],
  ['cancel session, from an ephemeral reply', () => cancelSessionModal(session(30, { student: { id: oid(), name: WORST_NAME, phone: null, email: null } }), 'Europe/London', { bookingId: oid(), responseUrl: `https://hooks.slack.com/actions/T1/${'9'.repeat(200)}` })],
  ['edit profile, longest values', () => editProfileModal(coach({ name: 'n'.repeat(120), bio: '&'.repeat(1000) }), NOW)],
  ['edit profile, no phone', () => editProfileModal(coach({ phone: null, bio: '' }), NOW)],
  ['App Home, empty', () => homeView({ coach: coach({ phone: null }), stats: { ...stats, sessionsHeld: 0, ratedCount: 0, averageSatisfaction: null, ratedShare: 0 }, now: NOW, upcoming: page([]), open: availability([]), needsRating: page([]), past: page([]), paging: FIRST_PAGES })],
  ['App Home, 100 of everything and the worst text', () => homeView(worstHome())],
  ['App Home, welcome', () => welcomeHomeView()],
  ['extend series, 26 weeks and an ephemeral origin', () => extendSeriesModal({ series: weekly(), maxWeeks: 26, horizonDays: 180, now: NOW, metadata: { seriesId: oid(), responseUrl: `https://hooks.slack.com/actions/T1/${'9'.repeat(200)}` } })],
  ['extend series, at the horizon', () => extendSeriesModal({ series: weekly(), maxWeeks: 0, horizonDays: 180, now: NOW, metadata: { seriesId: oid() } })],
];

const messages: Array<[string, () => SlackMessage]> = [
  ['student booking DM, worst coach name', () => studentSessionMessage(studentSession(30), 'Pacific/Chatham', NOW)],
  ['student DM, moved', () => studentSessionMessage(studentSession(30), 'Europe/London', NOW, { movedFrom: NOW })],
  ['student DM, cancelled by the coach with a 500-character reason', () => studentSessionMessage(studentSession(30, { status: 'cancelled', cancellation: { by: 'coach', at: NOW, reason: '<'.repeat(500) } }), 'Europe/London', NOW)],
  ['booking DM with the student context and 3,000-character notes', () => sessionMessage(session(30, { student: { id: oid(), name: WORST_NAME, phone: null, email: null } }), 'Europe/London', { sessionsHeld: 99_999, lastRated: { bookingId: oid(), startsAt: NOW, satisfaction: 1, notes: 'a\n'.repeat(1500) } })],
  ['moved notice', () => movedNotice(session(30, { student: { id: oid(), name: WORST_NAME, phone: '+12025550199', email: `${'&'.repeat(300)}@x.io` } }), NOW, 'Europe/London')],
  ['student help for an unknown 3,000-character text', () => studentHelpMessage(`${HOSTILE}&`.repeat(100))],
  ['help', () => helpMessage()],
  ['help for an unknown 3,000-character subcommand', () => helpMessage(`${HOSTILE}&`.repeat(100))],
  ['availability list, empty', () => availabilityList({ open: availability([]), booked: page([]), zone: 'Europe/London', now: NOW })],
  ['availability list, 100 upcoming of each', () => availabilityList({
    open: availability(Array.from({ length: LIST_PAGE_SIZE }, (_, i) => slot(24 + i * 2)), 100),
    booked: page(Array.from({ length: LIST_PAGE_SIZE }, (_, i) => session(200 + i * 2, { student: { id: oid(), name: WORST_NAME, phone: '+12025550199', email: null } })), 100),
    zone: 'Pacific/Chatham', now: NOW,
  })],
  ['availability list, 20 series and 20 sessions', () => availabilityList({
    open: availability(Array.from({ length: LIST_PAGE_SIZE }, () => weekly()), 100),
    booked: page(Array.from({ length: LIST_PAGE_SIZE }, (_, i) => session(200 + i * 2, { student: { id: oid(), name: WORST_NAME, phone: '+12025550199', email: null } })), 100),
    zone: 'Pacific/Chatham', now: NOW,
  })],
  ['series removal, 300 kept with the worst names and 20 unsettled', () => seriesRemovalMessage({
    removal: { series: weekly(), removed: 300, kept: Array.from({ length: 300 }, (_, i) => ({ ...slot(24 + i * 2), status: 'booked', bookingId: `b${i}` })), unsettled: Array.from({ length: 20 }, (_, i) => slot(1000 + i * 2)) },
    sessions: Array.from({ length: 20 }, (_, i) => session(24 + i * 2, { id: `b${i}`, student: { id: oid(), name: WORST_NAME, phone: null, email: null } })),
    zone: 'Europe/London',
  })],
  ['series extended, 312 created', () => seriesExtendedMessage(weekly(), series(312, 0))],
  ['booking DM, worst name', () => sessionMessage(session(30, { student: { id: oid(), name: WORST_NAME, phone: '+12025550199', email: `${'&'.repeat(300)}@x.io` } }), 'Europe/London')],
  ['rating prompt', () => sessionMessage(session(-3, { needsRating: true }), 'Europe/London')],
  ['rated, 3,000-character notes', () => sessionMessage(session(-3, rated(WORST_NOTES)), 'Europe/London')],
  ['cancelled by the student, 500-character reason', () => sessionMessage(session(30, { status: 'cancelled', cancellation: { by: 'student', at: NOW, reason: '<'.repeat(500) } }), 'Europe/London')],
  ['cancellation notice, student', () => cancellationNotice(session(30, { student: { id: oid(), name: WORST_NAME, phone: null, email: null }, status: 'cancelled', cancellation: { by: 'student', at: NOW, reason: `${HOSTILE}`.repeat(15).slice(0, 500) } }), 'Europe/London')],
  ['cancellation notice, coach', () => cancellationNotice(session(30, { status: 'cancelled', cancellation: { by: 'coach', at: NOW, reason: null } }), 'Europe/London')],
  ['series report, 312 created', () => seriesReport(series(312, 0), 'Europe/London')],
  ['series report, 156 created and 156 skipped', () => seriesReport(series(156, 156), 'Europe/London')],
  ['series report, nothing created', () => seriesReport(series(0, 312), 'Europe/London')],
  ['notice quoting 3,000 characters of input', () => noticeMessage(`"${'<'.repeat(3000)}" is not valid.`)],
];

describe('every view and message stays within Slack limits', () => {
  it.each(views)('%s', (_name, build) => {
    expect(checkView(build())).toEqual([]);
  });

  it.each(messages)('%s', (_name, build) => {
    expect(checkMessage(build())).toEqual([]);
  });

  it('shows a page of App Home with 100 upcoming sessions in under 100 blocks, paging the rest', () => {
    const view = homeView(worstHome());
    expect(view.blocks.length).toBeLessThanOrEqual(LIMITS.viewBlocks);
    expect(visibleText(view.blocks)).toContain('Showing 51–60 of 100');
  });

  it('keeps user text escaped in every builder, even where it had to be shortened', () => {
    const hostileSession = session(-3, { student: { id: oid(), name: HOSTILE, phone: null, email: HOSTILE }, ...rated(HOSTILE_NOTES), cancellation: { by: 'student', at: NOW, reason: HOSTILE } });
    const built = [
      ...views.map(([, build]) => ({ view: build() })),
      ...messages.map(([, build]) => build()),
      sessionMessage(hostileSession, 'Europe/London'),
      sessionMessage({ ...hostileSession, status: 'cancelled' }, 'Europe/London'),
      cancellationNotice({ ...hostileSession, status: 'cancelled' }, 'Europe/London'),
      { view: rateSessionModal(hostileSession, 'Europe/London', { bookingId: hostileSession.id }) },
      { view: editProfileModal(coach({ name: HOSTILE, bio: HOSTILE }), NOW) },
      { view: homeView({ ...worstHome(), coach: coach({ name: HOSTILE, bio: HOSTILE }) }) },
    ];
    const texts = mrkdwnTexts(built.map((body) => ({ method: 'build', body })));
    expect(texts.length).toBeGreaterThan(100);
    for (const text of texts) expect(text).not.toMatch(/<[!@#]|<https?:/);
  });
});

describe('the limits checker', () => {
  const modal = (extra: Record<string, unknown> = {}) => ({ type: 'modal', title: { type: 'plain_text', text: 'Title' }, blocks: [], ...extra }) as unknown as View;
  const section = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'section', text: { type: 'mrkdwn', text }, ...extra });

  it.each([
    ['a 25-character title', modal({ title: { type: 'plain_text', text: 't'.repeat(25) } }), /title length is 25/],
    ['a 25-character submit label', modal({ submit: { type: 'plain_text', text: 's'.repeat(25) } }), /submit label length is 25/],
    ['101 blocks', modal({ blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) }), /block count is 101/],
    ['a 3,001-character text', modal({ blocks: [section('x'.repeat(3001))] }), /section text length is 3001/],
    ['an empty text', modal({ blocks: [section('')] }), /cannot be empty/],
    ['3,001 characters of private_metadata', modal({ private_metadata: 'm'.repeat(3001) }), /private_metadata length is 3001/],
    ['a 256-character block_id', modal({ blocks: [{ type: 'divider', block_id: 'b'.repeat(256) }] }), /block_id length is 256/],
    ['a repeated block_id', modal({ blocks: [{ type: 'divider', block_id: 'same' }, { type: 'divider', block_id: 'same' }] }), /not unique/],
    ['a 256-character action_id', modal({ blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'a'.repeat(256), text: { type: 'plain_text', text: 'Go' } }] }] }), /action_id length is 256/],
    ['101 static select options', modal({ submit: { type: 'plain_text', text: 'OK' }, blocks: [{ type: 'input', label: { type: 'plain_text', text: 'L' }, element: { type: 'static_select', action_id: 's', option_groups: [0, 1].map(() => ({ label: { type: 'plain_text', text: 'G' }, options: Array.from({ length: 50 }, (_, i) => ({ text: { type: 'plain_text', text: `${i}` }, value: `${i}` })) })).concat([{ label: { type: 'plain_text', text: 'G' }, options: [{ text: { type: 'plain_text', text: 'x' }, value: 'x' }] }]) } }] }), /option count is 101/],
    ['11 radio buttons', modal({ submit: { type: 'plain_text', text: 'OK' }, blocks: [{ type: 'input', label: { type: 'plain_text', text: 'L' }, element: { type: 'radio_buttons', action_id: 'r', options: Array.from({ length: 11 }, (_, i) => ({ text: { type: 'plain_text', text: `${i}` }, value: `${i}` })) } }] }), /radio option count is 11/],
    ['an input without a submit label', modal({ blocks: [{ type: 'input', label: { type: 'plain_text', text: 'L' }, element: { type: 'plain_text_input', action_id: 'p' } }] }), /needs a submit label/],
  ])('reports %s', (_name, view, message) => {
    const violations = checkView(view);
    expect(violations.map((v) => v.message).join('; ')).toMatch(message);
  });

  it('reports a message of 51 blocks and a 3,001-character context text', () => {
    expect(checkMessage({ text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' as const })) }).map((v) => v.message)).toEqual(['block count is 51, the limit is 50']);
    expect(checkMessage({ text: 'x', blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: 'c'.repeat(3001) }] }] })[0]!.message).toBe('text length is 3001, the limit is 3000');
  });
});

describe('the series summary', () => {
  it('reads "Created 7, skipped 1 (overlaps Tue 3 Mar 10:00)."', () => {
    const result = series(7, 0);
    result.skipped.push({ startsAt: NOW, label: 'Tue 3 Mar 10:00', code: 'slot.overlaps', message: 'm', timeIndex: 0 });
    expect(seriesSummary(result)).toBe('Created 7, skipped 1 (overlaps Tue 3 Mar 10:00).');
  });

  it('groups skips by reason and shortens long lists', () => {
    const result = series(0, 0);
    for (let i = 0; i < 7; i++) result.skipped.push({ startsAt: NOW, label: `Tue ${i + 3} Mar 10:00`, code: 'slot.overlaps', message: 'm', timeIndex: 0 });
    result.skipped.push({ startsAt: NOW, label: 'Tue 1 Sept 10:00', code: 'slot.beyond_horizon', message: 'm', timeIndex: 0 });
    expect(seriesSummary(result)).toBe('Created 0, skipped 8 (overlaps Tue 3 Mar 10:00, Tue 4 Mar 10:00, Tue 5 Mar 10:00, Tue 6 Mar 10:00, Tue 7 Mar 10:00 and 2 more; beyond the booking horizon Tue 1 Sept 10:00).');
  });
});

describe('the student’s DM about a cancelled session', () => {
  it('names who cancelled: the coach, the organisers (an admin), or the student themself', () => {
    const cancelled = (by: 'coach' | 'admin' | 'student') =>
      studentSessionMessage(studentSession(30, { status: 'cancelled', cancellation: { by, at: NOW, reason: null } }), 'Europe/London', NOW);
    expect(visibleText(cancelled('admin').blocks)).toContain('The organisers cancelled it.');
    expect(cancelled('admin').text).toMatch(/^The organisers cancelled your session with /);
    expect(visibleText(cancelled('student').blocks)).toContain('You cancelled it.');
    expect(visibleText(cancelled('coach').blocks)).toMatch(/cancelled it\.$/m);
    expect(visibleText(cancelled('coach').blocks)).not.toContain('You cancelled');
  });
});

describe('a series item', () => {
  const london = weekly({ timezone: 'Europe/London', times: [{ start: '18:00', end: '20:00' }], open: 6, booked: 2, lastStartsAt: new Date('2026-04-07T17:00:00Z'), lastDate: '2026-04-07' });

  it('reads "Every Tue 18:00–20:00 (Europe/London), 6 open, 2 booked, until 7 Apr"', () => {
    expect(`${seriesLabel(london)}, ${seriesCounts(london, NOW)}`).toBe('Every Tue 18:00–20:00 (Europe/London), 6 open, 2 booked, until 7 Apr');
    expect(seriesCounts({ ...london, lastStartsAt: new Date('2027-01-12T18:00:00Z') }, NOW)).toBe('6 open, 2 booked, until 12 Jan 2027');
  });

  it('offers Extend always, and Remove the rest with a confirmation naming what stays, only while slots are open', () => {
    const [, actions] = seriesItemBlocks(london, NOW) as [unknown, { elements: Array<{ action_id: string; value: string; confirm?: { text: { text: string } } }> }];
    expect(actions.elements.map((e) => [e.action_id, e.value])).toEqual([['open_extend_series', london.id], ['remove_series_rest', london.id]]);
    expect(actions.elements[1]!.confirm!.text.text).toBe('The 6 open slots still to come will no longer be bookable. The 2 booked sessions stay, and you get a list of them.');
    const [, fullyBooked] = seriesItemBlocks({ ...london, open: 0 }, NOW) as [unknown, { elements: unknown[] }];
    expect(fullyBooked.elements).toHaveLength(1);
  });

  it('tells the coach how many sessions were kept, and which, by time and student', () => {
    const kept = { ...slot(30), status: 'booked' as const, bookingId: 'b1' };
    const message = seriesRemovalMessage({ removal: { series: london, removed: 4, kept: [kept], unsettled: [] }, sessions: [session(30, { id: 'b1' })], zone: 'Europe/London' });
    expect(message.text).toBe('Removed 4 open slots of Every Tue 18:00–20:00 (Europe/London). Kept 1 booked session, which stays on your calendar.');
    expect(visibleText(message.blocks)).toContain('Tue 3 Mar, 15:00–17:00 with Rosa Parks');
  });
});
