import ical, { ICalAlarmType, ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { StudentSession } from '../../core/bookings/booking.schema.js';

/** Who the invitation comes from: the scheduler's mail address, under the coach's name. */
export interface CalendarOrganizer {
  name: string;
  email: string;
}

export interface SessionCalendarOptions {
  now: Date;
  organizer: CalendarOrganizer;
  /** The student as attendee; left out when the student gave no e-mail address. */
  attendee: { name: string; email: string | null };
  /**
   * PUBLISH for a downloaded file; REQUEST (add or update) and CANCEL for the
   * iTIP invitations mailed to the student, which calendar apps apply by UID
   * and SEQUENCE.
   */
  method?: 'PUBLISH' | 'REQUEST' | 'CANCEL';
  /** Minutes before the start the calendar app alerts the student. */
  alarmMinutesBefore?: number;
}

/** The event's UID: one per booking for its whole life (moves keep the booking id), so every update replaces the same event. */
export const sessionUid = (bookingId: string) => `${bookingId}@coaching-scheduler`;

/**
 * One RFC 5545 event for a session, as its student sees it: the coach's name
 * and phone, times in UTC so every calendar app places it correctly, CRLF
 * line ends. SEQUENCE is the booking's own counter, bumped by each move and
 * by the cancellation, so a later copy always wins over an earlier one.
 */
export function sessionCalendar(session: StudentSession, options: SessionCalendarOptions): string {
  const method = options.method ?? 'PUBLISH';
  const calendar = ical({
    name: 'Coaching session',
    prodId: { company: 'coaching-scheduler', product: 'coach-booking', language: 'EN' },
    method: ICalCalendarMethod[method],
  });
  const phone = session.coach.phone ?? 'not given yet';
  const cancelled = method === 'CANCEL' || session.status === 'cancelled';
  const event = calendar.createEvent({
    id: sessionUid(session.id),
    start: new Date(session.startsAt),
    end: new Date(session.endsAt),
    stamp: options.now,
    summary: `${cancelled ? 'Cancelled: ' : ''}Coaching session with ${session.coach.name}`,
    description: `Coach: ${session.coach.name}\nPhone: ${phone}`,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    sequence: session.sequence,
    organizer: { name: session.coach.name, email: options.organizer.email },
  });
  if (options.attendee.email) {
    event.createAttendee({
      name: options.attendee.name,
      email: options.attendee.email,
      role: ICalAttendeeRole.REQ,
      status: cancelled ? ICalAttendeeStatus.DECLINED : ICalAttendeeStatus.ACCEPTED,
    });
  }
  if (!cancelled) {
    event.createAlarm({ type: ICalAlarmType.display, trigger: (options.alarmMinutesBefore ?? 30) * 60, description: `Coaching session with ${session.coach.name}` });
  }
  // RFC 5545 ends every content line with CRLF, the last one too.
  const text = calendar.toString();
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}
