import { isDomainError } from '../../../core/shared/errors.js';
import type { BotDeps } from '../../deps.js';
import { isFirstDelivery } from '../../deliveries.js';
import { openView, sendDm, updateView } from '../../send.js';
import { coachSlotsModal, slotRemovedByAdminMessage } from '../../views/admin-home.view.js';
import { adminOf } from '../admin.js';
import { errorNotice, tellUser } from '../shared.js';
import type { ButtonArgs } from './types.js';

const SLOTS_SHOWN = 40;

/** "Show slots" next to a coach in the admin's App Home: their open slots, each with Remove. */
export function adminCoachSlotsAction(deps: BotDeps) {
  return async ({ ack, body, action, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    try {
      const { scope, zone } = await adminOf(deps, client, body);
      const { coach, slots } = await deps.core.admin.openSlotsOf(action.value ?? '', scope, { limit: SLOTS_SHOWN });
      await openView(client, body.trigger_id, coachSlotsModal(coach, slots, zone));
    } catch (error) {
      await tellUser(client, body, respond, errorNotice(deps, error, 'admin coach slots'));
    }
  };
}

/**
 * Remove in that modal: the slot goes as if its coach removed it (a booking
 * racing the removal wins or loses cleanly), the coach is told by DM, and
 * the modal is shown again without it.
 */
export function adminRemoveSlotAction(deps: BotDeps) {
  return async ({ ack, body, action, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const { core } = deps;
    try {
      if (!(await isFirstDelivery(core, 'action', `${action.action_ts}:${body.user.id}:${action.action_id}`))) return;
      const { scope, zone } = await adminOf(deps, client, body);
      let removed;
      try {
        removed = await core.admin.removeSlot({ id: body.user.id }, action.value ?? '', scope);
      } catch (error) {
        if (!isDomainError(error, 'slot.removed')) throw error;
        await tellUser(client, body, respond, errorNotice(deps, error, 'admin remove slot'));
      }
      const slot = removed ?? (await core.slots.get(action.value ?? ''));
      const { coach, slots } = await core.admin.openSlotsOf(slot.coachId, scope, { limit: SLOTS_SHOWN });
      if (body.view?.id) await updateView(client, { viewId: body.view.id, hash: body.view.hash }, coachSlotsModal(coach, slots, zone));
      if (removed) await sendDm(client, coach.slackUserId, slotRemovedByAdminMessage(removed, body.user.id, coach.timezone));
    } catch (error) {
      await tellUser(client, body, respond, errorNotice(deps, error, 'admin remove slot'));
    }
  };
}
