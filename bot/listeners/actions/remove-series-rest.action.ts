import type { BotDeps } from '../../deps.js';
import { respondWith } from '../../send.js';
import { seriesRemovalMessage } from '../../views/series.view.js';
import { availabilityListFor, coachForPress, errorNotice, originOf, tellUser } from '../shared.js';
import type { ButtonArgs } from './types.js';

/** How many kept sessions are looked up to name their students (the message lists that many). */
const NAMED_SESSIONS = 20;

/**
 * "Remove the rest of the series" (after Slack's confirmation): core takes
 * the open slots still to come down, and the coach is told how many booked
 * sessions were kept and which, under the list or by DM from App Home.
 */
export function removeSeriesRestAction(deps: BotDeps) {
  return async ({ ack, body, action, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const { core } = deps;
    const inEphemeralList = Boolean(originOf(body).responseUrl);
    try {
      const coach = await coachForPress(core, body, action);
      if (!coach) return;
      const removal = await core.slots.removeRestOfSeries(coach.id, action.value ?? '');
      const sessions = await Promise.all(
        removal.kept.slice(0, NAMED_SESSIONS).flatMap((slot) => (slot.bookingId ? [core.bookings.getForCoach(coach.id, slot.bookingId)] : [])),
      );
      // App Home follows through the slots.changed event; an ephemeral list has to be replaced here.
      if (inEphemeralList) await respondWith(respond, { replace_original: true, ...(await availabilityListFor(core, coach)) });
      await tellUser(client, body, respond, seriesRemovalMessage({ removal, sessions, zone: coach.timezone }));
    } catch (error) {
      await tellUser(client, body, respond, errorNotice(deps, error, 'remove rest of series'));
    }
  };
}
