import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../core/index.js';
import { ManualClock } from '../../core/index.js';
import { useTestDatabase } from '../helpers/db.js';
import { HOUR, MINUTE, NOW, makeCoach, makeStudent, plus } from './fixtures.js';

const db = useTestDatabase();

type Command =
  | { op: 'create'; coach: number; quarter: number }
  | { op: 'book'; student: number; slot: number }
  | { op: 'cancel'; as: 'student' | 'coach'; booking: number }
  | { op: 'remove'; slot: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ op: fc.constant('create' as const), coach: fc.nat(2), quarter: fc.nat(24) }),
  fc.record({ op: fc.constant('book' as const), student: fc.nat(2), slot: fc.nat(30) }),
  fc.record({ op: fc.constant('cancel' as const), as: fc.constantFrom('student' as const, 'coach' as const), booking: fc.nat(30) }),
  fc.record({ op: fc.constant('remove' as const), slot: fc.nat(30) }),
);

const overlap = (a: { startsAt: Date; endsAt: Date }, b: { startsAt: Date; endsAt: Date }) =>
  a.startsAt.getTime() < b.endsAt.getTime() && b.startsAt.getTime() < a.endsAt.getTime();

function assertNoOverlaps<T extends { startsAt: Date; endsAt: Date }>(items: T[], what: string) {
  for (let i = 0; i < items.length; i++)
    for (let j = i + 1; j < items.length; j++) expect(overlap(items[i]!, items[j]!), `${what} overlap: ${JSON.stringify([items[i], items[j]])}`).toBe(false);
}

describe('invariants (property)', () => {
  it('no sequence of racing creates, books, cancels and removes leaves overlapping live slots or sessions', async () => {
    const clock = new ManualClock(NOW);
    const core: Core = await db.makeCore({ clock });
    const day = plus(NOW, 48 * HOUR).getTime();

    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 5, maxLength: 30 }), fc.integer({ min: 1, max: 6 }), async (commands, parallelism) => {
        const coaches = await Promise.all([0, 1, 2].map(() => makeCoach(core)));
        const students = await Promise.all([0, 1, 2].map(() => makeStudent(core)));
        const slotIds: string[] = [];
        const bookings: { id: string; studentId: string; coachId: string }[] = [];

        const run = async (c: Command) => {
          switch (c.op) {
            case 'create':
              slotIds.push((await core.slots.create(coaches[c.coach]!.id, { startsAt: new Date(day + c.quarter * 15 * MINUTE) })).id);
              return;
            case 'book': {
              if (!slotIds.length) return;
              const student = students[c.student]!;
              const session = await core.bookings.book(student.id, { slotId: slotIds[c.slot % slotIds.length]! });
              bookings.push({ id: session.id, studentId: student.id, coachId: session.coach.id });
              return;
            }
            case 'cancel': {
              if (!bookings.length) return;
              const b = bookings[c.booking % bookings.length]!;
              if (c.as === 'student') await core.bookings.cancelAsStudent(b.studentId, b.id);
              else await core.bookings.cancelAsCoach(b.coachId, b.id);
              return;
            }
            case 'remove': {
              if (!slotIds.length) return;
              const slot = await core.slots.get(slotIds[c.slot % slotIds.length]!);
              await core.slots.remove(slot.coachId, slot.id);
            }
          }
        };
        // Commands run in waves of `parallelism` at once, so rules meet real races.
        for (let i = 0; i < commands.length; i += parallelism) {
          const results = await Promise.allSettled(commands.slice(i, i + parallelism).map(run));
          for (const r of results) if (r.status === 'rejected') expect(r.reason?.name, String(r.reason?.stack)).toBe('DomainError');
        }

        for (const coach of coaches) {
          const live = (await core.slots.listOpen(coach.id, { limit: 100 })).items;
          const booked = (await core.bookings.coachUpcoming(coach.id, { limit: 100 })).items;
          assertNoOverlaps([...live, ...booked], `coach ${coach.id}`);
          for (const session of booked) expect((await core.slots.get(session.slotId)).bookingId).toBe(session.id);
        }
        for (const student of students) {
          const upcoming = (await core.bookings.studentUpcoming(student.id, { limit: 100 })).items;
          assertNoOverlaps(upcoming, `student ${student.id}`);
        }
        const active = await db.connection.collection('bookings').find({ status: 'active' }).toArray();
        const perSlot = new Map<string, number>();
        for (const b of active) perSlot.set(String(b.slotId), (perSlot.get(String(b.slotId)) ?? 0) + 1);
        expect([...perSlot.values()].every((n) => n === 1)).toBe(true);
      }),
      { numRuns: 25 },
    );
  }, 180_000);
});
