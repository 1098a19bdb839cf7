import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, BLOCK, CALLBACK } from '../../bot/ids.js';
import { ADMIN_STATUS_TTL_MS } from '../../bot/admins.js';
import { ManualClock } from '../../core/index.js';
import type { Coach } from '../../core/coaches/coach.schema.js';
import type { StudentSession } from '../../core/bookings/booking.schema.js';
import type { Slot } from '../../core/slots/slot.schema.js';
import type { CallBody } from '../helpers/slack-standin.js';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/smtp.js';
import { buttons, visibleText } from './bot-fixture.js';
import { useOAuthHarness, type OAuthHarness } from './oauth-fixture.js';

// Monday 2 March 2026, 09:00 UTC (London is on GMT).
const START = '2026-03-02T09:00:00Z';
const A = 'TADMINA';
const B = 'TADMINB';
/** Named in ADMIN_SLACK_USER_IDS, in workspace A, and no coach. */
const ENV_ADMIN = 'UENVADMIN';
/** A workspace admin of B, as Slack's users.info says. */
const WORKSPACE_ADMIN = 'UWSADMIN';
const PLAIN = 'UPLAINUSER';

let smtp: SmtpReceiver;
const harness = useOAuthHarness(START, async () => {
  smtp = await startSmtpReceiver();
  return { ADMIN_SLACK_USER_IDS: `${ENV_ADMIN}, UOTHERADMIN`, SMTP_URL: smtp.url };
});
afterAll(async () => smtp?.stop());

let ada: Coach;
let bea: Coach;
let today: StudentSession;
let thursday: StudentSession;
let bravoToday: StudentSession;
let past: StudentSession;
let adaOpen: Slot;

beforeAll(async () => {
  const h = harness();
  await h.install({ teamId: A, teamName: 'Alpha' });
  await h.install({ teamId: B, teamName: 'Bravo' });
  for (const id of [ENV_ADMIN, PLAIN]) h.slack.setUser({ id, tz: 'Europe/London' });
  h.slack.setUser({ id: WORKSPACE_ADMIN, tz: 'Europe/London', isAdmin: true });
  h.slack.setUser({ id: 'UADA', realName: 'Ada Lovelace' });
  h.slack.setUser({ id: 'UBEA', realName: 'Bea Bravo' });
  ({ coach: ada } = await h.core.coaches.onboard({ teamId: A, slackUserId: 'UADA', name: 'Ada Lovelace', timezone: 'Europe/London', phone: '+44 20 7946 0958' }));
  ({ coach: bea } = await h.core.coaches.onboard({ teamId: B, slackUserId: 'UBEA', name: 'Bea Bravo', timezone: 'Europe/London', phone: '+44 20 7946 0959' }));
  // Booked a while ago, so the minimum notice holds for this morning's sessions.
  const early = h.core.withClock(new ManualClock('2026-02-20T09:00:00Z'));
  const sam = await early.students.upsert({ externalId: 'admin-sam', name: 'Sam "the" <Student>', phone: '+1 202 555 0101', email: 'sam@example.org' });
  const tia = await early.students.upsert({ externalId: 'admin-tia', name: 'Tia', phone: '+1 202 555 0102' });
  const bob = await early.students.upsert({ externalId: 'admin-bob', name: 'Bob of Bravo', phone: '+1 202 555 0103' });
  const book = async (coach: Coach, studentId: string, startsAt: string) => early.bookings.book(studentId, { slotId: (await early.slots.create(coach.id, { startsAt })).id });
  today = await book(ada, sam.id, '2026-03-02T14:00:00Z');
  thursday = await book(ada, tia.id, '2026-03-05T10:00:00Z');
  past = await book(ada, tia.id, '2026-02-27T10:00:00Z');
  bravoToday = await book(bea, bob.id, '2026-03-02T15:00:00Z');
  adaOpen = await h.core.slots.create(ada.id, { startsAt: '2026-03-06T10:00:00Z' });
  await h.core.slots.create(ada.id, { startsAt: '2026-03-07T10:00:00Z' });
  await h.app.jobs.runUntilIdle();
});

async function openHome(h: OAuthHarness, team: string, userId: string, shows: (view: CallBody) => boolean = () => true): Promise<CallBody> {
  const since = h.slack.mark();
  const response = await h.from(team).appHomeOpened(userId);
  expect(response.status).toBe(200);
  const call = await h.slack.waitForCall('views.publish', { since, where: (c) => c.body.user_id === userId && shows(c.body.view) });
  expect(call.response.ok).toBe(true);
  return call.response.view as CallBody;
}

