/**
 * The database stalls (SIGSTOP) and then dies (SIGKILL) under a steady load
 * of bookings and reads through a real app process. No request waits more
 * than 2 s on the outage — a 503 problem with Retry-After while the database
 * is away — the app recovers by itself when it is back, and no confirmed
 * booking is lost or doubled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackRequests } from '../helpers/slack-signing.js';
import { startSlackStandin, type SlackStandin } from '../helpers/slack-standin.js';
import { startFaultyDatabase, type FaultyDatabase } from '../helpers/standin.js';
import { withDatabase } from '../process/server-process.js';
import { book, checkBookings, observe, openCore, runLoad, seedSlots, sleep, startAppProcess, studentTokens, type AppProcess, type Observation } from './harness.js';

const OUTAGE_MS = 6_000;
const ANSWER_WITHIN_MS = 2_000;

let db: FaultyDatabase;
let app: AppProcess;
let uri: string;
let coachId: string;
let slotIds: string[];
let slack: SlackStandin;
let slackRequests: SlackRequests;
const SLACK_SECRET = 'outage-slack-signing-secret-0123';

beforeAll(async () => {
  slack = await startSlackStandin({ token: 'xoxb-outage' });
  slack.setUser({ id: 'UOUTAGE', realName: 'Outage Coach', phone: '+44 20 7946 0321', tz: 'Europe/London' });
  db = await startFaultyDatabase();
  uri = withDatabase(db.uri, 'outage');
  const seed = await openCore(uri);
  ({ coachId, slotIds } = await seedSlots(seed.core, 150));
  await seed.close();
  app = await startAppProcess(uri, { SLACK_BOT_TOKEN: 'xoxb-outage', SLACK_SIGNING_SECRET: SLACK_SECRET, SLACK_API_URL: slack.apiUrl });
  slackRequests = new SlackRequests(`${app.base}/slack/events`, SLACK_SECRET);
});

afterAll(async () => {
  await app?.stop();
  await db?.stop();
  await slack?.close();
});

/** A coach runs `/availability list` while the database is away: Slack gets its ack in time and a friendly ephemeral reply. */
async function slackDuringOutage(): Promise<{ ackMs: number; status: number; reply: string }> {
  const since = slack.mark();
  const response = await slackRequests.command({ userId: 'UOUTAGE', text: 'list', responseUrl: slack.responseUrl('outage') });
  const posted = await slack.waitForCall('response_url', { since, timeoutMs: 10_000 });
  return { ackMs: response.ms, status: response.status, reply: `${posted.body.response_type} ${JSON.stringify(posted.body)}` };
}

/** Bookings on fresh slots and reads, by 6 clients at once, each waiting for its answer before the next. */
async function underLoad(during: (load: { seen: Observation[] }) => Promise<void>): Promise<Observation[]> {
  const students = await studentTokens(30);
  let nextSlot = 0;
  const load = runLoad(6, (worker, i) => {
    const student = students[(worker * 7 + i) % students.length]!;
    if (i % 3 === 0) {
      const from = new Date().toISOString();
      const to = new Date(Date.now() + 30 * 24 * 3_600_000).toISOString();
      return observe('slots', `${app.base}/api/v1/coaches/${coachId}/slots?from=${from}&to=${to}`, {});
    }
    if (i % 3 === 1) return observe('mine', `${app.base}/api/v1/me/bookings`, { headers: student.headers });
    const slotId = slotIds[nextSlot++ % slotIds.length]!;
    return book(app.base, student.headers, slotId);
  });
  await during(load);
  return load.stop();
}

/** Waits until a database-backed read succeeds again; how long that took. */
async function recovery(since: number): Promise<number> {
  for (;;) {
    const seen = await observe('slots', `${app.base}/api/v1/coaches/${coachId}/slots?from=${new Date().toISOString()}&to=${new Date(Date.now() + 86_400_000 * 30).toISOString()}`, {}, 5_000);
    if (seen.status === 200) return Date.now() - since;
    if (Date.now() - since > 30_000) throw new Error(`no recovery within 30 s (last: ${seen.status} ${seen.code ?? seen.error})`);
    await sleep(100);
  }
}

/**
 * What the outage costs a caller: a request started inside it waits its whole
 * time; one already under way when the database stopped waits from that
 * moment (what it spent before is the load's, not the outage's, and is
 * reported apart).
 */
