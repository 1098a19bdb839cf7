import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs, StaticSelectAction } from '@slack/bolt';
import type { BotDeps } from '../../deps.js';
import { parseReminderChoice } from '../../views/home.view.js';
import { errorNotice, requireCoach, teamIdOf, tellUser } from '../shared.js';

export type SelectArgs = SlackActionMiddlewareArgs<BlockAction<StaticSelectAction>> & AllMiddlewareArgs;

/**
 * The reminder select on App Home: saved as soon as it is picked. Core moves
 * the coach's upcoming reminders; the Home tab is republished by the event.
 */
export function reminderLeadAction(deps: BotDeps) {
  return async ({ ack, body, action, client, respond }: SelectArgs): Promise<void> => {
    await ack();
    try {
      const choice = parseReminderChoice(action.selected_option?.value);
      if (choice === undefined) return;
      const coach = await requireCoach(deps.core, teamIdOf(body), body.user.id);
      await deps.core.coaches.setReminder(coach.id, { reminderMinutesBefore: choice });
    } catch (error) {
      await tellUser(client, body, respond, errorNotice(deps, error, 'change reminder time'));
    }
  };
}
