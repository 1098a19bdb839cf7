import type { BotDeps } from '../../deps.js';
import { openView } from '../../send.js';
import { shareLinkModal, studentHistoryModal } from '../../views/session-modals.view.js';
import { errorNotice, requireCoach, teamIdOf, tellUser } from '../shared.js';
import type { ButtonArgs } from './types.js';

const HISTORY_SHOWN = 20;

/**
 * "Full history" in a booking DM: every session of the pressing coach with
 * that student. The query is the coach's own, so another coach's sessions,
 * ratings and notes can never appear, whatever id the button carries.
 */
export function openStudentHistoryAction(deps: BotDeps) {
  return async ({ ack, body, action, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const { core } = deps;
    try {
      const coach = await requireCoach(core, teamIdOf(body), body.user.id);
      const sessions = await core.bookings.historyWithStudent(coach.id, action.value ?? '', { limit: HISTORY_SHOWN });
      const studentName = sessions.items[0]?.student.name ?? 'This student';
      await openView(client, body.trigger_id, studentHistoryModal({ studentName, sessions, zone: coach.timezone }));
    } catch (error) {
      await tellUser(client, body, respond, errorNotice(deps, error, 'open student history'));
    }
  };
}

/** The host page's booking link for a coach: PUBLIC_BOOKING_URL with `coach=<id>`, which the page hands to the widget's `coach` attribute. */
export function bookingLinkFor(bookingUrl: string, coachId: string): string {
  const url = new URL(bookingUrl);
  url.searchParams.set('coach', coachId);
  return url.toString();
}

/** "Share my booking link" on a coach's App Home (shown only when PUBLIC_BOOKING_URL is set). */
export function shareBookingLinkAction(deps: BotDeps) {
  return async ({ ack, body, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    try {
      const coach = await requireCoach(deps.core, teamIdOf(body), body.user.id);
      if (!deps.bookingUrl) throw new Error('Share my booking link pressed without PUBLIC_BOOKING_URL');
      await openView(client, body.trigger_id, shareLinkModal(bookingLinkFor(deps.bookingUrl, coach.id)));
    } catch (error) {
      await tellUser(client, body, respond, errorNotice(deps, error, 'share booking link'));
    }
  };
}
