import { describe, expect, it } from 'vitest';
import { ACTION, BLOCK } from '../../bot/ids.js';
import type { CallBody } from '../helpers/slack-standin.js';
import { buttons, makeCoach, makeStudent, useBotHarness, visibleText, type BotHarness } from './bot-fixture.js';

// Tuesday 1 December 2026, 10:00 UTC.
const harness = useBotHarness('series', '2026-12-01T10:00:00Z');

const pick = (weeks: string) => ({ [BLOCK.extendWeeks]: { [ACTION.extendWeeks]: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: weeks }, value: weeks } } } });

/** A coach with Tuesdays 18:00 London from 8 to 29 December, the second one booked by Ada. */
async function coachWithSeries(h: BotHarness, userId: string) {
  const coach = await makeCoach(h, userId);
  const series = await h.core.slots.createSeries(coach.id, { date: '2026-12-08', times: ['18:00'], timezone: 'Europe/London', weeks: 4 });
  const student = await makeStudent(h, 'Ada <Lovelace>');
  const session = await h.core.bookings.book(student.id, { slotId: series.created[1]!.id });
  return { coach, series, session };
}

async function openHome(h: BotHarness, userId: string): Promise<CallBody> {
  const since = h.slack.mark();
  await h.requests.appHomeOpened(userId);
  return (await h.slack.waitForCall('views.publish', { since, where: (c) => c.body.user_id === userId })).body.view;
}

async function list(h: BotHarness, userId: string, url: string): Promise<CallBody> {
  const since = h.slack.mark();
  expect((await h.requests.command({ userId, text: 'list', responseUrl: url })).status).toBe(200);
  return (await h.slack.waitForCall('response_url', { since })).body;
}

