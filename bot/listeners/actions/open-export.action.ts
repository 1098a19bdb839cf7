import type { WebClient } from '@slack/web-api';
import type { BotDeps } from '../../deps.js';
import { openView } from '../../send.js';
import { exportModal } from '../../views/admin-home.view.js';
import { requireAdmin } from '../admin.js';
import { errorNotice, teamIdOf, tellUser } from '../shared.js';
import type { ButtonArgs } from './types.js';

/** Opens the export form for an admin (from App Home or `/availability export`). */
export async function openExportModal(deps: BotDeps, client: WebClient, input: { triggerId: string; teamId: string; userId: string }): Promise<void> {
  const { zone } = await requireAdmin(deps, client, input.teamId, input.userId);
  await openView(client, input.triggerId, exportModal(zone, deps.core.clock.now()));
}

/** "Export sessions (CSV)" on the admin's App Home. */
export function openExportAction(deps: BotDeps) {
  return async ({ ack, body, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    try {
      await openExportModal(deps, client, { triggerId: body.trigger_id, teamId: teamIdOf(body), userId: body.user.id });
    } catch (error) {
      await tellUser(client, body, respond, errorNotice(deps, error, 'open export'));
    }
  };
}
