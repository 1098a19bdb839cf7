import { afterEach, describe, expect, it, vi } from 'vitest';
import pino from 'pino';
import { ANSWER_WITHIN_MS, answerInTime } from '../../bot/listeners/views/answer-in-time.js';
import type { SubmissionArgs } from '../../bot/listeners/views/types.js';
import { BLOCK, CALLBACK } from '../../bot/ids.js';
import { STANDIN_TEAM_ID } from '../helpers/slack-standin.js';
import { makeCoach, merge, openAvailabilityModal, typed, useBotHarness, visibleText, type BotHarness } from './bot-fixture.js';

// Monday 2 March 2026, 09:00 in London (GMT).
const harness = useBotHarness('late answers', '2026-03-02T09:00:00Z');

/**
 * Holds core's createSeries until released, as a database busy with other
 * work would: the real Bolt app, the real database, only later.
 */
function holdCreateSeries(h: BotHarness) {
  const real = h.core.slots.createSeries.bind(h.core.slots);
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  vi.spyOn(h.core.slots, 'createSeries').mockImplementation(async (...args) => {
    await released;
    return real(...args);
  });
  return release;
}

afterEach(() => vi.restoreAllMocks());

/** A coach with "Add availability" open, whose slot creation waits for `release`. */
async function coachWithHeldForm(h: BotHarness, userId: string) {
  const coach = await makeCoach(h, userId);
  const view = await openAvailabilityModal(h, userId);
  const release = holdCreateSeries(h);
  return { coach, view, release, since: h.slack.mark() };
}

