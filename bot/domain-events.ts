import type { BotDeps } from './deps.js';
import { sendDm } from './send.js';
import { cancellationNotice, movedNotice, sessionMessage } from './views/session-message.view.js';
import { studentSessionMessage } from './views/student-session.view.js';

/**
 * Reacts to what happened in core, whoever caused it (the widget, a Slack
 * student, a coach, a script): DMs the coach about bookings, moves and
 * cancellations by students, DMs a student who is in Slack about their own
 * sessions however they were made, and republishes both App Homes. Events
 * carry ids only; data is loaded fresh through core, as each reader may see it.
 */
export function listenForDomainEvents(deps: BotDeps): () => void {
  const { core, background, home } = deps;
  const refreshCoach = (coachId: string) => background.run('republish App Home', () => home.show(coachId));
  const refreshStudent = (studentId: string) => background.run('republish student App Home', () => home.showForStudent(studentId));

  const unsubscribe = [
    core.events.on('booking.created', ({ coachId, studentId, bookingId }) => {
      background.run('booking DM', () => notifyBooked(deps, coachId, bookingId));
      background.run('student booking DM', () => tellStudent(deps, studentId, bookingId, 'booked'));
      refreshCoach(coachId);
      refreshStudent(studentId);
    }),
    core.events.on('booking.cancelled', ({ coachId, studentId, bookingId, by }) => {
      // Each side sees their own cancellation where they made it (the updated DM, list or App Home).
      if (by === 'student') background.run('cancellation DM', () => notifyCancelled(deps, coachId, bookingId));
      else background.run('student cancellation DM', () => tellStudent(deps, studentId, bookingId, 'cancelled'));
      refreshCoach(coachId);
      refreshStudent(studentId);
    }),
    core.events.on('booking.rescheduled', ({ coachId, studentId, bookingId, fromStartsAt, toStartsAt, by }) => {
      const move = `${bookingId}:${toStartsAt.getTime()}`;
      if (by === 'student') background.run('move DM', () => notifyMoved(deps, coachId, bookingId, fromStartsAt, move));
      background.run('student move DM', () => tellStudent(deps, studentId, bookingId, 'moved', { fromStartsAt, key: move }));
      refreshCoach(coachId);
      refreshStudent(studentId);
    }),
    core.events.on('feedback.recorded', ({ coachId }) => refreshCoach(coachId)),
    core.events.on('slots.changed', ({ coachId }) => refreshCoach(coachId)),
    core.events.on('coach.updated', ({ coachId }) => refreshCoach(coachId)),
  ];
  return () => unsubscribe.forEach((off) => off());
}

async function notifyBooked({ core, clients }: BotDeps, coachId: string, bookingId: string): Promise<void> {
  const [coach, session] = await Promise.all([core.coaches.get(coachId), core.bookings.getForCoach(coachId, bookingId)]);
  const [context, client] = await Promise.all([core.bookings.studentContextForCoach(coachId, session.student.id), clients.forTeam(coach.teamId)]);
  // Once per booking, even if the event were seen by two processes or twice.
  await core.idempotency.once('slack.booking_dm', bookingId, bookingId, () => sendDm(client, coach.slackUserId, sessionMessage(session, coach.timezone, context)));
}

async function notifyCancelled({ core, clients }: BotDeps, coachId: string, bookingId: string): Promise<void> {
  const [coach, session] = await Promise.all([core.coaches.get(coachId), core.bookings.getForCoach(coachId, bookingId)]);
  const client = await clients.forTeam(coach.teamId);
  await core.idempotency.once('slack.cancellation_dm', bookingId, bookingId, () => sendDm(client, coach.slackUserId, cancellationNotice(session, coach.timezone)));
}

async function notifyMoved({ core, clients }: BotDeps, coachId: string, bookingId: string, fromStartsAt: Date, key: string): Promise<void> {
  const [coach, session] = await Promise.all([core.coaches.get(coachId), core.bookings.getForCoach(coachId, bookingId)]);
  const client = await clients.forTeam(coach.teamId);
  await core.idempotency.once('slack.move_dm', key, key, () => sendDm(client, coach.slackUserId, movedNotice(session, fromStartsAt, coach.timezone)));
}

/** A DM to each Slack user who is this student (none for a website-only student), in their own zone. */
async function tellStudent(
  { core, clients }: BotDeps,
  studentId: string,
  bookingId: string,
  what: 'booked' | 'cancelled' | 'moved',
  move?: { fromStartsAt: Date; key: string },
): Promise<void> {
  const identities = await core.students.slackIdentitiesOf(studentId);
  if (!identities.length) return;
  const session = await core.bookings.getForStudent(studentId, bookingId);
  // Only in the coach's workspace: that is where the app speaks for this session.
  const { teamId } = await core.coaches.get(session.coach.id);
  const client = await clients.forTeam(teamId);
  for (const identity of identities.filter((i) => i.teamId === teamId)) {
    const key = `${identity.teamId}:${identity.userId}:${move?.key ?? bookingId}`;
    const message = studentSessionMessage(session, identity.timezone, core.clock.now(), move ? { movedFrom: move.fromStartsAt } : undefined);
    await core.idempotency.once(`slack.student_${what}_dm`, key, key, () => sendDm(client, identity.userId, message));
  }
}
