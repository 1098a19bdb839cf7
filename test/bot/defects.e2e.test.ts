import { describe, expect, it } from 'vitest';
import { ACTION, BLOCK } from '../../bot/ids.js';
import { LIMITS } from '../../bot/views/limits.js';
import { sessionMessage } from '../../bot/views/session-message.view.js';
import { STANDIN_TEAM_ID, type CallBody } from '../helpers/slack-standin.js';
import { BOT_TOKEN, buttons, makeCoach, makeStudent, merge, openAvailabilityModal, typed, useBotHarness, visibleText } from './bot-fixture.js';

// Monday 2 March 2026, 09:00 UTC. US clocks go forward on Sun 8 March 2026 at 02:00.
const START = '2026-03-02T09:00:00Z';
const harness = useBotHarness('defects', START);
const FORM = 'application/x-www-form-urlencoded';
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('a rating DM with many short lines of notes', () => {
  it('quotes first and shortens after, so chat.update succeeds and the Rate button is replaced', async () => {
    const h = harness();
    const coach = await makeCoach(h, 'UQUOTE');
    const slot = await h.core.slots.create(coach.id, { startsAt: '2026-03-03T10:00:00Z' });
    const student = await makeStudent(h);
    const session = await h.core.bookings.book(student.id, { slotId: slot.id });
    h.clock.set('2026-03-03T12:30:00Z');
    try {
      const prompt = sessionMessage(await h.core.bookings.getForCoach(coach.id, session.id), coach.timezone);
      const posted = await fetch(`${h.slack.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'DUQUOTE', ...prompt }),
      }).then((r) => r.json() as Promise<{ ts: string }>);
      const since = h.slack.mark();
      await h.requests.blockAction({ userId: 'UQUOTE', actionId: ACTION.openRateSession, value: session.id, container: { type: 'message', channel: 'DUQUOTE', ts: posted.ts } });
      const modal = (await h.slack.waitForCall('views.open', { since })).response.view;

      const notes = 'a\n'.repeat(1500); // 3,000 characters, the most core accepts
      const response = await h.requests.viewSubmission({ userId: 'UQUOTE', view: modal, values: merge(typed.satisfaction(3), typed.notes(notes)) });

      expect(response.text).toBe('');
      const update = await h.slack.waitForCall('chat.update', { since, where: (c) => c.body.ts === posted.ts });
      expect(update.response.ok).toBe(true);
      const sections = (update.body.blocks as Array<{ text?: { text: string } }>).map((b) => b.text?.text ?? '');
      expect(Math.max(...sections.map((t) => t.length))).toBeLessThanOrEqual(LIMITS.textObject);
      expect(sections.join('\n')).toContain('>a\n>a\n>a');
      expect(buttons(update.body.blocks, ACTION.openRateSession).map((b) => b.text.text)).toEqual(['Edit rating']);
    } finally {
      h.clock.set(START);
    }
  });
});

describe('"Add availability" errors name what the coach picked', () => {
  it('lists the picked times that fall in the spring-forward gap, not the shifted ones', async () => {
    const h = harness();
    await makeCoach(h, 'UGAP', { timezone: 'America/New_York' });
    const view = await openAvailabilityModal(h, 'UGAP');
    const response = await h.requests.viewSubmission({ userId: 'UGAP', view, values: merge(typed.date('2026-03-08'), typed.times('02:00', '02:30')) });
    expect(response.json).toMatchObject({ response_action: 'errors' });
    expect(response.json!.errors[BLOCK.times]).toBe('Does not exist because the clocks change: Sun 8 Mar 02:00, Sun 8 Mar 02:30.');
  });

  it('says an impossible date is not a valid date', async () => {
    const h = harness();
    const coach = await makeCoach(h, 'UFEB30');
    const view = await openAvailabilityModal(h, 'UFEB30');
    const response = await h.requests.viewSubmission({ userId: 'UFEB30', view, values: merge(typed.date('2026-02-30'), typed.times('10:00')) });
    expect(response.json).toEqual({ response_action: 'errors', errors: { [BLOCK.date]: '2026-02-30 is not a valid date. Pick one from the calendar.' } });
    expect((await h.core.slots.listOpen(coach.id)).total).toBe(0);
  });
});

describe('the request window', () => {
  it('answers 401 to a correctly signed request stamped 10 minutes ahead, and accepts one 4 minutes ahead', async () => {
    const h = harness();
    const coach = await makeCoach(h, 'UFUTURE');
    const view = await openAvailabilityModal(h, 'UFUTURE');
    const body = h.requests.viewSubmissionBody({ userId: 'UFUTURE', view, values: merge(typed.date('2026-03-03'), typed.times('10:00')) });

    const ahead = await h.requests.send(body, FORM, { timestamp: nowSeconds() + 600 });
    expect(ahead.status).toBe(401);
    const unstamped = await h.requests.send(body, FORM, { timestamp: Number.NaN });
    expect(unstamped.status).toBe(401);
    expect((await h.core.slots.listOpen(coach.id)).total).toBe(0);

    const near = await h.requests.send(body, FORM, { timestamp: nowSeconds() + 240 });
    expect(near.status).toBe(200);
    expect((await h.core.slots.listOpen(coach.id)).total).toBe(1);
  });
});

describe('formatting marks in people\'s text', () => {
  it('cannot end the bold around a name or break out of the notes quote', async () => {
    const h = harness();
    const coach = await makeCoach(h, 'UMARKS');
    const slot = await h.core.slots.create(coach.id, { startsAt: '2026-03-04T10:00:00Z' });
    const student = await makeStudent(h, '*Bob* _it_ ~gone~ `code`');
    const since = h.slack.mark();
    await h.core.bookings.book(student.id, { slotId: slot.id });
    const dm = await h.slack.waitForCall('chat.postMessage', { since, where: (c) => c.body.channel === 'DUMARKS' });
    const text = visibleText(dm.body.blocks);
    expect(text).toContain('*∗Bob∗ ˍitˍ ∼gone∼ ˋcodeˋ* booked your slot');
    expect(text).not.toMatch(/[_~`]|\*Bob/);
  });
});

