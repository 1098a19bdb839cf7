import { describe, expect, it } from 'vitest';
import { ACTION, BLOCK, CALLBACK } from '../../bot/ids.js';
import { bearer, mintToken, newStudent } from '../helpers/tokens.js';
import { STANDIN_TEAM_ID, type CallBody } from '../helpers/slack-standin.js';
import { buttons, makeCoach, makeStudent, merge, typed, useBotHarness, visibleText, type BotHarness } from './bot-fixture.js';

// Monday 2 March 2026, 09:00 UTC; the booking notice is 12 hours.
const START = '2026-03-02T09:00:00Z';
const harness = useBotHarness('students', START, { PUBLIC_BOOKING_URL: 'https://www.example.org/book?lang=en' });

type Blocks = Array<{ type: string; block_id?: string; element?: CallBody }>;
const blockStartingWith = (view: CallBody, prefix: string) => (view.blocks as Blocks).find((b) => b.block_id?.startsWith(prefix));

/** Runs `/coaching` as a Slack user and returns the modal the app opened. */
async function openBooking(h: BotHarness, userId: string): Promise<CallBody> {
  const since = h.slack.mark();
  const response = await h.requests.command({ userId, command: '/coaching', responseUrl: h.slack.responseUrl('coaching') });
  expect(response.status).toBe(200);
  const opened = await h.slack.waitForCall('views.open', { since, where: (c) => c.body.view?.callback_id === CALLBACK.bookSession });
  expect(opened.response.ok).toBe(true);
  return opened.response.view;
}

/** Picks an option in a select of the open form (dispatch_action) and returns the form as the app updated it. */
async function pick(h: BotHarness, userId: string, view: CallBody, actionId: string, option: { text: string; value: string }): Promise<CallBody> {
  const since = h.slack.mark();
  const type = actionId === ACTION.bookCoach ? 'external_select' : 'static_select';
  const blockId = actionId === ACTION.bookCoach ? BLOCK.bookCoach : blockStartingWith(view, `${BLOCK.bookDay}:`)!.block_id!;
  await h.requests.blockAction({ userId, actionId, value: '', blockId, container: { type: 'view', view }, select: { type, option } });
  const updated = await h.slack.waitForCall('views.update', { since, where: (c) => c.body.view_id === view.id });
  expect(updated.response.ok).toBe(true);
  return updated.response.view;
}

/** The state Slack would send for the form's day and time selects (and phone, if asked). */
function chosen(view: CallBody, day: string, timeValue: string, phone?: string) {
  const dayBlock = blockStartingWith(view, `${BLOCK.bookDay}:`)!.block_id!;
  const timeBlock = blockStartingWith(view, `${BLOCK.bookTime}:`)!.block_id!;
  const option = (value: string) => ({ text: { type: 'plain_text', text: value }, value });
  return {
    [dayBlock]: { [ACTION.bookDay]: { type: 'static_select', selected_option: option(day) } },
    [timeBlock]: { [ACTION.bookTime]: { type: 'static_select', selected_option: option(timeValue) } },
    ...(phone === undefined ? {} : { [BLOCK.bookPhone]: { [ACTION.bookPhone]: { type: 'plain_text_input', value: phone } } }),
  };
}

const optionsOf = (block: { element?: CallBody } | undefined) => (block?.element?.options ?? []) as Array<{ text: { text: string }; value: string }>;

/** A coach with open slots on Wed 4 Mar (10:00 and 14:00 UTC) and a Slack student who has opened the form. */
async function coachAndStudent(h: BotHarness, coachUser: string, studentUser: string, options: { studentPhone?: string; studentTz?: string; coachName?: string } = {}) {
  const coach = await makeCoach(h, coachUser, { name: options.coachName ?? `Coach ${coachUser}`, phone: '+44 20 7946 0958' });
  const slots = await Promise.all(['2026-03-04T10:00:00Z', '2026-03-04T14:00:00Z'].map((startsAt) => h.core.slots.create(coach.id, { startsAt })));
  h.slack.setUser({ id: studentUser, realName: `Student ${studentUser}`, tz: options.studentTz ?? 'America/New_York', phone: options.studentPhone ?? '+1 202 555 0143' });
  return { coach, slots: slots as [typeof slots[0], typeof slots[0]] };
}

