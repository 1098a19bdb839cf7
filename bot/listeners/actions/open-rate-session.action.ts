import { DomainError } from '../../../core/shared/errors.js';
import type { BotDeps } from '../../deps.js';
import { rateSessionModal } from '../../views/session-modals.view.js';
import { sessionModalAction } from './session-modal.js';

/**
 * Rate session / Edit rating. The booking id travels in the button's value,
 * so any message (the booking DM, a later "please rate" prompt) or App Home
 * can carry the button.
 */
export function openRateSessionAction(deps: BotDeps) {
  return sessionModalAction(deps, 'open rate session', (session, zone, origin, now) => {
    if (session.status !== 'active') throw new DomainError('feedback.cancelled_session');
    if (session.startsAt.getTime() > now.getTime()) throw new DomainError('feedback.too_early');
    return rateSessionModal(session, zone, origin);
  });
}