function summarise(label: string, seen: Observation[], window: { from: number; to: number }) {
  const inside = seen.filter((o) => o.startedAt >= window.from && o.startedAt + o.ms <= window.to);
  const underWay = seen.filter((o) => o.startedAt < window.from && o.startedAt + o.ms > window.from);
  const waits = [...seen.filter((o) => o.startedAt >= window.from && o.startedAt <= window.to).map((o) => o.ms), ...underWay.map((o) => o.startedAt + o.ms - window.from)];
  const slowest = Math.max(0, ...waits);
  const before = seen.filter((o) => o.startedAt + o.ms < window.from && o.startedAt > window.from - 2_000).map((o) => o.ms).sort((x, y) => x - y);
  const statuses = new Map<string, number>();
  for (const o of inside) statuses.set(`${o.status} ${o.code ?? o.error ?? ''}`.trim(), (statuses.get(`${o.status} ${o.code ?? o.error ?? ''}`.trim()) ?? 0) + 1);
  console.log(
    `${label}: ${inside.length} requests inside the outage, ${JSON.stringify(Object.fromEntries(statuses))}; the longest anyone waited on it ${slowest} ms ` +
      `(${underWay.length} under way when it began, answered within ${Math.max(0, ...underWay.map((o) => o.startedAt + o.ms - window.from))} ms of it; ` +
      `in the 2 s before it, median ${before[Math.floor(before.length / 2)] ?? 0} ms, slowest ${before.at(-1) ?? 0} ms)`,
  );
  return { inside, slowest };
}

function expectOutageAnswers(inside: Observation[], slowest: number) {
  expect(inside.length).toBeGreaterThan(10);
  expect(slowest).toBeLessThanOrEqual(ANSWER_WITHIN_MS);
  for (const o of inside) {
    expect({ status: o.status, code: o.code, problem: o.contentType?.startsWith('application/problem+json') ?? false, retryAfter: o.retryAfter !== null }).toEqual({
      status: 503,
      code: 'service.unavailable',
      problem: true,
      retryAfter: true,
    });
  }
}

describe('a database that stalls, then dies, under load', () => {
  it('answers 503 within 2 s throughout, recovers without a restart, and keeps every confirmed booking once', async () => {
    let paused = { from: 0, to: 0 };
    let killed = { from: 0, to: 0 };
    let recoveredAfterPause = 0;
    let recoveredAfterKill = 0;
    let slackSeen = { ackMs: 0, status: 0, reply: '' };
    const seen = await underLoad(async () => {
      await sleep(2_000);
      db.pause();
      paused = { from: Date.now(), to: 0 };
      await sleep(1_000);
      slackSeen = await slackDuringOutage();
      await sleep(Math.max(0, OUTAGE_MS - (Date.now() - paused.from)));
      paused.to = Date.now();
      db.resume();
      recoveredAfterPause = await recovery(paused.to);
      await sleep(2_000);

      await db.kill();
      killed = { from: Date.now(), to: 0 };
      await sleep(OUTAGE_MS);
      killed.to = Date.now();
      await db.start();
      recoveredAfterKill = await recovery(killed.to);
      await sleep(2_000);
    });

    const stall = summarise('SIGSTOP', seen, paused);
    const crash = summarise('SIGKILL', seen, killed);
    console.log(`recovered ${recoveredAfterPause} ms after SIGCONT, ${recoveredAfterKill} ms after the restart; ${seen.length} requests in all`);
    expectOutageAnswers(stall.inside, stall.slowest);
    expectOutageAnswers(crash.inside, crash.slowest);
    console.log(`Slack during the stall: ack ${Math.round(slackSeen.ackMs)} ms, status ${slackSeen.status}, reply ${slackSeen.reply.slice(0, 160)}`);
    expect(slackSeen.status).toBe(200);
    expect(slackSeen.ackMs).toBeLessThan(3_000);
    expect(slackSeen.reply).toMatch(/^ephemeral /);
    expect(slackSeen.reply).toContain('The booking service is busy. Try again in a moment.');
    expect(recoveredAfterPause).toBeLessThan(10_000);
    expect(recoveredAfterKill).toBeLessThan(10_000);
    // Nothing but 503 ever signalled a failure on our side, and every answer came.
    expect(seen.filter((o) => o.status === 0 || (o.status >= 500 && o.status !== 503))).toEqual([]);
    expect(app.server.child.exitCode).toBeNull();

    const confirmed = seen.filter((o) => o.status === 201).map((o) => o.bookingId!);
    expect(confirmed.length).toBeGreaterThan(5);
    expect(new Set(confirmed).size).toBe(confirmed.length);
    const check = await openCore(uri);
    try {
      const { missing, doubleBookedSlots } = await checkBookings(check.connection, confirmed);
      expect(missing).toEqual([]);
      expect(doubleBookedSlots).toEqual([]);
    } finally {
      await check.close();
    }
  });
});
