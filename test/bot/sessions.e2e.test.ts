import { describe, expect, it } from 'vitest';
import { ACTION, BLOCK, CALLBACK } from '../../bot/ids.js';
import { sessionMessage } from '../../bot/views/session-message.view.js';
import { BOT_TOKEN, buttons, makeCoach, makeStudent, merge, typed, useBotHarness, visibleText, type BotHarness } from './bot-fixture.js';

// Monday 2 March 2026, 09:00 UTC.
const START = '2026-03-02T09:00:00Z';
const harness = useBotHarness('sessions', START);

/** A coach with a booked session on Wed 4 Mar, and the booking DM the app sent. */
async function bookedSession(h: BotHarness, coachUser: string, options: { timezone?: string; studentName?: string; studentPhone?: string } = {}) {
  const coach = await makeCoach(h, coachUser, { timezone: options.timezone ?? 'Europe/London' });
  const slot = await h.core.slots.create(coach.id, { startsAt: '2026-03-04T15:00:00Z' });
  const student = await makeStudent(h, options.studentName ?? 'Rosa Parks', options.studentPhone ?? '+1 202 555 0199');
  const since = h.slack.mark();
  const session = await h.core.bookings.book(student.id, { slotId: slot.id });
  const dm = await h.slack.waitForCall('chat.postMessage', { since, where: (c) => c.body.channel === `D${coachUser}` });
  return { coach, slot, student, session, dm, channel: dm.response.channel as string, ts: dm.response.ts as string };
}

/** Presses a button in a message the app posted and returns the modal it opened. */
async function pressInMessage(h: BotHarness, userId: string, actionId: string, value: string, channel: string, ts: string) {
  const since = h.slack.mark();
  const response = await h.requests.blockAction({ userId, actionId, value, container: { type: 'message', channel, ts }, responseUrl: h.slack.responseUrl('msg') });
  expect(response.status).toBe(200);
  const opened = await h.slack.waitForCall('views.open', { since });
  expect(opened.response.ok).toBe(true);
  return opened.response.view;
}

/** Posts a message to the stand-in as a later feature would (a "please rate" prompt), for "opens from any message". */
async function postAsApp(h: BotHarness, channel: string, message: { text: string; blocks: unknown[] }) {
  const response = await fetch(`${h.slack.apiUrl}chat.postMessage`, {
    method: 'POST',
    headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ channel, ...message }),
  });
  const body = (await response.json()) as { ok: boolean; ts: string };
  expect(body.ok).toBe(true);
  return body.ts;
}

/**
 * After the session: posts a rating prompt as a later feature would (a
 * message the app did not send at booking time) and presses its Rate button.
 */
async function rateFromPrompt(h: BotHarness, coachUser: string, booked: Awaited<ReturnType<typeof bookedSession>>) {
  const prompt = sessionMessage(await h.core.bookings.getForCoach(booked.coach.id, booked.session.id), booked.coach.timezone);
  const channel = `D${coachUser}`;
  const ts = await postAsApp(h, channel, prompt);
  const modal = await pressInMessage(h, coachUser, ACTION.openRateSession, booked.session.id, channel, ts);
  return { modal, channel, ts };
}

describe('booking DMs', () => {
  it("DMs the coach the student's name and phone, the time in the coach's zone, and Cancel session", async () => {
    const h = harness();
    const { dm, session } = await bookedSession(h, 'UDM1', { timezone: 'America/New_York' });

    expect(h.slack.callsTo('conversations.open').some((c) => c.body.users === 'UDM1')).toBe(true);
    expect(dm.body.text).toBe('New booking: Rosa Parks, Wed 4 Mar, 10:00–12:00');
    const text = visibleText(dm.body.blocks);
    expect(text).toContain('*Rosa Parks* booked your slot on *Wed 4 Mar, 10:00–12:00*');
    expect(text).toContain('*Phone*\n+1 202 555 0199');
    expect(text).toContain('America/New_York');
    expect(buttons(dm.body.blocks, ACTION.openCancelSession).map((b) => b.value)).toEqual([session.id]);
  });

  it("DMs the coach when the student cancels, and App Home shows the slot open again", async () => {
    const h = harness();
    const { student, session, slot } = await bookedSession(h, 'UDM2', { studentName: 'Ola <@U123>' });
    const since = h.slack.mark();

    await h.core.bookings.cancelAsStudent(student.id, session.id, { reason: 'Sick, sorry <!channel>' });

    const notice = await h.slack.waitForCall('chat.postMessage', { since, where: (c) => c.body.channel === 'DUDM2' });
    const text = visibleText(notice.body.blocks);
    expect(text).toContain('*Ola &lt;@U123&gt;* cancelled their session on *Wed 4 Mar, 15:00–17:00*. The slot is open again.');
    expect(text).toContain('>Sick, sorry &lt;!channel&gt;');
    const home = await h.slack.waitForCall('views.publish', { since, where: (c) => c.body.user_id === 'UDM2' && buttons(c.body.view.blocks, ACTION.removeSlot).length > 0 });
    expect(buttons(home.body.view.blocks, ACTION.removeSlot).map((b) => b.value)).toEqual([slot.id]);
  });
});

