import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ManualClock, type Core } from '../../core/index.js';
import { closeMongo, connectMongo } from '../../core/db/connection.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { uniqueDbName } from '../helpers/db.js';
import { startSlackStandin, STANDIN_TEAM_ID, type SlackStandin } from '../helpers/slack-standin.js';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/smtp.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const NOW = '2026-06-01T09:00:00.000Z';
const HOUR = 3_600_000;
const at = (offset: number) => new Date(new Date(NOW).getTime() + offset);
const TOKEN = 'xoxb-test-token';

let slack: SlackStandin;
let smtp: SmtpReceiver;
let hooks: WebhookReceiver;
const clock = new ManualClock(NOW);
const dbName = uniqueDbName('exactly_once');
const apps: TestApp[] = [];

/** One more instance of the app on the shared database, clock, Slack, SMTP server and receiver, polling fast. */
async function instance(): Promise<TestApp> {
  const app = await startTestApp({
    clock,
    dbName,
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: 'exactly-once-signing-secret',
    SLACK_API_URL: slack.apiUrl,
    SMTP_URL: smtp.url,
    WEBHOOK_URLS: hooks.url,
    WEBHOOK_SECRET: 'exactly-once-webhook-secret-0123456789',
    JOBS_POLL_SECONDS: '0.05',
  });
  apps.push(app);
  return app;
}

beforeAll(async () => {
  [slack, smtp, hooks] = await Promise.all([startSlackStandin({ token: TOKEN }), startSmtpReceiver(), startWebhookReceiver()]);
});

afterAll(async () => {
  for (const app of apps) await app.close();
  const connection = await connectMongo(inject('mongoUri'), dbName);
  await connection.dropDatabase();
  await closeMongo(connection);
  await Promise.all([slack.close(), smtp.stop(), hooks.close()]);
});

