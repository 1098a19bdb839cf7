import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../deps.js';

type Args = SlackEventMiddlewareArgs<'tokens_revoked'> & AllMiddlewareArgs;

/**
 * Tokens of a workspace were revoked. The app holds only bot tokens (it asks
 * for no user scopes), so a revoked bot token means the installation is of
 * no use any more and is forgotten; the workspace's data stays until it is
 * uninstalled or installed again. Revoked user tokens concern nothing stored.
 */
export function tokensRevokedEvent(deps: BotDeps) {
  return async ({ event, body }: Args): Promise<void> => {
    const revokedBots = event.tokens.bot ?? [];
    if (revokedBots.length === 0) return;
    const teamId = body.team_id;
    const forgotten = await deps.core.installations.remove(teamId);
    deps.logger.info({ teamId, tokensRemoved: forgotten, botUsers: revokedBots }, 'Slack bot token revoked in a workspace');
  };
}
