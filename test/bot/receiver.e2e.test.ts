import { describe, expect, it } from 'vitest';
import { ACTION, BLOCK } from '../../bot/ids.js';
import { slackSignature } from '../helpers/slack-signing.js';
import { STANDIN_TEAM_ID } from '../helpers/slack-standin.js';
import { SIGNING_SECRET, buttons, makeCoach, makeStudent, merge, mrkdwnTexts, openAvailabilityModal, typed, useBotHarness } from './bot-fixture.js';

// Monday 2 March 2026, 09:00 UTC. (Request timestamps are real time: Slack's window is about the request, not the domain.)
const START = '2026-03-02T09:00:00Z';
const harness = useBotHarness('receiver', START);
const FORM = 'application/x-www-form-urlencoded';
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('request verification', () => {
  it('answers 401 to a bad signature and changes nothing', async () => {
    const h = harness();
    h.slack.setUser({ id: 'UFORGED', tz: 'Europe/London' });
    const body = h.requests.commandBody({ userId: 'UFORGED', responseUrl: h.slack.responseUrl() });
    const since = h.slack.mark();

    const wrongSecret = await h.requests.send(body, FORM, { signature: slackSignature('not-the-secret', nowSeconds(), body) });
    const garbage = await h.requests.send(body, FORM, { signature: 'v0=deadbeef' });
    const tampered = await h.requests.send(body.replace('UFORGED', 'UFORGEE'), FORM, { signature: slackSignature(SIGNING_SECRET, nowSeconds(), body) });

    expect([wrongSecret.status, garbage.status, tampered.status]).toEqual([401, 401, 401]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.slack.calls.slice(since)).toEqual([]);
    expect(await h.core.coaches.findBySlackUser(STANDIN_TEAM_ID, 'UFORGED')).toBeNull();
  });

  it('answers 401 to a correctly signed request older than 5 minutes, and accepts one just inside', async () => {
    const h = harness();
    const coach = await makeCoach(h, 'USTALE');
    const view = await openAvailabilityModal(h, 'USTALE');
    const body = h.requests.viewSubmissionBody({ userId: 'USTALE', view, values: merge(typed.date('2026-03-03'), typed.times('10:00')) });

    const stale = await h.requests.send(body, FORM, { timestamp: nowSeconds() - 6 * 60 });
    expect(stale.status).toBe(401);
    expect((await h.core.slots.listOpen(coach.id)).total).toBe(0);

    const recent = await h.requests.send(body, FORM, { timestamp: nowSeconds() - 4 * 60 });
    expect(recent.status).toBe(200);
    expect((await h.core.slots.listOpen(coach.id)).total).toBe(1);
  });
});

