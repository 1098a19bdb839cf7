import type { BotDeps } from './deps.js';
import { sendDm } from './send.js';
import { cancellationNotice, sessionMessage } from './views/session-message.view.js';

/**
 * Reacts to what happened in core, whoever caused it (the widget, another
 * Slack surface, a script): DMs the coach about bookings and cancellations by
 * students, and republishes the coach's App Home. Events carry ids only; the
 * data is loaded fresh through core, as the coach is allowed to see it.
 */
export function listenForDomainEvents(deps: BotDeps): () => void {
  const { core, background, home } = deps;
  const refreshHome = (coachId: string) => background.run('republish App Home', () => home.show(coachId));

  const unsubscribe = [
    core.events.on('booking.created', ({ coachId, bookingId }) => {
      background.run('booking DM', () => notifyBooked(deps, coachId, bookingId));
      refreshHome(coachId);
    }),
    core.events.on('booking.cancelled', ({ coachId, bookingId, by }) => {
      // A coach who cancels sees it where they did it (the updated DM, list or App Home).
      if (by === 'student') background.run('cancellation DM', () => notifyCancelled(deps, coachId, bookingId));
      refreshHome(coachId);
    }),
    core.events.on('feedback.recorded', ({ coachId }) => refreshHome(coachId)),
    core.events.on('slots.changed', ({ coachId }) => refreshHome(coachId)),
    core.events.on('coach.updated', ({ coachId }) => refreshHome(coachId)),
  ];
  return () => unsubscribe.forEach((off) => off());
}

async function notifyBooked({ core, clients }: BotDeps, coachId: string, bookingId: string): Promise<void> {
  const [coach, session] = await Promise.all([core.coaches.get(coachId), core.bookings.getForCoach(coachId, bookingId)]);
  const client = await clients.forTeam(coach.teamId);
  // Once per booking, even if the event were seen by two processes or twice.
  await core.idempotency.once('slack.booking_dm', bookingId, bookingId, () => sendDm(client, coach.slackUserId, sessionMessage(session, coach.timezone)));
}

async function notifyCancelled({ core, clients }: BotDeps, coachId: string, bookingId: string): Promise<void> {
  const [coach, session] = await Promise.all([core.coaches.get(coachId), core.bookings.getForCoach(coachId, bookingId)]);
  const client = await clients.forTeam(coach.teamId);
  await core.idempotency.once('slack.cancellation_dm', bookingId, bookingId, () => sendDm(client, coach.slackUserId, cancellationNotice(session, coach.timezone)));
}
