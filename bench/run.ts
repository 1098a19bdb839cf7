/**
 * `npm run bench`: the real app (`server/main.ts`, a child process) over HTTP
 * against the database the tests use (MONGODB_URI, mongodb-memory-server or
 * the FerretDB stand-in), five scenarios, one table. The same figures go to
 * bench/results/<time>-<server>.json. Machines here are shared and noisy:
 * quote medians and the ratios measured within one run.
 *
 *   npm run bench                         all scenarios, reads at 10k slots
 *   npm run bench -- --sizes=10k,100k,1M  reads at each size (seeded in bulk, incrementally)
 *   npm run bench -- --only=race,widget   a subset: race, reads, slack, widget
 *   npm run bench -- --out=path.json      somewhere else for the JSON
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest, Agent, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { SignJWT } from 'jose';
import { Types, type Connection } from 'mongoose';
import { ACTION, BLOCK } from '../bot/ids.js';
import { closeMongo, connectMongo } from '../core/db/connection.js';
import { createCore, type Core } from '../core/index.js';
import { startDatabase } from '../server/db/database.js';
import { COACHES_AT_SCALE, gridAfter, parseSize, ScaleSeed } from './seed.js';
import { SlackRequests } from '../test/helpers/slack-signing.js';
import { startSlackStandin, STANDIN_TEAM_ID } from '../test/helpers/slack-standin.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WIDGET_SECRET = randomBytes(32).toString('base64url');
const SLACK_SECRET = 'bench-slack-signing-secret';
const BOT_TOKEN = 'xoxb-bench-token';
const APP_LOG = path.join(ROOT, 'test-output/bench-app.log');

/* ------------------------------------------------------------------ options */

const args = new Map(process.argv.slice(2).map((a) => {
  const [k, v] = a.replace(/^--/, '').split('=');
  return [k!, v ?? ''];
}));
const SIZES = (args.get('sizes') || '10k').split(',').map(parseSize).sort((a, b) => a - b);
const SCENARIOS = ['race', 'slack', 'widget', 'reads'] as const;
type Scenario = (typeof SCENARIOS)[number];
const ONLY = new Set((args.get('only') || SCENARIOS.join(',')).split(','));
const unknown = [...ONLY].filter((n) => !(SCENARIOS as readonly string[]).includes(n));
if (unknown.length) throw new Error(`--only: unknown scenario ${unknown.join(', ')}; choose from ${SCENARIOS.join(', ')}`);
if (SIZES.some((n) => !Number.isFinite(n) || n < COACHES_AT_SCALE * 8 || n % COACHES_AT_SCALE !== 0)) {
  throw new Error(`--sizes: each size must be a multiple of ${COACHES_AT_SCALE} and at least ${COACHES_AT_SCALE * 8} (10k, 100k, 1M)`);
}

/* ------------------------------------------------------------------ figures */

const quantile = (values: number[], q: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
};
const median = (v: number[]) => quantile(v, 0.5);
const round = (n: number, d = 1) => (Number.isFinite(n) ? Math.round(n * 10 ** d) / 10 ** d : null);

interface Row { scenario: string; measure: string; value: string }
const rows: Row[] = [];
const report: Record<string, unknown> = {};
function row(scenario: string, measure: string, value: string) {
  rows.push({ scenario, measure, value });
  console.log(`  ${scenario.padEnd(10)} ${measure.padEnd(58)} ${value}`);
}
const ms = (n: number) => `${round(n)} ms`;

/* ------------------------------------------------------------------ HTTP client */

// Like a load tester: keep-alive connections, at most 256 at a time (more would overflow the
// listen backlog and measure the kernel's SYN retries instead of the app).
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

interface Answer { status: number; body: string; ms: number }
function call(base: string, method: 'GET' | 'POST', url: string, headers: Record<string, string> = {}, body?: string, retried = false): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(url, base), { method, agent, headers: { ...headers, ...(body ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The server closed an idle keep-alive socket just as it was reused: the request never
      // reached the app, so sending it again is safe (Node's documented pattern).
      if (!retried && req.reusedSocket && error.code === 'ECONNRESET') call(base, method, url, headers, body, true).then(resolve, reject);
      else reject(error);
    });
    if (body) req.write(body);
    req.end();
  });
}

async function timed(runs: number, fn: (i: number) => Promise<unknown>, budgetMs = 120_000): Promise<number[]> {
  for (let i = 0; i < 2; i++) await fn(-1 - i); // warm-up
  const samples: number[] = [];
  const deadline = performance.now() + budgetMs;
  for (let i = 0; i < runs && (i < 5 || performance.now() < deadline); i++) {
    const t = performance.now();
    await fn(i);
    samples.push(performance.now() - t);
  }
  return samples;
}

/* ------------------------------------------------------------------ the app under test */

interface AppProcess { url: string; child: ChildProcess; rss(): Promise<number>; peakRss(): Promise<number>; stop(): Promise<void> }

