import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { ManualClock, type Core } from '../../core/index.js';
import { useTestDatabase } from '../helpers/db.js';
import { HOUR, NOW, NO_LIMITS, makeCoach, makeStudent, plus } from './fixtures.js';

const db = useTestDatabase();
const DAY = 24 * HOUR;
let A = { teamId: 'TA0' };
let B = { teamId: 'TB0' };
let run = 0;

/** Two fresh workspaces per test (the file shares one database): Ada coaches in A, Bea in B. */
async function twoWorkspaces() {
  run += 1;
  A = { teamId: `TA${run}` };
  B = { teamId: `TB${run}` };
  const clock = new ManualClock(NOW);
  const core = await db.makeCore({ clock, rules: NO_LIMITS });
  const ada = await makeCoach(core, { name: 'Ada of A', teamId: A.teamId });
  const bea = await makeCoach(core, { name: 'Bea of B', teamId: B.teamId });
  const adaSlot = await core.slots.create(ada.id, { startsAt: plus(NOW, 2 * DAY) });
  const beaSlot = await core.slots.create(bea.id, { startsAt: plus(NOW, 2 * DAY + 4 * HOUR) });
  const student = await makeStudent(core);
  return { core, clock, ada, bea, adaSlot, beaSlot, student };
}

const codeOf = (promise: Promise<unknown>) => promise.then(() => 'resolved', (error: { code?: string }) => error.code);

describe('workspace scope', () => {
  it('records the coach’s workspace on every slot and session', async () => {
    const { core, adaSlot, beaSlot, student } = await twoWorkspaces();
    expect([adaSlot.teamId, beaSlot.teamId]).toEqual([A.teamId, B.teamId]);
    const session = await core.bookings.book(student.id, { slotId: adaSlot.id }, A);
    const stored = await db.connection.collection('bookings').findOne({ _id: new Types.ObjectId(session.id) });
    expect(stored?.teamId).toBe(A.teamId);
  });

  it('lists only the workspace’s coaches under a scope, and every coach without one', async () => {
    const { core } = await twoWorkspaces();
    const inA = await core.coaches.list({}, A);
    expect(inA.items.map((c) => c.name)).toEqual(['Ada of A']);
    expect(inA.nextCursor).toBeNull();
    expect((await core.coaches.list({}, { teamId: 'TNONE' })).items).toEqual([]);
    const all = (await core.coaches.list({ limit: 100 })).items.map((c) => c.name);
    expect(all).toEqual(expect.arrayContaining(['Ada of A', 'Bea of B']));
  });

  it('treats another workspace’s coach and slots as not found', async () => {
    const { core, ada } = await twoWorkspaces();
    const range = { from: NOW, to: plus(NOW, 7 * DAY) };
    expect(await codeOf(core.coaches.getPublic(ada.id, B))).toBe('coach.not_found');
    expect(await codeOf(core.slots.listBookable(ada.id, range, B))).toBe('coach.not_found');
    expect((await core.slots.listBookable(ada.id, range, A)).length).toBe(1);
    expect((await core.coaches.getPublic(ada.id)).name).toBe('Ada of A');
  });

  it('refuses to book another workspace’s slot and writes nothing', async () => {
    const { core, adaSlot, student } = await twoWorkspaces();
    expect(await codeOf(core.bookings.book(student.id, { slotId: adaSlot.id }, B))).toBe('slot.not_found');
    expect((await core.slots.get(adaSlot.id)).status).toBe('open');
    expect(await db.connection.collection('claims').countDocuments({ _id: `slot:${adaSlot.id}` as never })).toBe(0);
    // The same request within the right workspace books it.
    expect((await core.bookings.book(student.id, { slotId: adaSlot.id }, A)).status).toBe('active');
  });

  it('hides a student’s sessions of another workspace from listings, reads and cancellation', async () => {
    const { core, adaSlot, beaSlot, student } = await twoWorkspaces();
    const inA = await core.bookings.book(student.id, { slotId: adaSlot.id }, A);
    await core.bookings.book(student.id, { slotId: beaSlot.id }, B);

    expect((await core.bookings.studentUpcoming(student.id, {}, B)).items.map((s) => s.coach.name)).toEqual(['Bea of B']);
    expect((await core.bookings.studentUpcoming(student.id)).total).toBe(2);
    expect(await codeOf(core.bookings.getForStudent(student.id, inA.id, B))).toBe('booking.not_found');
    expect(await codeOf(core.bookings.cancelAsStudent(student.id, inA.id, {}, B))).toBe('booking.not_found');
    expect((await core.bookings.getForStudent(student.id, inA.id, A)).status).toBe('active');
    await core.bookings.cancelAsStudent(student.id, inA.id, {}, A);
    expect((await core.bookings.studentCancelled(student.id, {}, B)).items).toEqual([]);
    expect((await core.bookings.studentCancelled(student.id, {}, A)).items.map((s) => s.id)).toEqual([inA.id]);
  });

  it('removes a workspace’s open slots, leaving its booked ones and other workspaces alone', async () => {
    const { core, ada, adaSlot, beaSlot, student } = await twoWorkspaces();
    const later = await core.slots.create(ada.id, { startsAt: plus(NOW, 3 * DAY) });
    await core.bookings.book(student.id, { slotId: later.id });

    expect(await core.slots.removeOpenInWorkspace(A.teamId)).toBe(1);
    expect((await core.slots.get(adaSlot.id)).status).toBe('removed');
    expect((await core.slots.get(later.id)).status).toBe('booked');
    expect((await core.slots.get(beaSlot.id)).status).toBe('open');
    expect(await core.slots.removeOpenInWorkspace(A.teamId)).toBe(0);
  });

  it('gives slots and sessions stored before workspaces existed their coach’s team at start', async () => {
    const { core, ada, adaSlot, student } = await twoWorkspaces();
    const session = await core.bookings.book(student.id, { slotId: adaSlot.id });
    await db.connection.collection('slots').updateOne({ _id: new Types.ObjectId(adaSlot.id) }, { $unset: { teamId: '' } });
    await db.connection.collection('bookings').updateOne({ _id: new Types.ObjectId(session.id) }, { $unset: { teamId: '' } });

    const restarted: Core = await db.makeCore({ clock: new ManualClock(NOW) });

    expect((await restarted.slots.get(adaSlot.id)).teamId).toBe(ada.teamId);
    expect((await restarted.bookings.studentUpcoming(student.id, {}, A)).items.map((s) => s.id)).toContain(session.id);
  });
});
