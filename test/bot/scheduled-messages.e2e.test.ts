import { describe, expect, it } from 'vitest';
import { ACTION, BLOCK, CALLBACK } from '../../bot/ids.js';
import { buttons, makeCoach, makeStudent, merge, typed, useBotHarness, visibleText, type BotHarness } from './bot-fixture.js';

// Monday 23 March 2026, 09:00 UTC; the UK moves to BST on Sunday 29 March.
const START = '2026-03-23T09:00:00Z';
const harness = useBotHarness('scheduled', START);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const plus = (at: Date | string, ms: number) => new Date(new Date(at).getTime() + ms);

async function booked(h: BotHarness, coachUser: string, startsAt: string, studentName = 'Rosa Parks') {
  const coach = await makeCoach(h, coachUser);
  const slot = await h.core.slots.create(coach.id, { startsAt });
  const student = await makeStudent(h, studentName, '+1 202 555 0199');
  const since = h.slack.mark();
  const session = await h.core.bookings.book(student.id, { slotId: slot.id });
  const dm = await h.slack.waitForCall('chat.postMessage', { since, where: (c) => c.body.channel === `D${coachUser}` });
  return { coach, slot, student, session, channel: dm.response.channel as string, ts: dm.response.ts as string };
}

/** Moves the clock and lets the app's worker deliver what became due. */
async function moveClock(h: BotHarness, to: Date) {
  h.clock.set(to);
  await h.app.jobs.runUntilIdle();
}

const dmsTo = (h: BotHarness, user: string, since = 0) => h.slack.callsTo('chat.postMessage', since).filter((c) => c.body.channel === `D${user}` && c.response.ok);

describe('reminders', () => {
  it('DMs the coach 60 minutes before by default, with the student, phone and local time, on both sides of a DST change', async () => {
    const h = harness();
    // Friday 27 March 15:00 UTC is 15:00 in London (GMT); Monday 30 March 15:00 UTC is 16:00 (BST).
    const before = await booked(h, 'UREM1', '2026-03-27T15:00:00Z');
    const since = h.slack.mark();
    await moveClock(h, plus(before.session.startsAt, -60 * MINUTE - 1));
    expect(dmsTo(h, 'UREM1', since).map((c) => c.body.text)).toEqual([]);
    await moveClock(h, plus(before.session.startsAt, -60 * MINUTE));
    const [gmt] = dmsTo(h, 'UREM1', since);
    expect(gmt!.body.text).toBe('Reminder: session with Rosa Parks at 15:00 (in 1 hour)');
    expect(visibleText(gmt!.body.blocks)).toContain('+1 202 555 0199');
    expect(visibleText(gmt!.body.blocks)).toContain('Fri 27 Mar, 15:00–17:00');

    const after = await booked(h, 'UREM2', '2026-03-30T15:00:00Z');
    const since2 = h.slack.mark();
    await moveClock(h, plus(after.session.startsAt, -60 * MINUTE));
    const [bst] = dmsTo(h, 'UREM2', since2);
    expect(bst!.body.text).toBe('Reminder: session with Rosa Parks at 16:00 (in 1 hour)');
    expect(visibleText(bst!.body.blocks)).toContain('Mon 30 Mar, 16:00–18:00');
    // Exactly one each, however often the worker runs.
    await h.app.jobs.runUntilIdle();
    expect(dmsTo(h, 'UREM1', since).filter((c) => String(c.body.text).startsWith('Reminder'))).toHaveLength(1);
  });

  it('follows the coach’s choice in App Home, and sends none when turned off', async () => {
    const h = harness();
    h.clock.set(START);
    const first = await booked(h, 'UREM3', '2026-03-26T12:00:00Z');
    await h.requests.appHomeOpened('UREM3');
    const home = await h.slack.waitForCall('views.publish', { where: (c) => c.body.user_id === 'UREM3' });
    expect(visibleText(home.body.view.blocks)).toContain('A DM 1 hour before each session.');

    let since = h.slack.mark();
    await h.requests.blockAction({ userId: 'UREM3', actionId: ACTION.reminderLead, value: '', blockId: BLOCK.reminderLead, selected: '15', container: { type: 'view', view: home.response.view } });
    const republished = await h.slack.waitForCall('views.publish', { since, where: (c) => c.body.user_id === 'UREM3' && visibleText(c.body.view.blocks).includes('15 minutes before each session') });
    expect(republished).toBeDefined();
    expect((await h.core.coaches.get(first.coach.id)).reminderMinutesBefore).toBe(15);

    since = h.slack.mark();
    await moveClock(h, plus(first.session.startsAt, -60 * MINUTE));
    expect(dmsTo(h, 'UREM3', since)).toHaveLength(0);
    await moveClock(h, plus(first.session.startsAt, -15 * MINUTE));
    expect(dmsTo(h, 'UREM3', since).map((c) => c.body.text)).toEqual(['Reminder: session with Rosa Parks at 12:00 (in 15 minutes)']);

    h.clock.set(START);
    await h.requests.blockAction({ userId: 'UREM3', actionId: ACTION.reminderLead, value: '', blockId: BLOCK.reminderLead, selected: 'off', container: { type: 'view', view: home.response.view } });
    await h.slack.waitForCall('views.publish', { since, where: (c) => c.body.user_id === 'UREM3' && visibleText(c.body.view.blocks).includes('Off: no DM before your sessions.') });
    const slot = await h.core.slots.create(first.coach.id, { startsAt: '2026-03-27T12:00:00Z' });
    await h.core.bookings.book((await makeStudent(h, 'Ada')).id, { slotId: slot.id });
    since = h.slack.mark();
    await moveClock(h, plus(slot.startsAt, -5 * MINUTE));
    expect(dmsTo(h, 'UREM3', since).filter((c) => String(c.body.text).startsWith('Reminder'))).toHaveLength(0);
  });
});

