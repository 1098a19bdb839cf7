import { DateTime } from 'luxon';
import { ManualClock, type Clock, type Core } from '../index.js';

/** Seeded students, by the id a host site would give them: the demo page lets a visitor pick one. */
export const DEMO_STUDENTS = [
  { externalId: 'demo-student-mia', name: 'Mia Chen', phone: '+1 415 555 0132', email: 'mia@example.com' },
  { externalId: 'demo-student-leo', name: 'Leo Martins', phone: '+44 20 7946 0123', email: 'leo@example.com' },
  { externalId: 'demo-student-ama', name: 'Ama Owusu', phone: '+1 646 555 0177', email: 'ama@example.com' },
  { externalId: 'demo-student-raj', name: 'Raj Iyer', phone: '+91 98765 43210', email: 'raj@example.com' },
] as const;

const DEMO_COACHES = [
  { slackUserId: 'UDEMOADA', name: 'Ada Okafor', timezone: 'Europe/London', phone: '+44 20 7946 0018', bio: 'Career coach. Ten years hiring engineers; now helping them get hired.' },
  { slackUserId: 'UDEMOGRACE', name: 'Grace Kim', timezone: 'America/New_York', phone: '+1 212 555 0147', bio: 'Interview practice & system design. Former staff engineer.' },
  { slackUserId: 'UDEMOTEO', name: 'Teo Alvarez', timezone: 'America/Los_Angeles', phone: '+1 310 555 0199', bio: 'Portfolio reviews and product thinking for designers.' },
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

  // The coming two weeks: open slots every other day, a few of them booked.
  for (const [i, coach] of coaches.entries()) {
    const startDay = now.setZone(coach.timezone).plus({ days: 2 + i }).toISODate()!;
    const times = i === 1 ? ['09:00', '13:00', '18:30'] : ['10:00', '14:00'];
    const series = await present.slots.createSeries(coach.id, { date: startDay, times, timezone: coach.timezone, weeks: 2 });
    summary.openSlots += series.created.length;
    for (const [j, slot] of series.created.entries()) {
      if (j % 4 !== 1) continue;
      try {
        await present.bookings.book(students[(i + j) % students.length]!.id, { slotId: slot.id });
        summary.upcomingSessions++;
        summary.openSlots--;
      } catch {
        // Overlaps another seeded booking of that student: leave it open.
      }
    }
  }
  return summary;
}
