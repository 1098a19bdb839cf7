import type { BotDeps } from '../../deps.js';
import { errorNotice, teamIdOf, tellUser } from '../shared.js';
import type { ButtonArgs } from './types.js';

/** "Workspace schedule" / "Back to my coaching" on an admin's App Home. */
export function homeModeAction(deps: BotDeps) {
  return async ({ ack, body, action, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    try {
      const mode = action.value === 'admin' ? 'admin' : 'coach';
      const teamId = teamIdOf(body);
      if (mode === 'admin') await deps.admins.requireAdmin(client, teamId, body.user.id);
      await deps.home.switchMode(teamId, body.user.id, mode);
    } catch (error) {
      await tellUser(client, body, respond, errorNotice(deps, error, 'switch App Home'));
    }
  };
}
