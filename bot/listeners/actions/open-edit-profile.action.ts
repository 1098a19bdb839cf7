import type { BotDeps } from '../../deps.js';
import { openView } from '../../send.js';
import { editProfileModal } from '../../views/edit-profile.view.js';
import { errorNotice, requireCoach, teamIdOf, tellUser } from '../shared.js';
import type { ButtonArgs } from './types.js';

/** "Edit profile" on App Home: display name, phone, bio. */
export function openEditProfileAction(deps: BotDeps) {
  return async ({ ack, body, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    try {
      const coach = await requireCoach(deps.core, teamIdOf(body), body.user.id);
      await openView(client, body.trigger_id, editProfileModal(coach, deps.core.clock.now()));
    } catch (error) {
      await tellUser(client, body, respond, errorNotice(deps, error, 'open edit profile'));
    }
  };
}
