import { describe, expect, it, vi } from 'vitest';
import { AuditRepository } from '../../core/audit/audit.repository.js';
import { DomainEventBus } from '../../core/index.js';
import { ManualClock } from '../../core/index.js';
import { useTestDatabase } from '../helpers/db.js';
import { HOUR, NOW, makeCoach, makeStudent, plus } from './fixtures.js';

const db = useTestDatabase();
const DAY = 24 * HOUR;
let run = 0;

async function setup() {
  run += 1;
  const clock = new ManualClock(NOW);
  const failures: unknown[] = [];
  const core = await db.makeCore({ clock, events: new DomainEventBus((error) => failures.push(error)) });
  const teamId = `TAUD${run}`;
  const coach = await makeCoach(core, { name: 'Ada', teamId });
  const student = await makeStudent(core, { name: 'Sam' });
  return { core, clock, coach, student, scope: { teamId }, failures };
}

const summary = (entries: Array<{ action: string; actor: { kind: string; id: string } }>) => entries.map((e) => `${e.action} by ${e.actor.kind}`);

describe('audit trail', () => {
  it('records who created, booked, moved, rated and cancelled, and shows it per session in order', async () => {
    const { core, clock, coach, student, scope } = await setup();
    const series = await core.slots.createSeries(coach.id, { date: '2026-06-03', times: ['10:00'], timezone: 'Europe/London', weeks: 3 });
    const [first, second] = series.created;
    clock.advance(60_000);
    const booked = await core.bookings.book(student.id, { slotId: first!.id });
    clock.advance(60_000);
    await core.bookings.reschedule({ kind: 'student', studentId: student.id }, booked.id, { slotId: second!.id });
    clock.set(plus(second!.startsAt, 3 * HOUR));
    await core.feedback.record(coach.id, booked.id, { satisfaction: 4, notes: 'private: talked about exams' });

    const { entries, session } = await core.admin.history(booked.id, scope);
    expect(session).toMatchObject({ id: booked.id, coach: { name: 'Ada' }, student: { name: 'Sam' }, score: 4 });
    expect(summary(entries)).toEqual(['series.created by coach', 'booking.created by student', 'booking.moved by student', 'session.rated by coach']);
    expect(entries[0]).toMatchObject({ actor: { id: coach.id }, seriesId: series.seriesId, details: { count: 3 } });
    expect(entries[1]).toMatchObject({ actor: { id: student.id }, at: plus(NOW, 60_000), slotId: first!.id });
    expect(entries[2]).toMatchObject({ details: { fromStartsAt: first!.startsAt, toStartsAt: second!.startsAt } });
    expect(entries[3]).toMatchObject({ details: { score: 4 } });
    // A note never reaches the trail.
    expect(JSON.stringify(entries)).not.toContain('exams');
  });

  it('records an admin’s cancellation with its reason, and the admin as the actor', async () => {
    const { core, coach, student, scope } = await setup();
    const slot = await core.slots.create(coach.id, { startsAt: plus(NOW, 2 * DAY) });
    const booked = await core.bookings.book(student.id, { slotId: slot.id });
    await core.admin.cancelSession({ id: 'UADMIN1' }, booked.id, { reason: 'Coach is ill' }, scope);
    const { entries } = await core.admin.history(booked.id, scope);
    expect(summary(entries)).toEqual(['slot.created by coach', 'booking.created by student', 'booking.cancelled by admin']);
    expect(entries[2]).toMatchObject({ actor: { kind: 'admin', id: 'UADMIN1' }, details: { reason: 'Coach is ill' } });
  });

  it('records slot removals by the coach, an admin and the system', async () => {
    const { core, coach, scope } = await setup();
    const [a, b, c] = await Promise.all([1, 2, 3].map((n) => core.slots.create(coach.id, { startsAt: plus(NOW, n * DAY) })));
    await core.slots.remove(coach.id, a!.id);
    await core.admin.removeSlot({ id: 'UADMIN2' }, b!.id, scope);
    await core.slots.removeOpenInWorkspace(scope.teamId);
    const removals = (await core.admin.overview(scope, { zone: 'UTC', listSize: 10 })).recent.filter((e) => e.action === 'slot.removed');
    expect(removals.map((e) => [e.slotId, e.actor.kind, e.actor.id]).sort()).toEqual(
      [[a!.id, 'coach', coach.id], [b!.id, 'admin', 'UADMIN2'], [c!.id, 'system', 'uninstall']].sort(),
    );
  });

  it('records the slots a series extension creates and each slot removing the rest of a series takes down', async () => {
    const { core, coach, scope } = await setup();
    const series = await core.slots.createSeries(coach.id, { date: '2026-06-02', times: ['10:00'], timezone: 'Europe/London', weeks: 2 });
    await core.slots.extendSeries(coach.id, series.seriesId, { weeks: 2 });
    await core.slots.removeRestOfSeries(coach.id, series.seriesId);
    const recent = (await core.admin.overview(scope, { zone: 'UTC', listSize: 20 })).recent;
    expect(recent.filter((e) => e.action === 'slot.removed' && e.actor.kind === 'coach')).toHaveLength(4);
    // The series, then its extension: two entries for the one series, with how many slots each made.
    expect(recent.filter((e) => e.action === 'series.created' && e.seriesId === series.seriesId).map((e) => e.details.count).sort()).toEqual([2, 2]);
  });

  it('keeps the booking when the audit write fails, and reports the failure', async () => {
    const { core, coach, student, scope } = await setup();
    const slot = await core.slots.create(coach.id, { startsAt: plus(NOW, 2 * DAY) });
    const insert = vi.spyOn(AuditRepository.prototype, 'insert').mockRejectedValueOnce(new Error('disk full'));
    const logged: string[] = [];
    const withLog = await db.makeCore({ clock: core.clock as ManualClock, log: (_level, _fields, message) => void logged.push(message) });
    try {
      const booked = await withLog.bookings.book(student.id, { slotId: slot.id });
      expect((await withLog.bookings.getForStudent(student.id, booked.id)).status).toBe('active');
      expect(logged).toContain('audit entry not recorded (the action itself stands)');
      expect(summary((await core.admin.history(booked.id, scope)).entries)).toEqual(['slot.created by coach']);
    } finally {
      insert.mockRestore();
    }
  });

  it('records a booking once when a resumed request reports it again', async () => {
    const { core, coach, student, scope } = await setup();
    const slot = await core.slots.create(coach.id, { startsAt: plus(NOW, 2 * DAY) });
    const booked = await core.bookings.book(student.id, { slotId: slot.id });
    await core.events.emit('booking.created', { coachId: coach.id, studentId: student.id, bookingId: booked.id, slotId: slot.id });
    expect(summary((await core.admin.history(booked.id, scope)).entries)).toEqual(['slot.created by coach', 'booking.created by student']);
  });

  it('shows a session’s history only within its workspace', async () => {
    const { core, coach, student } = await setup();
    const slot = await core.slots.create(coach.id, { startsAt: plus(NOW, 2 * DAY) });
    const booked = await core.bookings.book(student.id, { slotId: slot.id });
    await expect(core.admin.history(booked.id, { teamId: 'TSOMEONEELSE' })).rejects.toMatchObject({ code: 'booking.not_found' });
    await expect(core.admin.cancelSession({ id: 'UX' }, booked.id, {}, { teamId: 'TSOMEONEELSE' })).rejects.toMatchObject({ code: 'booking.not_found' });
    await expect(core.admin.removeSlot({ id: 'UX' }, (await core.slots.create(coach.id, { startsAt: plus(NOW, 3 * DAY) })).id, { teamId: 'TSOMEONEELSE' })).rejects.toMatchObject({ code: 'slot.not_found' });
    expect((await core.bookings.getForStudent(student.id, booked.id)).status).toBe('active');
  });
});
