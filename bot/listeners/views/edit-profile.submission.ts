import { isDomainError } from '../../../core/shared/errors.js';
import type { CoachProfileUpdate } from '../../../core/coaches/coach.schema.js';
import type { BotDeps } from '../../deps.js';
import { ACTION, BLOCK } from '../../ids.js';
import { blockErrors } from '../../slack-errors.js';
import { requireCoach, teamIdOf } from '../shared.js';
import { answerInTime } from './answer-in-time.js';
import { errorsResponse, inputValue, type SubmissionArgs, type SubmissionResponse } from './types.js';

const FIELDS = { name: BLOCK.profileName, phone: BLOCK.profilePhone, bio: BLOCK.profileBio };

/**
 * Saving the profile is idempotent (the same values twice leave the same
 * profile), so a retry needs no deduplication. App Home follows the
 * coach.updated event.
 */
export function editProfileSubmission(deps: BotDeps) {
  return async ({ ack, body, view, client, context }: SubmissionArgs): Promise<void> => {
    const { core, logger } = deps;
    const values = view.state.values;
    const update: CoachProfileUpdate = {
      name: inputValue(values, BLOCK.profileName, ACTION.profileName),
      bio: inputValue(values, BLOCK.profileBio, ACTION.profileBio),
    };
    const phone = inputValue(values, BLOCK.profilePhone, ACTION.profilePhone);
    if (phone) update.phone = phone;
    const answer = (async (): Promise<SubmissionResponse> => {
      try {
        const coach = await requireCoach(core, teamIdOf(body), body.user.id);
        if (!phone && coach.phone) return errorsResponse({ [BLOCK.profilePhone]: 'Students need a phone number to reach you. Enter one.' });
        await core.coaches.updateProfile(coach.id, update);
        return null;
      } catch (error) {
        if (!isDomainError(error)) logger.error({ err: error }, 'edit profile failed');
        return errorsResponse(blockErrors(error, { byPath: FIELDS, byCode: { 'phone.invalid': BLOCK.profilePhone }, fallbackBlock: BLOCK.profileName }));
      }
    })();
    await answerInTime({ ack, client, view, context, logger, done: 'Your profile is saved.', answer });
  };
}
