import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../deps.js';
import { checked, respondWith } from '../../send.js';
import { helpMessage } from '../../views/help.view.js';
import { availabilityListFor, errorNotice, openAddAvailability, requireCoach } from '../shared.js';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/**
 * `/availability` opens the "Add availability" modal; `list` and `help`
 * answer ephemerally; anything else gets the help rather than silence.
 * Help needs no lookup, so it rides on the ack itself.
 */
export function availabilityCommand(deps: BotDeps) {
  return async ({ command, ack, respond, client }: Args): Promise<void> => {
    const text = command.text.trim();
    const subcommand = text.split(/\s+/)[0]?.toLowerCase() ?? '';
    if (subcommand !== '' && subcommand !== 'list') {
      await ack({ response_type: 'ephemeral', ...checked(helpMessage(subcommand === 'help' ? undefined : text)) });
      return;
    }
    await ack();
    try {
      if (subcommand === 'list') {
        const coach = await requireCoach(deps.core, command.team_id, command.user_id);
        await respondWith(respond, await availabilityListFor(deps.core, coach));
      } else {
        await openAddAvailability(deps, client, { triggerId: command.trigger_id, teamId: command.team_id, userId: command.user_id });
      }
    } catch (error) {
      await respondWith(respond, errorNotice(deps, error, `/availability ${subcommand}`));
    }
  };
}