const headers = (view: CallBody) => view.blocks.filter((b: CallBody) => b.type === 'header').map((b: CallBody) => b.text.text);

describe('the admin section of App Home', () => {
  it('shows an admin named in ADMIN_SLACK_USER_IDS their workspace’s whole schedule, and nothing of another', async () => {
    const h = harness();
    const view = await openHome(h, A, ENV_ADMIN);
    expect(headers(view)).toEqual(['Workspace schedule', 'Today (1)', 'This week (2)', 'Open slots per coach (1 coach)', 'Unrated, ended over 24 h ago (1)', 'Recent changes']);
    const text = visibleText(view.blocks);
    expect(text).toContain('*Mon 2 Mar, 14:00–16:00* · Ada Lovelace with Sam "the" &lt;Student&gt;');
    expect(text).toContain('*Thu 5 Mar, 10:00–12:00* · Ada Lovelace with Tia');
    expect(text).toContain('*Fri 27 Feb, 10:00–12:00* · Ada Lovelace with Tia');
    expect(buttons(view.blocks, ACTION.adminHistory).map((b) => b.value)).toEqual([past.id]);
    expect(text).toContain('*Ada Lovelace* · 2 open slots');
    expect(text).toContain('*Cancelled in the last 30 days*\n0 (students 0 · coaches 0 · admins 0)');
    // Phones stay between the two people in a session; workspace B does not exist here.
    expect(text).not.toContain('555');
    expect(text).not.toMatch(/Bea|Bravo|Bob/);
    expect(buttons(view.blocks, ACTION.adminCoachSlots).map((b) => b.value)).toEqual([ada.id]);
  });

  it('shows a workspace admin (Slack’s is_admin) their own workspace only, and remembers Slack’s answer for a few minutes', async () => {
    const h = harness();
    const view = await openHome(h, B, WORKSPACE_ADMIN);
    const text = visibleText(view.blocks);
    expect(buttons(view.blocks, ACTION.adminHistory).length + view.blocks.filter((b: CallBody) => b.accessory?.type === 'overflow').length).toBeGreaterThan(0);
    expect(JSON.stringify(view.blocks)).toContain(bravoToday.id);
    expect(text).toContain('Bea Bravo with Bob of Bravo');
    expect(text).not.toMatch(/Ada|Sam|Tia/);

    // Demoted in Slack: still an admin until the remembered answer lapses, by the app's clock.
    h.slack.setUser({ id: WORKSPACE_ADMIN, isAdmin: false });
    expect(headers(await openHome(h, B, WORKSPACE_ADMIN))).toContain('Workspace schedule');
    h.clock.advance(ADMIN_STATUS_TTL_MS + 1_000);
    try {
      const after = await openHome(h, B, WORKSPACE_ADMIN);
      expect(headers(after)).not.toContain('Workspace schedule');
      expect(visibleText(after.blocks)).toContain('Run `/availability`');
    } finally {
      h.clock.set(START);
      h.slack.setUser({ id: WORKSPACE_ADMIN, isAdmin: true });
    }
  });

  it('gives someone who is no admin nothing of it', async () => {
    const h = harness();
    const view = await openHome(h, A, PLAIN);
    expect(headers(view)).toEqual(['Coaching sessions']);
    // A coach who is no admin sees their own coaching and no way into the workspace's.
    const coachView = await openHome(h, A, 'UADA');
    expect(headers(coachView)).toContain('Your coaching');
    expect(buttons(coachView.blocks, ACTION.homeMode)).toEqual([]);
  });

  it('refuses admin buttons and forms sent by someone who is no admin, and changes nothing', async () => {
    const h = harness();
    const view = await openHome(h, A, ENV_ADMIN);
    const since = h.slack.mark();
    const press = await h.from(A).blockAction({ userId: PLAIN, actionId: ACTION.adminSessionMenu, value: '', overflow: `cancel:${today.id}`, container: { type: 'view', view } });
    expect(press.status).toBe(200);
    const told = await h.slack.waitForCall('chat.postMessage', { since, where: (c) => c.body.channel === `D${PLAIN}` });
    expect(told.body.text).toContain('Only admins of this workspace can do that');
    expect(h.slack.callsTo('views.open', since)).toEqual([]);

    const forged = await h.from(A).viewSubmission({
      userId: PLAIN,
      view: { id: 'VFORGED1', hash: 'h1', callback_id: CALLBACK.adminCancelSession, private_metadata: JSON.stringify({ bookingId: today.id }) },
      values: { [BLOCK.adminCancelReason]: { [ACTION.cancelReason]: { type: 'plain_text_input', value: 'forged' } } },
    });
    expect(forged.json).toMatchObject({ response_action: 'errors', errors: { [BLOCK.adminCancelReason]: expect.stringContaining('Only admins') } });
    expect((await h.core.admin.session(today.id, { teamId: A })).status).toBe('active');
  });

  it('keeps an admin of one workspace away from another’s sessions, even with its ids', async () => {
    const h = harness();
    // ENV_ADMIN is an admin wherever they use the app; from B, they act as B's admin.
    const forged = await h.from(B).viewSubmission({
      userId: ENV_ADMIN,
      view: { id: 'VFORGED2', hash: 'h2', callback_id: CALLBACK.adminCancelSession, private_metadata: JSON.stringify({ bookingId: today.id }) },
      values: { [BLOCK.adminCancelReason]: { [ACTION.cancelReason]: { type: 'plain_text_input', value: 'not yours' } } },
    });
    expect(forged.json).toMatchObject({ response_action: 'errors', errors: { [BLOCK.adminCancelReason]: expect.stringContaining('That session does not exist, or it is not yours') } });
    expect((await h.core.admin.session(today.id, { teamId: A })).status).toBe('active');
  });

  it('lets an admin cancel any session with a reason: the coach’s DM changes, the coach is told, the student is emailed', async () => {
    const h = harness();
    const home = await openHome(h, A, ENV_ADMIN);
    let since = h.slack.mark();
    await h.from(A).blockAction({ userId: ENV_ADMIN, actionId: ACTION.adminSessionMenu, value: '', overflow: `cancel:${today.id}`, container: { type: 'view', view: home } });
    const modal = (await h.slack.waitForCall('views.open', { since })).response.view as CallBody;
    expect(modal.callback_id).toBe(CALLBACK.adminCancelSession);
    expect(visibleText(modal.blocks)).toContain('The coach gets a DM and their booking message changes to cancelled');

    // The reason is required: an empty one is refused under the field.
    const empty = await h.from(A).viewSubmission({ userId: ENV_ADMIN, view: modal, values: { [BLOCK.adminCancelReason]: { [ACTION.cancelReason]: { type: 'plain_text_input', value: '  ' } } } });
    expect(empty.json).toMatchObject({ response_action: 'errors', errors: { [BLOCK.adminCancelReason]: expect.stringContaining('Give a reason') } });

    since = h.slack.mark();
    const mails = smtp.mails.length;
    const submitted = await h.from(A).viewSubmission({
      userId: ENV_ADMIN,
      view: modal,
      values: { [BLOCK.adminCancelReason]: { [ACTION.cancelReason]: { type: 'plain_text_input', value: 'Ada is ill <!channel>' } } },
    });
    expect(submitted.status).toBe(200);
    expect(submitted.text).toBe('');
    await h.app.jobs.runUntilIdle();

    // What the student's widget reads: cancelled by the organisers, with the reason.
    const studentId = (await h.core.admin.session(today.id, { teamId: A })).student.id;
    const session = await h.core.bookings.getForStudent(studentId, today.id);
    expect(session.cancellation).toMatchObject({ by: 'admin', reason: 'Ada is ill <!channel>' });
    const updated = h.slack.callsTo('chat.update', since).find((c) => c.body.channel === 'DUADA');
    expect(visibleText(updated?.body.blocks)).toContain('Cancelled by an admin of your workspace.');
    const dm = h.slack.callsTo('chat.postMessage', since).find((c) => c.body.channel === 'DUADA');
    const dmText = visibleText(dm?.body.blocks);
    expect(dmText).toContain('An admin of your workspace cancelled your session with *Sam "the" &lt;Student&gt;* on *Mon 2 Mar, 14:00–16:00*');
    expect(dmText).toContain('The student gets an email saying so, with the reason');
    expect(dmText).toContain('Ada is ill &lt;!channel&gt;');
    const [mail] = await smtp.waitFor(mails + 1);
    const email = smtp.mails.at(-1)!;
    expect(mail).toBeDefined();
    expect(email.to).toEqual(['sam@example.org']);
    expect(email.parsed.text).toContain('has been cancelled by the organisers');
    expect(email.parsed.text).toContain('The reason: Ada is ill <!channel>');

    // The audit trail names the admin; the admin's home counts the cancellation.
    const { entries } = await h.core.admin.history(today.id, { teamId: A });
    expect(entries.at(-1)).toMatchObject({ action: 'booking.cancelled', actor: { kind: 'admin', id: ENV_ADMIN } });
    const after = await openHome(h, A, ENV_ADMIN, (v) => visibleText(v.blocks).includes('admins 1'));
    expect(headers(after)).toContain('Today (0)');
  });

  it('opens a session’s history for an admin, with who did what', async () => {
    const h = harness();
    const home = await openHome(h, A, ENV_ADMIN);
    const since = h.slack.mark();
    await h.from(A).blockAction({ userId: ENV_ADMIN, actionId: ACTION.adminSessionMenu, value: '', overflow: `history:${thursday.id}`, container: { type: 'view', view: home } });
    const modal = (await h.slack.waitForCall('views.open', { since })).response.view as CallBody;
    const text = visibleText(modal.blocks);
    expect(text).toContain('Ada Lovelace (coach) added the slot at Thu 5 Mar 10:00');
    expect(text).toContain('Tia (student) booked Thu 5 Mar 10:00');
  });

  it('lets an admin remove any open slot; the coach is told by DM', async () => {
    const h = harness();
    const home = await openHome(h, A, ENV_ADMIN);
    let since = h.slack.mark();
    await h.from(A).blockAction({ userId: ENV_ADMIN, actionId: ACTION.adminCoachSlots, value: ada.id, container: { type: 'view', view: home } });
    const modal = (await h.slack.waitForCall('views.open', { since })).response.view as CallBody;
    expect(buttons(modal.blocks, ACTION.adminRemoveSlot).map((b) => b.value)).toContain(adaOpen.id);

    since = h.slack.mark();
    await h.from(A).blockAction({ userId: ENV_ADMIN, actionId: ACTION.adminRemoveSlot, value: adaOpen.id, container: { type: 'view', view: modal } });
    const refreshed = await h.slack.waitForCall('views.update', { since });
    expect(buttons(refreshed.body.view.blocks, ACTION.adminRemoveSlot).map((b: CallBody) => b.value)).not.toContain(adaOpen.id);
    const dm = await h.slack.waitForCall('chat.postMessage', { since, where: (c) => c.body.channel === 'DUADA' });
    expect(visibleText(dm.body.blocks)).toContain(`<@${ENV_ADMIN}> (an admin) removed your open slot on *Fri 6 Mar, 10:00–12:00*`);
    expect((await h.core.slots.get(adaOpen.id)).status).toBe('removed');
    const [removal] = (await h.core.admin.overview({ teamId: A }, { zone: 'UTC', listSize: 5 })).recent;
    expect(removal).toMatchObject({ action: 'slot.removed', actor: { kind: 'admin', id: ENV_ADMIN } });
  });

  it('lets an admin who also coaches switch between their coaching and the workspace', async () => {
    const h = harness();
    h.slack.setUser({ id: 'UBEA', isOwner: true });
    // Slack's earlier answer (no admin) is remembered for a few minutes.
    h.clock.advance(ADMIN_STATUS_TTL_MS + 1_000);
    const coachView = await openHome(h, B, 'UBEA');
    expect(headers(coachView)).toContain('Your coaching');
    const [toAdmin] = buttons(coachView.blocks, ACTION.homeMode);
    expect(toAdmin?.value).toBe('admin');
    let since = h.slack.mark();
    await h.from(B).blockAction({ userId: 'UBEA', actionId: ACTION.homeMode, value: 'admin', container: { type: 'view', view: coachView } });
    const adminView = (await h.slack.waitForCall('views.publish', { since, where: (c) => c.body.user_id === 'UBEA' })).response.view as CallBody;
    expect(headers(adminView)[0]).toBe('Workspace schedule');
    since = h.slack.mark();
    await h.from(B).blockAction({ userId: 'UBEA', actionId: ACTION.homeMode, value: 'coach', container: { type: 'view', view: adminView } });
    const back = (await h.slack.waitForCall('views.publish', { since, where: (c) => c.body.user_id === 'UBEA' })).response.view as CallBody;
    expect(headers(back)[0]).toBe('Your coaching');
    h.clock.set(START);
  });
});