describe('after the session', () => {
  it('asks "How did it go with …?" at the end, nudges once a day later, never again', async () => {
    const h = harness();
    h.clock.set(START);
    const { session } = await booked(h, 'URATE1', '2026-03-25T10:00:00Z', 'Grace Hopper');
    let since = h.slack.mark();
    await moveClock(h, plus(session.endsAt, -1));
    expect(dmsTo(h, 'URATE1', since).map((c) => c.body.text)).toEqual([]);
    await moveClock(h, session.endsAt);
    const prompt = dmsTo(h, 'URATE1', since).find((c) => String(c.body.text).startsWith('How did'))!;
    expect(prompt.body.text).toBe('How did it go with Grace Hopper?');
    expect(buttons(prompt.body.blocks, ACTION.openRateSession).map((b) => [b.value, b.text.text])).toEqual([[session.id, 'Rate session']]);

    since = h.slack.mark();
    await moveClock(h, plus(session.endsAt, 24 * HOUR - 1));
    expect(dmsTo(h, 'URATE1', since).map((c) => c.body.text)).toEqual([]);
    await moveClock(h, plus(session.endsAt, 24 * HOUR));
    expect(dmsTo(h, 'URATE1', since).map((c) => c.body.text)).toEqual(['Still to rate: your session with Grace Hopper']);
    await moveClock(h, plus(session.endsAt, 30 * 24 * HOUR));
    expect(dmsTo(h, 'URATE1', since)).toHaveLength(1);
  });

  it('opens the rating modal from the prompt; rating before the nudge cancels it', async () => {
    const h = harness();
    h.clock.set(START);
    const { coach, session } = await booked(h, 'URATE2', '2026-03-25T14:00:00Z');
    const since = h.slack.mark();
    await moveClock(h, session.endsAt);
    const prompt = dmsTo(h, 'URATE2', since).find((c) => String(c.body.text).startsWith('How did'))!;
    const pressed = h.slack.mark();
    await h.requests.blockAction({ userId: 'URATE2', actionId: ACTION.openRateSession, value: session.id, container: { type: 'message', channel: prompt.response.channel, ts: prompt.response.ts }, responseUrl: h.slack.responseUrl('p') });
    const modal = (await h.slack.waitForCall('views.open', { since: pressed })).response.view;
    expect(modal.callback_id).toBe(CALLBACK.rateSession);
    const submitted = await h.requests.viewSubmission({ userId: 'URATE2', view: modal, values: merge(typed.satisfaction(5), typed.notes('Great')) });
    expect(submitted.status).toBe(200);
    await h.slack.waitForCall('chat.update', { since: pressed, where: (c) => c.body.ts === prompt.response.ts });
    expect((await h.core.bookings.getForCoach(coach.id, session.id)).feedback).toMatchObject({ satisfaction: 5 });
    const after = h.slack.mark();
    await moveClock(h, plus(session.endsAt, 25 * HOUR));
    expect(dmsTo(h, 'URATE2', after)).toHaveLength(0);
  });
});