describe('what counts as held', () => {
  it('counts a session as held and recent only once it has ended', async () => {
    const h = harness();
    const coach = await makeCoach(h, 'UHELD');
    const slot = await h.core.slots.create(coach.id, { startsAt: '2026-03-03T10:00:00Z' });
    const student = await makeStudent(h);
    const session = await h.core.bookings.book(student.id, { slotId: slot.id });
    try {
      h.clock.set('2026-03-03T11:00:00Z'); // in progress
      await h.core.feedback.record(coach.id, session.id, { satisfaction: 5, notes: 'Going well' });
      expect((await h.core.coaches.stats(coach.id)).sessionsHeld).toBe(0);
      expect((await h.core.bookings.coachRatedPast(coach.id)).total).toBe(0);
      expect((await h.core.bookings.studentUpcoming(student.id)).items.map((s) => s.id)).toEqual([session.id]);
      expect((await h.core.bookings.studentPast(student.id)).total).toBe(0);

      h.clock.set('2026-03-03T12:00:00Z'); // ended
      expect((await h.core.coaches.stats(coach.id))).toMatchObject({ sessionsHeld: 1, ratedCount: 1, ratedShare: 1 });
      expect((await h.core.bookings.coachRatedPast(coach.id)).items.map((s) => s.id)).toEqual([session.id]);
      expect((await h.core.bookings.studentUpcoming(student.id)).total).toBe(0);
      expect((await h.core.bookings.studentPast(student.id)).items.map((s) => s.id)).toEqual([session.id]);
    } finally {
      h.clock.set(START);
    }
  });
});

describe('Remove on a slot that is already removed', () => {
  it('says so, and replaces the stale list', async () => {
    const h = harness();
    const coach = await makeCoach(h, 'UREMOVE2');
    const slot = await h.core.slots.create(coach.id, { startsAt: '2026-03-05T10:00:00Z' });
    await h.core.slots.remove(coach.id, slot.id);
    const since = h.slack.mark();

    await h.requests.blockAction({
      userId: 'UREMOVE2', actionId: ACTION.removeSlot, value: slot.id,
      container: { type: 'message', channel: 'C0GENERAL', ts: '1700000000.000077', ephemeral: true },
      responseUrl: h.slack.responseUrl('again'),
    });

    const notice = await h.slack.waitForCall('response_url', { since, where: (c) => c.body.replace_original === false });
    expect(notice.body.text).toBe('That slot was already removed, so there is nothing more to do.');
    const list = await h.slack.waitForCall('response_url', { since, where: (c) => c.body.replace_original === true });
    expect(buttons(list.body.blocks, ACTION.removeSlot)).toEqual([]);
    expect(await h.core.coaches.findBySlackUser(STANDIN_TEAM_ID, 'UREMOVE2')).not.toBeNull();
  });
});

