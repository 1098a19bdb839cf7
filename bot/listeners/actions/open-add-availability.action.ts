import type { BotDeps } from '../../deps.js';
import { errorNotice, openAddAvailability, teamIdOf, tellUser } from '../shared.js';
import type { ButtonArgs } from './types.js';

/** "Add availability" on App Home opens the same modal as `/availability`. */
export function openAddAvailabilityAction(deps: BotDeps) {
  return async ({ ack, body, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    try {
      await openAddAvailability(deps, client, { triggerId: body.trigger_id, teamId: teamIdOf(body), userId: body.user.id });
    } catch (error) {
      await tellUser(client, body, respond, errorNotice(deps, error, 'open add availability'));
    }
  };
}
