import { describe, expect, it } from 'vitest';
import type { Core } from '../../core/index.js';
import { HOUR, NOW, makeCoach, makeStudent, plus, useCore } from './fixtures.js';

const env = useCore();

/** Every phone number that appears anywhere in a value. */
function phonesIn(value: unknown): Set<string> {
  return new Set(JSON.stringify(value).match(/\+\d{8,15}/g) ?? []);
}

describe('phone numbers', () => {
  it('are shown only to the two people in a session, through every query', async () => {
    const { core, clock } = await env.make();
    const ada = await makeCoach(core, { name: 'Ada', phone: '+44 20 7946 0111' });
    const bea = await makeCoach(core, { name: 'Bea', phone: '+44 20 7946 0222' });
    const sam = await makeStudent(core, { name: 'Sam', phone: '+1 212 555 0133' });
    const kim = await makeStudent(core, { name: 'Kim', phone: '+1 212 555 0144' });
    const lou = await makeStudent(core, { name: 'Lou', phone: '+1 212 555 0155' });

    const s1 = await core.slots.create(ada.id, { startsAt: plus(NOW, 24 * HOUR) });
    const s2 = await core.slots.create(bea.id, { startsAt: plus(NOW, 24 * HOUR) });
    const s3 = await core.slots.create(ada.id, { startsAt: plus(NOW, 48 * HOUR) });
    await core.slots.create(bea.id, { startsAt: plus(NOW, 72 * HOUR) });
    const samAda = await core.bookings.book(sam.id, { slotId: s1.id });
    const kimBea = await core.bookings.book(kim.id, { slotId: s2.id });
    const kimAda = await core.bookings.book(kim.id, { slotId: s3.id });

    const allowed: Record<string, Set<string>> = {
      [ada.id]: new Set([sam.phone!, kim.phone!]),
      [bea.id]: new Set([kim.phone!]),
      [sam.id]: new Set([ada.phone!]),
      [kim.id]: new Set([ada.phone!, bea.phone!]),
      [lou.id]: new Set(),
    };
    const bookingIds = [samAda.id, kimBea.id, kimAda.id];

    async function everythingSeenBy(kind: 'coach' | 'student', id: string, c: Core) {
      const seen: unknown[] = [await c.coaches.list({ limit: 100 })];
      for (const coachId of [ada.id, bea.id]) {
        seen.push(await c.coaches.getPublic(coachId), await c.slots.listOpen(coachId), await c.slots.listBookable(coachId, { from: NOW, to: plus(NOW, 20 * 24 * HOUR) }));
      }
      if (kind === 'coach') {
        seen.push(await c.bookings.coachUpcoming(id), await c.bookings.coachPast(id), await c.bookings.coachNeedsRating(id), await c.coaches.stats(id));
        for (const bookingId of bookingIds) seen.push(await c.bookings.getForCoach(id, bookingId).catch((e: { code: string }) => e.code));
      } else {
        seen.push(await c.bookings.studentUpcoming(id), await c.bookings.studentPast(id));
        for (const bookingId of bookingIds) seen.push(await c.bookings.getForStudent(id, bookingId).catch((e: { code: string }) => e.code));
      }
      return seen;
    }

    for (const moment of [NOW, plus(NOW, 100 * HOUR).toISOString()]) {
      clock.set(moment);
      for (const [kind, id] of [['coach', ada.id], ['coach', bea.id], ['student', sam.id], ['student', kim.id], ['student', lou.id]] as const) {
        const seen = phonesIn(await everythingSeenBy(kind, id, core));
        for (const phone of seen) expect(allowed[id]!.has(phone), `${kind} ${id} saw ${phone} at ${moment}`).toBe(true);
        if (moment === NOW) expect(seen).toEqual(allowed[id]);
      }
    }
  });

  it('are stored in E.164 and refused when invalid', async () => {
    const { core } = await env.make();
    const student = await makeStudent(core, { phone: '+44 (0)20 7946 0958' });
    expect(student.phone).toBe('+442079460958');
    await expect(makeStudent(core, { phone: '12345' })).rejects.toMatchObject({ code: 'phone.invalid' });
    const coach = await makeCoach(core, { phone: 'call me' });
    expect(coach.phone).toBeNull();
    await expect(core.coaches.updateProfile(coach.id, { phone: '020 7946 0958' })).rejects.toMatchObject({ code: 'phone.invalid' });
    await expect(core.coaches.updateProfile(coach.id, { phone: '+1 (415) 555-2671' })).resolves.toMatchObject({ phone: '+14155552671' });
  });
});