async function startApp(mongoUri: string, env: Record<string, string>): Promise<AppProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      MONGODB_URI: mongoUri,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
      WIDGET_SIGNING_SECRET: WIDGET_SECRET,
      // The race sends 1,000 requests from one address; the limiter is not what is measured.
      RATE_LIMIT_PER_MINUTE: '1000000',
      // Nor is the outage guard: on a shared machine the stand-in may take longer than production's 1.5 s.
      // At 10k slots one GET /coaches keeps it busy for many seconds (a scan per coach), so the most it allows.
      MONGODB_TIMEOUT_MS: '60000',
      // Nor the booking limits: in the race a student asks for two slots (on one day), and the
      // contest measured is for the slot; a refusal by a limit would count as an error.
      STUDENT_DAILY_LIMIT: 'none',
      STUDENT_WEEKLY_LIMIT: 'none',
      COACH_DAILY_LIMIT: 'none',
      TZ: 'UTC',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errors: string[] = [];
  // The app's own log, for finding out why a scenario failed or slowed down.
  await mkdir(path.dirname(APP_LOG), { recursive: true });
  const log = createWriteStream(APP_LOG);
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  createInterface({ input: child.stderr! }).on('line', (l) => errors.push(l));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the app did not start in 120 s: ${errors.slice(-5).join(' | ')}`)), 120_000);
    child.once('exit', (code) => reject(new Error(`the app exited (${code}): ${errors.slice(-5).join(' | ')}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /listening on (http:\/\/\S+?)"/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
  const status = async (field: 'VmRSS' | 'VmHWM') => {
    const text = await readFile(`/proc/${child.pid}/status`, 'utf8');
    return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(text)?.[1] ?? NaN) / 1024;
  };
  return {
    url,
    child,
    rss: () => status('VmRSS'),
    peakRss: () => status('VmHWM'),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const tokenFor = (sub: string, i: number) =>
  new SignJWT({ name: `Bench Student ${i}`, phone: `+44207946${String(i % 1000).padStart(4, '0')}` })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(WIDGET_SECRET));
const auth = (token: string) => ({ authorization: `Bearer ${token}` });


/* ------------------------------------------------------------------ scenario 1 + 5: the race and memory */

async function bookingRace(app: AppProcess, core: Core) {
  const coaches = [];
  for (let i = 0; i < 11; i++) {
    coaches.push((await core.coaches.onboard({ teamId: 'TBENCH', slackUserId: `URACE${i}`, name: `Race Coach ${i}`, timezone: 'Europe/London', phone: '+44 20 7946 0018' })).coach);
  }
  // 100 open slots at distinct times, so the only conflict is a slot already taken.
  const base = gridAfter(2 * DAY);
  const slots: Array<{ id: string }> = [];
  for (let j = 0; j < 100; j++) slots.push(await core.slots.create(coaches[j % 10]!.id, { startsAt: new Date(base.getTime() + j * 2 * HOUR) }));
  const solo: Array<{ id: string }> = [];
  for (let j = 0; j < 20; j++) solo.push(await core.slots.create(coaches[10]!.id, { startsAt: new Date(base.getTime() + j * 2 * HOUR) }));

  const students = await Promise.all(Array.from({ length: 520 }, (_, i) => tokenFor(`race-${i}`, i)));
  // Each student has opened the widget before (their record exists), as on a real site.
  for (let i = 0; i < students.length; i += 50) {
    await Promise.all(students.slice(i, i + 50).map((t) => call(app.url, 'GET', '/api/v1/me/bookings', auth(t))));
  }

  const uncontended: number[] = [];
  for (let j = 0; j < 20; j++) {
    const answer = await call(app.url, 'POST', '/api/v1/bookings', auth(students[500 + j]!), JSON.stringify({ slotId: solo[j]!.id }));
    if (answer.status !== 201) throw new Error(`uncontended booking answered ${answer.status}: ${answer.body}`);
    uncontended.push(answer.ms);
  }
  const restRss = await app.rss();

  let peak = restRss;
  const sampler = setInterval(() => void app.rss().then((r) => (peak = Math.max(peak, r))).catch(() => {}), 20);
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: 1000 }, (_, i) =>
      call(app.url, 'POST', '/api/v1/bookings', auth(students[Math.floor(i / 2)]!), JSON.stringify({ slotId: slots[i % 100]!.id })).catch(
        (error: Error) => ({ status: 0, body: error.message, ms: performance.now() - started }),
      ),
    ),
  );
  const wall = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, await app.rss());

  const byStatus = new Map<number, number>();
  for (const a of answers) byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
  // Which refusals they were: a conflict must be slot.taken; anything else is named in the table.
  const byCode = new Map<string, number>();
  for (const a of answers) {
    if (a.status === 201) continue;
    let code = a.status === 0 ? `no answer: ${a.body}` : String(a.status);
    try {
      code = `${a.status} ${(JSON.parse(a.body) as { code?: string }).code ?? ''}`.trim();
    } catch {
      // not a problem document: the status says it
    }
    byCode.set(code, (byCode.get(code) ?? 0) + 1);
  }
  const booked = byStatus.get(201) ?? 0;
  // Losing the race: the slot was booked, or another racer's booking held it at that moment.
  const conflicts = (byCode.get('409 slot.taken') ?? 0) + (byCode.get('409 slot.held') ?? 0);
  const errors = answers.length - booked - conflicts;
  const latencies = answers.map((a) => a.ms);
  // What the database says, not only what the answers said.
  const activePerSlot = await Promise.all(slots.map((s) => core.slots.get(s.id).then((x) => x.status)));
  const bookedSlots = activePerSlot.filter((s) => s === 'booked').length;

  const one = median(uncontended);
  const figures = {
    requests: answers.length, bookings: booked, conflicts, errors, statuses: Object.fromEntries(byStatus), refusals: Object.fromEntries(byCode), slotsBookedInDatabase: bookedSlots,
    wallMs: round(wall), requestsPerSecond: round(answers.length / (wall / 1000)),
    p50Ms: round(quantile(latencies, 0.5)), p95Ms: round(quantile(latencies, 0.95)), p99Ms: round(quantile(latencies, 0.99)),
    uncontendedMedianMs: round(one), p99OverUncontended: round(quantile(latencies, 0.99) / one),
  };
  report.race = figures;
  row('race', 'bookings / conflicts / errors (1,000 requests, 100 slots)', `${booked} / ${conflicts} / ${errors}${bookedSlots === 100 ? '' : `  (database: ${bookedSlots} slots booked)`}`);
  row('race', 'refusals by status and code', [...byCode].map(([c, n]) => `${n} × ${c}`).join(', '));
  row('race', 'requests/s', `${figures.requestsPerSecond}`);
  row('race', 'p50 / p95 / p99', `${ms(figures.p50Ms!)} / ${ms(figures.p95Ms!)} / ${ms(figures.p99Ms!)}`);
  row('race', 'one uncontended booking (median of 20)', ms(one));
  row('race', 'p99 under contention / one uncontended booking', `${figures.p99OverUncontended}x`);
  report.memory = { restMb: round(restRss), racePeakMb: round(peak), highWaterMb: round(await app.peakRss()) };
  row('memory', 'server RSS at rest / at the peak of the race', `${round(restRss)} MB / ${round(peak)} MB`);
}

