import { describe, expect, it } from 'vitest';
import { ACTION, BLOCK } from '../../bot/ids.js';
import { STANDIN_TEAM_ID } from '../helpers/slack-standin.js';
import { buttons, makeCoach, makeStudent, merge, openAvailabilityModal, typed, useBotHarness, visibleText } from './bot-fixture.js';

// Monday 2 March 2026, 09:00 in London (GMT).
const harness = useBotHarness('availability', '2026-03-02T09:00:00Z');

const isoStarts = (slots: Array<{ startsAt: Date }>) => slots.map((s) => s.startsAt.toISOString()).sort();

describe('/availability opens "Add availability"', () => {
  it('onboards a first-time coach from their Slack profile and asks for the phone it lacks', async () => {
    const h = harness();
    h.slack.setUser({ id: 'UNEW1', realName: 'Ada Lovelace', displayName: 'Ada', tz: 'America/New_York', phone: '', email: 'ada@example.com' });

    const view = await openAvailabilityModal(h, 'UNEW1');

    expect(h.slack.callsTo('users.info').some((c) => c.body.user === 'UNEW1')).toBe(true);
    const coach = await h.core.coaches.findBySlackUser(STANDIN_TEAM_ID, 'UNEW1');
    expect(coach).toMatchObject({ name: 'Ada Lovelace', timezone: 'America/New_York', phone: null, email: 'ada@example.com' });
    expect(coach!.avatarUrl).toMatch(/^https:\/\/avatars\.slack\.test\/UNEW1_/);
    expect(view.title.text).toBe('Add availability');
    expect(visibleText(view.blocks)).toContain('America/New_York (EST)');
    expect(view.blocks.map((b: { block_id?: string }) => b.block_id)).toEqual([undefined, BLOCK.date, BLOCK.times, BLOCK.weeks, BLOCK.phone]);
  });

  it('keeps a phone from the Slack profile, normalised, and then does not ask for one', async () => {
    const h = harness();
    h.slack.setUser({ id: 'UNEW2', realName: 'Grace Hopper', tz: 'Europe/London', phone: '020 7946 0958' });
    h.slack.setUser({ id: 'UNEW3', realName: 'Alan Turing', tz: 'Europe/London', phone: '+44 20 7946 0959' });

    await openAvailabilityModal(h, 'UNEW2');
    const view = await openAvailabilityModal(h, 'UNEW3');

    // A number without its country code cannot be trusted, so it is not kept.
    expect((await h.core.coaches.findBySlackUser(STANDIN_TEAM_ID, 'UNEW2'))!.phone).toBeNull();
    expect((await h.core.coaches.findBySlackUser(STANDIN_TEAM_ID, 'UNEW3'))!.phone).toBe('+442079460959');
    expect(view.blocks.map((b: { block_id?: string }) => b.block_id)).not.toContain(BLOCK.phone);
  });

  it('follows the time zone of the Slack profile when it changes', async () => {
    const h = harness();
    const coach = await makeCoach(h, 'UTRAVEL', { timezone: 'Europe/London' });
    h.slack.setUser({ id: 'UTRAVEL', tz: 'Asia/Tokyo' });

    const view = await openAvailabilityModal(h, 'UTRAVEL');

    expect(visibleText(view.blocks)).toContain('Asia/Tokyo');
    expect((await h.core.coaches.get(coach.id)).timezone).toBe('Asia/Tokyo');
    expect(view.blocks[1].element.initial_date).toBe('2026-03-02');
  });

  it('offers every quarter hour of the day, within the 100 options of a select', async () => {
    const h = harness();
    await makeCoach(h, 'UGRID');
    const view = await openAvailabilityModal(h, 'UGRID');
    const select = view.blocks.find((b: { block_id?: string }) => b.block_id === BLOCK.times).element;
    const values = select.option_groups.flatMap((g: { options: Array<{ value: string }> }) => g.options.map((o) => o.value));
    expect(values).toHaveLength(96);
    expect(values.slice(0, 3)).toEqual(['00:00', '00:15', '00:30']);
    expect(values.at(-1)).toBe('23:45');
  });
});

