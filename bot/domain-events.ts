import type { BotDeps } from './deps.js';

/**
 * Reacts to what happened in core, whoever caused it (the widget, a Slack
 * student, a coach, a script) by republishing the App Homes it changes: the
 * coach's, admins' looking at the workspace and, for a student who is in
 * Slack, theirs. Messages about a
 * session (the booking DM, the student's DMs, reminders, prompts) are core's
 * scheduled jobs, delivered by ./scheduled-messages.ts.
 */
export function listenForDomainEvents(deps: BotDeps): () => void {
  const { background, home } = deps;
  const refreshCoach = (coachId: string) => {
    background.run('republish App Home', () => home.show(coachId));
    // Admins looking at the workspace's schedule see the change too.
    background.run('republish admins’ App Home', () => home.refreshAdmins(coachId));
  };
  const refreshStudent = (studentId: string) => background.run('republish student App Home', () => home.showForStudent(studentId));
  const refreshBoth = ({ coachId, studentId }: { coachId: string; studentId: string }) => {
    refreshCoach(coachId);
    refreshStudent(studentId);
  };

  const unsubscribe = [
    deps.core.events.on('booking.created', refreshBoth),
    deps.core.events.on('booking.cancelled', refreshBoth),
    deps.core.events.on('booking.rescheduled', refreshBoth),
    deps.core.events.on('feedback.recorded', ({ coachId }) => refreshCoach(coachId)),
    deps.core.events.on('slots.changed', ({ coachId }) => refreshCoach(coachId)),
    deps.core.events.on('coach.updated', ({ coachId }) => refreshCoach(coachId)),
  ];
  return () => unsubscribe.forEach((off) => off());
}