describe('a weekly series in Slack', () => {
  it('shows as one item in /availability list, and Remove the rest keeps the booked session and says which', async () => {
    const h = harness();
    const { coach, series, session } = await coachWithSeries(h, 'USERLIST');
    const single = await h.core.slots.create(coach.id, { startsAt: '2026-12-02T10:00:00Z' });
    const url = h.slack.responseUrl('list');
    const reply = await list(h, 'USERLIST', url);

    const text = visibleText(reply.blocks);
    expect(text).toContain('*Open slots* (4)');
    expect(text).toContain('Every Tue 18:00–20:00 (Europe/London)*\n3 open, 1 booked, until 29 Dec');
    expect(buttons(reply.blocks, ACTION.removeSlot).map((b) => b.value)).toEqual([single.id]);
    expect(buttons(reply.blocks, ACTION.removeSeriesRest).map((b) => b.value)).toEqual([series.seriesId]);
    expect(buttons(reply.blocks, ACTION.openExtendSeries).map((b) => b.value)).toEqual([series.seriesId]);

    const pressed = h.slack.mark();
    const press = await h.requests.blockAction({
      userId: 'USERLIST', actionId: ACTION.removeSeriesRest, value: series.seriesId,
      container: { type: 'message', channel: 'C0GENERAL', ts: '1700000000.000101', ephemeral: true }, responseUrl: url,
    });
    expect(press.status).toBe(200);
    const refreshed = await h.slack.waitForCall('response_url', { since: pressed, where: (c) => c.body.replace_original === true });
    expect(buttons(refreshed.body.blocks, ACTION.removeSeriesRest)).toEqual([]);
    expect(buttons(refreshed.body.blocks, ACTION.openCancelSession).map((b) => b.value)).toEqual([session.id]);
    const told = await h.slack.waitForCall('response_url', { since: pressed, where: (c) => c.body.replace_original === false });
    expect(told.body.text).toBe('Removed 3 open slots of Every Tue 18:00–20:00 (Europe/London). Kept 1 booked session, which stays on your calendar.');
    expect(visibleText(told.body.blocks)).toContain('• Tue 15 Dec, 18:00–20:00 with Ada &lt;Lovelace&gt;');
    for (const slot of series.created) expect((await h.core.slots.get(slot.id)).status).toBe(slot.id === session.slotId ? 'booked' : 'removed');
  });

  it('extends from App Home through the modal, refusing more weeks than the horizon allows, and reports by DM', async () => {
    const h = harness();
    const { coach, series } = await coachWithSeries(h, 'USERHOME');
    const home = await openHome(h, 'USERHOME');
    expect(visibleText(home.blocks)).toContain('3 open, 1 booked, until 29 Dec');

    let since = h.slack.mark();
    await h.requests.blockAction({ userId: 'USERHOME', actionId: ACTION.openExtendSeries, value: series.seriesId, container: { type: 'view', view: home } });
    const modal = (await h.slack.waitForCall('views.open', { since })).response.view as CallBody;
    const options = modal.blocks.find((b: CallBody) => b.block_id === BLOCK.extendWeeks).element.options;
    // The horizon is 180 days from 1 December; the series ends on 29 December.
    expect(options).toHaveLength(21);

    const tooMany = await h.requests.viewSubmission({ userId: 'USERHOME', view: modal, values: pick('22') });
    expect(tooMany.json).toMatchObject({ response_action: 'errors', errors: { [BLOCK.extendWeeks]: 'Pick from 1 to 21 weeks: slots can be added up to 180 days ahead.' } });

    since = h.slack.mark();
    const ok = await h.requests.viewSubmission({ userId: 'USERHOME', view: modal, values: pick('2') });
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('');
    const dm = await h.slack.waitForCall('chat.postMessage', { since, where: (c) => c.body.channel === 'DUSERHOME' });
    expect(dm.body.text).toBe('Extended Every Tue 18:00–20:00 (Europe/London). Created 2.');
    expect(visibleText(dm.body.blocks)).toContain('• Tue 5 Jan, 18:00–20:00\n• Tue 12 Jan, 18:00–20:00');
    await h.slack.waitForCall('views.publish', { since, where: (c) => c.body.user_id === 'USERHOME' && visibleText(c.body.view.blocks).includes('5 open, 1 booked, until 12 Jan') });
    expect((await h.core.slots.series(coach.id, series.seriesId)).open).toBe(5);
  });

  it('removes the rest from App Home and tells the coach by DM, with nothing kept', async () => {
    const h = harness();
    const coach = await makeCoach(h, 'USERNONE');
    const series = await h.core.slots.createSeries(coach.id, { date: '2026-12-09', times: ['09:00', '13:00'], timezone: 'Europe/London', weeks: 2 });
    const home = await openHome(h, 'USERNONE');
    expect(visibleText(home.blocks)).toContain('Every Wed 09:00–11:00, 13:00–15:00 (Europe/London)*\n4 open, 0 booked, until 16 Dec');

    const since = h.slack.mark();
    await h.requests.blockAction({ userId: 'USERNONE', actionId: ACTION.removeSeriesRest, value: series.seriesId, container: { type: 'view', view: home } });
    const dm = await h.slack.waitForCall('chat.postMessage', { since, where: (c) => c.body.channel === 'DUSERNONE' });
    expect(dm.body.text).toBe('Removed 4 open slots of Every Wed 09:00–11:00, 13:00–15:00 (Europe/London). Kept 0 booked sessions.');
    await h.slack.waitForCall('views.publish', { since, where: (c) => c.body.user_id === 'USERNONE' && visibleText(c.body.view.blocks).includes('Open slots (0)') });
  });

  it('answers a series that is gone, or another coach’s, with a friendly notice rather than a crash', async () => {
    const h = harness();
    const { coach, series } = await coachWithSeries(h, 'USEROWNER');
    await makeCoach(h, 'USERINTRUDER');
    const since = h.slack.mark();
    await h.requests.blockAction({ userId: 'USERINTRUDER', actionId: ACTION.removeSeriesRest, value: series.seriesId, container: { type: 'view', view: { id: 'V1', type: 'home' } } });
    const dm = await h.slack.waitForCall('chat.postMessage', { since, where: (c) => c.body.channel === 'DUSERINTRUDER' });
    expect(dm.body.text).toMatch(/no upcoming weekly slots left/);
    expect(await h.core.slots.series(coach.id, series.seriesId)).toMatchObject({ open: 3, booked: 1 });
  });
});
