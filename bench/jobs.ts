/**
 * `npm run bench:jobs`: job throughput through the claim path. Each round
 * books sessions (which plans their jobs: booking DM, confirmation email and
 * two webhooks, with handlers that do nothing), then three workers in three
 * cores over the same database race to run them all. Prints jobs per second
 * per round and the median of five rounds; the number measures claiming and
 * recording (two inserts and four updates per job), not any delivery.
 */
import { performance } from 'node:perf_hooks';
import { closeMongo, connectMongo } from '../core/db/connection.js';
import { createCore, ManualClock, type Core } from '../core/index.js';
import { startDatabase } from '../server/db/database.js';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-06-01T09:00:00Z');
const ROUNDS = 5;
const BOOKINGS_PER_ROUND = Number(process.env.BENCH_JOB_BOOKINGS ?? 50);

const db = await startDatabase({ purpose: 'test' });
const connection = await connectMongo(db.uri, `bench_jobs_${Date.now()}`);
try {
  const clock = new ManualClock(new Date(NOW));
  const cores: Core[] = [];
  for (let i = 0; i < 3; i++) {
    const core = await createCore({ connection, clock });
    for (const kind of ['slack.booking_dm', 'email.confirmation'] as const) core.jobs.handle(kind, async () => {});
    core.jobs.handle('webhook', async () => {}, { targets: ['https://a.example.org/hook', 'https://b.example.org/hook'] });
    cores.push(core);
  }
  const [core] = cores as [Core];
  const workers = cores.map((c) => c.jobs.worker({ concurrency: 4 }));
  const rates: number[] = [];
  let seq = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const { coach } = await core.coaches.onboard({ teamId: 'TB', slackUserId: `UJOB${round}`, name: `Bench ${round}`, timezone: 'Europe/London', phone: '+44 20 7946 0018' });
    for (let i = 0; i < BOOKINGS_PER_ROUND; i++) {
      const slot = await core.slots.create(coach.id, { startsAt: new Date(NOW + (48 + i * 2) * HOUR) });
      const student = await core.students.upsert({ externalId: `bench-job-${seq++}`, name: 'Bench', phone: '+1 212 555 0100', email: 'bench@example.org' });
      await core.bookings.book(student.id, { slotId: slot.id });
    }
    const started = performance.now();
    const summaries = await Promise.all(workers.map((w) => w.runUntilIdle(1_000)));
    const seconds = (performance.now() - started) / 1000;
    const ran = summaries.reduce((sum, s) => sum + s.done, 0);
    const pending = (await core.jobs.list({ status: 'pending' })).length;
    if (pending) throw new Error(`${pending} jobs left pending`);
    rates.push(ran / seconds);
    console.log(`round ${round + 1}: ${ran} jobs in ${seconds.toFixed(2)} s = ${(ran / seconds).toFixed(1)} jobs/s (per worker: ${summaries.map((s) => s.done).join(', ')})`);
  }
  const sorted = [...rates].sort((a, b) => a - b);
  console.log(`\njob throughput through the claim path, 3 workers, ${db.kind}: median ${sorted[Math.floor(ROUNDS / 2)]!.toFixed(1)} jobs/s (min ${sorted[0]!.toFixed(1)}, max ${sorted.at(-1)!.toFixed(1)})`);
} finally {
  await connection.dropDatabase().catch(() => undefined);
  await closeMongo(connection);
  await db.stop();
}