describe('the sessions export in Slack', () => {
  it('sends an admin the sessions of a date range as a CSV file in a DM, through the form', async () => {
    const h = harness();
    let since = h.slack.mark();
    await h.from(A).command({ userId: ENV_ADMIN, text: 'export', responseUrl: h.slack.responseUrl('export') });
    const modal = (await h.slack.waitForCall('views.open', { since })).response.view as CallBody;
    expect(modal.callback_id).toBe(CALLBACK.adminExport);

    // The last day before the first is refused under the field, and nothing is sent.
    const backwards = await h.from(A).viewSubmission({ userId: ENV_ADMIN, view: modal, values: exportDays('2026-03-08', '2026-03-01') });
    expect(backwards.json).toMatchObject({ response_action: 'errors', errors: { [BLOCK.exportTo]: 'The last day must not come before the first.' } });

    since = h.slack.mark();
    const files = h.slack.files.length;
    const submitted = await h.from(A).viewSubmission({ userId: ENV_ADMIN, view: modal, values: exportDays('2026-02-23', '2026-03-08') });
    expect(submitted.text).toBe('');
    const completed = await h.slack.waitForCall('files.completeUploadExternal', { since });
    expect(completed.response.ok).toBe(true);
    expect(completed.teamId).toBe(A);
    const file = h.slack.files[files]!;
    expect(file).toMatchObject({ filename: 'sessions-2026-02-23-to-2026-03-08.csv', completed: { channelId: `D${ENV_ADMIN}` } });
    const records = parse(file.bytes!.toString('utf8'), { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(records[0]!)).toEqual(['coach', 'student', 'start_utc', 'end_utc', 'coach_time_zone', 'start_coach_time', 'end_coach_time', 'status', 'score']);
    expect(records.map((r) => [r.student, r.start_utc, r.status])).toEqual([
      ['Tia', '2026-02-27T10:00:00.000Z', 'active'],
      ['Sam "the" <Student>', '2026-03-02T14:00:00.000Z', 'cancelled'],
      ['Tia', '2026-03-05T10:00:00.000Z', 'active'],
    ]);
  });

  it('adds the notes of an admin’s own sessions only, with the range given as arguments', async () => {
    const h = harness();
    h.slack.setUser({ id: 'UBEA', isOwner: true });
    h.clock.set('2026-03-02T18:00:00Z');
    try {
      await h.core.feedback.record(bea.id, bravoToday.id, { satisfaction: 5, notes: 'Bea’s own note, "quoted"' });
      h.clock.advance(ADMIN_STATUS_TTL_MS + 1_000);
      const since = h.slack.mark();
      const files = h.slack.files.length;
      const answer = await h.from(B).command({ userId: 'UBEA', text: 'export 2026-03-01 2026-03-07', responseUrl: h.slack.responseUrl('export-args') });
      expect(answer.status).toBe(200);
      await h.slack.waitForCall('files.completeUploadExternal', { since });
      const records = parse(h.slack.files[files]!.bytes!.toString('utf8'), { bom: true, columns: true }) as Array<Record<string, string>>;
      expect(records).toEqual([expect.objectContaining({ coach: 'Bea Bravo', student: 'Bob of Bravo', score: '5', notes: 'Bea’s own note, "quoted"' })]);
    } finally {
      h.clock.set(START);
    }
  });

  it('tells someone who is no admin that export is for admins, and sends nothing', async () => {
    const h = harness();
    const since = h.slack.mark();
    const url = h.slack.responseUrl('export-plain');
    await h.from(A).command({ userId: PLAIN, text: 'export 2026-03-01 2026-03-07', responseUrl: url });
    const reply = await h.slack.waitForCall('response_url', { since });
    expect(visibleText(reply.body.blocks)).toContain('Only admins of this workspace can do that');
    expect(h.slack.callsTo('files.getUploadURLExternal', since)).toEqual([]);
  });
});

function exportDays(from: string, to: string) {
  return {
    [BLOCK.exportFrom]: { [ACTION.exportFrom]: { type: 'datepicker', selected_date: from } },
    [BLOCK.exportTo]: { [ACTION.exportTo]: { type: 'datepicker', selected_date: to } },
  };
}
