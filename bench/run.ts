/**
 * `npm run bench`: times the core's hot paths against a real MongoDB-protocol
 * server (MONGODB_URI, mongodb-memory-server, or the FerretDB stand-in, as for
 * tests) and prints medians and p95s. Machines here are noisy: compare the
 * ratios between lines, not the absolute numbers between runs.
 */
import { performance } from 'node:perf_hooks';
import { closeMongo, connectMongo } from '../core/db/connection.js';
import { createCore, ManualClock, type Core } from '../core/index.js';
import { startDatabase } from '../server/db/database.js';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-06-01T09:00:00Z');

interface Result { name: string; samples: number[]; unit?: string }
const results: Result[] = [];

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function measure(name: string, runs: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < Math.min(3, runs); i++) await fn(-1 - i); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn(i);
    samples.push(performance.now() - t);
  }
  results.push({ name, samples });
}

let seq = 0;
async function coach(core: Core) {
  return (await core.coaches.onboard({ teamId: 'TB', slackUserId: `UB${seq++}`, name: `Bench Coach ${seq}`, timezone: 'Europe/London', phone: '+44 20 7946 0018' })).coach;
}
async function student(core: Core) {
  return core.students.upsert({ externalId: `bench-${seq++}`, name: 'Bench Student', phone: '+1 212 555 0100' });
}

const db = await startDatabase({ purpose: 'test' });
const connection = await connectMongo(db.uri, `bench_${Date.now()}`);
try {
  const clock = new ManualClock(new Date(NOW));
  const core = await createCore({ connection, clock });

  const c1 = await coach(core);
  await measure('create one slot', 60, (i) => core.slots.create(c1.id, { startsAt: new Date(NOW + (48 + (i + 3) * 2) * HOUR) }));

  const c2 = await coach(core);
  const slots: { id: string }[] = [];
  for (let i = 0; i < 63; i++) slots.push(await core.slots.create(c2.id, { startsAt: new Date(NOW + (48 + i * 2) * HOUR) }));
  const s = await student(core);
  await measure('book an open slot (uncontended)', 60, (i) => core.bookings.book(s.id, { slotId: slots[i + 3]!.id }));

  const c3 = await coach(core);
  const racers = await Promise.all(Array.from({ length: 50 }, () => student(core)));
  await measure('50 parallel bookings of one slot, until all answered', 15, async (i) => {
    const slot = await core.slots.create(c3.id, { startsAt: new Date(NOW + (48 + (i + 3) * 2) * HOUR) });
    const settled = await Promise.allSettled(racers.map((r) => core.bookings.book(r.id, { slotId: slot.id })));
    if (settled.filter((x) => x.status === 'fulfilled').length !== 1) throw new Error('invariant broken: not exactly one winner');
  });

  await measure('weekly series, 2 times x 13 weeks (26 slots)', 8, async () => {
    const c = await coach(core);
    await core.slots.createSeries(c.id, { date: '2026-06-03', times: ['09:00', '14:00'], timezone: 'Europe/London', weeks: 13 });
  });

  for (let i = 0; i < 40; i++) {
    const c = await coach(core);
    await core.slots.create(c.id, { startsAt: new Date(NOW + 30 * HOUR) });
  }
  await measure('list coaches with next open slot (page of 50)', 40, () => core.coaches.list({ limit: 50 }));

  clock.set(new Date(NOW + 24 * 40 * HOUR));
  await measure('coach dashboard: upcoming + past + needs rating + stats', 40, () =>
    Promise.all([core.bookings.coachUpcoming(c2.id), core.bookings.coachPast(c2.id), core.bookings.coachNeedsRating(c2.id), core.coaches.stats(c2.id)]),
  );
  await measure('student: upcoming + past sessions', 40, () => Promise.all([core.bookings.studentUpcoming(s.id), core.bookings.studentPast(s.id)]));
} finally {
  await connection.dropDatabase().catch(() => {});
  await closeMongo(connection);
  await db.stop();
}

console.log(`\nserver: ${db.kind}\n`);
console.log('operation'.padEnd(58), 'runs'.padStart(5), 'median ms'.padStart(10), 'p95 ms'.padStart(9));
const base = results.find((r) => r.name.startsWith('book an open slot'))!;
const baseMedian = quantile([...base.samples].sort((a, b) => a - b), 0.5);
for (const r of results) {
  const sorted = [...r.samples].sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  console.log(r.name.padEnd(58), String(r.samples.length).padStart(5), median.toFixed(1).padStart(10), quantile(sorted, 0.95).toFixed(1).padStart(9), `  ${(median / baseMedian).toFixed(1)}x a booking`);
}
