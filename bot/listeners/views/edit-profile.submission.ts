import { isDomainError } from '../../../core/shared/errors.js';
import type { CoachProfileUpdate } from '../../../core/coaches/coach.schema.js';
import type { BotDeps } from '../../deps.js';
import { ACTION, BLOCK } from '../../ids.js';
import { blockErrors } from '../../slack-errors.js';
import { requireCoach, teamIdOf } from '../shared.js';
import { errorsResponse, inputValue, type SubmissionArgs } from './types.js';

const FIELDS = { name: BLOCK.profileName, phone: BLOCK.profilePhone, bio: BLOCK.profileBio };

/**
 * Saving the profile is idempotent (the same values twice leave the same
 * profile), so a retry needs no deduplication. App Home follows the
 * coach.updated event.
 */
export function editProfileSubmission(deps: BotDeps) {
  return async ({ ack, body, view }: SubmissionArgs): Promise<void> => {
    const { core, logger } = deps;
    const values = view.state.values;
    const update: CoachProfileUpdate = {
      name: inputValue(values, BLOCK.profileName, ACTION.profileName),
      bio: inputValue(values, BLOCK.profileBio, ACTION.profileBio),
    };
    const phone = inputValue(values, BLOCK.profilePhone, ACTION.profilePhone);
    if (phone) update.phone = phone;
    try {
      const coach = await requireCoach(core, teamIdOf(body), body.user.id);
      if (!phone && coach.phone) {
        await ack(errorsResponse({ [BLOCK.profilePhone]: 'Students need a phone number to reach you. Enter one.' }));
        return;
      }
      await core.coaches.updateProfile(coach.id, update);
    } catch (error) {
      if (!isDomainError(error)) logger.error({ err: error }, 'edit profile failed');
      await ack(errorsResponse(blockErrors(error, { byPath: FIELDS, byCode: { 'phone.invalid': BLOCK.profilePhone }, fallbackBlock: BLOCK.profileName })));
      return;
    }
    await ack();
  };
}
