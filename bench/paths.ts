/**
 * `npm run bench:paths`: every database command the hot write paths send, with
 * its filter and its time, at scale. The whole server runs in this process (the
 * same wiring as `npm start`, Slack on the local stand-in) against the database
 * the tests use, seeded like `npm run bench`'s reads; a driver command monitor
 * records each command of
 *
 *   book        POST /api/v1/bookings
 *   cancel      POST /api/v1/bookings/{id}/cancel
 *   reschedule  POST /api/v1/bookings/{id}/reschedule
 *   add slot    a signed "Add availability" view submission: one 10:00 slot of a new coach
 *
 * split into what ran before the answer and what ran after it (events'
 * listeners, jobs delivered at once). A command whose filter is the `_id` alone
 * is keyed (an index seek on every server, the stand-in included); any other
 * filter, `$in` on `_id` included, is a scan on the stand-in.
 *
 *   npm run bench:paths                     10k slots, 5 runs of each path
 *   npm run bench:paths -- --sizes=10k,100k --runs=7
 *   npm run bench:paths -- --trace          every command of the last run of each path
 *   npm run bench:paths -- --slack=off      the HTTP paths alone, as `npm run bench -- --only=reads` runs
 *                                           them: no Slack, so no jobs planned and no App Home republished
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import mongoose, { type Connection } from 'mongoose';
import type { CommandFailedEvent, CommandStartedEvent, CommandSucceededEvent } from 'mongodb';
import { ACTION, BLOCK } from '../bot/ids.js';
import { closeMongo, connectMongo } from '../core/db/connection.js';
import { loadConfig } from '../server/config.js';
import { startDatabase } from '../server/db/database.js';
import { createLogger } from '../server/logger.js';
import { startServer } from '../server/server.js';
import { describeCommand, UPKEEP } from '../test/helpers/commands.js';
import { SlackRequests } from '../test/helpers/slack-signing.js';
import { startSlackStandin, STANDIN_TEAM_ID } from '../test/helpers/slack-standin.js';
import { COACHES_AT_SCALE, parseSize, ScaleSeed } from './seed.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WIDGET_SECRET = 'bench-paths-widget-signing-secret-0123456789';
const SLACK_SECRET = 'bench-paths-slack-signing-secret';
const BOT_TOKEN = 'xoxb-bench-paths';

const args = new Map(process.argv.slice(2).map((a) => {
  const [k, v] = a.replace(/^--/, '').split('=');
  return [k!, v ?? ''];
}));
const SIZES = (args.get('sizes') || '10k').split(',').map(parseSize).sort((a, b) => a - b);
const RUNS = Number(args.get('runs') || 5);
const TRACE = args.has('trace');
const SLACK = args.get('slack') !== 'off';
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error('--runs: a whole number of at least 1');
if (SIZES.some((n) => !Number.isFinite(n) || n < COACHES_AT_SCALE * 8 || n % COACHES_AT_SCALE !== 0)) {
  throw new Error(`--sizes: each size must be a multiple of ${COACHES_AT_SCALE} and at least ${COACHES_AT_SCALE * 8} (10k, 100k)`);
}

/* ------------------------------------------------------------------ the command monitor */

interface Op { path: string; run: number; afterAnswer: boolean; command: string; collection: string; filter: string; keyed: boolean; ms: number }

const phase = { path: 'setup', run: 0, afterAnswer: false };
const ops: Op[] = [];
const started = new Map<number, Omit<Op, 'ms'>>();
let lastActivity = performance.now();

function monitor(connection: Connection): void {
  const client = connection.getClient();
  client.on('commandStarted', (e: CommandStartedEvent) => {
    if (UPKEEP.has(e.commandName)) return;
    lastActivity = performance.now();
    started.set(e.requestId, { path: phase.path, run: phase.run, afterAnswer: phase.afterAnswer, command: e.commandName, ...describeCommand(e) });
  });
  const done = (e: CommandSucceededEvent | CommandFailedEvent) => {
    const s = started.get(e.requestId);
    if (!s) return;
    started.delete(e.requestId);
    lastActivity = performance.now();
    ops.push({ ...s, ms: e.duration });
  };
  client.on('commandSucceeded', done);
  client.on('commandFailed', done);
}