/* ------------------------------------------------------------------ scenario 2: reads at scale */

/** What the server says it will do with a query: index or scan. */
async function explainFind(connection: Connection, collection: string, filter: object, sort?: object, limit?: number): Promise<string> {
  const find: Record<string, unknown> = { find: collection, filter };
  if (sort) find.sort = sort;
  if (limit) find.limit = limit;
  try {
    const result = (await connection.db!.command({ explain: find, verbosity: 'queryPlanner' })) as Record<string, unknown>;
    return describePlan(result);
  } catch (error) {
    return `explain failed: ${(error as Error).message.split('\n')[0]}`;
  }
}
async function explainDelete(connection: Connection, collection: string, q: object): Promise<string> {
  try {
    const result = (await connection.db!.command({ explain: { delete: collection, deletes: [{ q, limit: 1 }] }, verbosity: 'queryPlanner' })) as Record<string, unknown>;
    return describePlan(result);
  } catch (error) {
    return `explain failed: ${(error as Error).message.split('\n')[0]}`;
  }
}
function describePlan(result: Record<string, unknown>): string {
  const stages = new Set<string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'stage' && typeof v === 'string') stages.add(v);
        else walk(v);
      }
    }
  };
  const planner = result.queryPlanner as Record<string, unknown> | undefined;
  if (planner?.winningPlan) {
    walk(planner.winningPlan);
    return [...stages].join(' > ');
  }
  // FerretDB: says whether the filter went to the backend, and the backend's own plan.
  const pushdown = result.filterPushdown ?? result.pushdown;
  const plan = JSON.stringify(planner ?? {}).match(/(SCAN|SEARCH|Seq Scan|Index Scan|Bitmap \w+ Scan)[^"\\]*/g)?.slice(0, 3).join('; ');
  return `filterPushdown=${String(pushdown)}${plan ? `; ${plan}` : ''}`;
}

/** One sentence over the plans: index seeks everywhere, which queries scan, or (FerretDB) which go to the backend. */
function verdict(plans: Record<string, string>): string {
  const names = (test: (plan: string) => boolean) => Object.entries(plans).filter(([, p]) => test(p)).map(([n]) => n);
  const scans = names((p) => p.includes('COLLSCAN'));
  if (scans.length) return `COLLSCAN in ${scans.join(', ')}`;
  if (names((p) => /IXSCAN|IDHACK|EXPRESS_IXSCAN|CLUSTERED_IXSCAN/.test(p)).length === Object.keys(plans).length) return 'IXSCAN (or _id seek) for every query, no COLLSCAN';
  const pushed = names((p) => p.startsWith('filterPushdown=true'));
  const scanned = names((p) => !p.startsWith('filterPushdown=true'));
  return `stand-in: ${pushed.join(', ') || 'nothing'} by its _id index; ${scanned.join(', ') || 'nothing'} scanned`;
}

async function readsAtScale(app: AppProcess, connection: Connection, core: Core) {
  const seed = new ScaleSeed(connection);
  const results: Record<string, unknown>[] = [];
  const slotsCol = connection.db!.collection('slots');
  const coachesCol = connection.db!.collection('coaches');
  const token = await tokenFor('scale-reader', 1);
  await call(app.url, 'GET', '/api/v1/me/bookings', auth(token));
  let cycle = 0;
  for (const size of SIZES) {
    const seedMs = await seed.grow(size);
    const totals = { slots: await slotsCol.estimatedDocumentCount(), claims: await connection.db!.collection('claims').estimatedDocumentCount() };
    row('reads', `${size.toLocaleString('en')} slots: seeded (slots / claims in the database)`, `${round(seedMs / 1000)} s (${totals.slots.toLocaleString('en')} / ${totals.claims.toLocaleString('en')})`);
    // The database finishes what the bulk insert left it (the stand-in writes its pages out) before reads are timed.
    await settle(app, 'reads', `${size.toLocaleString('en')}: waited for the database to be quiet after seeding`);
    // Warm-up runs pass negative i: the index wraps like any other.
    const pick = (i: number) => String(seed.coaches[(((i * 37 + 11) % COACHES_AT_SCALE) + COACHES_AT_SCALE) % COACHES_AT_SCALE]);
    const from = new Date();
    const to = new Date(from.getTime() + 14 * DAY);
    const bookableFrom = new Date(from.getTime() + core.rules.minNoticeHours * HOUR);
    const runs = 20;
    const label = size.toLocaleString('en');
    const r: Record<string, unknown> = { size, seedSeconds: round(seedMs / 1000), ...totals };
    results.push(r);
    // Each measure on its own: one that fails is named with its reason, and the others still run.
    const measure = async (name: string, run: () => Promise<number[]>): Promise<number[] | null> => {
      try {
        return await run();
      } catch (error) {
        failures.push({ scenario: 'reads', error: `${label}: ${name}: ${describe(error)}` });
        row('reads', `${label}: ${name}`, `FAILED: ${describe(error)}`);
        r.failed = [...((r.failed as string[] | undefined) ?? []), name];
        // The server may still be working on what the app gave up on; the next measure starts after it.
        await settle(app, 'reads', `${label}: waited for the database to be quiet after that`);
        return null;
      }
    };
    const compare = async (name: string, key: string, http: (i: number) => Promise<void>, driver: (i: number) => Promise<unknown>, budgetMs?: number) => {
      const app_ = await measure(`${name} over HTTP`, () => timed(runs, http, budgetMs));
      // A ratio needs both; without the app's figure the driver's alone says nothing.
      const raw = app_ && (await measure(`${name} with the driver`, () => timed(runs, driver, budgetMs)));
      if (!app_) return;
      r[key] = { p50Ms: round(median(app_)), p95Ms: round(quantile(app_, 0.95)), driverP50Ms: raw ? round(median(raw)) : null, ratio: raw ? round(median(app_) / median(raw), 2) : null, runs: app_.length };
      row('reads', `${label}: ${name} p50 / p95 (app ÷ driver)`, `${ms(median(app_))} / ${ms(quantile(app_, 0.95))} (${raw ? `${round(median(app_) / median(raw), 2)}x` : 'no driver figure'})`);
    };
    const coachPage = (limit: number) => async () => {
      const a = await call(app.url, 'GET', `/api/v1/coaches?limit=${limit}`);
      if (a.status !== 200) throw new Error(`GET /coaches?limit=${limit} answered ${a.status} ${(JSON.parse(a.body) as { code?: string }).code ?? ''} after ${round(a.ms / 1000)} s`);
    };
    const coachPageDriver = (limit: number) => async () => {
      const page = await coachesCol.find({}).sort({ sortName: 1, _id: 1 }).limit(limit + 1).toArray();
      await Promise.all(page.slice(0, limit).map((c) => slotsCol.findOne({ coachId: c._id, status: 'open', startsAt: { $gte: bookableFrom } }, { sort: { startsAt: 1 } })));
    };

    await compare('GET /coaches?limit=10', 'coaches10', coachPage(10), coachPageDriver(10));
    await compare('GET /coaches?limit=100', 'coaches', coachPage(100), coachPageDriver(100));
    await compare(
      'GET /coaches/{id}/slots 14 days',
      'coachSlots14Days',
      async (i) => {
        const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
        const a = await call(app.url, 'GET', `/api/v1/coaches/${pick(i)}/slots?${query}`);
        if (a.status !== 200) throw new Error(`GET /slots answered ${a.status}: ${a.body.slice(0, 200)}`);
      },
      async (i) => {
        const coachId = new Types.ObjectId(pick(i));
        await coachesCol.findOne({ _id: coachId });
        await slotsCol.find({ coachId, status: 'open', startsAt: { $gte: bookableFrom, $lt: to } }).sort({ startsAt: 1 }).limit(400).toArray();
      },
    );
    // A booking and its cancellation at this size: claims are written and deleted by key.
    const bookCancel = await measure('book + cancel over HTTP', () => timed(5, async () => {
      const coachId = seed.coaches[(cycle++ * 101) % COACHES_AT_SCALE]!;
      const slot = await slotsCol.findOne({ coachId, status: 'open', startsAt: { $gte: bookableFrom } }, { sort: { startsAt: 1 } });
      if (!slot) throw new Error('no open slot to book');
      const booked = await call(app.url, 'POST', '/api/v1/bookings', auth(token), JSON.stringify({ slotId: String(slot._id) }));
      if (booked.status !== 201) throw new Error(`booking answered ${booked.status}: ${booked.body}`);
      const id = (JSON.parse(booked.body) as { booking: { id: string } }).booking.id;
      const cancelled = await call(app.url, 'POST', `/api/v1/bookings/${id}/cancel`, auth(token), '{}');
      if (cancelled.status !== 200) throw new Error(`cancel answered ${cancelled.status}: ${cancelled.body}`);
    }, 180_000));
    if (bookCancel) {
      r.bookThenCancelMedianMs = round(median(bookCancel));
      row('reads', `${label}: book + cancel over HTTP (median of ${bookCancel.length})`, ms(median(bookCancel)));
    }

    const anyCoach = seed.coaches[0]!;
    const explain = {
      coachesPage: await explainFind(connection, 'coaches', {}, { sortName: 1, _id: 1 }, 101),
      nextOpenProbe: await explainFind(connection, 'slots', { coachId: anyCoach, status: 'open', startsAt: { $gte: bookableFrom } }, { startsAt: 1 }, 1),
      coachSlots14Days: await explainFind(connection, 'slots', { coachId: anyCoach, status: 'open', startsAt: { $gte: bookableFrom, $lt: to } }, { startsAt: 1 }, 400),
      claimById: await explainFind(connection, 'claims', { _id: `slot:${anyCoach}` }),
      // How the app releases a claim (after reading its owner), and the form it gave up because the stand-in scans for it.
      claimDeleteById: await explainDelete(connection, 'claims', { _id: `slot:${anyCoach}` }),
      claimDeleteByIdAndOwnerUnused: await explainDelete(connection, 'claims', { _id: `slot:${anyCoach}`, owner: 'x' }),
    };
    r.explain = explain;
    for (const [name, plan] of Object.entries(explain)) row('explain', `${label}: ${name}`, plan);
    row('explain', `${label}: verdict`, verdict(explain));
  }
  report.reads = results;
}

/* ------------------------------------------------------------------ scenario 3: Slack acknowledgement */

async function slackAck(app: AppProcess, slack: Awaited<ReturnType<typeof startSlackStandin>>) {
  const requests = new SlackRequests(`${app.url}/slack/events`, SLACK_SECRET, STANDIN_TEAM_ID);
  const users = Array.from({ length: 250 }, (_, i) => `UACK${i}`);
  for (const id of users) slack.setUser({ id, realName: `Ack Coach ${id}`, tz: 'Europe/London', phone: '+44 20 7946 0958' });
  const perSecond = 10;
  const steady = async <T>(items: T[], send: (item: T) => Promise<{ status: number; ms: number; text: string }>) => {
    const started = performance.now();
    return Promise.all(items.map(async (item, i) => {
      const wait = started + (i * 1000) / perSecond - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      return send(item);
    }));
  };
  const since = slack.mark();
  const trigger = (userId: string) => `trg.bench.${userId}`;
  const commands = await steady(users, (userId) => requests.command({ userId, responseUrl: slack.responseUrl('ack'), triggerId: trigger(userId) }));
  const views = new Map<string, Record<string, unknown>>();
  for (const userId of users) {
    const opened = await slack.waitForCall('views.open', { since, where: (c) => c.body.trigger_id === trigger(userId), timeoutMs: 60_000 });
    if (!opened.response.ok) throw new Error(`views.open failed for ${userId}: ${JSON.stringify(opened.response)}`);
    views.set(userId, opened.response.view as Record<string, unknown>);
  }
  const day = new Date(Date.now() + 3 * DAY).toISOString().slice(0, 10);
  const sentAt = new Map<string, number>();
  const submissions = await steady(users, (userId) => (sentAt.set(userId, Date.now()), requests.viewSubmission({
    userId,
    view: views.get(userId)!,
    values: {
      [BLOCK.date]: { [ACTION.date]: { type: 'datepicker', selected_date: day } },
      [BLOCK.times]: { [ACTION.times]: { type: 'multi_static_select', selected_options: [{ text: { type: 'plain_text', text: '10:00' }, value: '10:00' }] } },
      [BLOCK.weeks]: { [ACTION.weeks]: { type: 'number_input', value: null } },
    },
  })));
  // Answered "still working" in time: the result replaces the modal by views.update when it comes.
  const working = users.filter((_, i) => submissions[i]!.status === 200 && submissions[i]!.text.includes('Still working'));
  const resultMs = await Promise.all(working.map(async (userId) => {
    const viewId = String(views.get(userId)!.id);
    const updated = await slack.waitForCall('views.update', { since, where: (c) => c.body.view_id === viewId, timeoutMs: 120_000 });
    return updated.at - sentAt.get(userId)!;
  }));
  const all = [...commands, ...submissions];
  const failed = all.filter((a) => a.status !== 200).length;
  const statuses: Record<string, number> = {};
  for (const a of all) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
  const refused = submissions.filter((a) => a.text.includes('"response_action":"errors"')).length;
  // Bolt answers 404 to a request no listener acknowledged within 3 s: Slack shows the user an error.
  const late = all.filter((a) => a.status === 404).length;
  const c = commands.map((a) => a.ms);
  const s = submissions.map((a) => a.ms);
  const both = all.map((a) => a.ms);
  report.slack = {
    requests: all.length, ratePerSecond: perSecond, statuses, failed, notAcknowledgedIn3s: late, submissionsWithErrors: refused,
    commands: { p50Ms: round(median(c)), p99Ms: round(quantile(c, 0.99)) },
    viewSubmissions: { p50Ms: round(median(s)), p99Ms: round(quantile(s, 0.99)) },
    answeredStillWorking: working.length,
    resultAfterStillWorking: working.length ? { p50Ms: round(median(resultMs)), p99Ms: round(quantile(resultMs, 0.99)) } : null,
    all: { p50Ms: round(median(both)), p99Ms: round(quantile(both, 0.99)), maxMs: round(Math.max(...both)) },
  };
  row('slack', `acked within 3 s: 250 /availability + 250 submits at ${perSecond}/s`, `${all.length - late} of ${all.length} (${late} answered 404 after Slack's 3 s)`);
  row('slack', 'ack p50 / p99, all 500 (a 404 counts at the time it came)', `${ms(median(both))} / ${ms(quantile(both, 0.99))}`);
  row('slack', 'slash commands p50 / p99', `${ms(median(c))} / ${ms(quantile(c, 0.99))}`);
  row('slack', 'view submissions p50 / p99', `${ms(median(s))} / ${ms(quantile(s, 0.99))}`);
  row('slack', 'other non-200 answers / submissions answered with inline errors', `${failed - late} / ${refused}`);
  row('slack', 'submissions answered "still working", then the result (p50 / p99 from sending)', working.length ? `${working.length}: ${ms(median(resultMs))} / ${ms(quantile(resultMs, 0.99))}` : '0');
}

/* ------------------------------------------------------------------ scenario 4: the widget */

/** The widget exactly as `npm start` builds it (widget/dist, with its precompressed copies). */
async function buildWidget(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'widget/vite.config.ts'), logLevel: 'warn' });
}

