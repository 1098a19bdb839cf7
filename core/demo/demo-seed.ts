import { DateTime } from 'luxon';
import { isDomainError, ManualClock, type Clock, type Core } from '../index.js';
import type { Slot } from '../slots/slot.schema.js';

/** Seeded students, by the id a host site would give them: the demo page lets a visitor pick one. */
export const DEMO_STUDENTS = [
  { externalId: 'demo-student-mia', name: 'Mia Chen', phone: '+1 415 555 0132', email: 'mia@example.com' },
  { externalId: 'demo-student-leo', name: 'Leo Martins', phone: '+44 20 7946 0123', email: 'leo@example.com' },
  { externalId: 'demo-student-ama', name: 'Ama Owusu', phone: '+1 646 555 0177', email: 'ama@example.com' },
  { externalId: 'demo-student-raj', name: 'Raj Iyer', phone: '+91 98765 43210', email: 'raj@example.com' },
] as const;

const DEMO_COACHES = [
  { slackUserId: 'UDEMOADA', name: 'Ada Okafor', timezone: 'Europe/London', phone: '+44 20 7946 0018', bio: 'Career coach. Ten years hiring engineers; now helping them get hired.', times: ['10:00', '14:00', '18:00'] },
  { slackUserId: 'UDEMOGRACE', name: 'Grace Kim', timezone: 'America/New_York', phone: '+1 212 555 0147', bio: 'Interview practice & system design. Former staff engineer.', times: ['09:00', '13:00', '18:30'] },
  { slackUserId: 'UDEMOTEO', name: 'Teo Alvarez', timezone: 'America/Los_Angeles', phone: '+1 310 555 0199', bio: 'Portfolio reviews and product thinking for designers.', times: ['08:00', '11:30', '16:00'] },
] as const;

const NOTES = [
  'Worked through two mock interviews. Strong on fundamentals; practise thinking aloud.',
  'Reviewed the CV together. Next: tighten the project summaries & add numbers.',
  'Good energy. We set goals for the next month <and> agreed on weekly check-ins.',
];

export interface SeedSummary {
  coaches: number;
  students: number;
  openSlots: number;
  upcomingSessions: number;
  pastSessions: number;
  ratedSessions: number;
}

/**
 * Fills an empty database with a small, realistic picture: coaches with past,
 * booked and open slots, students, and past sessions with and without
 * feedback. History is written by the same core at an earlier clock, so every
 * rule (grid, notice, overlaps) holds for seeded data too.
 */
export async function seedDemoData(core: Core, options: { clock?: Clock } = {}): Promise<SeedSummary> {
  const now = DateTime.fromJSDate((options.clock ?? core.clock).now(), { zone: 'UTC' });
  const past = core.withClock(new ManualClock(now.minus({ days: 22 }).startOf('hour').toJSDate()));
  const present = core.withClock(new ManualClock(now.toJSDate()));

  const coaches = [];
  for (const c of DEMO_COACHES) {
    const { coach } = await present.coaches.onboard({ teamId: 'TDEMO', slackUserId: c.slackUserId, name: c.name, timezone: c.timezone, phone: c.phone });
    coaches.push(await present.coaches.updateProfile(coach.id, { bio: c.bio }));
  }
  const students = [];
  for (const s of DEMO_STUDENTS) students.push(await present.students.upsert({ ...s }));

  const summary: SeedSummary = { coaches: coaches.length, students: students.length, openSlots: 0, upcomingSessions: 0, pastSessions: 0, ratedSessions: 0 };

  // History: three weeks of weekly sessions, made as if booked three weeks ago.
  for (const [i, coach] of coaches.entries()) {
    const firstDay = now.setZone(coach.timezone).minus({ days: 20 - i }).toISODate()!;
    const series = await past.slots.createSeries(coach.id, { date: firstDay, times: ['10:00', '15:00'], timezone: coach.timezone, weeks: 3 });
    for (const [j, slot] of series.created.entries()) {
      if (slot.startsAt.getTime() > now.toMillis() - 3 * 3_600_000) continue;
      const student = students[(i + j) % students.length]!;
      try {
        const session = await past.bookings.book(student.id, { slotId: slot.id });
        summary.pastSessions++;
        if (j % 3 !== 2) {
          await present.feedback.record(coach.id, session.id, { satisfaction: 3 + ((i + j) % 3), notes: NOTES[(i + j) % NOTES.length]! });
          summary.ratedSessions++;
        }
      } catch {
        // A student already busy at that time: leave the past slot unbooked.
      }
    }
  }

  // The coming weeks: open slots, a few of them booked.
  const opened = await topUpDemoSlots(present);
  summary.openSlots = opened.length;
  for (const [j, slot] of opened.entries()) {
    if (j % 5 !== 1) continue;
    try {
      await present.bookings.book(students[j % students.length]!.id, { slotId: slot.id });
      summary.upcomingSessions++;
      summary.openSlots--;
    } catch {
      // Overlaps another seeded booking of that student: leave it open.
    }
  }
  return summary;
}

/** How far ahead the demo keeps open times. */
export const DEMO_WEEKS_AHEAD = 4;

/**
 * Keeps the demo from running dry: gives each demo coach their usual hours,
 * every other day, over the next four weeks from tomorrow. Only times that
 * have no open slot yet are tried (a booked one is refused by the overlap
 * rule), so calling this at every start adds just what time has used up.
 * Returns the slots it added.
 */
export async function topUpDemoSlots(core: Core): Promise<Slot[]> {
  const added: Slot[] = [];
  const now = DateTime.fromJSDate(core.clock.now(), { zone: 'UTC' });
  for (const [i, c] of DEMO_COACHES.entries()) {
    const coach = await core.coaches.findBySlackUser('TDEMO', c.slackUserId);
    if (!coach) continue;
    const local = now.setZone(coach.timezone).startOf('day');
    const open = await core.slots.listBookableAcross({ from: now.toJSDate(), to: local.plus({ days: DEMO_WEEKS_AHEAD * 7 + 1 }).toJSDate(), coachId: coach.id, limit: 500 });
    const taken = new Set(open.slots.map((slot) => slot.startsAt.getTime()));
    for (let day = 1 + (i % 2); day <= DEMO_WEEKS_AHEAD * 7; day += 2) {
      for (const time of c.times) {
        const start = DateTime.fromISO(`${local.plus({ days: day }).toISODate()}T${time}`, { zone: coach.timezone });
        if (taken.has(start.toMillis())) continue;
        try {
          added.push(await core.slots.create(coach.id, { startsAt: start.toJSDate() }));
        } catch (error) {
          // Booked already (the overlap rule says so): nothing to add.
          if (!isDomainError(error)) throw error;
        }
      }
    }
  }
  return added.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}