/** Until nothing has been sent to the database for `quietMs` and nothing is in flight: what a request left running is its own. */
async function quiet(quietMs = 400, maxMs = 60_000): Promise<void> {
  const until = performance.now() + maxMs;
  while (performance.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    if (started.size === 0 && performance.now() - lastActivity >= quietMs) return;
  }
}

/* ------------------------------------------------------------------ figures */

const median = (v: number[]) => {
  if (v.length === 0) return NaN;
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const byRun = (of: Op[], run: number) => of.filter((o) => o.run === run);
const round = (n: number) => Math.round(n * 10) / 10;
const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);

/* ------------------------------------------------------------------ the server */

const db = await startDatabase({ purpose: 'test', log: () => {} });
const slack = await startSlackStandin({ token: BOT_TOKEN });
const dbName = `paths_${Date.now()}`;
const before = new Set(mongoose.connections);
const monitoredUri = `${db.uri}${db.uri.includes('?') ? '&' : '?'}monitorCommands=true`;
const config = loadConfig({
  PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', NODE_ENV: 'production', TZ: 'UTC',
  WIDGET_SIGNING_SECRET: WIDGET_SECRET,
  ...(SLACK ? { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SLACK_SECRET, SLACK_API_URL: slack.apiUrl } : {}),
  // As in `npm run bench`: neither the limiter, the outage guard nor the booking limits are what is measured.
  RATE_LIMIT_PER_MINUTE: '1000000', MONGODB_TIMEOUT_MS: '60000',
  STUDENT_DAILY_LIMIT: 'none', STUDENT_WEEKLY_LIMIT: 'none', COACH_DAILY_LIMIT: 'none',
});
const server = await startServer(config, { logger: createLogger({ level: 'silent', production: true }), database: { uri: monitoredUri, dbName } });
const appConnection = mongoose.connections.find((c) => !before.has(c))!;
monitor(appConnection);
const seedConnection = await connectMongo(db.uri, dbName);
const slotsCol = seedConnection.db!.collection('slots');
const requests = new SlackRequests(`${server.url}/slack/events`, SLACK_SECRET, STANDIN_TEAM_ID);

