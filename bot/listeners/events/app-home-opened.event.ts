import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../deps.js';

type Args = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

/** Publishes App Home when the tab is opened (Bolt has acked the event already). */
export function appHomeOpenedEvent(deps: BotDeps) {
  return async ({ event, body, context }: Args): Promise<void> => {
    if (event.tab !== 'home') return;
    const teamId = context.teamId ?? (body as { team_id?: string }).team_id;
    if (!teamId) {
      deps.logger.warn('app_home_opened without a team id');
      return;
    }
    try {
      await deps.home.showForSlackUser(teamId, event.user);
    } catch (error) {
      deps.logger.error({ err: error }, 'publishing App Home failed');
    }
  };
}