/** Opens the form, picks the coach and the day, and submits the given time. */
async function bookInSlack(h: BotHarness, studentUser: string, coach: { id: string; name: string }, day: string, slotId: string) {
  let view = await openBooking(h, studentUser);
  view = await pick(h, studentUser, view, ACTION.bookCoach, { text: coach.name, value: coach.id });
  view = await pick(h, studentUser, view, ACTION.bookDay, { text: day, value: day });
  const response = await h.requests.viewSubmission({ userId: studentUser, view, values: chosen(view, day, slotId) });
  return { view, response };
}

describe('/coaching: a student books in Slack', () => {
  it('offers coaches, days and times in the student\'s zone, books through core and DMs both sides', async () => {
    const h = harness();
    const { coach, slots } = await coachAndStudent(h, 'UC1', 'US1', { coachName: 'Grace *Hopper*' });

    const view = await openBooking(h, 'US1');
    expect(view.title.text).toBe('Book a session');
    expect(visibleText(view.blocks)).toContain('America/New_York (EST)');
    expect(blockStartingWith(view, BLOCK.bookCoach)).toMatchObject({ dispatch_action: true, element: { type: 'external_select', initial_option: { value: 'any' } } });
    expect(blockStartingWith(view, BLOCK.bookPhone)).toBeUndefined(); // the Slack profile has a phone

    const suggestions = await h.requests.blockSuggestion({ userId: 'US1', actionId: ACTION.bookCoach, blockId: BLOCK.bookCoach, value: 'hop', view });
    expect(suggestions.json!.options.map((o: { text: { text: string }; value: string }) => [o.text.text, o.value])).toEqual([['Any coach', 'any'], ['Grace *Hopper*', coach.id]]);

    const forCoach = await pick(h, 'US1', view, ACTION.bookCoach, { text: coach.name, value: coach.id });
    // 10:00 and 14:00 UTC on Wed 4 Mar are 05:00 and 09:00 in New York, still Wednesday.
    expect(optionsOf(blockStartingWith(forCoach, `${BLOCK.bookDay}:`)).map((o) => [o.text.text, o.value])).toEqual([['Wed 4 Mar', '2026-03-04']]);
    const forDay = await pick(h, 'US1', forCoach, ACTION.bookDay, { text: 'Wed 4 Mar', value: '2026-03-04' });
    expect(optionsOf(blockStartingWith(forDay, `${BLOCK.bookTime}:`)).map((o) => [o.text.text, o.value])).toEqual([['05:00–07:00', slots[0].id], ['09:00–11:00', slots[1].id]]);

    const since = h.slack.mark();
    const response = await h.requests.viewSubmission({ userId: 'US1', view: forDay, values: chosen(forDay, '2026-03-04', slots[1].id) });
    expect(response.text).toBe('');

    const student = (await h.core.students.findBySlackUser(STANDIN_TEAM_ID, 'US1'))!;
    expect(student.identity).toMatchObject({ linkedBy: 'own', timezone: 'America/New_York' });
    expect(student.student).toMatchObject({ name: 'Student US1', phone: '+12025550143' });
    const upcoming = await h.core.bookings.studentUpcoming(student.student.id);
    expect(upcoming.items.map((s) => s.slotId)).toEqual([slots[1].id]);

    const studentDm = await h.slack.waitForCall('chat.postMessage', { since, where: (c) => c.body.channel === 'DUS1' });
    const text = visibleText(studentDm.body.blocks);
    expect(text).toContain('*Booked:* a session with *Grace ∗Hopper∗* on *Wed 4 Mar, 09:00–11:00*');
    expect(text).toContain("*Coach's phone*\n+44 20 7946 0958");
    expect(text).toContain('America/New_York (EST)');
    expect(buttons(studentDm.body.blocks, ACTION.studentMove).map((b) => b.value)).toEqual([upcoming.items[0]!.id]);
    expect(buttons(studentDm.body.blocks, ACTION.studentCancel)[0]!.confirm.title.text).toBe('Cancel this session?');
    const google = new URL(buttons(studentDm.body.blocks, ACTION.addToGoogleCalendar)[0]!.url);
    expect(google.searchParams.get('dates')).toBe('20260304T140000Z/20260304T160000Z');
    expect(google.searchParams.get('details')).toContain('Phone: +44 20 7946 0958');

    const coachDm = await h.slack.waitForCall('chat.postMessage', { since, where: (c) => c.body.channel === 'DUC1' });
    expect(visibleText(coachDm.body.blocks)).toContain('*Student US1* booked your slot on *Wed 4 Mar, 14:00–16:00*');
    expect(visibleText(coachDm.body.blocks)).toContain('+1 202 555 0143');
  });

  it('asks for a phone the Slack profile lacks, and refuses an invalid one inline', async () => {
    const h = harness();
    const { coach, slots } = await coachAndStudent(h, 'UC2', 'US2', { studentPhone: '' });
    let view = await openBooking(h, 'US2');
    expect(blockStartingWith(view, BLOCK.bookPhone)).toBeDefined();
    view = await pick(h, 'US2', view, ACTION.bookCoach, { text: coach.name, value: coach.id });
    view = await pick(h, 'US2', view, ACTION.bookDay, { text: 'Wed 4 Mar', value: '2026-03-04' });

    const bad = await h.requests.viewSubmission({ userId: 'US2', view, values: chosen(view, '2026-03-04', slots[0].id, '12345') });
    expect(bad.json).toMatchObject({ response_action: 'errors', errors: { [BLOCK.bookPhone]: expect.stringMatching(/not a valid phone number/) } });
    const student = (await h.core.students.findBySlackUser(STANDIN_TEAM_ID, 'US2'))!.student;
    expect((await h.core.bookings.studentUpcoming(student.id)).total).toBe(0);

    const good = await h.requests.viewSubmission({ userId: 'US2', view, values: chosen(view, '2026-03-04', slots[0].id, '+1 202 555 0177') });
    expect(good.text).toBe('');
    expect((await h.core.students.get(student.id)).phone).toBe('+12025550177');
    expect((await h.core.bookings.studentUpcoming(student.id)).total).toBe(1);
  });

  it('books "any coach" at a time several coaches offer, and says which times exist', async () => {
    const h = harness();
    const a = await makeCoach(h, 'UCANY1');
    const b = await makeCoach(h, 'UCANY2');
    await Promise.all([a, b].map((c) => h.core.slots.create(c.id, { startsAt: '2026-03-05T10:00:00Z' })));
    h.slack.setUser({ id: 'USANY', tz: 'Europe/London', phone: '+44 20 7946 0321' });
    let view = await openBooking(h, 'USANY');
    view = await pick(h, 'USANY', view, ACTION.bookDay, { text: 'Thu 5 Mar', value: '2026-03-05' });
    const times = optionsOf(blockStartingWith(view, `${BLOCK.bookTime}:any:2026-03-05`));
    expect(times.map((o) => o.text.text)).toContain('10:00–12:00 · 2 coaches');
    const value = times.find((o) => o.text.text.startsWith('10:00'))!.value;
    const response = await h.requests.viewSubmission({ userId: 'USANY', view, values: chosen(view, '2026-03-05', value) });
    expect(response.text).toBe('');
    const student = (await h.core.students.findBySlackUser(STANDIN_TEAM_ID, 'USANY'))!.student;
    const [session] = (await h.core.bookings.studentUpcoming(student.id)).items;
    expect([a.id, b.id]).toContain(session!.coach.id);
  });
});