/** Waits (on the instances' own pollers, no test-driven runs) until nothing due at the current clock is left. */
async function settle(core: Core) {
  for (let i = 0; i < 400; i++) {
    const due = (await core.jobs.list({ status: 'pending' })).filter((j) => j.runAt.getTime() <= clock.now().getTime());
    if (due.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('jobs still due after 20 s');
}

const duplicates = (keys: string[]) => keys.length - new Set(keys).size;

describe('three instances against one database', () => {
  it('send every message exactly once, through a restart in the middle', { timeout: 180_000 }, async () => {
    const [a, b, c] = [await instance(), await instance(), await instance()];
    const sessions: Array<{ id: string; coachId: string; studentId: string }> = [];
    const spare: string[] = [];
    for (let i = 0; i < 6; i++) {
      const via = [a, b, c][i % 3]!.core;
      const user = `UONCE${i}`;
      slack.setUser({ id: user, realName: `Coach ${i}`, tz: 'Europe/London' });
      const { coach } = await via.coaches.onboard({ teamId: STANDIN_TEAM_ID, slackUserId: user, name: `Coach ${i}`, timezone: 'Europe/London', phone: '+442079460958' });
      const slot = await via.slots.create(coach.id, { startsAt: at(48 * HOUR) });
      spare.push((await via.slots.create(coach.id, { startsAt: at(54 * HOUR) })).id);
      const student = await via.students.upsert({ externalId: `once-${i}`, name: `Student ${i}`, phone: '+12125550100', email: `student${i}@students.example` });
      const session = await via.bookings.book(student.id, { slotId: slot.id });
      sessions.push({ id: session.id, coachId: coach.id, studentId: student.id });
    }
    await settle(a.core);

    // Changes through different instances: two moves, one coach cancellation.
    await b.core.bookings.reschedule({ kind: 'student', studentId: sessions[0]!.studentId }, sessions[0]!.id, { slotId: spare[0]! });
    await c.core.bookings.reschedule({ kind: 'student', studentId: sessions[1]!.studentId }, sessions[1]!.id, { slotId: spare[1]! });
    await a.core.bookings.cancelAsCoach(sessions[2]!.coachId, sessions[2]!.id, { reason: 'Ill' });
    await settle(a.core);

    // Restart in the middle: b stops (its pass finishes first), a fresh instance takes its place.
    await b.close();
    apps.splice(apps.indexOf(b), 1);
    const d = await instance();

    // Each moment something falls due: email reminders (24 h, 30 h), Slack reminders (47 h, 53 h, run a little late),
    // prompts (50 h, 56 h), nudges (74 h, 80 h), and long after.
    const moments = [24, 30, 47.5, 50, 53.5, 56, 74, 80, 30 * 24].map((hours) => at(hours * HOUR));
    for (const moment of moments) {
      clock.set(moment);
      await settle(d.core);
      if (moment.getTime() === at(50 * HOUR).getTime()) {
        // One coach rates after the prompt, so their nudge must never come.
        await c.core.feedback.record(sessions[3]!.coachId, sessions[3]!.id, { satisfaction: 5, notes: 'private' });
        await settle(d.core);
      }
    }
    const jobs = await d.core.jobs.list();
    expect(jobs.filter((j) => j.status === 'pending')).toEqual([]);
    expect(jobs.filter((j) => j.status === 'failed')).toEqual([]);
    const done = (prefix: string) => jobs.filter((j) => j.status === 'done' && j.kind.startsWith(prefix) && j.kind !== 'slack.session_update').length;
    const posted = slack.callsTo('chat.postMessage').filter((call) => call.response.ok);
    const updates = slack.callsTo('chat.update').filter((call) => call.response.ok);
    const mails = smtp.mails;
    const received = hooks.hooks;

    const counts = {
      slackMessages: posted.length,
      slackUpdates: updates.length,
      emails: mails.length,
      webhooks: received.length,
      duplicates: {
        slack: duplicates(posted.map((call) => `${call.body.channel}|${call.body.text}`)),
        slackUpdates: duplicates(updates.map((call) => `${call.body.channel}|${call.body.ts}|${call.body.text}`)),
        email: duplicates(mails.map((m) => String(m.parsed.messageId))),
        webhooks: duplicates(received.map((h) => String(h.headers['x-scheduler-event-id']))),
      },
    };
    console.log(`[exactly-once] ${JSON.stringify(counts)}`);
    expect(counts.duplicates).toEqual({ slack: 0, slackUpdates: 0, email: 0, webhooks: 0 });
    expect(posted.length).toBe(done('slack.'));
    expect(updates.length).toBe(jobs.filter((j) => j.status === 'done' && j.kind === 'slack.session_update').length);
    expect(mails.length).toBe(done('email.'));
    expect(received.length).toBe(done('webhook'));
    // What each session got: 6 booking DMs, 5 reminders and prompts (one cancelled), 4 nudges (one rated).
    const texts = posted.map((call) => String(call.body.text));
    expect(texts.filter((t) => t.startsWith('New booking'))).toHaveLength(6);
    expect(texts.filter((t) => t.startsWith('Reminder'))).toHaveLength(5);
    expect(texts.filter((t) => t.startsWith('How did it go'))).toHaveLength(5);
    expect(texts.filter((t) => t.startsWith('Still to rate'))).toHaveLength(4);
    expect(updates).toHaveLength(3);
    // 6 confirmations, 2 updates, 1 cancellation, 5 reminders.
    expect(mails).toHaveLength(14);
    // 6 created, 2 rescheduled, 1 cancelled, 1 rated.
    expect(received).toHaveLength(10);
    // The work was shared: runs were claimed by more than one instance's worker.
    const connection = await connectMongo(inject('mongoUri'), dbName);
    try {
      const workers = await connection.collection('job_runs').distinct('worker');
      expect(workers.length).toBeGreaterThan(1);
    } finally {
      await closeMongo(connection);
    }
  });
});