describe('cancelling as the coach', () => {
  it('cancels from the booking DM with a reason, and the DM then shows it cancelled', async () => {
    const h = harness();
    const { session, channel, ts, coach } = await bookedSession(h, 'UCAN1');
    const modal = await pressInMessage(h, 'UCAN1', ACTION.openCancelSession, session.id, channel, ts);
    expect(modal.callback_id).toBe(CALLBACK.cancelSession);
    expect(visibleText(modal.blocks)).toContain('Wed 4 Mar, 15:00–17:00');
    const since = h.slack.mark();

    const response = await h.requests.viewSubmission({ userId: 'UCAN1', view: modal, values: typed.reason('Double-booked, sorry') });

    expect(response.text).toBe('');
    const cancelled = await h.core.bookings.getForCoach(coach.id, session.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.cancellation).toMatchObject({ by: 'coach', reason: 'Double-booked, sorry' });
    const update = await h.slack.waitForCall('chat.update', { since });
    expect(update.body).toMatchObject({ channel, ts });
    expect(visibleText(update.body.blocks)).toContain('Cancelled by you.');
    expect(buttons(update.body.blocks, ACTION.openCancelSession)).toHaveLength(0);
    expect((await h.core.slots.get(session.slotId)).status).toBe('withdrawn');
    // The coach acted in the DM; no second DM about their own cancellation.
    expect(h.slack.callsTo('chat.postMessage', since).filter((c) => c.body.channel === 'DUCAN1')).toHaveLength(0);
  });

  it('refuses a cancellation past the cutoff inline and keeps the session', async () => {
    const h = harness();
    const { session, channel, ts, coach } = await bookedSession(h, 'UCAN2');
    const modal = await pressInMessage(h, 'UCAN2', ACTION.openCancelSession, session.id, channel, ts);
    h.clock.set('2026-03-04T14:00:00Z'); // one hour before the start; the cutoff is two
    try {
      const response = await h.requests.viewSubmission({ userId: 'UCAN2', view: modal, values: typed.reason(null) });
      expect(response.json).toMatchObject({ response_action: 'errors', errors: { [BLOCK.cancelReason]: expect.stringMatching(/cancelled up to 2 hours before they start/) } });
      expect((await h.core.bookings.getForCoach(coach.id, session.id)).status).toBe('active');
    } finally {
      h.clock.set(START);
    }
  });
});

