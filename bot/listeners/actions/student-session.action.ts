import { DomainError } from '../../../core/shared/errors.js';
import { loadBookingForm } from '../../booking-form.js';
import type { BotDeps } from '../../deps.js';
import { isFirstDelivery } from '../../deliveries.js';
import { openView, updateMessage } from '../../send.js';
import { bookSessionModal } from '../../views/book-session.view.js';
import { studentSessionMessage } from '../../views/student-session.view.js';
import { errorNotice, originOf, teamIdOf, tellUser } from '../shared.js';
import { openBookSession, requireStudent } from '../student.js';
import type { ButtonArgs } from './types.js';

/**
 * Cancel on a student's session (their DM or App Home), after Slack's
 * confirm dialog. Core tells the coach; the DM it was pressed in shows the
 * cancellation at once, App Home follows the event.
 */
export function studentCancelAction(deps: BotDeps) {
  return async ({ ack, body, action, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const { core } = deps;
    try {
      if (!(await isFirstDelivery(core, 'action', `${action.action_ts}:${body.user.id}:${action.action_id}`))) return;
      const teamId = teamIdOf(body);
      const { student, identity } = await requireStudent(deps, teamId, body.user.id);
      const session = await core.bookings.cancelAsStudent(student.id, action.value ?? '', {}, { teamId });
      const { channel, ts } = originOf(body);
      if (channel && ts) await updateMessage(client, { channel, ts }, studentSessionMessage(session, identity.timezone, core.clock.now()));
    } catch (error) {
      await tellUser(client, body, respond, errorNotice(deps, error, 'student cancel'));
    }
  };
}

/** Move on a student's session: "Move session", the booking form with the coach fixed. */
export function studentMoveAction(deps: BotDeps) {
  return async ({ ack, body, action, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const { core } = deps;
    try {
      const teamId = teamIdOf(body);
      const { student, identity } = await requireStudent(deps, teamId, body.user.id);
      const session = await core.bookings.getForStudent(student.id, action.value ?? '', { teamId });
      if (session.status !== 'active') throw new DomainError('booking.not_active', 'That session is cancelled, so it cannot be moved. Book a new one with /coaching.');
      if (core.clock.now().getTime() > session.cancellableUntil.getTime()) {
        throw new DomainError('booking.cutoff_passed', `Sessions can be moved up to ${core.rules.cancellationCutoffHours} hours before they start.`);
      }
      const form = await loadBookingForm(
        core,
        { tz: identity.timezone, coachId: session.coach.id, coachName: session.coach.name, day: null, askPhone: false, move: session.id },
        { scope: { teamId }, excludeCoachId: null, current: session },
      );
      await openView(client, body.trigger_id, bookSessionModal(form));
    } catch (error) {
      await tellUser(client, body, respond, errorNotice(deps, error, 'student move'));
    }
  };
}

/** "Book a session" on App Home. */
export function openBookSessionAction(deps: BotDeps) {
  return async ({ ack, body, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    try {
      await openBookSession(deps, client, { triggerId: body.trigger_id, teamId: teamIdOf(body), userId: body.user.id });
    } catch (error) {
      await tellUser(client, body, respond, errorNotice(deps, error, 'open book session'));
    }
  };
}

/** Link buttons (calendar links, the booking link) open in the browser; Slack still sends the press, which needs an ack. */
export function linkButtonAction() {
  return async ({ ack }: ButtonArgs): Promise<void> => {
    await ack();
  };
}
