import { DomainError } from '../../../core/shared/errors.js';
import type { BotDeps } from '../../deps.js';
import { cancelSessionModal } from '../../views/session-modals.view.js';
import { studentNoticeFor } from '../../scheduled-messages.js';
import { sessionModalAction } from './session-modal.js';

/** Cancel session (DM, list, App Home): asks for a reason in a modal. */
export function openCancelSessionAction(deps: BotDeps) {
  return sessionModalAction(deps, 'open cancel session', async (session, zone, origin, now, coach) => {
    if (session.status !== 'active') throw new DomainError('booking.not_active');
    if (session.startsAt.getTime() <= now.getTime()) throw new DomainError('booking.already_started');
    return cancelSessionModal(session, zone, origin, await studentNoticeFor(deps.core, coach, session));
  });
}
