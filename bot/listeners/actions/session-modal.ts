import type { ModalView } from '@slack/types';
import type { CoachSession } from '../../../core/bookings/booking.schema.js';
import type { Coach } from '../../../core/coaches/coach.schema.js';
import type { BotDeps } from '../../deps.js';
import { openView } from '../../send.js';
import type { SessionModalMetadata } from '../../views/session-modals.view.js';
import { errorNotice, originOf, requireCoach, teamIdOf, tellUser } from '../shared.js';
import type { ButtonArgs } from './types.js';

/**
 * A button whose value is a booking id and that opens a modal about that
 * session. The session is loaded as the pressing coach may see it (someone
 * else's is "not found"); `build` throws a DomainError when the modal makes
 * no sense now, and the coach gets that sentence instead of a modal.
 */
export function sessionModalAction(
  deps: BotDeps,
  what: string,
  build: (session: CoachSession, zone: string, origin: SessionModalMetadata, now: Date, coach: Coach) => ModalView | Promise<ModalView>,
) {
  return async ({ ack, body, action, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const { core } = deps;
    try {
      const coach = await requireCoach(core, teamIdOf(body), body.user.id);
      const session = await core.bookings.getForCoach(coach.id, action.value ?? '');
      const view = await build(session, coach.timezone, { bookingId: session.id, ...originOf(body) }, core.clock.now(), coach);
      await openView(client, body.trigger_id, view);
    } catch (error) {
      await tellUser(client, body, respond, errorNotice(deps, error, what));
    }
  };
}
