import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, PermanentJobError, RetryLaterError, type Core, type JobKind } from '../../core/index.js';
import { JOB_KINDS } from '../../core/jobs/job.schema.js';
import { retryDelayMs } from '../../core/jobs/job.rules.js';
import { useTestDatabase } from '../helpers/db.js';
import { HOUR, MINUTE, NOW, makeCoach, makeStudent, plus } from './fixtures.js';

const db = useTestDatabase();

type Delivery = { kind: JobKind; id: string; at: Date; by: string };

/** A core with a recording handler for every kind, as the edges would register them. */
async function coreWithHandlers(clock: ManualClock, label = 'a', deliveries: Delivery[] = [], targets: string[] = ['https://hooks.example.org/a']) {
  const core = await db.makeCore({ clock });
  for (const kind of JOB_KINDS) {
    core.jobs.handle(kind, async (job) => void deliveries.push({ kind, id: job.id, at: clock.now(), by: label }), kind === 'webhook' ? { targets } : {});
  }
  return { core, deliveries };
}

async function bookedSession(core: Core, options: { startsIn?: number; email?: string | null } = {}) {
  const coach = await makeCoach(core);
  const student = await makeStudent(core, options.email === null ? {} : { email: options.email ?? 'sam@example.org' });
  const slot = await core.slots.create(coach.id, { startsAt: plus(core.clock.now(), options.startsIn ?? 48 * HOUR) });
  const session = await core.bookings.book(student.id, { slotId: slot.id });
  return { coach, student, slot, session };
}

const kindsOf = (list: Delivery[], bookingId?: string) => list.filter((d) => !bookingId || d.id.includes(bookingId)).map((d) => d.kind);
const jobsOf = async (core: Core, bookingId: string) => (await core.jobs.list({ bookingId })).map((j) => [j.kind, j.status, j.runAt.toISOString()]);

beforeEach(async () => {
  await db.clear();
});

describe('planning', () => {
  it('plans a booking’s messages from the domain event, only for kinds an edge delivers', async () => {
    const clock = new ManualClock(NOW);
    const core = await db.makeCore({ clock });
    core.jobs.handle('slack.booking_dm', async () => {});
    core.jobs.handle('slack.reminder', async () => {});
    core.jobs.handle('slack.rating_prompt', async () => {});
    const { session } = await bookedSession(core);
    // Planned before book() returned: nothing waits on a listener running later.
    expect(await jobsOf(core, session.id)).toEqual([
      ['slack.booking_dm', 'pending', NOW],
      ['slack.reminder', 'pending', plus(session.startsAt, -60 * MINUTE).toISOString()],
      ['slack.rating_prompt', 'pending', session.endsAt.toISOString()],
    ]);
  });

  it('plans the student’s own Slack DM only for a student who is a Slack user: booked, moved, cancelled by the coach', async () => {
    const clock = new ManualClock(NOW);
    const { core } = await coreWithHandlers(clock);
    const coach = await makeCoach(core);
    const [first, second, third] = await Promise.all([24, 48, 72].map((h) => core.slots.create(coach.id, { startsAt: plus(NOW, h * HOUR) })));
    const slack = await core.students.forSlackUser({ teamId: 'T0001', userId: 'USLACKSAM', name: 'Slack Sam', phone: '+1 212 555 0188', timezone: 'Europe/London' });
    const website = await makeStudent(core, { email: 'web@example.org' });
    const studentDms = async (bookingId: string) => (await core.jobs.list({ bookingId, kind: 'slack.student_dm' })).map((j) => j.payload.what);

    const inSlack = await core.bookings.book(slack.student.id, { slotId: first!.id });
    // Their own move and the coach's: each gets a DM; their own cancel is shown where they pressed it.
    await core.bookings.reschedule({ kind: 'student', studentId: slack.student.id }, inSlack.id, { slotId: second!.id });
    await core.bookings.cancelAsCoach(coach.id, inSlack.id, { reason: 'Ill' });
    expect((await studentDms(inSlack.id)).sort()).toEqual(['booked', 'cancelled', 'moved']);

    // An admin's cancellation reaches them too.
    const fourth = await core.slots.create(coach.id, { startsAt: plus(NOW, 96 * HOUR) });
    const again = await core.bookings.book(slack.student.id, { slotId: fourth.id });
    await core.admin.cancelSession({ id: 'UADMIN' }, again.id, { reason: 'Closed' }, { teamId: 'T0001' });
    expect((await studentDms(again.id)).sort()).toEqual(['booked', 'cancelled']);

    // A website student with an e-mail no Slack user has linked to: no lookup finds them, nothing is planned.
    const onSite = await core.bookings.book(website.id, { slotId: third!.id });
    expect(await studentDms(onSite.id)).toEqual([]);
  });

  it('adds the student’s emails when they have an address, and one webhook job per target', async () => {
    const clock = new ManualClock(NOW);
    const { core } = await coreWithHandlers(clock, 'a', [], ['https://a.example.org/hook', 'https://b.example.org/hook']);
    const { session } = await bookedSession(core);
    const kinds = (await core.jobs.list({ bookingId: session.id })).map((j) => j.kind).sort();
    expect(kinds).toEqual(['email.confirmation', 'email.reminder', 'slack.booking_dm', 'slack.rating_prompt', 'slack.reminder', 'webhook', 'webhook']);
    const reminder = (await core.jobs.list({ bookingId: session.id, kind: 'email.reminder' }))[0]!;
    expect(reminder.runAt).toEqual(plus(session.startsAt, -24 * HOUR));
    const { session: noEmail } = await bookedSession(core, { email: null });
    expect((await core.jobs.list({ bookingId: noEmail.id })).map((j) => j.kind)).not.toContain('email.confirmation');
  });

  it('plans no reminder whose moment has already passed when the session is booked', async () => {
    const clock = new ManualClock(NOW);
    const { core } = await coreWithHandlers(clock);
    const { session } = await bookedSession(core, { startsIn: 13 * HOUR });
    const kinds = (await core.jobs.list({ bookingId: session.id })).map((j) => j.kind);
    expect(kinds).toContain('slack.reminder');
    expect(kinds).not.toContain('email.reminder');
  });
});

