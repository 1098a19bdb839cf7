import { beforeAll, describe, expect, it } from 'vitest';
import { ACTION, BLOCK, CALLBACK } from '../../bot/ids.js';
import type { Coach } from '../../core/coaches/coach.schema.js';
import type { StudentSession } from '../../core/bookings/booking.schema.js';
import type { Slot } from '../../core/slots/slot.schema.js';
import { buttons, merge, typed, visibleText } from './bot-fixture.js';
import { useOAuthHarness, type OAuthHarness } from './oauth-fixture.js';

// Monday 2 March 2026, 09:00 UTC.
const START = '2026-03-02T09:00:00Z';
const harness = useOAuthHarness(START);
const A = 'TALPHA';
const B = 'TBRAVO';
/** One Slack user id in both workspaces (as a person shared across an Enterprise Grid has): a coach only in A. */
const SHARED_USER = 'USHARED';
const STUDENT_PHONE = '+1 202 555 0147';

let alpha: Coach;
let bravo: Coach;
let alphaOpen: Slot;
let alphaSession: StudentSession;
let alphaDm: { channel: string; ts: string };

beforeAll(async () => {
  const h = harness();
  await h.install({ teamId: A, teamName: 'Alpha' });
  await h.install({ teamId: B, teamName: 'Bravo' });
  h.slack.setUser({ id: SHARED_USER, realName: 'Shared Person', phone: '+44 20 7946 0958' });
  h.slack.setUser({ id: 'UBRAVO', realName: 'Bravo Coach', phone: '+44 20 7946 0959' });
  ({ coach: alpha } = await h.core.coaches.onboard({ teamId: A, slackUserId: SHARED_USER, name: 'Alpha Coach', timezone: 'Europe/London', phone: '+44 20 7946 0958' }));
  ({ coach: bravo } = await h.core.coaches.onboard({ teamId: B, slackUserId: 'UBRAVO', name: 'Bravo Coach', timezone: 'Europe/London', phone: '+44 20 7946 0959' }));
  alphaOpen = await h.core.slots.create(alpha.id, { startsAt: '2026-03-05T10:00:00Z' });
  const booked = await h.core.slots.create(alpha.id, { startsAt: '2026-03-04T10:00:00Z' });
  await h.core.slots.create(bravo.id, { startsAt: '2026-03-04T14:00:00Z' });
  const student = await h.core.students.upsert({ externalId: 'alpha-student', name: 'Alpha Student', phone: STUDENT_PHONE });
  const since = h.slack.mark();
  alphaSession = await h.core.bookings.book(student.id, { slotId: booked.id });
  const dm = await h.slack.waitForCall('chat.postMessage', { since, where: (c) => c.body.channel === `D${SHARED_USER}` });
  alphaDm = { channel: dm.response.channel as string, ts: dm.response.ts as string };
});

/** Everything the app told Slack since `since` outside workspace A (B's token, response URLs), for "nothing of A leaked" checks. */
function shownSince(h: OAuthHarness, since: number): string {
  return h.slack.calls.filter((c) => c.seq >= since && c.teamId !== A).map((c) => JSON.stringify(c.body)).join('\n');
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 250));

