import { describe, expect, it } from 'vitest';
import { ACTION, BLOCK, CALLBACK, homePagerBlockId } from '../../bot/ids.js';
import type { CallBody } from '../helpers/slack-standin.js';
import type { BotHarness } from './bot-fixture.js';
import { buttons, makeCoach, makeStudent, merge, typed, useBotHarness, visibleText } from './bot-fixture.js';

// Monday 2 March 2026, 09:00 UTC.
const START = '2026-03-02T09:00:00Z';
const harness = useBotHarness('home', START);

/**
 * Changes made through core republish App Home in the background, so a test
 * waits for the publish that shows what it expects (`shows`), not merely the next one.
 */
type Shows = (view: CallBody) => boolean;

async function openHome(h: BotHarness, userId: string, shows: Shows = () => true): Promise<CallBody> {
  const since = h.slack.mark();
  const response = await h.requests.appHomeOpened(userId);
  expect(response.status).toBe(200);
  const published = await h.slack.waitForCall('views.publish', { since, where: (c) => c.body.user_id === userId && shows(c.body.view) });
  expect(published.response.ok).toBe(true);
  return published.response.view;
}

/** Presses a button on the published App Home and waits for the republish (or modal) it causes. */
async function pressOnHome(h: BotHarness, userId: string, view: CallBody, actionId: string, value: string, waitFor: 'views.publish' | 'views.open', shows: Shows = () => true) {
  const since = h.slack.mark();
  const response = await h.requests.blockAction({ userId, actionId, value, container: { type: 'view', view } });
  expect(response.status).toBe(200);
  const call = await h.slack.waitForCall(waitFor, { since, where: (c) => waitFor === 'views.open' || (c.body.user_id === userId && shows(c.body.view)) });
  expect(call.response.ok).toBe(true);
  return call.response.view as CallBody;
}

const headers = (view: CallBody) => view.blocks.filter((b: CallBody) => b.type === 'header').map((b: CallBody) => b.text.text);
const showing = (range: string): Shows => (view) => visibleText(view.blocks).includes(`Showing ${range}`);

