import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { StudentSession } from '../../core/bookings/booking.schema.js';

/**
 * One RFC 5545 event for a session, as its student sees it: the coach's name
 * and phone, times in UTC so every calendar app places it correctly.
 */
export function sessionCalendar(session: StudentSession, options: { now: Date }): string {
  const calendar = ical({
    name: 'Coaching session',
    prodId: { company: 'coaching-scheduler', product: 'coach-booking', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
  });
  const phone = session.coach.phone ?? 'not given yet';
  const cancelled = session.status === 'cancelled';
  calendar.createEvent({
    // Stable across hosts and downloads, so a second download updates the same event.
    id: `${session.id}@coaching-scheduler`,
    start: new Date(session.startsAt),
    end: new Date(session.endsAt),
    stamp: options.now,
    summary: `${cancelled ? 'Cancelled: ' : ''}Coaching session with ${session.coach.name}`,
    description: `Coach: ${session.coach.name}\nPhone: ${phone}`,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    // A later download of a cancelled session must replace the confirmed copy in the student's calendar.
    sequence: cancelled ? 1 : 0,
  });
  return calendar.toString();
}