describe('cancelling and moving from the DM', () => {
  it('cancels after the confirm dialog, shows it in the DM and tells the coach', async () => {
    const h = harness();
    const { coach, slots } = await coachAndStudent(h, 'UC3', 'US3');
    const since = h.slack.mark();
    await bookInSlack(h, 'US3', coach, '2026-03-04', slots[0].id);
    const dm = await h.slack.waitForCall('chat.postMessage', { since, where: (c) => c.body.channel === 'DUS3' });
    const bookingId = buttons(dm.body.blocks, ACTION.studentCancel)[0]!.value;

    const pressed = h.slack.mark();
    await h.requests.blockAction({ userId: 'US3', actionId: ACTION.studentCancel, value: bookingId, container: { type: 'message', channel: 'DUS3', ts: dm.response.ts } });

    const update = await h.slack.waitForCall('chat.update', { since: pressed, where: (c) => c.body.ts === dm.response.ts });
    expect(visibleText(update.body.blocks)).toContain('You cancelled it.');
    expect(buttons(update.body.blocks, ACTION.studentCancel)).toEqual([]);
    const notice = await h.slack.waitForCall('chat.postMessage', { since: pressed, where: (c) => c.body.channel === 'DUC3' && String(c.body.text).includes('cancelled') });
    expect(visibleText(notice.body.blocks)).toContain('*Student US3* cancelled their session');
    expect((await h.core.slots.get(slots[0].id)).status).toBe('open');
  });

  it('moves to another time of the same coach through core\'s reschedule, keeping the session', async () => {
    const h = harness();
    const { coach, slots } = await coachAndStudent(h, 'UC4', 'US4');
    const since = h.slack.mark();
    await bookInSlack(h, 'US4', coach, '2026-03-04', slots[0].id);
    const dm = await h.slack.waitForCall('chat.postMessage', { since, where: (c) => c.body.channel === 'DUS4' });
    const bookingId = buttons(dm.body.blocks, ACTION.studentMove)[0]!.value;

    const pressed = h.slack.mark();
    await h.requests.blockAction({ userId: 'US4', actionId: ACTION.studentMove, value: bookingId, container: { type: 'message', channel: 'DUS4', ts: dm.response.ts } });
    let modal = (await h.slack.waitForCall('views.open', { since: pressed })).response.view;
    expect(modal).toMatchObject({ callback_id: CALLBACK.moveSession, title: { text: 'Move session' } });
    expect(visibleText(modal.blocks)).toContain('is now on *Wed 4 Mar, 05:00–07:00*');
    modal = await pick(h, 'US4', modal, ACTION.bookDay, { text: 'Wed 4 Mar', value: '2026-03-04' });
    expect(optionsOf(blockStartingWith(modal, `${BLOCK.bookTime}:`)).map((o) => o.value)).toEqual([slots[1].id]);

    const moved = h.slack.mark();
    const response = await h.requests.viewSubmission({ userId: 'US4', view: modal, values: chosen(modal, '2026-03-04', slots[1].id) });
    expect(response.text).toBe('');
    const student = (await h.core.students.findBySlackUser(STANDIN_TEAM_ID, 'US4'))!.student;
    const session = await h.core.bookings.getForStudent(student.id, bookingId);
    expect(session).toMatchObject({ status: 'active', slotId: slots[1].id });
    expect((await h.core.slots.get(slots[0].id)).status).toBe('open');
    const movedDm = await h.slack.waitForCall('chat.postMessage', { since: moved, where: (c) => c.body.channel === 'DUS4' });
    expect(visibleText(movedDm.body.blocks)).toContain('*Moved:* your session with *Coach UC4* is now on *Wed 4 Mar, 09:00–11:00* (was Wed 4 Mar 05:00)');
    const coachDm = await h.slack.waitForCall('chat.postMessage', { since: moved, where: (c) => c.body.channel === 'DUC4' });
    expect(visibleText(coachDm.body.blocks)).toContain('*Student US4* moved their session from Wed 4 Mar 10:00 to *Wed 4 Mar, 14:00–16:00*');
  });
  it("tells the coach cancelling that a Slack student gets a Slack message, and the student gets it, with the reason", async () => {
    const h = harness();
    const { coach, slots } = await coachAndStudent(h, 'UC9', 'US9');
    const since = h.slack.mark();
    await bookInSlack(h, 'US9', coach, '2026-03-04', slots[0].id);
    const coachDm = await h.slack.waitForCall('chat.postMessage', { since, where: (c) => c.body.channel === 'DUC9' });
    await h.slack.waitForCall('chat.postMessage', { since, where: (c) => c.body.channel === 'DUS9' }); // the student's "booked" DM
    const bookingId = buttons(coachDm.body.blocks, ACTION.openCancelSession)[0]!.value;

    const pressed = h.slack.mark();
    await h.requests.blockAction({ userId: 'UC9', actionId: ACTION.openCancelSession, value: bookingId, container: { type: 'message', channel: 'DUC9', ts: coachDm.response.ts }, responseUrl: h.slack.responseUrl('c9') });
    const modal = (await h.slack.waitForCall('views.open', { since: pressed })).response.view;
    expect(visibleText(modal.blocks)).toContain('The student gets a Slack message saying so, with your reason. The slot is withdrawn');

    const submitted = h.slack.mark();
    const response = await h.requests.viewSubmission({ userId: 'UC9', view: modal, values: typed.reason('I am *ill*') });
    expect(response.status).toBe(200);
    const told = await h.slack.waitForCall('chat.postMessage', { since: submitted, where: (c) => c.body.channel === 'DUS9' });
    expect(told.body.text).toBe('Coach UC9 cancelled your session on Wed 4 Mar, 05:00–07:00');
    expect(visibleText(told.body.blocks)).toContain('Coach UC9 cancelled it.');
    expect(visibleText(told.body.blocks)).toContain('>I am ∗ill∗');
    await h.app.jobs.runUntilIdle();
    expect(h.slack.callsTo('chat.postMessage', submitted).filter((c) => c.body.channel === 'DUS9')).toHaveLength(1);
  });
});