async function buildLitOnly(): Promise<Buffer> {
  const { build } = await import('vite');
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-lit-'));
  try {
    await build({
      configFile: path.join(ROOT, 'widget/vite.config.ts'),
      logLevel: 'silent',
      build: { outDir: dir, emptyOutDir: true, lib: { entry: path.join(ROOT, 'bench/lit-only.ts'), formats: ['es'], fileName: () => 'lit-only.js' } },
    });
    return await readFile(path.join(dir, 'lit-only.js'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const sizes = (b: Buffer) => ({
  rawBytes: b.length,
  gzipBytes: gzipSync(b, { level: 9 }).length,
  brotliBytes: brotliCompressSync(b, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: b.length } }).length,
});
const kb = (n: number) => `${round(n / 1024)} KB`;

async function widget(app: AppProcess, core: Core, hostPort: number, host: Server) {
  const bundle = await readFile(path.join(ROOT, 'widget/dist/coach-booking.js'));
  const widgetSizes = sizes(bundle);
  const litSizes = sizes(await buildLitOnly());
  row('widget', 'coach-booking.js raw / gzip / brotli', `${kb(widgetSizes.rawBytes)} / ${kb(widgetSizes.gzipBytes)} / ${kb(widgetSizes.brotliBytes)}`);
  row('widget', 'Lit-only bundle, same build: raw / gzip / brotli', `${kb(litSizes.rawBytes)} / ${kb(litSizes.gzipBytes)} / ${kb(litSizes.brotliBytes)}`);

  const { coach } = await core.coaches.onboard({ teamId: 'TBENCH', slackUserId: 'UWIDGET', name: 'Widget Coach', timezone: 'Europe/London', phone: '+44 20 7946 0018' });
  const base = gridAfter(2 * DAY);
  for (let j = 0; j < 5; j++) await core.slots.create(coach.id, { startsAt: new Date(base.getTime() + j * 4 * HOUR) });
  const page = `<!doctype html><meta charset="utf-8"><title>bench</title>
<script type="module" src="${app.url}/widget/coach-booking.js"></script>
<coach-booking coach="${coach.id}" api="${app.url}"></coach-booking>`;
  host.removeAllListeners('request');
  host.on('request', (_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page));

  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const times: number[] = [];
  try {
    for (let i = 0; i < 8; i++) {
      // A fresh context each time: an empty cache, as for a first visit.
      const context = await browser.newContext();
      const tab = await context.newPage();
      // What the page said and asked for, to say why if no open time appears.
      const console_: string[] = [];
      const pending = new Map<string, number>();
      const answered: string[] = [];
      tab.on('console', (m) => console_.push(`${m.type()}: ${m.text()}`));
      tab.on('pageerror', (e) => console_.push(`pageerror: ${e.message}`));
      tab.on('request', (r) => pending.set(`${r.method()} ${r.url()}`, performance.now()));
      tab.on('requestfinished', (r) => {
        const key = `${r.method()} ${r.url()}`;
        void r.response().then((res) => answered.push(`${res?.status() ?? '?'} ${key} ${round(performance.now() - (pending.get(key) ?? NaN), 0)} ms`));
        pending.delete(key);
      });
      tab.on('requestfailed', (r) => {
        const key = `${r.method()} ${r.url()}`;
        answered.push(`failed ${key}: ${r.failure()?.errorText ?? ''}`);
        pending.delete(key);
      });
      await tab.goto(`http://127.0.0.1:${hostPort}/`);
      try {
        await tab.locator('[part~="slot-button"]').first().waitFor({ state: 'visible', timeout: 30_000 });
      } catch (error) {
        const shot = path.join(ROOT, 'test-output/bench-widget-timeout.png');
        await mkdir(path.dirname(shot), { recursive: true });
        await tab.screenshot({ path: shot });
        const now = performance.now();
        const waiting = [...pending].map(([key, t]) => `${key} (waiting ${round((now - t) / 1000)} s)`);
        throw new Error(
          `visit ${i + 1}: no open slot became visible within 30 s (screenshot: ${path.relative(process.cwd(), shot)}); ` +
            `requests still waiting: ${waiting.join(', ') || 'none'}; answered: ${answered.join(', ') || 'none'}; console: ${console_.join(' | ') || 'nothing'}`,
          { cause: error },
        );
      }
      const sinceNavigation = await tab.evaluate(() => performance.now());
      if (i > 0) times.push(sinceNavigation); // the first run warms the server's bundle cache
      await context.close();
    }
  } finally {
    await browser.close();
  }
  report.widget = { bundle: widgetSizes, litOnly: litSizes, firstOpenSlotVisibleMedianMs: round(median(times)), runs: times.length };
  row('widget', `page load to first open slot visible (median of ${times.length})`, ms(median(times)));
}

/* ------------------------------------------------------------------ main */

interface Failure { scenario: string; error: string }
const failures: Failure[] = [];
const ran: string[] = [];
const notRun: string[] = [];
const describe = (error: unknown): string => {
  const e = error as Error & { cause?: unknown };
  return e?.message ? `${e.message}${e.cause instanceof Error ? ` (${e.cause.message.split('\n')[0]})` : ''}` : String(error);
};

/** CPU seconds a process has used so far (user + system), from /proc; NaN once it is gone. */
async function cpuSeconds(pid: number | null | undefined): Promise<number> {
  if (!pid) return 0;
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).replace(/^.*\) /s, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 per second on Linux)
  } catch {
    return NaN;
  }
}
const settled: Record<string, number | null> = {};
const QUIET_SHARE = 0.1;

