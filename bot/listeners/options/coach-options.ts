import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../deps.js';
import { coachOption } from '../../views/book-session.view.js';
import { assertOptionsWithinLimits } from '../../views/limits.js';

type Args = SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs;

/** 99 coaches and "Any coach": a select shows at most 100 options, so longer lists are narrowed by typing. */
const COACHES_SHOWN = 99;

/** The coach picker's options (external_select): coaches of the workspace whose name contains what was typed. */
export function coachOptions(deps: BotDeps) {
  return async ({ ack, body, options }: Args): Promise<void> => {
    try {
      const teamId = body.team?.id ?? body.user.team_id ?? '';
      const own = await deps.core.coaches.findBySlackUser(teamId, body.user.id);
      const found = await deps.core.coaches.search(options.value ?? '', { limit: COACHES_SHOWN + 1 }, { teamId });
      const coaches = found.filter((coach) => coach.id !== own?.id).slice(0, COACHES_SHOWN);
      const response = { options: [coachOption(null), ...coaches.map((coach) => coachOption(coach))] };
      assertOptionsWithinLimits(response.options);
      await ack(response);
    } catch (error) {
      deps.logger.error({ err: error }, 'loading coach options failed');
      await ack({ options: [coachOption(null)] });
    }
  };
}