describe('rating a session', () => {
  it('opens from any message, stores the rating, shows it in that message, and offers Edit rating pre-filled', async () => {
    const h = harness();
    const booked = await bookedSession(h, 'URATE1');
    const { session, coach } = booked;
    h.clock.set('2026-03-04T17:30:00Z');
    try {
      const { modal, ts: promptTs } = await rateFromPrompt(h, 'URATE1', booked);

      expect(modal.title.text).toBe('Rate session');
      const radios = modal.blocks.find((b: { block_id?: string }) => b.block_id === BLOCK.satisfaction).element;
      expect(radios.options.map((o: { text: { text: string } }) => o.text.text)).toEqual(['1 · Very poor', '2 · Poor', '3 · OK', '4 · Good', '5 · Excellent']);
      const notesInput = modal.blocks.find((b: { block_id?: string }) => b.block_id === BLOCK.notes).element;
      expect(notesInput).toMatchObject({ type: 'plain_text_input', multiline: true, max_length: 3000 });

      const notes = 'Great progress <!channel> <@U123> <http://x|y> & more';
      const since = h.slack.mark();
      const response = await h.requests.viewSubmission({ userId: 'URATE1', view: modal, values: merge(typed.satisfaction(4), typed.notes(notes)) });
      expect(response.text).toBe('');
      const rated = await h.core.bookings.getForCoach(coach.id, session.id);
      expect(rated.feedback).toMatchObject({ satisfaction: 4, notes });

      const update = await h.slack.waitForCall('chat.update', { since, where: (c) => c.body.ts === promptTs });
      const text = visibleText(update.body.blocks);
      expect(text).toContain('Your rating: ★★★★☆ 4/5 Good');
      expect(text).toContain('>Great progress &lt;!channel&gt; &lt;@U123&gt; &lt;http://x|y&gt; &amp; more');
      const edit = buttons(update.body.blocks, ACTION.openRateSession);
      expect(edit.map((b) => [b.text.text, b.value])).toEqual([['Edit rating', session.id]]);

      h.clock.advance(60_000);
      const editModal = await pressInMessage(h, 'URATE1', ACTION.openRateSession, session.id, 'DURATE1', promptTs);
      expect(editModal.title.text).toBe('Edit rating');
      const editRadios = editModal.blocks.find((b: { block_id?: string }) => b.block_id === BLOCK.satisfaction).element;
      expect(editRadios.initial_option.value).toBe('4');
      expect(editModal.blocks.find((b: { block_id?: string }) => b.block_id === BLOCK.notes).element.initial_value).toBe(notes);

      await h.requests.viewSubmission({ userId: 'URATE1', view: editModal, values: merge(typed.satisfaction(5), typed.notes('Even better on reflection.')) });
      const edited = await h.core.bookings.getForCoach(coach.id, session.id);
      expect(edited.feedback).toMatchObject({ satisfaction: 5, notes: 'Even better on reflection.', recordedAt: rated.feedback!.recordedAt });
      expect(edited.feedback!.updatedAt.getTime()).toBeGreaterThan(rated.feedback!.updatedAt.getTime());
    } finally {
      h.clock.set(START);
    }
  });

  it('refuses a missing score, a score outside 1-5 and notes over 3,000 characters inline', async () => {
    const h = harness();
    const booked = await bookedSession(h, 'URATE2');
    const { session, coach } = booked;
    h.clock.set('2026-03-04T17:30:00Z');
    try {
      const { modal } = await rateFromPrompt(h, 'URATE2', booked);
      const submit = (values: ReturnType<typeof merge>) => h.requests.viewSubmission({ userId: 'URATE2', view: modal, values });

      expect((await submit(merge(typed.satisfaction(null), typed.notes('x')))).json?.errors).toEqual({ [BLOCK.satisfaction]: 'Pick a score from 1 to 5.' });
      expect((await submit(merge(typed.satisfaction(7), typed.notes('x')))).json?.errors[BLOCK.satisfaction]).toMatch(/from 1 to 5/);
      expect((await submit(merge(typed.satisfaction(3), typed.notes('n'.repeat(3001))))).json?.errors[BLOCK.notes]).toMatch(/at most 3000 characters/);
      expect((await h.core.bookings.getForCoach(coach.id, session.id)).feedback).toBeNull();
    } finally {
      h.clock.set(START);
    }
  });

  it('explains, instead of opening the modal, when the session has not started yet', async () => {
    const h = harness();
    const { session, channel, ts } = await bookedSession(h, 'URATE3');
    const since = h.slack.mark();
    await h.requests.blockAction({ userId: 'URATE3', actionId: ACTION.openRateSession, value: session.id, container: { type: 'message', channel, ts }, responseUrl: h.slack.responseUrl('early') });
    const reply = await h.slack.waitForCall('response_url', { since });
    expect(reply.body.text).toMatch(/rated once it has started/);
    expect(h.slack.callsTo('views.open', since)).toHaveLength(0);
  });

  it("does not let one coach open another coach's session", async () => {
    const h = harness();
    const { session, channel, ts } = await bookedSession(h, 'UOWNER');
    await makeCoach(h, 'UOTHER');
    const since = h.slack.mark();
    await h.requests.blockAction({ userId: 'UOTHER', actionId: ACTION.openCancelSession, value: session.id, container: { type: 'message', channel, ts }, responseUrl: h.slack.responseUrl('other') });
    const reply = await h.slack.waitForCall('response_url', { since });
    expect(reply.body.text).toBe('That session does not exist, or it is not yours.');
    expect(h.slack.callsTo('views.open', since)).toHaveLength(0);
  });
});
