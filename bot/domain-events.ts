import type { BotDeps } from './deps.js';

/**
 * Reacts to what happened in core, whoever caused it (the widget, another
 * Slack surface, a script) by republishing the coach's App Home. Messages
 * about a session (the booking DM, reminders, prompts) are core's scheduled
 * jobs, delivered by ./scheduled-messages.ts.
 */
export function listenForDomainEvents(deps: BotDeps): () => void {
  const { core, background, home } = deps;
  const refreshHome = (coachId: string) => {
    background.run('republish App Home', () => home.show(coachId));
    // Admins looking at the workspace's schedule see the change too.
    background.run('republish admins’ App Home', () => home.refreshAdmins(coachId));
  };

  const unsubscribe = [
    core.events.on('booking.created', ({ coachId }) => refreshHome(coachId)),
    core.events.on('booking.cancelled', ({ coachId }) => refreshHome(coachId)),
    core.events.on('booking.rescheduled', ({ coachId }) => refreshHome(coachId)),
    core.events.on('feedback.recorded', ({ coachId }) => refreshHome(coachId)),
    core.events.on('slots.changed', ({ coachId }) => refreshHome(coachId)),
    core.events.on('coach.updated', ({ coachId }) => refreshHome(coachId)),
  ];
  return () => unsubscribe.forEach((off) => off());
}