describe('a cancellation before the "booked" DM could go out', () => {
  it('tells the Slack student only of the cancellation, never "booked" after it', async () => {
    const h = harness();
    const { coach, slots } = await coachAndStudent(h, 'UC10', 'US10');
    const since = h.slack.mark();
    h.slack.rateLimitNext('chat.postMessage', 30, 2); // the coach's and the student's DMs both wait 30 s
    await bookInSlack(h, 'US10', coach, '2026-03-04', slots[0].id);
    await h.app.jobs.runUntilIdle();
    const limited = h.slack.callsTo('chat.postMessage', since);
    expect(limited.map((c) => [c.body.channel, c.response.status])).toEqual(expect.arrayContaining([['DUC10', 429], ['DUS10', 429]]));
    const [session] = (await h.core.bookings.coachUpcoming(coach.id)).items;
    await h.core.bookings.cancelAsCoach(coach.id, session!.id, { reason: 'Unwell' });

    const cancelled = h.slack.mark();
    const t = h.clock.now().getTime();
    for (const at of [t + 30_000, t + 40_000]) {
      h.clock.set(new Date(at));
      await h.app.jobs.runUntilIdle();
    }
    const toStudent = h.slack.callsTo('chat.postMessage', cancelled).filter((c) => c.body.channel === 'DUS10' && c.response.ok);
    expect(toStudent.map((c) => c.body.text)).toEqual(['Coach UC10 cancelled your session on Wed 4 Mar, 05:00–07:00']);
  });
});

