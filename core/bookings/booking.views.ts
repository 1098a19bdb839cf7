import type { CoachRepository } from '../coaches/coach.repository.js';
import type { StudentRepository } from '../students/student.repository.js';
import type { Page } from '../shared/time.schema.js';
import type { Booking } from './booking.repository.js';
import type { CoachSession, StudentSession } from './booking.schema.js';
import type { RulesConfig } from '../shared/rules-config.js';
import { cancellationDeadline, hasStarted } from './booking.rules.js';

/**
 * Builds what each participant sees of a session. The only phone a view ever
 * carries is the other participant's: callers reach these builders only
 * through queries already scoped to the viewer (coachId or studentId).
 */
export class SessionViews {
  constructor(
    private readonly coaches: CoachRepository,
    private readonly students: StudentRepository,
    private readonly rules: RulesConfig,
  ) {}

  async forCoach(bookings: Booking[], now: Date): Promise<CoachSession[]> {
    const students = await this.students.getMany(bookings.map((b) => b.studentId));
    return bookings.map((b) => {
      const student = students.get(b.studentId);
      return {
        id: b.id,
        slotId: b.slotId,
        startsAt: b.startsAt,
        endsAt: b.endsAt,
        status: b.status,
        student: {
          id: b.studentId,
          name: student?.name ?? 'Unknown student',
          phone: student?.phone ?? null,
          email: student?.email ?? null,
        },
        feedback: b.feedback
          ? { satisfaction: b.feedback.satisfaction, notes: b.feedback.notes, recordedAt: b.feedback.recordedAt, updatedAt: b.feedback.updatedAt }
          : null,
        feedbackHistory: b.feedbackHistory.map((h) => ({ satisfaction: h.satisfaction, notes: h.notes, replacedAt: h.replacedAt })),
        cancellation: b.cancellation,
        needsRating: b.status === 'active' && !b.feedback && hasStarted(b.startsAt, now),
        sequence: b.sequence,
        movedFrom: movedFrom(b),
        createdAt: b.createdAt,
      };
    });
  }

  async forStudent(bookings: Booking[]): Promise<StudentSession[]> {
    const coaches = await this.coaches.getMany(bookings.map((b) => b.coachId));
    return bookings.map((b) => {
      const coach = coaches.get(b.coachId);
      return {
        id: b.id,
        slotId: b.slotId,
        startsAt: b.startsAt,
        endsAt: b.endsAt,
        status: b.status,
        coach: {
          id: b.coachId,
          name: coach?.name ?? 'Unknown coach',
          phone: coach?.phone ?? null,
          avatarUrl: coach?.avatarUrl ?? null,
          timezone: coach?.timezone ?? 'UTC',
        },
        cancellation: b.cancellation,
        cancellableUntil: cancellationDeadline(b.startsAt, this.rules),
        sequence: b.sequence,
        movedFrom: movedFrom(b),
        createdAt: b.createdAt,
      };
    });
  }

  async coachPage(page: Page<Booking>, now: Date): Promise<Page<CoachSession>> {
    return { ...page, items: await this.forCoach(page.items, now) };
  }

  async studentPage(page: Page<Booking>): Promise<Page<StudentSession>> {
    return { ...page, items: await this.forStudent(page.items) };
  }
}

function movedFrom(b: Booking): { startsAt: Date; endsAt: Date } | null {
  const last = b.moves.at(-1);
  return last ? { startsAt: last.fromStartsAt, endsAt: last.fromEndsAt } : null;
}

