import { z } from 'zod';
import { DomainError } from '../../../core/shared/errors.js';
import type { BotDeps } from '../../deps.js';
import { ACTION, BLOCK } from '../../ids.js';
import { blockErrors } from '../../slack-errors.js';
import { requireAdmin } from '../admin.js';
import { teamIdOf } from '../shared.js';
import { errorsResponse, inputValue, parseMetadata, submitOnce, type SubmissionArgs } from './types.js';

const metadataSchema = z.object({ bookingId: z.string().min(1).max(64) });

/**
 * An admin cancels a session: core cancels it for the organisation and
 * plans what tells both sides (the coach's DM and booking message, the
 * student's email). A refusal (started, already cancelled, not an admin)
 * shows under the reason. App Home follows the event.
 */
export function adminCancelSessionSubmission(deps: BotDeps) {
  return async ({ ack, body, view, client, context }: SubmissionArgs): Promise<void> => {
    const { core, logger } = deps;
    const metadata = parseMetadata(metadataSchema, view.private_metadata);
    if (!metadata) {
      await ack(errorsResponse({ [BLOCK.adminCancelReason]: 'This form is out of date. Close it and choose Cancel session again.' }));
      return;
    }
    const reason = inputValue(view.state.values, BLOCK.adminCancelReason, ACTION.cancelReason);
    await submitOnce({
      core, logger, ack, client, view, context,
      done: 'The session is cancelled.',
      scope: 'admin_cancel_session',
      errorsFor: (error) => blockErrors(error, { fallbackBlock: BLOCK.adminCancelReason }),
      work: async () => {
        if (!reason) throw new DomainError('validation.failed', 'Give a reason: the coach and the student both read it.');
        const { scope } = await requireAdmin(deps, client, teamIdOf(body), body.user.id);
        await core.admin.cancelSession({ id: body.user.id }, metadata.bookingId, { reason }, scope);
        return null;
      },
    });
  };
}
