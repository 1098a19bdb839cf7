import type { CommandStartedEvent } from 'mongodb';
import { Types, type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeMongo, connectMongo } from '../../core/db/connection.js';
import { createCore, ManualClock, type Core, type JobWorker } from '../../core/index.js';
import { describeCommand, UPKEEP, type DescribedCommand } from '../helpers/commands.js';
import { useTestDatabase } from '../helpers/db.js';
import { HOUR, NO_LIMITS, NOW, makeCoach, makeStudent, plus } from './fixtures.js';

/**
 * A booking, a hold, a move and a cancellation must cost the same whatever
 * else the database holds. The FerretDB stand-in scans a whole collection for
 * any filter but the `_id` alone, so on these paths every command on the
 * collections they write must be keyed: an insert, or a read, update or
 * delete by `_id` alone. Secondary-key reads that belong to the rules (the
 * booking limits, the coach's buffer) are allowed by name.
 */
const db = useTestDatabase();
let connection: Connection;
let seen: Array<DescribedCommand & { command: string }> = [];

beforeAll(async () => {
  connection = await connectMongo(`${db.uri}${db.uri.includes('?') ? '&' : '?'}monitorCommands=true`, db.name);
  connection.getClient().on('commandStarted', (e: CommandStartedEvent) => {
    if (!UPKEEP.has(e.commandName)) seen.push({ command: e.commandName, ...describeCommand(e) });
  });
});
afterAll(async () => {
  await closeMongo(connection);
});

async function makeCore(): Promise<{ core: Core; worker: JobWorker }> {
  const clock = new ManualClock(NOW);
  const core = await createCore({ connection, clock, rules: NO_LIMITS });
  // Jobs are planned and run for what some edge delivers: as in the server, with Slack on.
  for (const kind of ['slack.booking_dm', 'slack.session_update', 'slack.cancellation_dm', 'slack.move_dm', 'slack.reminder', 'slack.rating_prompt', 'slack.rating_nudge'] as const) {
    core.jobs.handle(kind, async () => {});
  }
  const worker = core.jobs.worker();
  // Polling, as in the server, but never within the test: what runs is what was planned due now.
  worker.start(3_600_000);
  return { core, worker };
}

/** The commands `run` sent, once the jobs it made due have run. */
async function commandsOf(worker: JobWorker, run: () => Promise<unknown>) {
  seen = [];
  await run();
  await worker.stop();
  worker.start(3_600_000);
  return seen;
}

const scans = (commands: Array<DescribedCommand & { command: string }>) =>
  commands.filter((c) => !c.keyed).map((c) => `${c.command} ${c.collection} ${c.filter}`);

describe('the write paths', () => {
  it('book, hold, move and cancel by keyed commands only, jobs included', async () => {
    const { core, worker } = await makeCore();
    const coach = await makeCoach(core);
    const student = await makeStudent(core);
    const first = await core.slots.create(coach.id, { startsAt: plus(NOW, 48 * HOUR) });
    const second = await core.slots.create(coach.id, { startsAt: plus(NOW, 72 * HOUR) });
    const third = await core.slots.create(coach.id, { startsAt: plus(NOW, 96 * HOUR) });

    const booking = await commandsOf(worker, () => core.bookings.book(student.id, { slotId: first.id }));
    expect(scans(booking)).toEqual([]);
    expect(booking.filter((c) => c.collection === 'jobs' && c.command === 'insert')).toHaveLength(1);

    const held = await commandsOf(worker, async () => {
      await core.holds.hold(student.id, second.id);
      await core.holds.hold(student.id, second.id);
    });
    expect(scans(held)).toEqual([]);

    const [session] = (await core.bookings.studentUpcoming(student.id)).items;
    const moved = await commandsOf(worker, () => core.bookings.reschedule({ kind: 'student', studentId: student.id }, session!.id, { slotId: second.id }));
    expect(scans(moved)).toEqual([]);

    const cancelled = await commandsOf(worker, () => core.bookings.cancelAsStudent(student.id, session!.id, {}));
    expect(scans(cancelled)).toEqual([]);

    const coachCancel = await commandsOf(worker, async () => {
      const other = await core.bookings.book(student.id, { slotId: third.id });
      await core.bookings.cancelAsCoach(coach.id, other.id, { reason: 'ill' });
    });
    expect(scans(coachCancel)).toEqual([]);

    // What was planned for the session at each of its times is cancelled, by id.
    const jobs = await core.jobs.list({ bookingId: session!.id });
    expect(jobs.filter((j) => ['slack.reminder', 'slack.rating_prompt'].includes(j.kind)).map((j) => [j.id, j.status])).toEqual([
      [`slack.reminder:${session!.id}:0:60`, 'cancelled'],
      [`slack.rating_prompt:${session!.id}:0`, 'cancelled'],
      [`slack.reminder:${session!.id}:1:60`, 'cancelled'],
      [`slack.rating_prompt:${session!.id}:1`, 'cancelled'],
    ]);
  });

  it('adds a slot with keyed commands only', async () => {
    const { core, worker } = await makeCore();
    const coach = await makeCoach(core);
    const added = await commandsOf(worker, () => core.slots.createSeries(coach.id, { date: '2026-06-05', times: ['10:00'], timezone: 'Europe/London', weeks: 1 }));
    expect(scans(added)).toEqual([]);
    expect(added.filter((c) => c.collection === 'slots' && c.command === 'insert')).toHaveLength(1);
  });

  it("finds a Slack user's coach by a keyed read, and one stored under an older id by its Slack user", async () => {
    const { core, worker } = await makeCore();
    const coach = await makeCoach(core, { teamId: 'TKEYED' });
    const found = await commandsOf(worker, async () => {
      expect((await core.coaches.findBySlackUser('TKEYED', coach.slackUserId))?.id).toBe(coach.id);
    });
    expect(found.map((c) => `${c.command} ${c.collection} ${c.filter}`)).toEqual(['find coaches { _id } limit 1']);

    const missed = await commandsOf(worker, () => core.coaches.findBySlackUser('TKEYED', 'UNOBODY'));
    expect(missed.map((c) => `${c.command} ${c.collection} ${c.filter}`)).toEqual(['find coaches { _id } limit 1', 'find coaches { teamId, slackUserId } limit 1']);

    // A coach an earlier version stored under a random id is still found, and onboarding them again keeps them.
    const older = new Types.ObjectId();
    const now = new Date(NOW);
    await connection.db!.collection('coaches').insertOne({
      _id: older, teamId: 'TKEYED', slackUserId: 'UOLDER', name: 'Coach Older', sortName: 'coach older', bio: '', timezone: 'Europe/London',
      avatarUrl: null, phone: null, email: null, reminderMinutesBefore: 60, createdAt: now, updatedAt: now,
    });
    expect((await core.coaches.findBySlackUser('TKEYED', 'UOLDER'))?.id).toBe(String(older));
    const again = await core.coaches.onboard({ teamId: 'TKEYED', slackUserId: 'UOLDER', name: 'Coach Older', timezone: 'Europe/Paris' });
    expect(again).toMatchObject({ created: false, coach: { id: String(older), timezone: 'Europe/Paris' } });
  });
});