describe('App Home', () => {
  it('welcomes someone who is not a coach yet and tells them how to start', async () => {
    const h = harness();
    const view = await openHome(h, 'UWELCOME');
    expect(view.type).toBe('home');
    expect(visibleText(view.blocks)).toContain('Run `/availability`');
  });

  it('shows upcoming sessions, open slots, sessions to rate, recent ratings and stats, and rates from there', async () => {
    const h = harness();
    const coach = await makeCoach(h, 'UHOME', { name: 'Mary <Jackson> & co' });
    const [pastA, pastB, upcoming, open] = await Promise.all(
      ['2026-03-03T10:00:00Z', '2026-03-03T14:00:00Z', '2026-03-10T10:00:00Z', '2026-03-11T10:00:00Z'].map((startsAt) => h.core.slots.create(coach.id, { startsAt })),
    );
    const [alice, bob, cleo] = await Promise.all([
      makeStudent(h, 'Alice A', '+44 20 7946 0111'),
      makeStudent(h, 'Bob B', '+44 20 7946 0222'),
      makeStudent(h, 'Cleo 🦊 <C>', '+44 20 7946 0333'),
    ]);
    await h.core.bookings.book(alice.id, { slotId: pastA!.id });
    const toRate = await h.core.bookings.book(bob.id, { slotId: pastB!.id });
    const soon = await h.core.bookings.book(cleo.id, { slotId: upcoming!.id });
    const rated = await h.core.bookings.book(alice.id, { slotId: (await h.core.slots.create(coach.id, { startsAt: '2026-03-03T18:00:00Z' })).id });
    h.clock.set('2026-03-05T09:00:00Z');
    try {
      await h.core.feedback.record(coach.id, rated.id, { satisfaction: 5, notes: 'Loved it <!here>\nsecond line' });
      const home = await openHome(h, 'UHOME', (view) => headers(view).includes('Recent sessions (1)'));

      expect(headers(home)).toEqual(['Your coaching', 'Upcoming sessions (1)', 'Open slots (1)', 'Needs rating (2)', 'Recent sessions (1)']);
      const text = visibleText(home.blocks);
      expect(text).toContain('*Mary &lt;Jackson&gt; &amp; co*');
      expect(text).toContain('*Tue 10 Mar, 10:00–12:00*\nCleo 🦊 &lt;C&gt; · +44 20 7946 0333');
      expect(text).toContain('*Tue 3 Mar, 18:00–20:00* with Alice A\n★★★★★ 5/5 Excellent\n>Loved it &lt;!here&gt;\n>second line');
      expect(text).toContain('*Sessions held*\n3');
      expect(text).toContain('*Average satisfaction*\n5.0/5');
      expect(text).toContain('*Rated*\n33% (1 of 3)');
      expect(buttons(home.blocks, ACTION.openCancelSession).map((b) => b.value)).toEqual([soon.id]);
      expect(buttons(home.blocks, ACTION.removeSlot).map((b) => b.value)).toEqual([open!.id]);
      const rateButtons = buttons(home.blocks, ACTION.openRateSession);
      expect(rateButtons.filter((b) => b.text.text === 'Rate session')).toHaveLength(2);
      expect(rateButtons.filter((b) => b.text.text === 'Edit rating').map((b) => b.value)).toEqual([rated.id]);

      const modal = await pressOnHome(h, 'UHOME', home, ACTION.openRateSession, toRate.id, 'views.open');
      expect(modal.callback_id).toBe(CALLBACK.rateSession);
      const since = h.slack.mark();
      const response = await h.requests.viewSubmission({ userId: 'UHOME', view: modal, values: merge(typed.satisfaction(3), typed.notes(null)) });
      expect(response.text).toBe('');
      const republished = await h.slack.waitForCall('views.publish', { since, where: (c) => c.body.user_id === 'UHOME' && headers(c.body.view).includes('Recent sessions (2)') });
      expect(headers(republished.body.view)).toContain('Needs rating (1)');
      expect(visibleText(republished.body.view.blocks)).toContain('*Average satisfaction*\n4.0/5');
    } finally {
      h.clock.set(START);
    }
  });

  it('pages a long section with Previous and Next, keeps the page across changes, and stays under 100 blocks', async () => {
    const h = harness();
    const coach = await makeCoach(h, 'UPAGE');
    // Single slots, one item each (a weekly series would be one item for all of them).
    const starts = [3, 4, 5].flatMap((day) => [6, 8, 10, 12, 14, 16, 18, 20].map((hour) => `2026-03-0${day}T${String(hour).padStart(2, '0')}:00:00Z`));
    const created = await Promise.all(starts.map((startsAt) => h.core.slots.create(coach.id, { startsAt })));
    const ids = [...created].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime()).map((s) => s.id);
    const pager = (view: CallBody) => view.blocks.find((b: CallBody) => b.block_id === homePagerBlockId('open'));

    const page1 = await openHome(h, 'UPAGE', showing('1–10 of 24'));
    expect(buttons(page1.blocks, ACTION.removeSlot).map((b) => b.value)).toEqual(ids.slice(0, 10));
    expect(visibleText(page1.blocks)).toContain('Showing 1–10 of 24');
    expect(pager(page1).elements.map((b: CallBody) => b.action_id)).toEqual([ACTION.homePageNext]);

    const page2 = await pressOnHome(h, 'UPAGE', page1, ACTION.homePageNext, pager(page1).elements[0].value, 'views.publish', showing('11–20 of 24'));
    expect(buttons(page2.blocks, ACTION.removeSlot).map((b) => b.value)).toEqual(ids.slice(10, 20));
    expect(pager(page2).elements.map((b: CallBody) => b.action_id)).toEqual([ACTION.homePagePrev, ACTION.homePageNext]);

    const page3 = await pressOnHome(h, 'UPAGE', page2, ACTION.homePageNext, pager(page2).elements[1].value, 'views.publish', showing('21–24 of 24'));
    expect(buttons(page3.blocks, ACTION.removeSlot).map((b) => b.value)).toEqual(ids.slice(20));
    expect(pager(page3).elements.map((b: CallBody) => b.action_id)).toEqual([ACTION.homePagePrev]);
    for (const view of [page1, page2, page3]) expect(view.blocks.length).toBeLessThanOrEqual(100);

    // Remove on App Home: the slot goes, and the republish keeps the coach on page 3.
    const since = h.slack.mark();
    await h.requests.blockAction({ userId: 'UPAGE', actionId: ACTION.removeSlot, value: ids[20]!, container: { type: 'view', view: page3 } });
    const after = await h.slack.waitForCall('views.publish', { since, where: (c) => c.body.user_id === 'UPAGE' && showing('21–23 of 23')(c.body.view) });
    expect((await h.core.slots.get(ids[20]!)).status).toBe('removed');
    expect(buttons(after.body.view.blocks, ACTION.removeSlot).map((b: CallBody) => b.value)).toEqual(ids.slice(21));
    expect(visibleText(after.body.view.blocks)).toContain('Showing 21–23 of 23');

    const back = await pressOnHome(h, 'UPAGE', after.response.view, ACTION.homePagePrev, pager(after.response.view).elements[0].value, 'views.publish', showing('11–20 of 23'));
    expect(buttons(back.blocks, ACTION.removeSlot).map((b) => b.value)).toEqual(ids.slice(10, 20));
  });

  it('edits the display name, phone and bio from App Home, with errors inline', async () => {
    const h = harness();
    const coach = await makeCoach(h, 'UPROFILE', { name: 'Plain Name' });
    const home = await openHome(h, 'UPROFILE', (view) => visibleText(view.blocks).includes('Plain Name'));
    const modal = await pressOnHome(h, 'UPROFILE', home, ACTION.openEditProfile, coach.id, 'views.open');
    expect(modal.callback_id).toBe(CALLBACK.editProfile);
    expect(modal.blocks.find((b: CallBody) => b.block_id === BLOCK.profilePhone).element.initial_value).toBe('+44 20 7946 0958');

    const bad = await h.requests.viewSubmission({ userId: 'UPROFILE', view: modal, values: typed.profile('Dr <Who> & co', 'call me', 'Hi') });
    expect(bad.json).toMatchObject({ response_action: 'errors', errors: { [BLOCK.profilePhone]: expect.stringMatching(/not a valid phone number/) } });
    expect((await h.core.coaches.get(coach.id)).name).toBe('Plain Name');

    const since = h.slack.mark();
    const ok = await h.requests.viewSubmission({ userId: 'UPROFILE', view: modal, values: typed.profile('Dr <Who> & co', '+44 20 7946 0999', 'Career coach. <!channel>') });
    expect(ok.text).toBe('');
    expect(await h.core.coaches.get(coach.id)).toMatchObject({ name: 'Dr <Who> & co', phone: '+442079460999', bio: 'Career coach. <!channel>' });
    const republished = await h.slack.waitForCall('views.publish', { since, where: (c) => c.body.user_id === 'UPROFILE' && visibleText(c.body.view.blocks).includes('Dr &lt;Who') });
    const text = visibleText(republished.body.view.blocks);
    expect(text).toContain('*Dr &lt;Who&gt; &amp; co*');
    expect(text).toContain('Career coach. &lt;!channel&gt;');
  });

  it('saves buffer, daily cap, notice and reminder lead from the Settings modal on App Home, refusing a notice below the organisation’s', async () => {
    const h = harness();
    const coach = await makeCoach(h, 'USETTINGS');
    const home = await openHome(h, 'USETTINGS');
    const modal = await pressOnHome(h, 'USETTINGS', home, ACTION.openSettings, coach.id, 'views.open');
    expect(modal.callback_id).toBe(CALLBACK.settings);
    const reminderField = modal.blocks.find((b: { block_id?: string }) => b.block_id === BLOCK.settingsReminder);
    expect(reminderField.element.initial_option.value).toBe('60');
    const select = (block: string, action: string, value: string) => ({ [block]: { [action]: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: value }, value } } } });
    const values = (notice: string | null) =>
      merge(select(BLOCK.settingsBuffer, ACTION.settingsBuffer, '15'), select(BLOCK.settingsDailyCap, ACTION.settingsDailyCap, '2'), select(BLOCK.settingsReminder, ACTION.settingsReminder, '1440'), {
        [BLOCK.settingsNotice]: { [ACTION.settingsNotice]: { type: 'number_input', value: notice } },
      });
    const bad = await h.requests.viewSubmission({ userId: 'USETTINGS', view: modal, values: values('3') });
    expect(bad.json).toMatchObject({ response_action: 'errors', errors: { [BLOCK.settingsNotice]: expect.stringContaining('12 hours') } });
    expect((await h.core.coaches.get(coach.id)).settings).toEqual({ bufferMinutes: 0, dailyCap: null, minNoticeHours: null });
    expect((await h.core.coaches.get(coach.id)).reminderMinutesBefore).toBe(60);
    const ok = await h.requests.viewSubmission({ userId: 'USETTINGS', view: modal, values: values('36') });
    expect(ok.text).toBe('');
    expect((await h.core.coaches.get(coach.id)).settings).toEqual({ bufferMinutes: 15, dailyCap: 2, minNoticeHours: 36 });
    expect((await h.core.coaches.get(coach.id)).reminderMinutesBefore).toBe(1440);
  });
});
