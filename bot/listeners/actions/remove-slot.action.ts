import { isDomainError } from '../../../core/shared/errors.js';
import type { BotDeps } from '../../deps.js';
import { respondWith } from '../../send.js';
import { availabilityListFor, coachForPress, errorNotice, originOf, tellUser } from '../shared.js';
import type { ButtonArgs } from './types.js';

/**
 * Remove on an open slot, in the `/availability list` reply or on App Home.
 * A press on a slot that is already gone (a second Remove on a stale list)
 * says so, and a stale list is replaced so the button disappears.
 */
export function removeSlotAction(deps: BotDeps) {
  return async ({ ack, body, action, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const { core } = deps;
    const inEphemeralList = Boolean(originOf(body).responseUrl);
    try {
      const coach = await coachForPress(core, body, action);
      if (!coach) return;
      try {
        await core.slots.remove(coach.id, action.value ?? '');
      } catch (error) {
        if (!isDomainError(error, 'slot.removed')) throw error;
        await tellUser(client, body, respond, errorNotice(deps, error, 'remove slot'));
      }
      // App Home follows through the slots.changed event; an ephemeral list has to be replaced here.
      if (inEphemeralList) await respondWith(respond, { replace_original: true, ...(await availabilityListFor(core, coach)) });
    } catch (error) {
      await tellUser(client, body, respond, errorNotice(deps, error, 'remove slot'));
    }
  };
}
