import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../deps.js';
import { checked, respondWith } from '../../send.js';
import { studentHelpMessage } from '../../views/help.view.js';
import { errorNotice } from '../shared.js';
import { openBookSession } from '../student.js';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/**
 * `/coaching` opens "Book a session" for anyone in the workspace; `help`
 * (or anything else) answers with the help on the ack itself.
 */
export function coachingCommand(deps: BotDeps) {
  return async ({ command, ack, respond, client }: Args): Promise<void> => {
    const text = command.text.trim();
    if (text !== '') {
      await ack({ response_type: 'ephemeral', ...checked(studentHelpMessage(text.toLowerCase() === 'help' ? undefined : text)) });
      return;
    }
    await ack();
    try {
      await openBookSession(deps, client, { triggerId: command.trigger_id, teamId: command.team_id, userId: command.user_id });
    } catch (error) {
      await respondWith(respond, errorNotice(deps, error, '/coaching'));
    }
  };
}