describe('submitting "Add availability"', () => {
  it('creates the slots, saves the phone typed in, closes the modal and reports by DM', async () => {
    const h = harness();
    h.slack.setUser({ id: 'USUB1', realName: 'Katherine Johnson', tz: 'Europe/London', phone: '' });
    const view = await openAvailabilityModal(h, 'USUB1');
    const since = h.slack.mark();

    const response = await h.requests.viewSubmission({
      userId: 'USUB1',
      view,
      values: merge(typed.date('2026-03-03'), typed.times('14:00', '10:00'), typed.weeks(null), typed.phone(' +44 20 7946 0958 ')),
    });

    expect(response.status).toBe(200);
    expect(response.text).toBe(''); // an empty ack closes the modal
    const coach = (await h.core.coaches.findBySlackUser(STANDIN_TEAM_ID, 'USUB1'))!;
    expect(coach.phone).toBe('+442079460958');
    const open = await h.core.slots.listOpen(coach.id);
    expect(isoStarts(open.items)).toEqual(['2026-03-03T10:00:00.000Z', '2026-03-03T14:00:00.000Z']);
    const dm = await h.slack.waitForCall('chat.postMessage', { since, where: (c) => c.body.channel === 'DUSUB1' });
    expect(dm.body.text).toBe('Created 2.');
    expect(visibleText(dm.body.blocks)).toContain('Tue 3 Mar, 10:00–12:00');
  });

  it('repeats weekly in the coach\'s zone across a DST change and reports what it skipped', async () => {
    const h = harness();
    const coach = await makeCoach(h, 'USERIES', { timezone: 'America/New_York' });
    // Tue 17 Mar 10:00 in New York (EDT since 8 March) is taken already.
    await h.core.slots.create(coach.id, { startsAt: '2026-03-17T14:00:00Z' });
    const view = await openAvailabilityModal(h, 'USERIES');
    const since = h.slack.mark();

    const response = await h.requests.viewSubmission({ userId: 'USERIES', view, values: merge(typed.date('2026-03-03'), typed.times('10:00'), typed.weeks('4')) });

    expect(response.text).toBe('');
    const open = await h.core.slots.listOpen(coach.id);
    // 10:00 local each week: 15:00Z under EST, 14:00Z under EDT.
    expect(isoStarts(open.items)).toEqual(['2026-03-03T15:00:00.000Z', '2026-03-10T14:00:00.000Z', '2026-03-17T14:00:00.000Z', '2026-03-24T14:00:00.000Z']);
    const dm = await h.slack.waitForCall('chat.postMessage', { since, where: (c) => c.body.channel === 'DUSERIES' });
    expect(dm.body.text).toBe('Created 3, skipped 1 (overlaps Tue 17 Mar 10:00).');
  });

  it('shows each rule violation inline under the input to change and creates nothing', async () => {
    const h = harness();
    const coach = await makeCoach(h, 'UINLINE');
    await h.core.slots.create(coach.id, { startsAt: '2026-03-05T10:00:00Z' });
    // The horizon is 180 days: 29 Aug 2026 09:00Z. A slot just before it, taken:
    await h.core.slots.create(coach.id, { startsAt: '2026-08-27T09:00:00Z' });
    const view = await openAvailabilityModal(h, 'UINLINE');
    const submit = (values: Parameters<typeof merge>) => h.requests.viewSubmission({ userId: 'UINLINE', view, values: merge(...values) });

    const cases: Array<[string, Parameters<typeof merge>, Record<string, RegExp>]> = [
      ['a past date', [typed.date('2026-03-01'), typed.times('10:00')], { [BLOCK.date]: /Already in the past: Sun 1 Mar 10:00/ }],
      ['a time already gone today', [typed.date('2026-03-02'), typed.times('08:00')], { [BLOCK.times]: /Already in the past: Mon 2 Mar 08:00/ }],
      ['an overlap', [typed.date('2026-03-05'), typed.times('11:00')], { [BLOCK.times]: /Overlaps one of your slots: Thu 5 Mar 11:00/ }],
      ['a start off the grid', [typed.date('2026-03-06'), typed.times('10:07')], { [BLOCK.times]: /quarter hour/ }],
      ['a date beyond the horizon', [typed.date('2026-12-01'), typed.times('10:00')], { [BLOCK.date]: /More than 180 days ahead: Tue 1 Dec 10:00/ }],
      ['an overlap, then weeks beyond the horizon', [typed.date('2026-08-27'), typed.times('10:00'), typed.weeks('2')], {
        [BLOCK.times]: /Overlaps one of your slots: Thu 27 Aug 10:00/,
        [BLOCK.weeks]: /More than 180 days ahead: Thu 3 Sept 10:00/,
      }],
      ['too many weeks', [typed.date('2026-03-03'), typed.times('10:00'), typed.weeks('27')], { [BLOCK.weeks]: /from 1 to 26/ }],
      ['no start time', [typed.date('2026-03-03'), typed.times()], { [BLOCK.times]: /at least one start time/ }],
    ];
    for (const [what, values, expected] of cases) {
      const response = await submit(values);
      expect(response.json, what).toMatchObject({ response_action: 'errors' });
      expect(Object.keys(response.json!.errors).sort(), what).toEqual(Object.keys(expected).sort());
      for (const [block, pattern] of Object.entries(expected)) expect(response.json!.errors[block], what).toMatch(pattern);
    }
    expect((await h.core.slots.listOpen(coach.id)).total).toBe(2);
  });

  it('refuses an invalid phone inline, keeping the modal open and saving nothing', async () => {
    const h = harness();
    h.slack.setUser({ id: 'UBADPHONE', tz: 'Europe/London', phone: '' });
    const view = await openAvailabilityModal(h, 'UBADPHONE');

    const response = await h.requests.viewSubmission({ userId: 'UBADPHONE', view, values: merge(typed.date('2026-03-03'), typed.times('10:00'), typed.phone('12345')) });

    expect(response.json).toMatchObject({ response_action: 'errors', errors: { [BLOCK.phone]: expect.stringMatching(/not a valid phone number/) } });
    const coach = (await h.core.coaches.findBySlackUser(STANDIN_TEAM_ID, 'UBADPHONE'))!;
    expect(coach.phone).toBeNull();
    expect((await h.core.slots.listOpen(coach.id)).total).toBe(0);
  });
});

