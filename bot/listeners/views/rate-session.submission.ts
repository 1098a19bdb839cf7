import type { Coach } from '../../../core/coaches/coach.schema.js';
import type { BotDeps } from '../../deps.js';
import { updateMessage } from '../../send.js';
import { ACTION, BLOCK } from '../../ids.js';
import { blockErrors } from '../../slack-errors.js';
import { sessionMessage } from '../../views/session-message.view.js';
import { requireCoach, teamIdOf } from '../shared.js';
import { errorsResponse, parseMetadata, sessionMetadataSchema, submitOnce, type SubmissionArgs } from './types.js';

const FIELDS = { satisfaction: BLOCK.satisfaction, notes: BLOCK.notes };

/**
 * Submitting "Rate session" / "Edit rating". Core validates (1–5, notes up
 * to 3,000, started, not cancelled) and any refusal shows inline. Then the
 * message it was opened from shows the rating; App Home follows the event.
 */
export function rateSessionSubmission(deps: BotDeps) {
  return async ({ ack, body, view, client, context }: SubmissionArgs): Promise<void> => {
    const { core, logger, background } = deps;
    const metadata = parseMetadata(sessionMetadataSchema, view.private_metadata);
    if (!metadata) {
      await ack(errorsResponse({ [BLOCK.satisfaction]: 'This form is out of date. Close it and press Rate session again.' }));
      return;
    }
    const selected = view.state.values[BLOCK.satisfaction]?.[ACTION.satisfaction]?.selected_option?.value;
    if (!selected) {
      await ack(errorsResponse({ [BLOCK.satisfaction]: 'Pick a score from 1 to 5.' }));
      return;
    }
    const feedback = { satisfaction: Number(selected), notes: view.state.values[BLOCK.notes]?.[ACTION.notes]?.value ?? '' };

    // Filled in by the work, which only the first delivery runs.
    const acting: { coach: Coach | null } = { coach: null };
    const first = await submitOnce({
      core, logger, ack, client, view, context,
      done: 'Your rating is saved.',
      scope: 'rate_session',
      errorsFor: (error) => blockErrors(error, { byPath: FIELDS, fallbackBlock: BLOCK.satisfaction }),
      work: async () => {
        const coach = (acting.coach = await requireCoach(core, teamIdOf(body), body.user.id));
        await core.feedback.record(coach.id, metadata.bookingId, feedback);
        return null;
      },
    });
    const ratedBy = acting.coach;
    const { channel, ts } = metadata;
    if (!first || !ratedBy || !channel || !ts) return;
    background.run('show rating in message', async () => {
      const session = await core.bookings.getForCoach(ratedBy.id, metadata.bookingId);
      await updateMessage(client, { channel, ts }, sessionMessage(session, ratedBy.timezone));
    });
  };
}