describe('two workspaces stay apart', () => {
  it('sends each workspace’s DMs with its own token', async () => {
    const h = harness();
    const dm = h.slack.callsTo('chat.postMessage').find((c) => c.body.channel === `D${SHARED_USER}`)!;
    expect(dm.teamId).toBe(A);
    expect(visibleText(dm.body.blocks)).toContain(STUDENT_PHONE);
  });

  it('resolves the person within the request’s workspace: a coach in A is nobody in B', async () => {
    const h = harness();
    const since = h.slack.mark();
    const list = await h.from(B).command({ userId: SHARED_USER, text: 'list', responseUrl: h.slack.responseUrl('list') });
    expect(list.status).toBe(200);
    const reply = await h.slack.waitForCall('response_url', { since });
    expect(visibleText(reply.body.blocks) + reply.body.text).toContain('You are not set up as a coach yet');
    expect(shownSince(h, since)).not.toContain('Alpha');

    const home = await h.from(B).appHomeOpened(SHARED_USER);
    expect(home.status).toBe(200);
    // A's own App Home may be republished meanwhile (its booking); B's publish is the one this request caused.
    const published = await h.slack.waitForCall('views.publish', { since, where: (c) => c.body.user_id === SHARED_USER && c.teamId === B });
    expect(published.response.view.team_id).toBe(B);
    expect(visibleText(published.body.view.blocks)).not.toContain('Alpha');
    const shown = shownSince(h, since);
    expect(shown).not.toContain(STUDENT_PHONE.replace(/ /g, ''));
    expect(shown).not.toContain('Alpha Student');
  });

  it('lists only B’s slots and sessions to B’s coach, on /availability list and App Home', async () => {
    const h = harness();
    const since = h.slack.mark();
    await h.from(B).command({ userId: 'UBRAVO', text: 'list', responseUrl: h.slack.responseUrl('list') });
    const reply = await h.slack.waitForCall('response_url', { since });
    expect(buttons(reply.body.blocks, ACTION.removeSlot)).toHaveLength(1);
    await h.from(B).appHomeOpened('UBRAVO');
    await h.slack.waitForCall('views.publish', { since, where: (c) => c.body.user_id === 'UBRAVO' && c.teamId === B });
    const shown = shownSince(h, since);
    expect(shown).not.toContain(alphaOpen.id);
    expect(shown).not.toContain(alphaSession.id);
    expect(shown).not.toContain('Alpha Student');
  });

  it('cannot open, cancel or rate A’s session from B, by button or by form', async () => {
    const h = harness();
    for (const actionId of [ACTION.openCancelSession, ACTION.openRateSession]) {
      const since = h.slack.mark();
      const press = await h.from(B).blockAction({ userId: 'UBRAVO', actionId, value: alphaSession.id, container: { type: 'message', channel: 'DUBRAVO', ts: '1700000000.000001' }, responseUrl: h.slack.responseUrl('press') });
      expect(press.status).toBe(200);
      const reply = await h.slack.waitForCall('response_url', { since });
      expect(reply.body.text).toMatch(/does not exist, or it is not yours/);
      expect(h.slack.callsTo('views.open', since)).toHaveLength(0);
      expect(shownSince(h, since)).not.toContain('Alpha Student');
    }

    // Forms carry the session id in private_metadata; one pointing at A's session changes nothing.
    const metadata = JSON.stringify({ bookingId: alphaSession.id });
    const cancel = await h.from(B).viewSubmission({ userId: 'UBRAVO', view: { id: 'VFORGED1', callback_id: CALLBACK.cancelSession, private_metadata: metadata, blocks: [] }, values: typed.reason('taken over') });
    expect(cancel.json).toMatchObject({ response_action: 'errors', errors: { [BLOCK.cancelReason]: expect.stringMatching(/does not exist, or it is not yours/) } });
    const rate = await h.from(B).viewSubmission({ userId: 'UBRAVO', view: { id: 'VFORGED2', callback_id: CALLBACK.rateSession, private_metadata: metadata, blocks: [] }, values: merge(typed.satisfaction(1), typed.notes('not mine')) });
    expect(rate.status).toBe(200);
    expect(JSON.stringify(rate.json ?? {})).not.toContain('Alpha');
    await settle();
    const session = await h.core.bookings.getForCoach(alpha.id, alphaSession.id);
    expect(session.status).toBe('active');
    expect(session.feedback).toBeNull();
  });

  it('cannot remove A’s open slot from B', async () => {
    const h = harness();
    const since = h.slack.mark();
    await h.from(B).blockAction({ userId: 'UBRAVO', actionId: ACTION.removeSlot, value: alphaOpen.id, container: { type: 'message', channel: 'DUBRAVO', ts: '1700000000.000002' }, responseUrl: h.slack.responseUrl('remove') });
    const reply = await h.slack.waitForCall('response_url', { since });
    expect(reply.body.text).not.toMatch(/removed/i);
    expect((await h.core.slots.get(alphaOpen.id)).status).toBe('open');
  });

  it('offers a student in B only B’s coaches and times in /coaching, and never books A’s slot sent by id', async () => {
    const h = harness();
    h.slack.setUser({ id: 'UBSTUDENT', realName: 'Bravo Student', tz: 'Europe/London', phone: '+44 20 7946 0960' });
    const since = h.slack.mark();
    const command = await h.from(B).command({ userId: 'UBSTUDENT', command: '/coaching', responseUrl: h.slack.responseUrl('coaching') });
    expect(command.status).toBe(200);
    const opened = await h.slack.waitForCall('views.open', { since, where: (c) => c.body.view?.callback_id === CALLBACK.bookSession });
    expect(opened.teamId).toBe(B);
    let view = opened.response.view;

    const suggestions = await h.from(B).blockSuggestion({ userId: 'UBSTUDENT', actionId: ACTION.bookCoach, blockId: BLOCK.bookCoach, value: '', view });
    expect(suggestions.json!.options.map((o: { value: string }) => o.value)).toEqual(['any', bravo.id]);

    // "Any coach": A's open Thursday is not among the days, only B's Wednesday.
    const dayBlock = (v: typeof view) => (v.blocks as Array<{ block_id?: string; element?: { options?: Array<{ value: string }> } }>).find((b) => b.block_id?.startsWith(`${BLOCK.bookDay}:`))!;
    expect(dayBlock(view).element!.options!.map((o) => o.value)).toEqual(['2026-03-04']);
    const picked = h.slack.mark();
    await h.from(B).blockAction({ userId: 'UBSTUDENT', actionId: ACTION.bookDay, value: '', blockId: dayBlock(view).block_id!, container: { type: 'view', view }, select: { type: 'static_select', option: { text: 'Wed 4 Mar', value: '2026-03-04' } } });
    view = (await h.slack.waitForCall('views.update', { since: picked, where: (c) => c.body.view_id === view.id })).response.view;
    expect(visibleText(view.blocks)).toContain('14:00–16:00');

    // A submission naming A's slot (ids are not secret) books nothing and shows nothing of A.
    const timeBlock = (view.blocks as Array<{ block_id?: string }>).find((b) => b.block_id?.startsWith(`${BLOCK.bookTime}:`))!.block_id!;
    const option = (value: string) => ({ text: { type: 'plain_text', text: value }, value });
    const forged = await h.from(B).viewSubmission({
      userId: 'UBSTUDENT',
      view,
      values: {
        [dayBlock(view).block_id!]: { [ACTION.bookDay]: { type: 'static_select', selected_option: option('2026-03-05') } },
        [timeBlock]: { [ACTION.bookTime]: { type: 'static_select', selected_option: option(alphaOpen.id) } },
      },
    });
    expect(forged.status).toBe(200);
    expect(forged.text).not.toBe('');
    await settle();
    expect((await h.core.slots.get(alphaOpen.id)).status).toBe('open');
    const student = (await h.core.students.findBySlackUser(B, 'UBSTUDENT'))!.student;
    expect((await h.core.bookings.studentUpcoming(student.id)).total).toBe(0);
    const shown = shownSince(h, since);
    expect(shown).not.toContain('Alpha');
    expect(shown).not.toContain(alpha.id);
    expect(shown).not.toContain(alphaOpen.id);
    expect(JSON.stringify(forged.json ?? {})).not.toContain('Alpha');
  });

  it('still lets A’s coach act on their session from A', async () => {
    const h = harness();
    const since = h.slack.mark();
    await h.from(A).blockAction({ userId: SHARED_USER, actionId: ACTION.openCancelSession, value: alphaSession.id, container: { type: 'message', ...alphaDm }, responseUrl: h.slack.responseUrl('own') });
    const opened = await h.slack.waitForCall('views.open', { since });
    expect(opened.teamId).toBe(A);
    expect(opened.response.ok).toBe(true);
  });
});