describe('a time taken while the form is open', () => {
  it('gives exactly one booking when Slack and the widget race for one slot, and the loser in Slack gets fresh times', async () => {
    const h = harness();
    const { coach, slots } = await coachAndStudent(h, 'UC5', 'US5');
    let view = await openBooking(h, 'US5');
    view = await pick(h, 'US5', view, ACTION.bookCoach, { text: coach.name, value: coach.id });
    view = await pick(h, 'US5', view, ACTION.bookDay, { text: 'Wed 4 Mar', value: '2026-03-04' });
    const token = await mintToken(newStudent(), { now: h.clock.now() });

    const [slack, widget] = await Promise.all([
      h.requests.viewSubmission({ userId: 'US5', view, values: chosen(view, '2026-03-04', slots[0].id) }),
      fetch(`${h.app.baseUrl}/api/v1/bookings`, { method: 'POST', headers: { ...bearer(token), 'content-type': 'application/json' }, body: JSON.stringify({ slotId: slots[0].id }) }),
    ]);

    const slackWon = slack.text === '';
    expect([slackWon, widget.status === 201]).toEqual(slackWon ? [true, false] : [false, true]);
    if (!slackWon) {
      expect(widget.status).toBe(201);
      expect(slack.json).toMatchObject({ response_action: 'update' });
      const fresh = slack.json!.view;
      expect(visibleText(fresh.blocks)).toContain('Wed 4 Mar, 05:00–07:00 is no longer open');
      expect(optionsOf(blockStartingWith(fresh, `${BLOCK.bookTime}:`)).map((o) => o.value)).toEqual([slots[1].id]);
    } else {
      expect(widget.status).toBe(409);
    }
    expect((await h.core.slots.get(slots[0].id)).status).toBe('booked');
  });

  it('shows fresh times when the slot went between opening and submitting', async () => {
    const h = harness();
    const { coach, slots } = await coachAndStudent(h, 'UC6', 'US6');
    let view = await openBooking(h, 'US6');
    view = await pick(h, 'US6', view, ACTION.bookCoach, { text: coach.name, value: coach.id });
    view = await pick(h, 'US6', view, ACTION.bookDay, { text: 'Wed 4 Mar', value: '2026-03-04' });
    await h.core.bookings.book((await makeStudent(h)).id, { slotId: slots[0].id });

    const response = await h.requests.viewSubmission({ userId: 'US6', view, values: chosen(view, '2026-03-04', slots[0].id) });
    expect(response.json).toMatchObject({ response_action: 'update', view: { callback_id: CALLBACK.bookSession } });
    expect(optionsOf(blockStartingWith(response.json!.view, `${BLOCK.bookTime}:`)).map((o) => o.value)).toEqual([slots[1].id]);
  });
});