describe('the booking DM follows the session', () => {
  it('is updated in place when the student moves the session, and when they cancel it; each also notifies the coach once', async () => {
    const h = harness();
    h.clock.set(START);
    const { coach, student, session, channel, ts } = await booked(h, 'UMOVE1', '2026-03-26T10:00:00Z');
    const later = await h.core.slots.create(coach.id, { startsAt: '2026-03-27T10:00:00Z' });
    const since = h.slack.mark();
    await h.core.bookings.reschedule({ kind: 'student', studentId: student.id }, session.id, { slotId: later.id });
    const update = await h.slack.waitForCall('chat.update', { since, where: (c) => c.body.ts === ts });
    expect(update.body.channel).toBe(channel);
    expect(update.body.text).toBe('Moved: Rosa Parks, now Fri 27 Mar, 10:00–12:00');
    expect(visibleText(update.body.blocks)).toContain('was ~Thu 26 Mar, 10:00–12:00~');
    expect(h.slack.message(channel, ts)!.text).toBe(update.body.text);
    // A student's move notifies the coach too (an edit alone would not), with the old and new times.
    const moved = await h.slack.waitForCall('chat.postMessage', { since, where: (c) => c.body.channel === 'DUMOVE1' });
    expect(moved.body.text).toBe('Rosa Parks moved their session to Fri 27 Mar, 10:00–12:00');
    expect(visibleText(moved.body.blocks)).toContain('from Thu 26 Mar 10:00 to');

    // No reminder at the old time; one at the new.
    await moveClock(h, new Date('2026-03-26T09:30:00Z'));
    expect(dmsTo(h, 'UMOVE1', since)).toHaveLength(1);
    h.clock.set(START);

    const cancelled = h.slack.mark();
    await h.core.bookings.cancelAsStudent(student.id, session.id, { reason: 'Exams' });
    await h.slack.waitForCall('chat.update', { since: cancelled, where: (c) => c.body.ts === ts && String(c.body.text).startsWith('Cancelled') });
    // A student's cancellation also notifies the coach (an edit alone would not).
    const notice = await h.slack.waitForCall('chat.postMessage', { since: cancelled, where: (c) => c.body.channel === 'DUMOVE1' });
    expect(notice.body.text).toBe('Rosa Parks cancelled: Fri 27 Mar, 10:00–12:00');
    await moveClock(h, new Date('2026-03-27T09:30:00Z'));
    expect(dmsTo(h, 'UMOVE1', cancelled)).toHaveLength(1);
  });

  it('tells the coach cancelling precisely how the student hears of it', async () => {
    const h = harness();
    h.clock.set(START);
    const { session, channel, ts } = await booked(h, 'UTOLD1', '2026-03-26T16:00:00Z');
    const since = h.slack.mark();
    await h.requests.blockAction({ userId: 'UTOLD1', actionId: ACTION.openCancelSession, value: session.id, container: { type: 'message', channel, ts }, responseUrl: h.slack.responseUrl('c') });
    const modal = (await h.slack.waitForCall('views.open', { since })).response.view;
    // This student gave no email and email is off here: the modal must not promise a message.
    const text = visibleText(modal.blocks);
    expect(text).not.toMatch(/is told|been told/);
    expect(text).toContain('no message reaches them');
  });
});

describe('Slack rate limits', () => {
  it('waits out a 429 for exactly its Retry-After, then sends once', async () => {
    const h = harness();
    h.clock.set(START);
    const coach = await makeCoach(h, 'U429');
    const slot = await h.core.slots.create(coach.id, { startsAt: '2026-03-26T08:00:00Z' });
    h.slack.rateLimitNext('chat.postMessage', 30);
    const since = h.slack.mark();
    await h.core.bookings.book((await makeStudent(h)).id, { slotId: slot.id });
    const limited = await h.slack.waitForCall('chat.postMessage', { since });
    expect(limited.response).toMatchObject({ status: 429, retryAfter: 30 });
    await h.app.jobs.runUntilIdle();
    expect(h.slack.callsTo('chat.postMessage', since)).toHaveLength(1);
    await moveClock(h, plus(START, 29_000));
    expect(h.slack.callsTo('chat.postMessage', since)).toHaveLength(1);
    await moveClock(h, plus(START, 30_000));
    const sent = h.slack.callsTo('chat.postMessage', since);
    expect(sent.map((c) => c.response.ok)).toEqual([false, true]);
    expect(sent[1]!.body.channel).toBe('DU429');
  });
});
