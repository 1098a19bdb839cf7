import type { BotDeps } from '../../deps.js';
import { isFirstDelivery } from '../../deliveries.js';
import { availabilityListFor, errorNotice, originOf, requireCoach, teamIdOf, tellUser } from '../shared.js';
import type { ButtonArgs } from './types.js';

/** Remove on an open slot, in the `/availability list` reply or on App Home. */
export function removeSlotAction(deps: BotDeps) {
  return async ({ ack, body, action, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const { core } = deps;
    try {
      if (!(await isFirstDelivery(core, 'action', `${action.action_ts}:${body.user.id}:${action.action_id}`))) return;
      const coach = await requireCoach(core, teamIdOf(body), body.user.id);
      await core.slots.remove(coach.id, action.value ?? '');
      // App Home follows through the slots.changed event; an ephemeral list has to be replaced here.
      if (originOf(body).responseUrl) {
        await respond({ response_type: 'ephemeral', replace_original: true, ...(await availabilityListFor(core, coach)) });
      }
    } catch (error) {
      await tellUser(client, body, respond, errorNotice(deps, error, 'remove slot'));
    }
  };
}