describe('who a Slack student is', () => {
  it('is the website student with the same confirmed e-mail, and their own student otherwise', async () => {
    const h = harness();
    const website = await h.core.students.upsert({ externalId: 'host-42', name: 'Web Wendy', phone: '+44 20 7946 0999', email: 'wendy@example.com' });
    h.slack.setUser({ id: 'UWENDY', email: 'Wendy@Example.com', emailConfirmed: true, tz: 'Europe/London' });
    h.slack.setUser({ id: 'UFAKE', email: 'wendy@example.com', emailConfirmed: false, tz: 'Europe/London' });
    await openBooking(h, 'UWENDY');
    await openBooking(h, 'UFAKE');
    expect(await h.core.students.findBySlackUser(STANDIN_TEAM_ID, 'UWENDY')).toMatchObject({ identity: { linkedBy: 'email', studentId: website.id } });
    const fake = (await h.core.students.findBySlackUser(STANDIN_TEAM_ID, 'UFAKE'))!;
    expect(fake.identity.linkedBy).toBe('own');
    expect(fake.student.id).not.toBe(website.id);
  });

  it('never lets a coach book their own slot in Slack, even by sending its id', async () => {
    const h = harness();
    const coach = await makeCoach(h, 'USELF');
    const own = await h.core.slots.create(coach.id, { startsAt: '2026-03-06T08:00:00Z' });
    const other = await makeCoach(h, 'UOTHERCOACH');
    const theirs = await h.core.slots.create(other.id, { startsAt: '2026-03-06T16:00:00Z' });
    h.slack.setUser({ id: 'USELF', email: 'different@example.com', phone: '+44 20 7946 0958' });
    let view = await openBooking(h, 'USELF');
    view = await pick(h, 'USELF', view, ACTION.bookDay, { text: 'Fri 6 Mar', value: '2026-03-06' });
    expect(optionsOf(blockStartingWith(view, `${BLOCK.bookTime}:`)).map((o) => o.text.text)).toEqual(['16:00–18:00']);
    const suggestions = await h.requests.blockSuggestion({ userId: 'USELF', actionId: ACTION.bookCoach, blockId: BLOCK.bookCoach, value: '', view });
    expect(suggestions.json!.options.map((o: { value: string }) => o.value)).not.toContain(coach.id);

    view = await pick(h, 'USELF', view, ACTION.bookCoach, { text: other.name, value: other.id });
    view = await pick(h, 'USELF', view, ACTION.bookDay, { text: 'Fri 6 Mar', value: '2026-03-06' });
    const forged = await h.requests.viewSubmission({ userId: 'USELF', view, values: chosen(view, '2026-03-06', own.id) });
    expect(forged.json).toMatchObject({ response_action: 'errors' });
    expect(Object.values(forged.json!.errors)).toEqual(['That is your own slot: coaches cannot book themselves.']);
    expect((await h.core.slots.get(own.id)).status).toBe('open');
    expect((await h.core.slots.get(theirs.id)).status).toBe('open');
  });
});