describe('large series', () => {
  it('creates a series longer than the inline limit after the answer, and reports it by DM', async () => {
    const h = harness();
    const coach = await makeCoach(h, 'ULATE');
    const view = await openAvailabilityModal(h, 'ULATE');
    const since = h.slack.mark();
    const answer = await h.requests.viewSubmission({ userId: 'ULATE', view, values: merge(typed.date('2026-03-03'), typed.times('10:00', '14:00'), typed.weeks('7')) });
    expect(answer.json).toMatchObject({ response_action: 'update' });
    expect(visibleText(answer.json!.view.blocks)).toContain('Adding 14 slots. You will get a DM with what was created and anything skipped');
    const report = await h.slack.waitForCall('chat.postMessage', { since, where: (c) => c.body.channel === 'DULATE', timeoutMs: 30_000 });
    expect(report.body.text).toBe('Created 14.');
    expect((await h.core.slots.listOpen(coach.id)).total).toBe(14);
  });

  it('still refuses inline what needs no database, for a long series', async () => {
    const h = harness();
    const coach = await makeCoach(h, 'UBIGPAST');
    const view = await openAvailabilityModal(h, 'UBIGPAST');
    const response = await h.requests.viewSubmission({ userId: 'UBIGPAST', view, values: merge(typed.date('2026-12-01'), typed.times('10:00', '12:00'), typed.weeks('26')) });
    expect(response.json).toEqual({
      response_action: 'errors',
      errors: {
        [BLOCK.date]: 'More than 180 days ahead: Tue 1 Dec 10:00, Tue 1 Dec 12:00.',
        [BLOCK.weeks]: 'More than 180 days ahead: Tue 8 Dec 10:00, Tue 8 Dec 12:00, Tue 15 Dec 10:00 and 47 more.',
      },
    });
    expect((await h.core.slots.listOpen(coach.id)).total).toBe(0);
  });

  // Last in the file: the four series go on being created after the test, until the app stops them.
  it('acks four concurrent 12-time × 26-week submissions well inside 3 seconds, and goes on creating after the answer', async () => {
    const h = harness();
    const users = ['UBIG1', 'UBIG2', 'UBIG3', 'UBIG4'];
    const coaches = await Promise.all(users.map((u) => makeCoach(h, u)));
    const modals: CallBody[] = [];
    for (const u of users) modals.push(await openAvailabilityModal(h, u)); // one at a time: each waits for "the next views.open"

    const times = Array.from({ length: 12 }, (_, i) => `${String(i * 2).padStart(2, '0')}:00`);

    const answers = await Promise.all(users.map((userId, i) => h.requests.viewSubmission({ userId, view: modals[i]!, values: merge(typed.date('2026-03-03'), typed.times(...times), typed.weeks('26')) })));

    const createdAtAnswer = (await Promise.all(coaches.map(async (c) => (await h.core.slots.listOpen(c.id)).total))).reduce((a, b) => a + b, 0);
    console.log(`[slack defects] 4 concurrent 312-slot submissions acked in ${answers.map((a) => a.ms.toFixed(0)).join(', ')} ms`);
    // The answers came before the work: the series were still being created when all four had been answered.
    expect(createdAtAnswer).toBeLessThan(4 * 312);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      // Alone this is a few hundred ms; the bound is Slack's own, so a loaded test machine cannot make it flaky.
      expect(answer.ms).toBeLessThan(3_000);
      expect(answer.json).toMatchObject({ response_action: 'update' });
      expect(visibleText(answer.json!.view.blocks)).toContain('Adding 312 slots. You will get a DM');
    }
    const created = async () => Promise.all(coaches.map(async (c) => (await h.core.slots.listOpen(c.id)).total));
    await expect.poll(async () => Math.min(...(await created())), { timeout: 30_000, interval: 200 }).toBeGreaterThan(0);
  }, 60_000);
});