describe('a submission the database is slow to finish', () => {
  it('is answered "still working" before Slack gives up, and the result then replaces that modal', async () => {
    const h = harness();
    const { view, release, since } = await coachWithHeldForm(h, 'ULATE1');

    const response = await h.requests.viewSubmission({ userId: 'ULATE1', view, values: merge(typed.date('2026-03-04'), typed.times('10:00'), typed.weeks(null)) });

    // Answered, not left to Bolt's 404 after 3 s, and not before the wait was spent.
    expect(response.status).toBe(200);
    expect(response.ms).toBeGreaterThanOrEqual(ANSWER_WITHIN_MS - 50);
    expect(response.ms).toBeLessThan(2_900);
    const answer = JSON.parse(response.text) as { response_action: string; view: { blocks: unknown; submit?: unknown } };
    expect(answer.response_action).toBe('update');
    expect(visibleText(answer.view.blocks)).toContain('Still working on it');
    expect(answer.view.submit).toBeUndefined();

    release();
    const updated = await h.slack.waitForCall('views.update', { since, where: (c) => c.body.view_id === view.id });
    expect(visibleText((updated.body.view as { blocks: unknown }).blocks)).toContain('Your availability is saved. A summary is on its way to your DMs.');
    const coach = (await h.core.coaches.findBySlackUser(STANDIN_TEAM_ID, 'ULATE1'))!;
    expect((await h.core.slots.listOpen(coach.id)).items.map((s) => s.startsAt.toISOString())).toEqual(['2026-03-04T10:00:00.000Z']);
    // The promise of that sentence is kept.
    const dm = await h.slack.waitForCall('chat.postMessage', { since, where: (c) => c.body.channel === 'DULATE1' });
    expect(dm.body.text).toBe('Created 1.');
  });

  it('brings the form back, headed by what is wrong, when the late result is a refusal', async () => {
    const h = harness();
    const { coach, view, release, since } = await coachWithHeldForm(h, 'ULATE2');
    await h.core.slots.create(coach.id, { startsAt: '2026-03-05T10:00:00Z' });

    const response = await h.requests.viewSubmission({ userId: 'ULATE2', view, values: merge(typed.date('2026-03-05'), typed.times('10:00'), typed.weeks(null)) });
    expect(JSON.parse(response.text)).toMatchObject({ response_action: 'update' });

    release();
    const updated = await h.slack.waitForCall('views.update', { since, where: (c) => c.body.view_id === view.id });
    const form = updated.body.view as { callback_id: string; submit?: { text: string }; blocks: Array<{ block_id?: string }> };
    // The same form, its inputs under the same ids (Slack keeps what was typed), and its submit button.
    expect(form.callback_id).toBe(CALLBACK.addAvailability);
    expect(form.submit?.text).toBe((view.submit as { text: string }).text);
    const ids = form.blocks.map((b) => b.block_id);
    expect(ids).toEqual(expect.arrayContaining([BLOCK.date, BLOCK.times, BLOCK.weeks]));
    const problems = visibleText([form.blocks[0]]);
    expect(problems).toContain(':warning:');
    expect(problems).toMatch(/overlap/i);
    expect((await h.core.slots.listOpen(coach.id)).items).toHaveLength(1);
  });

  it('answers a second delivery of a submission still at work "still working" too, and does the work once', async () => {
    const h = harness();
    const { view, release, since } = await coachWithHeldForm(h, 'ULATE3');
    const values = merge(typed.date('2026-03-09'), typed.times('10:00'), typed.weeks(null));

    const firstDelivery = h.requests.viewSubmission({ userId: 'ULATE3', view, values });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const replay = await h.requests.viewSubmission({ userId: 'ULATE3', view, values });

    // Not a closed modal over work still running: it says so, in time.
    expect(replay.status).toBe(200);
    expect(replay.ms).toBeLessThan(2_900);
    expect(visibleText((JSON.parse(replay.text) as { view: { blocks: unknown } }).view.blocks)).toContain('Still working on it');
    release();
    expect(JSON.parse((await firstDelivery).text)).toMatchObject({ response_action: 'update' });
    await h.slack.waitForCall('views.update', { since, where: (c) => c.body.view_id === view.id });
    const coach = (await h.core.coaches.findBySlackUser(STANDIN_TEAM_ID, 'ULATE3'))!;
    expect((await h.core.slots.listOpen(coach.id)).items).toHaveLength(1);
  });

  it('answers at once, as before, when the work is quick', async () => {
    const h = harness();
    await makeCoach(h, 'UQUICK');
    const view = await openAvailabilityModal(h, 'UQUICK');
    const since = h.slack.mark();

    const response = await h.requests.viewSubmission({ userId: 'UQUICK', view, values: merge(typed.date('2026-03-06'), typed.times('10:00'), typed.weeks(null)) });

    expect(response.text).toBe('');
    expect(response.ms).toBeLessThan(ANSWER_WITHIN_MS);
    await h.slack.waitForCall('chat.postMessage', { since, where: (c) => c.body.channel === 'DUQUICK' });
    expect(h.slack.calls.filter((c) => c.seq >= since && c.method === 'views.update' && c.body.view_id === view.id)).toHaveLength(0);
  });
});

describe('the deadline', () => {
  it('counts from the request\'s arrival, not from when the listener got to it', async () => {
    const acks: unknown[] = [];
    const arrived = Date.now() - (ANSWER_WITHIN_MS - 150);
    const view = { id: 'V1', title: { type: 'plain_text', text: 'Add availability' }, blocks: [] } as unknown as SubmissionArgs['view'];
    const answered = answerInTime({
      ack: (async (response?: unknown) => void acks.push(response ?? null)) as SubmissionArgs['ack'],
      client: { views: { update: async () => ({ ok: true }) } } as unknown as SubmissionArgs['client'],
      view,
      context: { receivedAt: arrived } as unknown as SubmissionArgs['context'],
      logger: pino({ level: 'silent' }),
      done: 'Done.',
      answer: new Promise((resolve) => setTimeout(() => resolve(null), 1_000)),
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    // 150 ms were left when the listener began: "still working" went out then, long before the work's second.
    expect(acks).toHaveLength(1);
    expect(acks[0]).toMatchObject({ response_action: 'update' });
    await answered;
  });
});