describe('App Home for students', () => {
  it('lists upcoming sessions with the coach\'s phone and past ones, and shows a coach who also books both parts', async () => {
    const h = harness();
    const { coach, slots } = await coachAndStudent(h, 'UC7', 'UBOTH');
    await makeCoach(h, 'UBOTH', { name: 'Both Ways' });
    h.slack.setUser({ id: 'UBOTH', tz: 'Europe/London', phone: '+44 20 7946 0444' });
    await bookInSlack(h, 'UBOTH', coach, '2026-03-04', slots[0].id);
    const since = h.slack.mark();
    await h.requests.appHomeOpened('UBOTH');
    const home = await h.slack.waitForCall('views.publish', { since, where: (c) => c.body.user_id === 'UBOTH' });
    const text = visibleText(home.body.view.blocks);
    expect(text).toContain('Your coaching');
    expect(text).toContain('Your sessions');
    expect(text).toContain('*Wed 4 Mar, 10:00–12:00*\nwith Coach UC7 · +44 20 7946 0958');
    expect(buttons(home.body.view.blocks, ACTION.openBookSession)).toHaveLength(1);
    expect(buttons(home.body.view.blocks, ACTION.studentMove)).toHaveLength(1);
    expect(buttons(home.body.view.blocks, ACTION.shareBookingLink)).toHaveLength(1);
    expect(home.body.view.blocks.length).toBeLessThanOrEqual(100);

    h.clock.set('2026-03-04T13:00:00Z');
    try {
      const later = h.slack.mark();
      await h.requests.appHomeOpened('UBOTH');
      const after = await h.slack.waitForCall('views.publish', { since: later, where: (c) => c.body.user_id === 'UBOTH' });
      expect(visibleText(after.body.view.blocks)).toContain('*Past* (1)');
    } finally {
      h.clock.set(START);
    }
  });

  it('welcomes someone who is neither, with Book a session', async () => {
    const h = harness();
    const since = h.slack.mark();
    await h.requests.appHomeOpened('UNEWBIE');
    const home = await h.slack.waitForCall('views.publish', { since, where: (c) => c.body.user_id === 'UNEWBIE' });
    expect(buttons(home.body.view.blocks, ACTION.openBookSession)).toHaveLength(1);
    expect(visibleText(home.body.view.blocks)).toContain('`/coaching`');
  });
});

