import type { BotDeps } from '../../deps.js';
import { parseHomePaging, parsePagerValue } from '../../views/home.view.js';
import { errorNotice, requireCoach, teamIdOf, tellUser } from '../shared.js';
import type { ButtonArgs } from './types.js';

/** Previous / Next under an App Home section: republishes with that section moved, the others kept. */
export function homePageAction(deps: BotDeps) {
  return async ({ ack, body, action, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    try {
      const target = parsePagerValue(action.value);
      if (!target) return;
      const coach = await requireCoach(deps.core, teamIdOf(body), body.user.id);
      const paging = parseHomePaging(body.view?.private_metadata);
      paging[target.section] = target.offset;
      await deps.home.show(coach.id, paging);
    } catch (error) {
      await tellUser(client, body, respond, errorNotice(deps, error, 'page App Home'));
    }
  };
}