describe('the worker, as the clock moves', () => {
  it('sends the reminder, the prompt and one nudge at their moments; a rating cancels the nudge', async () => {
    const clock = new ManualClock(NOW);
    const { core, deliveries } = await coreWithHandlers(clock);
    const worker = core.jobs.worker();
    const { session } = await bookedSession(core);
    const { coach: ratedCoach, session: rated } = await bookedSession(core);

    await worker.runUntilIdle();
    expect(kindsOf(deliveries, session.id).sort()).toEqual(['email.confirmation', 'slack.booking_dm', 'webhook']);

    clock.set(plus(session.startsAt, -60 * MINUTE - 1));
    await worker.runUntilIdle();
    expect(kindsOf(deliveries, session.id)).not.toContain('slack.reminder');
    clock.advance(1);
    await worker.runUntilIdle();
    expect(kindsOf(deliveries, session.id).filter((k) => k === 'slack.reminder')).toHaveLength(1);

    clock.set(session.endsAt);
    await worker.runUntilIdle();
    expect(kindsOf(deliveries, session.id).filter((k) => k === 'slack.rating_prompt')).toHaveLength(1);
    expect(kindsOf(deliveries, rated.id).filter((k) => k === 'slack.rating_prompt')).toHaveLength(1);

    // The other coach rates before the nudge: theirs is cancelled.
    await core.feedback.record(ratedCoach.id, rated.id, { satisfaction: 4, notes: 'private' });

    clock.advance(24 * HOUR - 1);
    await worker.runUntilIdle();
    expect(kindsOf(deliveries).filter((k) => k === 'slack.rating_nudge')).toHaveLength(0);
    clock.advance(1);
    await worker.runUntilIdle();
    expect(kindsOf(deliveries, session.id).filter((k) => k === 'slack.rating_nudge')).toHaveLength(1);
    expect(kindsOf(deliveries, rated.id)).not.toContain('slack.rating_nudge');
    expect((await core.jobs.list({ bookingId: rated.id, kind: 'slack.rating_nudge' }))[0]).toMatchObject({ status: 'cancelled', reason: 'the session was rated' });

    // Never more than one nudge.
    clock.advance(30 * 24 * HOUR);
    await worker.runUntilIdle();
    expect(kindsOf(deliveries, session.id).filter((k) => k === 'slack.rating_nudge')).toHaveLength(1);
  });

  it('cancel kills the pending jobs: no reminder or prompt for a cancelled session', async () => {
    const clock = new ManualClock(NOW);
    const { core, deliveries } = await coreWithHandlers(clock);
    const worker = core.jobs.worker();
    const { student, session } = await bookedSession(core);
    await worker.runUntilIdle();
    await core.bookings.cancelAsStudent(student.id, session.id, { reason: 'Ill' });
    const jobs = await core.jobs.list({ bookingId: session.id });
    expect(jobs.filter((j) => ['slack.reminder', 'email.reminder', 'slack.rating_prompt'].includes(j.kind)).map((j) => j.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    clock.set(plus(session.endsAt, 48 * HOUR));
    await worker.runUntilIdle();
    expect(kindsOf(deliveries, session.id).sort()).toEqual([
      'email.cancellation', 'email.confirmation', 'slack.booking_dm', 'slack.cancellation_dm', 'slack.session_update', 'webhook', 'webhook',
    ]);
  });

  it('reschedule moves the jobs: reminders and prompt at the new time, none at the old', async () => {
    const clock = new ManualClock(NOW);
    const { core, deliveries } = await coreWithHandlers(clock);
    const worker = core.jobs.worker();
    const { coach, student, session } = await bookedSession(core);
    const later = await core.slots.create(coach.id, { startsAt: plus(session.startsAt, 24 * HOUR) });
    await worker.runUntilIdle();
    await core.bookings.reschedule({ kind: 'student', studentId: student.id }, session.id, { slotId: later.id });
    const pending = (await core.jobs.list({ bookingId: session.id, status: 'pending' })).map((j) => [j.kind, j.runAt.toISOString()]);
    expect(pending).toEqual(expect.arrayContaining([
      ['slack.reminder', plus(later.startsAt, -60 * MINUTE).toISOString()],
      ['email.reminder', plus(later.startsAt, -24 * HOUR).toISOString()],
      ['slack.rating_prompt', later.endsAt.toISOString()],
    ]));
    await worker.runUntilIdle();
    expect(kindsOf(deliveries, session.id)).toEqual(expect.arrayContaining(['slack.session_update', 'email.update', 'webhook']));

    // The old time passes with nothing planned for it: only the new time's messages are ever sent.
    clock.set(session.endsAt);
    await worker.runUntilIdle();
    clock.set(plus(later.startsAt, -30 * MINUTE));
    await worker.runUntilIdle();
    clock.set(later.endsAt);
    await worker.runUntilIdle();
    const timed = deliveries.filter((d) => d.id.includes(session.id) && ['slack.reminder', 'email.reminder', 'slack.rating_prompt'].includes(d.kind));
    expect(timed.map((d) => [d.kind, d.id.split(':')[2]])).toEqual([['email.reminder', '1'], ['slack.reminder', '1'], ['slack.rating_prompt', '1']]);
  });

  it('catches up after downtime: a late reminder goes if the session has not started, is skipped if it has; the prompt always goes', async () => {
    const clock = new ManualClock(NOW);
    const { core, deliveries } = await coreWithHandlers(clock);
    const worker = core.jobs.worker();
    const { session: soon } = await bookedSession(core, { startsIn: 30 * HOUR });
    const { session: later } = await bookedSession(core, { startsIn: 50 * HOUR });
    await worker.runUntilIdle();
    // "Down" from now until 10 minutes before `later` starts: soon's reminder and start passed unseen.
    clock.set(plus(later.startsAt, -10 * MINUTE));
    await worker.runUntilIdle();
    expect(kindsOf(deliveries, later.id)).toContain('slack.reminder');
    expect(kindsOf(deliveries, soon.id)).not.toContain('slack.reminder');
    expect((await core.jobs.list({ bookingId: soon.id, kind: 'slack.reminder' }))[0]).toMatchObject({
      status: 'skipped',
      reason: 'the session had already started when the reminder could run',
    });
    expect(kindsOf(deliveries, soon.id)).toContain('slack.rating_prompt');
  });
});

describe('claiming', () => {
  it('runs every job exactly once with three workers in three cores racing over one database', async () => {
    const clock = new ManualClock(NOW);
    const deliveries: Delivery[] = [];
    const cores = await Promise.all(['a', 'b', 'c'].map((label) => coreWithHandlers(clock, label, deliveries)));
    // Same time, different coaches: many jobs fall due at each moment, and the three workers fight over them.
    const sessions = [];
    for (let i = 0; i < 6; i++) sessions.push((await bookedSession(cores[i % 3]!.core, { startsIn: 30 * HOUR })).session);
    const workers = cores.map(({ core }) => core.jobs.worker({ concurrency: 3 }));
    // The clock moves to each moment something is due, and all three workers race for it.
    for (;;) {
      const pending = (await cores[0]!.core.jobs.list({ status: 'pending' })).map((j) => j.runAt.getTime());
      if (pending.length === 0) break;
      clock.set(new Date(Math.max(clock.now().getTime(), Math.min(...pending))));
      await Promise.all(workers.map((w) => w.runUntilIdle()));
    }
    const ids = deliveries.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    const all = await cores[0]!.core.jobs.list();
    expect(all.filter((j) => j.status === 'pending')).toEqual([]);
    expect(ids.sort()).toEqual(all.filter((j) => j.status === 'done').map((j) => j.id).sort());
    // Each booking: DM, confirmation, webhook, both reminders, prompt, nudge.
    expect(ids).toHaveLength(sessions.length * 7);
    expect(new Set(deliveries.map((d) => d.by)).size).toBeGreaterThan(1);
  });

  it('takes over a job whose worker died holding it, once its lease has expired, and not before', async () => {
    const clock = new ManualClock(NOW);
    const { core, deliveries } = await coreWithHandlers(clock);
    const { session } = await bookedSession(core);
    const dmId = `slack.booking_dm:${session.id}`;
    // What a worker that crashed right after claiming leaves behind.
    await db.connection.collection('job_runs').insertOne({ _id: `${dmId}#1`, jobId: dmId, attempt: 1, worker: 'dead', startedAt: clock.now(), leaseUntil: plus(NOW, 2 * MINUTE), finishedAt: null, outcome: null } as never);
    await db.connection.collection('jobs').updateOne({ _id: dmId } as never, { $set: { attempts: 1, leaseUntil: plus(NOW, 2 * MINUTE) } });
    const worker = core.jobs.worker();
    await worker.runUntilIdle();
    expect(kindsOf(deliveries, session.id)).not.toContain('slack.booking_dm');
    clock.advance(2 * MINUTE + 1);
    await worker.runUntilIdle();
    await worker.runUntilIdle();
    expect(kindsOf(deliveries, session.id).filter((k) => k === 'slack.booking_dm')).toHaveLength(1);
    expect(await core.jobs.get(dmId)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('takes over when the dead worker never got to record its attempt on the job', async () => {
    const clock = new ManualClock(NOW);
    const { core, deliveries } = await coreWithHandlers(clock);
    const { session } = await bookedSession(core);
    const dmId = `slack.booking_dm:${session.id}`;
    await db.connection.collection('job_runs').insertOne({ _id: `${dmId}#1`, jobId: dmId, attempt: 1, worker: 'dead', startedAt: clock.now(), leaseUntil: plus(NOW, 2 * MINUTE), finishedAt: null, outcome: null } as never);
    const worker = core.jobs.worker();
    await worker.runUntilIdle();
    expect(kindsOf(deliveries, session.id)).not.toContain('slack.booking_dm');
    clock.advance(3 * MINUTE);
    await worker.runUntilIdle();
    expect(kindsOf(deliveries, session.id).filter((k) => k === 'slack.booking_dm')).toHaveLength(1);
  });
});

describe('failures', () => {
  it('retries a failing delivery with growing, jittered delays, then gives up and records it, without holding up other jobs', async () => {
    const clock = new ManualClock(NOW);
    const core = await db.makeCore({ clock });
    const ok: string[] = [];
    core.jobs.handle('slack.booking_dm', async (job) => {
      if (job.id.endsWith(failing)) throw new Error('connect ECONNREFUSED 127.0.0.1:1');
      ok.push(job.id);
    });
    let failing = '';
    const first = await bookedSession(core);
    failing = first.session.id;
    await bookedSession(core);
    const worker = core.jobs.worker({ maxFailures: 4, random: () => 0 });
    const delays: number[] = [];
    for (let failure = 1; failure <= 4; failure++) {
      const before = (await core.jobs.get(`slack.booking_dm:${failing}`))!.runAt;
      clock.set(before);
      await worker.runDue();
      const job = (await core.jobs.get(`slack.booking_dm:${failing}`))!;
      expect(job.failures).toBe(failure);
      if (job.status === 'pending') delays.push(job.runAt.getTime() - clock.now().getTime());
    }
    // random() = 0 gives the low end of the jitter: half of 30 s, 60 s, 120 s.
    expect(delays).toEqual([15_000, 30_000, 60_000]);
    expect(await core.jobs.get(`slack.booking_dm:${failing}`)).toMatchObject({ status: 'failed', lastError: 'connect ECONNREFUSED 127.0.0.1:1' });
    expect(ok).toHaveLength(1);
    clock.advance(24 * HOUR);
    expect((await worker.runDue()).ran).toBe(0);
  });

  it('keeps jitter inside half to all of the exponential delay, capped at an hour', () => {
    expect(retryDelayMs(1, () => 0.999)).toBeLessThanOrEqual(30_000);
    expect(retryDelayMs(3, () => 0.5)).toBe(90_000);
    expect(retryDelayMs(20, () => 0.999)).toBeLessThanOrEqual(3_600_000);
    expect(retryDelayMs(20, () => 0)).toBe(1_800_000);
  });

  it('records a permanent failure at once, and honours a Retry-After', async () => {
    const clock = new ManualClock(NOW);
    const core = await db.makeCore({ clock });
    const calls: string[] = [];
    core.jobs.handle('slack.booking_dm', async () => {
      calls.push('dm');
      throw new PermanentJobError('Slack answered channel_not_found');
    });
    let limited = true;
    core.jobs.handle('email.confirmation', async () => {
      calls.push('email');
      if (limited) {
        limited = false;
        throw new RetryLaterError('rate limited', 7_000);
      }
    });
    const { session } = await bookedSession(core);
    const worker = core.jobs.worker();
    await worker.runDue();
    expect(await core.jobs.get(`slack.booking_dm:${session.id}`)).toMatchObject({ status: 'failed', failures: 1, lastError: 'Slack answered channel_not_found' });
    expect((await core.jobs.get(`email.confirmation:${session.id}`))!.runAt).toEqual(plus(NOW, 7_000));
    clock.advance(6_999);
    await worker.runDue();
    expect(calls.filter((c) => c === 'email')).toHaveLength(1);
    clock.advance(1);
    await worker.runDue();
    expect(await core.jobs.get(`email.confirmation:${session.id}`)).toMatchObject({ status: 'done' });
    expect(calls.sort()).toEqual(['dm', 'email', 'email']);
  });

  it('holds an update until the message it edits has been sent', async () => {
    const clock = new ManualClock(NOW);
    const core = await db.makeCore({ clock });
    const order: string[] = [];
    let dmFails = true;
    core.jobs.handle('slack.booking_dm', async () => {
      if (dmFails) throw new Error('timeout');
      order.push('dm');
      return { result: { channel: 'D1', ts: '1.1' } };
    });
    core.jobs.handle('slack.session_update', async (job, context) => {
      const dm = await context.lookup(`slack.booking_dm:${job.bookingId}`);
      order.push(`update ${String(dm?.result?.ts)}`);
    });
    const { student, session } = await bookedSession(core);
    const worker = core.jobs.worker({ random: () => 0 });
    await worker.runDue();
    await core.bookings.cancelAsStudent(student.id, session.id);
    await worker.runDue();
    expect(order).toEqual([]);
    dmFails = false;
    clock.advance(15_000);
    await worker.runUntilIdle();
    // Put back for a few seconds while the DM was still pending in the same pass, then run.
    clock.advance(5_000);
    await worker.runUntilIdle();
    expect(order).toEqual(['dm', 'update 1.1']);
  });
});

describe('the coach’s reminder setting', () => {
  it('moves upcoming reminders when the coach changes it, and removes them when turned off', async () => {
    const clock = new ManualClock(NOW);
    const { core, deliveries } = await coreWithHandlers(clock);
    const { coach, session } = await bookedSession(core);
    await core.coaches.setReminder(coach.id, { reminderMinutesBefore: 15 });
    const reminders = (id: string) => core.jobs.list({ bookingId: id, kind: 'slack.reminder' });
    expect((await reminders(session.id)).map((j) => [j.status, j.runAt.toISOString()])).toEqual([
      ['cancelled', plus(session.startsAt, -60 * MINUTE).toISOString()],
      ['pending', plus(session.startsAt, -15 * MINUTE).toISOString()],
    ]);
    await core.coaches.setReminder(coach.id, { reminderMinutesBefore: null });
    expect((await reminders(session.id)).every((j) => j.status === 'cancelled')).toBe(true);
    await core.coaches.setReminder(coach.id, { reminderMinutesBefore: 60 });
    const worker = core.jobs.worker();
    clock.set(plus(session.startsAt, -30 * MINUTE));
    await worker.runUntilIdle();
    expect(deliveries.filter((d) => d.kind === 'slack.reminder').map((d) => d.id)).toEqual([`slack.reminder:${session.id}:0:60`]);
    await expect(core.coaches.setReminder(coach.id, { reminderMinutesBefore: 2 })).rejects.toMatchObject({ code: 'validation.failed' });
    expect((await core.coaches.get(coach.id)).reminderMinutesBefore).toBe(60);
  });
});