describe('retried and replayed deliveries', () => {
  it('creates a submitted series once when Slack redelivers it, and reports once', async () => {
    const h = harness();
    const coach = await makeCoach(h, 'URETRY');
    const view = await openAvailabilityModal(h, 'URETRY');
    const body = h.requests.viewSubmissionBody({ userId: 'URETRY', view, values: merge(typed.date('2026-03-03'), typed.times('10:00', '12:00'), typed.weeks('3')) });
    const since = h.slack.mark();

    const first = await h.requests.send(body, FORM);
    const retry = await h.requests.send(body, FORM, { retryNum: 1 });
    const replay = await h.requests.send(body, FORM, { retryNum: 2 });

    expect([first.status, retry.status, replay.status]).toEqual([200, 200, 200]);
    expect([first.text, retry.text, replay.text]).toEqual(['', '', '']);
    expect((await h.core.slots.listOpen(coach.id)).total).toBe(6);
    await h.slack.waitForCall('chat.postMessage', { since, where: (c) => c.body.channel === 'DURETRY' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.slack.callsTo('chat.postMessage', since).filter((c) => c.body.channel === 'DURETRY').map((c) => c.body.text)).toEqual(['Created 6.']);
  });

  it('creates once when two deliveries of one submission arrive together', async () => {
    const h = harness();
    const coach = await makeCoach(h, 'URACE');
    const view = await openAvailabilityModal(h, 'URACE');
    const body = h.requests.viewSubmissionBody({ userId: 'URACE', view, values: merge(typed.date('2026-03-04'), typed.times('08:00', '10:00', '12:00'), typed.weeks('2')) });

    const answers = await Promise.all([h.requests.send(body, FORM), h.requests.send(body, FORM, { retryNum: 1 })]);

    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect((await h.core.slots.listOpen(coach.id)).total).toBe(6);
  });

  it('replays inline errors for a repeated bad submission, then accepts the corrected one', async () => {
    const h = harness();
    const coach = await makeCoach(h, 'UFIX');
    await h.core.slots.create(coach.id, { startsAt: '2026-03-03T10:00:00Z' });
    const view = await openAvailabilityModal(h, 'UFIX');
    const bad = h.requests.viewSubmissionBody({ userId: 'UFIX', view, values: merge(typed.date('2026-03-03'), typed.times('11:00')) });

    const first = await h.requests.send(bad, FORM);
    const retried = await h.requests.send(bad, FORM, { retryNum: 1 });
    expect(first.json).toMatchObject({ response_action: 'errors', errors: { [BLOCK.times]: expect.stringMatching(/Overlaps/) } });
    expect(retried.json).toEqual(first.json);

    const fixed = await h.requests.viewSubmission({ userId: 'UFIX', view, values: merge(typed.date('2026-03-03'), typed.times('12:00')) });
    expect(fixed.text).toBe('');
    expect((await h.core.slots.listOpen(coach.id)).total).toBe(2);
  });

  it('removes a slot once when a Remove press is redelivered, without a spurious error', async () => {
    const h = harness();
    const coach = await makeCoach(h, 'UREMOVE');
    const slot = await h.core.slots.create(coach.id, { startsAt: '2026-03-05T10:00:00Z' });
    const body = h.requests.blockActionBody({
      userId: 'UREMOVE',
      actionId: ACTION.removeSlot,
      value: slot.id,
      container: { type: 'message', channel: 'C0GENERAL', ts: '1700000000.000009', ephemeral: true },
      responseUrl: h.slack.responseUrl('remove'),
    });
    const since = h.slack.mark();

    await h.requests.send(body, FORM);
    await h.slack.waitForCall('response_url', { since });
    await h.requests.send(body, FORM, { retryNum: 1 });
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect((await h.core.slots.get(slot.id)).status).toBe('removed');
    const replies = h.slack.callsTo('response_url', since);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body.replace_original).toBe(true);
  });
});

describe('escaping user text', () => {
  it('never sends <!channel>, <@U123> or <http://x|y> from names, notes or reasons to Slack unescaped', async () => {
    const h = harness();
    const hostile = '<!channel> <@U123> <http://x|y> & 🦊';
    const coach = await makeCoach(h, 'UESCAPE', { name: `Coach ${hostile}` });
    const [first, second] = await Promise.all(['2026-03-03T10:00:00Z', '2026-03-04T10:00:00Z'].map((startsAt) => h.core.slots.create(coach.id, { startsAt })));
    const student = await makeStudent(h, `Student ${hostile}`);
    const since = h.slack.mark();
    const rated = await h.core.bookings.book(student.id, { slotId: first!.id });
    const cancelled = await h.core.bookings.book(student.id, { slotId: second!.id });
    await h.slack.waitForCall('chat.postMessage', { since, where: (c) => c.body.channel === 'DUESCAPE' });
    await h.core.bookings.cancelAsStudent(student.id, cancelled.id, { reason: `Reason ${hostile}` });
    await h.slack.waitForCall('chat.postMessage', { since, where: (c) => String(c.body.text).includes('cancelled') });
    await h.requests.command({ userId: 'UESCAPE', text: 'list', responseUrl: h.slack.responseUrl() });
    await h.requests.command({ userId: 'UESCAPE', text: hostile, responseUrl: h.slack.responseUrl() });
    h.clock.set('2026-03-03T12:30:00Z');
    try {
      await h.core.feedback.record(coach.id, rated.id, { satisfaction: 2, notes: `Notes ${hostile}` });
      const home = await h.requests.appHomeOpened('UESCAPE');
      expect(home.status).toBe(200);
      const published = await h.slack.waitForCall('views.publish', { since, where: (c) => c.body.user_id === 'UESCAPE' && JSON.stringify(c.body.view).includes('Notes') });
      expect(buttons(published.body.view.blocks, ACTION.openRateSession)).toHaveLength(1);
    } finally {
      h.clock.set(START);
    }

    const texts = mrkdwnTexts(h.slack.calls.slice(since));
    expect(texts.join('\n')).toContain('&lt;!channel&gt; &lt;@U123&gt; &lt;http://x|y&gt; &amp; 🦊');
    for (const text of texts) {
      expect(text).not.toContain('<!channel>');
      expect(text).not.toContain('<@U123>');
      expect(text).not.toContain('<http://x|y>');
    }
  });
});
