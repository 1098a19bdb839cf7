import type { BotDeps } from '../../deps.js';
import { openView } from '../../send.js';
import { settingsModal } from '../../views/settings.view.js';
import { errorNotice, requireCoach, teamIdOf, tellUser } from '../shared.js';
import type { ButtonArgs } from './types.js';

/** "Settings" on App Home: buffer, daily cap, minimum notice. */
export function openSettingsAction(deps: BotDeps) {
  return async ({ ack, body, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    try {
      const coach = await requireCoach(deps.core, teamIdOf(body), body.user.id);
      await openView(client, body.trigger_id, settingsModal(coach, deps.core.rules));
    } catch (error) {
      await tellUser(client, body, respond, errorNotice(deps, error, 'open settings'));
    }
  };
}
