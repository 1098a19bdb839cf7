import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../deps.js';
import { checked, respondWith } from '../../send.js';
import { helpMessage } from '../../views/help.view.js';
import { availabilityListFor, errorNotice, openAddAvailability, requireCoach } from '../shared.js';
import { openExportModal } from '../actions/open-export.action.js';
import { exportDirectly } from '../views/admin-export.submission.js';

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
    if (subcommand !== '' && subcommand !== 'list' && subcommand !== 'export') {
      await ack({ response_type: 'ephemeral', ...checked(helpMessage(subcommand === 'help' ? undefined : text)) });
      return;
    }
    await ack();
    try {
      if (subcommand === 'export') {
        const [, fromDay, toDay] = text.split(/\s+/);
        if (fromDay || toDay) await exportDirectly(deps, client, { teamId: command.team_id, userId: command.user_id, fromDay, toDay, respond });
        else await openExportModal(deps, client, { triggerId: command.trigger_id, teamId: command.team_id, userId: command.user_id });
      } else if (subcommand === 'list') {
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
