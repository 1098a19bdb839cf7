import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/index.js';
import { studentIdFor } from '../../core/students/student.repository.js';
import { useTestDatabase } from '../helpers/db.js';
import { NOW } from './fixtures.js';

describe('the student behind a signed widget request', () => {
  const db = useTestDatabase();

  /** Every operation core sends to the students collection while `fn` runs. */
  async function studentCalls(fn: () => Promise<unknown>): Promise<Array<{ method: string; filter: unknown }>> {
    const calls: Array<{ method: string; filter: unknown }> = [];
    db.connection.set('debug', (collection: string, method: string, filter: unknown) => {
      if (collection === 'students') calls.push({ method, filter });
    });
    try {
      await fn();
    } finally {
      db.connection.set('debug', false);
    }
    return calls;
  }

  it('is found by an _id derived from the host site’s key, and written only when the profile changed', async () => {
    const clock = new ManualClock(NOW);
    const core = await db.makeCore({ clock });
    const input = { externalId: 'host-42', name: 'Sam', phone: '+44 20 7946 0042', email: 'Sam@Example.org' };
    const created = await core.students.upsert(input);
    expect(created.id).toBe(String(studentIdFor({ site: 'default', externalId: 'host-42' })));

    const unchanged = await studentCalls(() => core.students.upsert(input));
    expect(unchanged).toEqual([{ method: 'findOne', filter: { _id: new Types.ObjectId(created.id) } }]);

    clock.advance(60_000);
    const renamed = await studentCalls(async () => {
      expect(await core.students.upsert({ ...input, name: 'Samuel' })).toMatchObject({ id: created.id, name: 'Samuel', email: 'sam@example.org' });
    });
    expect(renamed.map((c) => c.method)).toEqual(['findOne', 'updateOne', 'findOne']);
  });

  it('keeps using a student created before ids were derived, found by site and id', async () => {
    const core = await db.makeCore({ clock: new ManualClock(NOW) });
    const legacyId = new Types.ObjectId();
    await db.connection.collection('students').insertOne({
      _id: legacyId, site: 'default', externalId: 'legacy-7', name: 'Old Name', phone: '+442079460007', email: null, createdAt: new Date(NOW), updatedAt: new Date(NOW),
    });
    const student = await core.students.upsert({ externalId: 'legacy-7', name: 'New Name', phone: '+442079460007' });
    expect(student).toMatchObject({ id: String(legacyId), name: 'New Name' });
    expect(await db.connection.collection('students').countDocuments({ externalId: 'legacy-7' })).toBe(1);
  });

  it('stays one student when a new Slack user’s first requests race, keyed like a host site’s by workspace, linked or not', async () => {
    const core = await db.makeCore({ clock: new ManualClock(NOW) });
    const website = await core.students.upsert({ externalId: 'host-race', name: 'Web Rae', phone: '+44 20 7946 0998', email: 'rae@example.com' });
    const first = (teamId: string, userId: string, verifiedEmail: string | null) =>
      core.students.forSlackUser({ teamId, userId, name: `Racer ${userId}`, phone: '+1 202 555 0150', verifiedEmail, timezone: 'Europe/London' });

    const own = await Promise.all(Array.from({ length: 8 }, () => first('TRACE', 'URACE1', null)));
    expect(new Set(own.map((r) => r.student.id))).toEqual(new Set([String(studentIdFor({ site: 'slack:TRACE', externalId: 'URACE1' }))]));
    // The same Slack user id in another workspace is another person.
    const elsewhere = await first('TOTHER', 'URACE1', null);
    expect(elsewhere.student.id).toBe(String(studentIdFor({ site: 'slack:TOTHER', externalId: 'URACE1' })));

    const linked = await Promise.all(Array.from({ length: 8 }, () => first('TRACE', 'URACE2', 'Rae@Example.com')));
    expect(linked.map((r) => [r.identity.linkedBy, r.student.id])).toEqual(Array(8).fill(['email', website.id]));

    const students = db.connection.collection('students');
    expect(await students.countDocuments({ externalId: 'URACE1' })).toBe(2);
    expect(await students.countDocuments({ externalId: 'URACE2' })).toBe(0);
    expect(await db.connection.collection('slack_identities').countDocuments({ userId: { $in: ['URACE1', 'URACE2'] } })).toBe(3);
  });
});