describe('/availability list, help and unknown subcommands', () => {
  it('lists open slots with Remove and booked ones with Cancel session, and Remove refreshes the list', async () => {
    const h = harness();
    const coach = await makeCoach(h, 'ULIST');
    const [first, second, booked] = await Promise.all(
      ['2026-03-04T10:00:00Z', '2026-03-04T14:00:00Z', '2026-03-05T10:00:00Z'].map((startsAt) => h.core.slots.create(coach.id, { startsAt })),
    );
    const student = await makeStudent(h, 'Bea <b>&</b> Student', '+44 20 7946 0456');
    const session = await h.core.bookings.book(student.id, { slotId: booked!.id });
    const since = h.slack.mark();

    const ack = await h.requests.command({ userId: 'ULIST', text: 'list', responseUrl: h.slack.responseUrl('list') });

    expect(ack.status).toBe(200);
    const reply = await h.slack.waitForCall('response_url', { since });
    expect(reply.body.response_type).toBe('ephemeral');
    expect(buttons(reply.body.blocks, ACTION.removeSlot).map((b) => b.value)).toEqual([first!.id, second!.id]);
    expect(buttons(reply.body.blocks, ACTION.openCancelSession).map((b) => b.value)).toEqual([session.id]);
    const text = visibleText(reply.body.blocks);
    expect(text).toContain('Bea &lt;b&gt;&amp;&lt;/b&gt; Student · +44 20 7946 0456');
    expect(text).toContain('Wed 4 Mar, 10:00–12:00');

    const afterList = h.slack.mark();
    const press = await h.requests.blockAction({
      userId: 'ULIST',
      actionId: ACTION.removeSlot,
      value: first!.id,
      container: { type: 'message', channel: 'C0GENERAL', ts: '1700000000.000001', ephemeral: true },
      responseUrl: h.slack.responseUrl('remove'),
    });
    expect(press.status).toBe(200);
    const refreshed = await h.slack.waitForCall('response_url', { since: afterList });
    expect(refreshed.body.replace_original).toBe(true);
    expect(buttons(refreshed.body.blocks, ACTION.removeSlot).map((b) => b.value)).toEqual([second!.id]);
    expect((await h.core.slots.get(first!.id)).status).toBe('removed');
  });

  it('cancels a booked session from the list through the reason modal, then replaces the list', async () => {
    const h = harness();
    const coach = await makeCoach(h, 'ULISTCANCEL');
    const slot = await h.core.slots.create(coach.id, { startsAt: '2026-03-06T10:00:00Z' });
    const student = await makeStudent(h, 'Dee Student');
    const session = await h.core.bookings.book(student.id, { slotId: slot.id });
    const listUrl = h.slack.responseUrl('list');
    const since = h.slack.mark();
    await h.requests.command({ userId: 'ULISTCANCEL', text: 'list', responseUrl: listUrl });
    await h.slack.waitForCall('response_url', { since });

    const pressed = h.slack.mark();
    await h.requests.blockAction({
      userId: 'ULISTCANCEL',
      actionId: ACTION.openCancelSession,
      value: session.id,
      container: { type: 'message', channel: 'C0GENERAL', ts: '1700000000.000002', ephemeral: true },
      responseUrl: listUrl,
    });
    const modal = (await h.slack.waitForCall('views.open', { since: pressed })).response.view;
    const submitted = h.slack.mark();
    const response = await h.requests.viewSubmission({ userId: 'ULISTCANCEL', view: modal, values: typed.reason('Ill, sorry') });

    expect(response.text).toBe('');
    expect((await h.core.bookings.getForCoach(coach.id, session.id)).cancellation).toMatchObject({ by: 'coach', reason: 'Ill, sorry' });
    const refreshed = await h.slack.waitForCall('response_url', { since: submitted });
    expect(refreshed.body.replace_original).toBe(true);
    expect(buttons(refreshed.body.blocks, ACTION.openCancelSession)).toEqual([]);
    expect(visibleText(refreshed.body.blocks)).toContain('No booked sessions yet.');
  });

  it('answers help and unknown subcommands with the help, on the ack itself', async () => {
    const h = harness();
    const help = await h.requests.command({ userId: 'UHELP', text: 'help', responseUrl: h.slack.responseUrl() });
    expect(help.json).toMatchObject({ response_type: 'ephemeral' });
    expect(visibleText(help.json!.blocks)).toMatch(/`\/availability list`/);

    const unknown = await h.requests.command({ userId: 'UHELP', text: 'frobnicate <!channel>', responseUrl: h.slack.responseUrl() });
    const text = visibleText(unknown.json!.blocks);
    expect(text).toContain("I don't know `frobnicate &lt;!channel&gt;`");
    expect(text).toMatch(/`\/availability list`/);
    expect(h.slack.callsTo('users.info').some((c) => c.body.user === 'UHELP')).toBe(false);
  });

  it('tells someone who is not a coach yet how to start when they ask for the list', async () => {
    const h = harness();
    const since = h.slack.mark();
    await h.requests.command({ userId: 'UNOBODY', text: 'list', responseUrl: h.slack.responseUrl() });
    const reply = await h.slack.waitForCall('response_url', { since });
    expect(reply.body.text).toMatch(/not set up as a coach yet\. Run \/availability to start/);
  });
});
