import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../deps.js';

type Args = SlackEventMiddlewareArgs<'app_uninstalled'> & AllMiddlewareArgs;

/**
 * The app was removed from a workspace. Its tokens are forgotten at once,
 * and its coaches' open times are taken off the website, since nobody there
 * could hear of a booking any more. Everything else stays: coaches, their
 * ratings, and sessions already booked (both people still have each other's
 * phone). Reinstalling picks up where it left off; coaches add times again.
 * Bolt runs this without looking up a token (there is none to use).
 */
export function appUninstalledEvent(deps: BotDeps) {
  return async ({ body }: Args): Promise<void> => {
    const teamId = body.team_id;
    const forgotten = await deps.core.installations.remove(teamId);
    const removedSlots = await deps.core.slots.removeOpenInWorkspace(teamId);
    deps.logger.info({ teamId, tokensRemoved: forgotten, removedSlots }, 'Slack app uninstalled from a workspace');
  };
}