describe('what a coach learns about a student', () => {
  it("shows sessions held, the last score and the coach's own last notes, never another coach's", async () => {
    const h = harness();
    const ada = await makeCoach(h, 'UADA');
    const bea = await makeCoach(h, 'UBEA');
    const student = await makeStudent(h, 'Kim Context');
    const [past, next] = await Promise.all(['2026-03-02T22:00:00Z', '2026-03-10T10:00:00Z'].map((startsAt) => h.core.slots.create(ada.id, { startsAt })));
    const beaSlot = await h.core.slots.create(bea.id, { startsAt: '2026-03-11T10:00:00Z' });
    const booked = h.slack.mark();
    const first = await h.core.bookings.book(student.id, { slotId: past!.id });
    await h.slack.waitForCall('chat.postMessage', { since: booked, where: (c) => c.body.channel === 'DUADA' });
    h.clock.set('2026-03-03T01:00:00Z');
    try {
      await h.core.feedback.record(ada.id, first.id, { satisfaction: 4, notes: 'Secret notes: works on *pacing*' });
      const since = h.slack.mark();
      await h.core.bookings.book(student.id, { slotId: next!.id });
      await h.core.bookings.book(student.id, { slotId: beaSlot.id });
      const adaDm = await h.slack.waitForCall('chat.postMessage', { since, where: (c) => c.body.channel === 'DUADA' && String(c.body.text).includes('10 Mar') });
      const beaDm = await h.slack.waitForCall('chat.postMessage', { since, where: (c) => c.body.channel === 'DUBEA' });

      const adaText = visibleText(adaDm.body.blocks);
      expect(adaText).toContain('*With you before:* 1 session');
      expect(adaText).toContain('Last score: ★★★★☆ 4/5 Good (Mon 2 Mar 22:00)');
      expect(adaText).toContain('>Secret notes: works on ∗pacing∗');
      const beaText = visibleText(beaDm.body.blocks);
      expect(beaText).toContain('First session with you.');
      expect(beaText).not.toContain('Secret');
      expect(buttons(beaDm.body.blocks, ACTION.openStudentHistory)).toEqual([]);

      // The reminder an hour before carries the same context.
      const reminded = h.slack.mark();
      h.clock.set('2026-03-10T09:00:00Z');
      await h.app.jobs.runUntilIdle();
      const reminder = h.slack.callsTo('chat.postMessage', reminded).find((c) => c.body.channel === 'DUADA' && String(c.body.text).startsWith('Reminder'))!;
      expect(visibleText(reminder.body.blocks)).toContain('*With you before:* 1 session');
      expect(visibleText(reminder.body.blocks)).toContain('>Secret notes: works on ∗pacing∗');
      expect(buttons(reminder.body.blocks, ACTION.openStudentHistory)).toHaveLength(1);
      h.clock.set('2026-03-03T01:00:00Z');

      const history = buttons(adaDm.body.blocks, ACTION.openStudentHistory)[0]!;
      const pressed = h.slack.mark();
      await h.requests.blockAction({ userId: 'UADA', actionId: ACTION.openStudentHistory, value: history.value, container: { type: 'message', channel: 'DUADA', ts: adaDm.response.ts } });
      const modal = (await h.slack.waitForCall('views.open', { since: pressed })).response.view;
      expect(modal.title.text).toBe('Session history');
      expect(visibleText(modal.blocks)).toContain('*Kim Context*: 2 sessions with you.');
      expect(visibleText(modal.blocks)).toContain('>Secret notes');

      // Bea asking for the same student's history sees only her own session, no notes.
      const beaPressed = h.slack.mark();
      await h.requests.blockAction({ userId: 'UBEA', actionId: ACTION.openStudentHistory, value: history.value, container: { type: 'message', channel: 'DUBEA', ts: beaDm.response.ts } });
      const beaModal = (await h.slack.waitForCall('views.open', { since: beaPressed })).response.view;
      expect(visibleText(beaModal.blocks)).toContain('1 session with you');
      expect(visibleText(beaModal.blocks)).not.toContain('Secret');
    } finally {
      h.clock.set(START);
    }
  });

  it('shows the earlier versions of a rating when it is edited', async () => {
    const h = harness();
    const coach = await makeCoach(h, 'UHIST');
    const slot = await h.core.slots.create(coach.id, { startsAt: '2026-03-02T22:00:00Z' });
    const session = await h.core.bookings.book((await makeStudent(h)).id, { slotId: slot.id });
    h.clock.set('2026-03-03T01:00:00Z');
    try {
      await h.core.feedback.record(coach.id, session.id, { satisfaction: 2, notes: 'First take' });
      h.clock.advance(60_000);
      await h.core.feedback.record(coach.id, session.id, { satisfaction: 3, notes: 'Second take' });
      h.clock.advance(60_000);
      await h.core.feedback.record(coach.id, session.id, { satisfaction: 5, notes: 'Final' });
      const since = h.slack.mark();
      await h.requests.blockAction({ userId: 'UHIST', actionId: ACTION.openRateSession, value: session.id, container: { type: 'message', channel: 'DUHIST', ts: '1700000000.000100' } });
      const modal = (await h.slack.waitForCall('views.open', { since })).response.view;
      const text = visibleText(modal.blocks);
      expect(text).toContain('*Earlier versions* (2)');
      expect(text.indexOf('Second take')).toBeLessThan(text.indexOf('First take'));
      expect(text).toContain('★★★☆☆ 3/5 OK · replaced Tue 3 Mar 01:02');
    } finally {
      h.clock.set(START);
    }
  });

  it('gives the coach their booking link on the host page', async () => {
    const h = harness();
    const coach = await makeCoach(h, 'USHARE');
    const since = h.slack.mark();
    await h.requests.blockAction({ userId: 'USHARE', actionId: ACTION.shareBookingLink, value: coach.id, container: { type: 'view', view: { id: 'VHOME' } } });
    const modal = (await h.slack.waitForCall('views.open', { since })).response.view;
    expect(buttons(modal.blocks, ACTION.openBookingLink)[0]!.url).toBe(`https://www.example.org/book?lang=en&coach=${coach.id}`);
  });
});