/**
 * Waits until what the previous scenario set going has finished (work after
 * Slack's answer, App Home republishes, messages, late series): until the app
 * and the embedded database together use under a tenth of a core for three
 * half-seconds in a row. Without this a scenario measures its predecessor's
 * leftovers: the widget's first open time waited over 30 s behind the work
 * the Slack scenario left running.
 */
async function settle(target: AppProcess, before: Scenario, after = 'waited first for the app to be quiet again'): Promise<void> {
  const started = performance.now();
  const key = after.startsWith('waited first') ? before : `${before}: ${after}`;
  const pids = [target.child.pid, db.processId?.()];
  const used = async () => (await Promise.all(pids.map(cpuSeconds))).reduce((x, y) => x + y, 0);
  let last = await used();
  let calm = 0;
  while (calm < 3) {
    if (performance.now() - started > 300_000) {
      settled[key] = null;
      row(before, after, 'still busy after 300 s; measured anyway');
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
    const now = await used();
    calm = now - last < QUIET_SHARE * 0.5 ? calm + 1 : 0;
    last = now;
  }
  settled[key] = round(performance.now() - started, 0);
  row(before, after, `${round(settled[key]! / 1000)} s`);
}

/**
 * Runs one scenario; a failure is recorded and the next scenario still runs,
 * so the figures of those that ran are kept, and the result says which one
 * failed and why. Once the app under test has died nothing else can run.
 */
async function scenario(name: Scenario, run: () => Promise<void>): Promise<void> {
  if (!ONLY.has(name)) return;
  if (!app || app.child.exitCode !== null) {
    notRun.push(name);
    return;
  }
  try {
    await settle(app, name);
    await run();
    ran.push(name);
  } catch (error) {
    failures.push({ scenario: name, error: describe(error) });
    row(name, 'FAILED', describe(error));
  }
}

const load = () => os.loadavg().map((n) => round(n, 2));
const loadAtStart = load();
// The app serves widget/dist: measure the bundle built from the sources as they are, never a stale one.
if (ONLY.has('widget')) await buildWidget();
const db = await startDatabase({ purpose: 'test', log: () => {} });
const dbName = `bench_${Date.now()}`;
const dbUri = (() => {
  const u = new URL(db.uri);
  u.pathname = `/${dbName}`;
  return u.toString();
})();
const connection = await connectMongo(db.uri, dbName);
const slack = ONLY.has('slack') ? await startSlackStandin({ token: BOT_TOKEN }) : null;
const host = createServer();
await new Promise<void>((r) => host.listen(0, '127.0.0.1', r));
const hostPort = (host.address() as AddressInfo).port;
let app: AppProcess | null = null;
// Interrupted (Ctrl-C): take the app down with the bench rather than leave it serving.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app?.child.kill('SIGKILL');
    process.exit(130);
  });
}
const started = new Date();
console.log(`\nnpm run bench on ${db.kind}, reads at ${SIZES.map((s) => s.toLocaleString('en')).join(', ')} slots; load average ${loadAtStart.join(' ')} on ${os.cpus().length} CPUs\n`);
try {
  const core = await createCore({ connection });
  try {
    app = await startApp(dbUri, {
      WIDGET_ORIGINS: `http://127.0.0.1:${hostPort}`,
      ...(slack ? { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SLACK_SECRET, SLACK_API_URL: slack.apiUrl } : {}),
    });
  } catch (error) {
    failures.push({ scenario: 'start', error: describe(error) });
    row('start', 'FAILED', describe(error));
  }
  const theApp = () => app!;
  await scenario('race', () => bookingRace(theApp(), core));
  await scenario('slack', () => slackAck(theApp(), slack!));
  await scenario('widget', () => widget(theApp(), core, hostPort, host));
  await scenario('reads', () => readsAtScale(theApp(), connection, core));
  if (app && app.child.exitCode !== null) failures.push({ scenario: 'app', error: `the app under test exited (${app.child.exitCode}); see ${path.relative(process.cwd(), APP_LOG)}` });
} finally {
  await app?.stop();
  await connection.dropDatabase().catch(() => {});
  await closeMongo(connection);
  await db.stop();
  await slack?.close();
  host.close();
  agent.destroy();
}

