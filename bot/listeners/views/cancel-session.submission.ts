import type { Coach } from '../../../core/coaches/coach.schema.js';
import type { BotDeps } from '../../deps.js';
import { postToResponseUrl, updateMessage } from '../../send.js';
import { ACTION, BLOCK } from '../../ids.js';
import { blockErrors } from '../../slack-errors.js';
import { sessionMessage } from '../../views/session-message.view.js';
import { availabilityListFor, requireCoach, teamIdOf } from '../shared.js';
import { errorsResponse, inputValue, parseMetadata, sessionMetadataSchema, submitOnce, type SubmissionArgs } from './types.js';

/**
 * Submitting "Cancel session": core cancels (and tells the student's side);
 * a refusal (too late, already cancelled) shows in the modal. Afterwards the
 * surface the coach started from is refreshed; App Home follows the event.
 */
export function cancelSessionSubmission(deps: BotDeps) {
  return async ({ ack, body, view, client, context }: SubmissionArgs): Promise<void> => {
    const { core, logger, background } = deps;
    const metadata = parseMetadata(sessionMetadataSchema, view.private_metadata);
    if (!metadata) {
      await ack(errorsResponse({ [BLOCK.cancelReason]: 'This form is out of date. Close it and press Cancel session again.' }));
      return;
    }
    const reason = inputValue(view.state.values, BLOCK.cancelReason, ACTION.cancelReason);
    // Filled in by the work, which only the first delivery runs.
    const acting: { coach: Coach | null } = { coach: null };
    const first = await submitOnce({
      core, logger, ack, client, view, context,
      done: 'The session is cancelled.',
      scope: 'cancel_session',
      errorsFor: (error) => blockErrors(error, { fallbackBlock: BLOCK.cancelReason }),
      work: async () => {
        const coach = (acting.coach = await requireCoach(core, teamIdOf(body), body.user.id));
        await core.bookings.cancelAsCoach(coach.id, metadata.bookingId, reason ? { reason } : {});
        return null;
      },
    });
    const cancelledBy = acting.coach;
    if (!first || !cancelledBy) return;

    const { channel, ts, responseUrl } = metadata;
    background.run('refresh after cancel', async () => {
      if (channel && ts) {
        const session = await core.bookings.getForCoach(cancelledBy.id, metadata.bookingId);
        await updateMessage(client, { channel, ts }, sessionMessage(session, cancelledBy.timezone));
      }
      if (responseUrl) {
        await postToResponseUrl(responseUrl, { replace_original: true, ...(await availabilityListFor(core, cancelledBy)) });
      }
    });
  };
}
