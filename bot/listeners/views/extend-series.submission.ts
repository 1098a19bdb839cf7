import { z } from 'zod';
import { isDomainError } from '../../../core/shared/errors.js';
import { extendableWeeks } from '../../../core/slots/series.rules.js';
import type { SeriesSummary } from '../../../core/slots/slot.schema.js';
import type { BotDeps } from '../../deps.js';
import { isFirstDelivery, submissionKey } from '../../deliveries.js';
import { ACTION, BLOCK } from '../../ids.js';
import { postToResponseUrl, sendDm } from '../../send.js';
import { friendlyMessage } from '../../slack-errors.js';
import { noticeMessage } from '../../views/notice.view.js';
import { seriesExtendedMessage, type ExtendSeriesMetadata } from '../../views/series.view.js';
import { availabilityListFor, requireCoach, teamIdOf } from '../shared.js';
import { answerInTime } from './answer-in-time.js';
import { errorsResponse, parseMetadata, type SubmissionArgs, type SubmissionResponse } from './types.js';

const metadataSchema = z.object({
  seriesId: z.string().regex(/^[0-9a-f]{24}$/),
  responseUrl: z.url().max(2000).optional(),
}) satisfies z.ZodType<ExtendSeriesMetadata>;

/**
 * "Extend series": the number of weeks is checked against the horizon before
 * the ack, so a choice that no longer fits is answered in the modal; the
 * slots are then created after the ack (up to 26 weeks of 12 times does not
 * fit in Slack's 3 seconds) and the result comes by DM.
 */
export function extendSeriesSubmission(deps: BotDeps) {
  return async ({ ack, body, view, client, context }: SubmissionArgs): Promise<void> => {
    const { core, logger, background } = deps;
    const metadata = parseMetadata(metadataSchema, view.private_metadata);
    if (!metadata) {
      await ack(errorsResponse({ [BLOCK.extendWeeks]: 'This form is out of date. Close it and press Extend again.' }));
      return;
    }
    const weeks = Number(view.state.values[BLOCK.extendWeeks]?.[ACTION.extendWeeks]?.selected_option?.value ?? '');
    const found: { coach: Awaited<ReturnType<typeof requireCoach>> | null; series: SeriesSummary | null } = { coach: null, series: null };
    const answer = (async (): Promise<SubmissionResponse> => {
      try {
        const coach = await requireCoach(core, teamIdOf(body), body.user.id);
        const series = await core.slots.series(coach.id, metadata.seriesId);
        const room = extendableWeeks(series, core.clock.now(), core.rules);
        if (!Number.isInteger(weeks) || weeks < 1 || weeks > room) {
          const why = room === 0
            ? `This series already reaches your booking horizon (${core.rules.slotHorizonDays} days ahead), so no week can be added yet.`
            : `Pick from 1 to ${room} week${room === 1 ? '' : 's'}: slots can be added up to ${core.rules.slotHorizonDays} days ahead.`;
          return errorsResponse({ [BLOCK.extendWeeks]: why });
        }
        Object.assign(found, { coach, series });
        return null;
      } catch (error) {
        if (!isDomainError(error)) logger.error({ err: error }, 'extend series failed');
        return errorsResponse({ [BLOCK.extendWeeks]: friendlyMessage(error) });
      }
    })();
    await answerInTime({ ack, client, view, context, logger, done: 'The series is being extended. A DM with what was added follows.', answer });
    const { coach, series } = found;
    if (!coach || !series) return;
    if (!(await isFirstDelivery(core, 'extend_series', submissionKey(view)))) return;

    const extending = { coach, series };
    background.run('extend series', async () => {
      try {
        const result = await core.slots.extendSeries(extending.coach.id, extending.series.id, { weeks });
        await sendDm(client, body.user.id, seriesExtendedMessage(extending.series, result));
        if (metadata.responseUrl) await postToResponseUrl(metadata.responseUrl, { replace_original: true, ...(await availabilityListFor(core, extending.coach)) });
      } catch (error) {
        await sendDm(client, body.user.id, noticeMessage(`Extending your series failed: ${friendlyMessage(error)}`));
        throw error;
      }
    });
  };
}