const complete = failures.length === 0 && notRun.length === 0;
const stamp = `${started.toISOString().replace(/[:.]/g, '-')}-${db.kind}${complete ? '' : '-incomplete'}`;
const out = args.get('out') || path.join(ROOT, 'bench/results', `${stamp}.json`);
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify({
  startedAt: started.toISOString(), server: db.kind, sizes: SIZES,
  complete, scenarios: { asked: SCENARIOS.filter((n) => ONLY.has(n)), ran, failed: failures, notRun },
  machine: { node: process.version, cpus: os.cpus().length, loadAverageAtStart: loadAtStart, loadAverageAtEnd: load() },
  waitedForQuietBeforeScenarioMs: settled,
  ...report, table: rows,
}, null, 2)}\n`);
console.log(`\n${'scenario'.padEnd(10)} ${'measure'.padEnd(58)} value`);
for (const r of rows) console.log(`${r.scenario.padEnd(10)} ${r.measure.padEnd(58)} ${r.value}`);
console.log(`\nload average at the end: ${load().join(' ')}`);
console.log(`written to ${path.relative(process.cwd(), out)}`);
if (!complete) {
  console.error(`\nINCOMPLETE: ${[...failures.map((f) => `${f.scenario} failed: ${f.error}`), ...notRun.map((n) => `${n} did not run (the app had exited)`)].join('\n            ')}`);
  console.error(`The app's log: ${path.relative(process.cwd(), APP_LOG)}`);
  process.exitCode = 1;
}
