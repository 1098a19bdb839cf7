import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewErrorsResponseAction, ViewSubmitAction, ViewUpdateResponseAction } from '@slack/bolt';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Core } from '../../../core/core.types.js';
import { isDomainError } from '../../../core/shared/errors.js';
import { NothingChanged, onceForSubmission, submissionKey } from '../../deliveries.js';
import type { BlockErrors } from '../../slack-errors.js';
import type { SessionModalMetadata } from '../../views/session-modals.view.js';
import { stillWorkingModal } from '../../views/submission-progress.view.js';
import { answerInTime } from './answer-in-time.js';

export type SubmissionArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
export type StateValues = SubmissionArgs['view']['state']['values'];

/** What a submission answers: inline errors, another view, or nothing (close the modal). Stored for replays, hence null. */
export type SubmissionResponse = ViewErrorsResponseAction | ViewUpdateResponseAction | null;

export const errorsResponse = (errors: BlockErrors): ViewErrorsResponseAction => ({ response_action: 'errors', errors });

/** Our own metadata comes back from Slack; parsed anyway, since a forged payload could carry anything. */
export function parseMetadata<S extends z.ZodType>(schema: S, raw: string): z.output<S> | null {
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export const sessionMetadataSchema = z.object({
  bookingId: z.string().min(1).max(64),
  channel: z.string().max(64).optional(),
  ts: z.string().max(64).optional(),
  responseUrl: z.url().max(2000).optional(),
}) satisfies z.ZodType<SessionModalMetadata>;

export const inputValue = (values: StateValues, block: string, action: string): string =>
  values[block]?.[action]?.value?.trim() ?? '';

/**
 * Runs a submission's work once per delivery (see onceForSubmission) and
 * answers Slack in time (answerInTime): a refusal from core becomes inline
 * errors (`errorsFor` places them) and changes nothing, so the coach can
 * correct and resubmit; anything unexpected is logged and shown as an
 * apology under the fallback input. `done` says what happened when the
 * result comes after the answer. Resolves true when this delivery did the
 * work, so the caller knows whether the follow-up (a DM, a message update)
 * is its to do.
 */
export async function submitOnce(input: {
  core: Core;
  logger: Logger;
  ack: SubmissionArgs['ack'];
  client: SubmissionArgs['client'];
  view: SubmissionArgs['view'];
  context: SubmissionArgs['context'];
  scope: string;
  done: string;
  errorsFor: (error: unknown) => BlockErrors;
  work: () => Promise<SubmissionResponse>;
}): Promise<boolean> {
  const { core, logger, ack, client, view, context, scope, done, errorsFor, work } = input;
  let first = false;
  const answer = (async (): Promise<SubmissionResponse> => {
    try {
      const outcome = await onceForSubmission<SubmissionResponse>(core, scope, submissionKey(view), async () => {
        try {
          return await work();
        } catch (error) {
          if (isDomainError(error) && error.code !== 'service.unavailable') throw new NothingChanged(errorsResponse(errorsFor(error)));
          throw error;
        }
      });
      // Another delivery of it is at work: its result replaces this modal when it comes.
      if (outcome.kind === 'in_progress') return { response_action: 'update', view: stillWorkingModal(view) };
      first = outcome.kind === 'first';
      return outcome.response;
    } catch (error) {
      logger.error({ err: error, scope }, 'Slack submission failed');
      return errorsResponse(errorsFor(error));
    }
  })();
  await answerInTime({ ack, client, view, context, logger, done, answer });
  return first;
}