async function http(method: 'GET' | 'POST', url: string, token: string, body?: unknown): Promise<{ status: number; json: any; ms: number }> {
  const t = performance.now();
  const res = await fetch(new URL(url, server.url), {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = await res.json().catch(() => null);
  return { status: res.status, json, ms: performance.now() - t };
}
const tokenFor = (sub: string) =>
  new SignJWT({ name: `Paths Student ${sub}`, phone: '+442079460999' }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt().setExpirationTime('2h').sign(new TextEncoder().encode(WIDGET_SECRET));

/** Runs one traced request: its commands are labelled with the path, those after its answer as such. */
async function traced<T extends { ms: number }>(name: string, run: () => Promise<T>): Promise<T> {
  await quiet();
  phase.path = name;
  phase.afterAnswer = false;
  const result = await run();
  phase.afterAnswer = true;
  await quiet();
  phase.path = 'setup';
  phase.afterAnswer = false;
  return result;
}

const openSlots = (coachId: unknown, n: number) =>
  slotsCol.find({ coachId, status: 'open', startsAt: { $gte: new Date(Date.now() + DAY) } }).sort({ startsAt: 1 }).limit(n).toArray();

/* ------------------------------------------------------------------ the paths */

const seed = new ScaleSeed(seedConnection);
const results: Record<string, unknown>[] = [];
const lines: string[] = [];
const say = (line = '') => {
  console.log(line);
  lines.push(line);
};
say(`npm run bench:paths on ${db.kind}; ${RUNS} runs of each path; Slack ${SLACK ? 'on' : 'off'}; load average ${os.loadavg().map((n) => n.toFixed(2)).join(' ')} on ${os.cpus().length} CPUs`);
let cycle = 0;
try {
  for (const size of SIZES) {
    const seedStarted = performance.now();
    phase.path = 'seed';
    await seed.grow(size);
    const counts = Object.fromEntries(await Promise.all(['slots', 'claims', 'bookings', 'jobs', 'students', 'coaches'].map(async (n) => [n, await seedConnection.db!.collection(n).estimatedDocumentCount()] as const)));
    say(`\n${size.toLocaleString('en')} slots seeded in ${round((performance.now() - seedStarted) / 1000)} s: ${Object.entries(counts).map(([n, c]) => `${n} ${c.toLocaleString('en')}`).join(', ')}`);
    await quiet(1_000, 120_000);
    const walls: Record<string, number[]> = { book: [], cancel: [], reschedule: [], ...(SLACK ? { 'add slot': [] } : {}) };
    const firstOp = ops.length;
    for (let i = 0; i < RUNS; i++) {
      const n = cycle++;
      phase.run = i;
      const token = await tokenFor(`paths-student-${n}`);
      // The student has opened the widget before, as on a real site.
      await http('GET', '/api/v1/me/bookings', token);
      const coachId = seed.coaches[(n * 101 + 7) % COACHES_AT_SCALE]!;
      const [first, second] = await openSlots(coachId, 2);
      if (!first || !second) throw new Error(`coach ${String(coachId)} has no two open slots`);

      const booked = await traced('book', () => http('POST', '/api/v1/bookings', token, { slotId: String(first._id) }));
      if (booked.status !== 201) throw new Error(`booking answered ${booked.status}: ${JSON.stringify(booked.json)}`);
      const bookingId = booked.json.booking.id as string;
      const cancelled = await traced('cancel', () => http('POST', `/api/v1/bookings/${bookingId}/cancel`, token, {}));
      if (cancelled.status !== 200) throw new Error(`cancel answered ${cancelled.status}: ${JSON.stringify(cancelled.json)}`);

      const again = await http('POST', '/api/v1/bookings', token, { slotId: String(first._id) });
      if (again.status !== 201) throw new Error(`booking again answered ${again.status}: ${JSON.stringify(again.json)}`);
      const movedId = again.json.booking.id as string;
      await quiet();
      const moved = await traced('reschedule', () => http('POST', `/api/v1/bookings/${movedId}/reschedule`, token, { slotId: String(second._id) }));
      if (moved.status !== 200) throw new Error(`reschedule answered ${moved.status}: ${JSON.stringify(moved.json)}`);
      // Back as it was, so the next size finds the same open slots.
      const undone = await http('POST', `/api/v1/bookings/${movedId}/cancel`, token, {});
      if (undone.status !== 200) throw new Error(`cancel after the move answered ${undone.status}: ${JSON.stringify(undone.json)}`);

      walls.book!.push(booked.ms);
      walls.cancel!.push(cancelled.ms);
      walls.reschedule!.push(moved.ms);
      console.log(`  ${size.toLocaleString('en')} run ${i + 1}: book ${round(booked.ms)} ms, cancel ${round(cancelled.ms)} ms, reschedule ${round(moved.ms)} ms`);
      if (!SLACK) continue;

      // A new coach: /availability onboards them and opens the modal; the submission adds one slot.
      const userId = `UPATHS${n}`;
      slack.setUser({ id: userId, realName: `Paths Coach ${n}`, tz: 'Europe/London', phone: '+44 20 7946 0958' });
      const since = slack.mark();
      const triggerId = `trg.paths.${n}`;
      const command = await requests.command({ userId, responseUrl: slack.responseUrl('paths'), triggerId });
      if (command.status !== 200) throw new Error(`/availability answered ${command.status}`);
      const opened = await slack.waitForCall('views.open', { since, where: (c) => c.body.trigger_id === triggerId, timeoutMs: 60_000 });
      await quiet();
      const day = new Date(Date.now() + 3 * DAY).toISOString().slice(0, 10);
      const submitted = await traced('add slot', () => requests.viewSubmission({
        userId,
        view: opened.response.view as Record<string, unknown>,
        values: {
          [BLOCK.date]: { [ACTION.date]: { type: 'datepicker', selected_date: day } },
          [BLOCK.times]: { [ACTION.times]: { type: 'multi_static_select', selected_options: [{ text: { type: 'plain_text', text: '10:00' }, value: '10:00' }] } },
          [BLOCK.weeks]: { [ACTION.weeks]: { type: 'number_input', value: null } },
        },
      }));
      // Closed at once, or 'still working' while the slot is being added (the result then replaces the modal); never inline errors.
      if (submitted.status !== 200 || submitted.text.includes('"errors"')) throw new Error(`the submission answered ${submitted.status} ${submitted.text}`);

      walls['add slot']!.push(submitted.ms);
      console.log(`  ${size.toLocaleString('en')} run ${i + 1}: add slot ${round(submitted.ms)} ms`);
    }

    const mine = ops.slice(firstOp);
    const perPath: Record<string, unknown> = {};
    say(`\n${'path'.padEnd(11)} ${'answered in (median)'.padEnd(21)} ${'commands before / after the answer'.padEnd(35)} ${'of them scans'.padEnd(14)} time in scans (median)`);
    for (const [name, wall] of Object.entries(walls)) {
      const of = mine.filter((o) => o.path === name);
      const per = (list: Op[]) => list.length / RUNS;
      const scans = of.filter((o) => !o.keyed);
      const scanMsPerRun = Array.from({ length: RUNS }, (_, r) => r).map((r) => sum(byRun(of, r).filter((o) => !o.keyed).map((o) => o.ms)));
      perPath[name] = {
        answeredMedianMs: round(median(wall)), runsMs: wall.map(round),
        commandsBeforeAnswer: per(of.filter((o) => !o.afterAnswer)), commandsAfterAnswer: per(of.filter((o) => o.afterAnswer)),
        scansPerRun: per(scans), scanMsMedian: round(median(scanMsPerRun)),
        operations: summarise(of),
      };
      say(`${name.padEnd(11)} ${`${round(median(wall))} ms`.padEnd(21)} ${`${per(of.filter((o) => !o.afterAnswer))} / ${per(of.filter((o) => o.afterAnswer))}`.padEnd(35)} ${String(per(scans)).padEnd(14)} ${round(median(scanMsPerRun))} ms`);
    }
    for (const name of Object.keys(walls)) {
      say(`\n${size.toLocaleString('en')}: ${name}, each kind of command per request (median ms over ${RUNS} runs; SCAN = not by _id alone)`);
      for (const s of (perPath[name] as { operations: ReturnType<typeof summarise> }).operations) {
        say(`  ${s.afterAnswer ? 'after ' : 'before'} ${s.keyed ? '     ' : 'SCAN '} ${String(s.perRequest).padStart(4)} × ${`${s.command} ${s.collection}`.padEnd(32)} ${s.filter.padEnd(70)} ${String(s.medianMs).padStart(8)} ms`);
      }
      if (TRACE) {
        say(`  the last run, in order:`);
        for (const o of byRun(mine.filter((x) => x.path === name), RUNS - 1)) say(`    ${o.afterAnswer ? 'after ' : 'before'} ${o.keyed ? '     ' : 'SCAN '} ${o.command} ${o.collection} ${o.filter} ${round(o.ms)} ms`);
      }
    }
    results.push({ size, counts, paths: perPath });
  }
} finally {
  await server.close();
  await seedConnection.dropDatabase().catch(() => {});
  await closeMongo(seedConnection);
  await slack.close();
  await db.stop();
}

function summarise(of: Op[]) {
  const groups = new Map<string, Op[]>();
  for (const o of of) {
    const key = `${o.afterAnswer}|${o.keyed}|${o.command}|${o.collection}|${o.filter}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  return [...groups.values()]
    .map((list) => ({ afterAnswer: list[0]!.afterAnswer, keyed: list[0]!.keyed, command: list[0]!.command, collection: list[0]!.collection, filter: list[0]!.filter, perRequest: list.length / RUNS, medianMs: round(median(list.map((o) => o.ms))) }))
    .sort((a, b) => Number(a.afterAnswer) - Number(b.afterAnswer) || Number(a.keyed) - Number(b.keyed) || b.medianMs * b.perRequest - a.medianMs * a.perRequest);
}

const out = args.get('out') || path.join(ROOT, 'bench/results', `${new Date().toISOString().replace(/[:.]/g, '-')}-paths-${db.kind}${SLACK ? '' : '-slack-off'}.json`);
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify({ server: db.kind, runs: RUNS, sizes: SIZES, loadAverageAtEnd: os.loadavg(), results, table: lines }, null, 2)}\n`);
console.log(`\nwritten to ${path.relative(process.cwd(), out)}`);
