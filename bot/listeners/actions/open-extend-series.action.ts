import type { BotDeps } from '../../deps.js';
import { openView } from '../../send.js';
import { extendableWeeks } from '../../../core/slots/series.rules.js';
import { extendSeriesModal } from '../../views/series.view.js';
import { errorNotice, originOf, requireCoach, teamIdOf, tellUser } from '../shared.js';
import type { ButtonArgs } from './types.js';

/** "Extend…" on a series item (list or App Home): asks how many weeks, at most as many as fit before the horizon. */
export function openExtendSeriesAction(deps: BotDeps) {
  return async ({ ack, body, action, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const { core } = deps;
    try {
      const coach = await requireCoach(core, teamIdOf(body), body.user.id);
      const series = await core.slots.series(coach.id, action.value ?? '');
      const now = core.clock.now();
      const { responseUrl } = originOf(body);
      await openView(client, body.trigger_id, extendSeriesModal({
        series, now,
        maxWeeks: extendableWeeks(series, now, core.rules),
        horizonDays: core.rules.slotHorizonDays,
        metadata: { seriesId: series.id, ...(responseUrl ? { responseUrl } : {}) },
      }));
    } catch (error) {
      await tellUser(client, body, respond, errorNotice(deps, error, 'open extend series'));
    }
  };
}
