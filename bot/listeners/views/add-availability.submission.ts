import { DateTime } from 'luxon';
import { z } from 'zod';
import { parseInput } from '../../../core/shared/validate.js';
import { planSeries } from '../../../core/slots/slot.rules.js';
import { normalisePhone } from '../../../core/shared/phone.js';
import { checkedView, sendDm } from '../../send.js';
import { slotSeriesSchema, type SeriesResult, type SkippedOccurrence } from '../../../core/slots/slot.schema.js';
import type { BotDeps } from '../../deps.js';
import { NothingChanged, onceForSubmission, submissionKey } from '../../deliveries.js';
import { ACTION, BLOCK } from '../../ids.js';
import { blockErrors, friendlyMessage, type BlockErrors } from '../../slack-errors.js';
import { MAX_TIMES, MAX_WEEKS, type AddAvailabilityMetadata } from '../../views/add-availability.view.js';
import { localDate } from '../../views/format.js';
import { noticeMessage } from '../../views/notice.view.js';
import { seriesReport, workingModal } from '../../views/series-report.view.js';
import { requireCoach, teamIdOf } from '../shared.js';
import { errorsResponse, inputValue, parseMetadata, submitOnce, type StateValues, type SubmissionArgs } from './types.js';

export interface AvailabilityForm {
  date: string;
  times: string[];
  weeks: number;
  phone: string | null;
}

const metadataSchema = z.object({ tz: z.string().min(1).max(64), askPhone: z.boolean() }) satisfies z.ZodType<AddAvailabilityMetadata>;

/** The checks that need no database, so the modal answers at once. The rules themselves live in core. */
export function readAvailabilityForm(values: StateValues, metadata: AddAvailabilityMetadata): { form: AvailabilityForm } | { errors: BlockErrors } {
  const errors: BlockErrors = {};
  const date = values[BLOCK.date]?.[ACTION.date]?.selected_date ?? '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) errors[BLOCK.date] = 'Pick a date.';
  else if (!DateTime.fromISO(date).isValid) errors[BLOCK.date] = `${date} is not a valid date. Pick one from the calendar.`;

  const times = [...new Set((values[BLOCK.times]?.[ACTION.times]?.selected_options ?? []).map((option) => option.value))].sort();
  if (!times.length) errors[BLOCK.times] = 'Pick at least one start time.';
  else if (times.length > MAX_TIMES) errors[BLOCK.times] = `Pick at most ${MAX_TIMES} start times at once.`;

  const weeksText = inputValue(values, BLOCK.weeks, ACTION.weeks);
  const weeks = weeksText === '' ? 1 : Number(weeksText);
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > MAX_WEEKS) errors[BLOCK.weeks] = `Enter a whole number of weeks from 1 to ${MAX_WEEKS}.`;

  let phone: string | null = null;
  if (metadata.askPhone) {
    phone = inputValue(values, BLOCK.phone, ACTION.phone);
    if (!phone) errors[BLOCK.phone] = 'Enter your phone number so students can reach you.';
  }
  return Object.keys(errors).length ? { errors } : { form: { date, times, weeks, phone } };
}

const INLINE_REASONS: Record<string, (labels: string, horizonDays: number) => string> = {
  'slot.overlaps': (labels) => `Overlaps one of your slots: ${labels}. Slots may touch but not overlap.`,
  'slot.in_past': (labels) => `Already in the past: ${labels}.`,
  'slot.beyond_horizon': (labels, days) => `More than ${days} days ahead: ${labels}.`,
  'slot.off_grid': (labels) => `Start times sit on the quarter hour (:00, :15, :30, :45): ${labels}.`,
  'slot.no_such_local_time': (labels) => `Does not exist because the clocks change: ${labels}.`,
};

const LABELS_SHOWN = 3;

/**
 * When nothing could be created, each reason goes under the input to change:
 * a past or too-distant date under the date, a later week under the repeat,
 * everything about the time of day under the times.
 */
export function errorsForSkipped(skipped: SkippedOccurrence[], form: AvailabilityForm, zone: string, now: Date, horizonDays: number): BlockErrors {
  const today = localDate(now, zone);
  const grouped = new Map<string, Map<string, SkippedOccurrence[]>>();
  for (const occurrence of skipped) {
    const day = localDate(occurrence.startsAt, zone);
    let block: string = BLOCK.times;
    if (occurrence.code === 'slot.in_past' && form.date < today) block = BLOCK.date;
    if (occurrence.code === 'slot.beyond_horizon') block = day === form.date ? BLOCK.date : BLOCK.weeks;
    const byCode = grouped.get(block) ?? new Map<string, SkippedOccurrence[]>();
    byCode.set(occurrence.code, [...(byCode.get(occurrence.code) ?? []), occurrence]);
    grouped.set(block, byCode);
  }
  const errors: BlockErrors = {};
  for (const [block, byCode] of grouped) {
    errors[block] = [...byCode.entries()]
      .map(([code, list]) => {
        const labels = list.slice(0, LABELS_SHOWN).map((s) => s.label).join(', ') + (list.length > LABELS_SHOWN ? ` and ${list.length - LABELS_SHOWN} more` : '');
        return INLINE_REASONS[code]?.(labels, horizonDays) ?? `${list[0]!.message} (${labels})`;
      })
      .join(' ');
  }
  return errors;
}

const CORE_FIELDS = { date: BLOCK.date, times: BLOCK.times, weeks: BLOCK.weeks, timezone: BLOCK.date, phone: BLOCK.phone };

/**
 * Up to this many occurrences are created before the answer, so their
 * refusals (an overlap) still show inline. A longer series is checked for
 * everything that needs no database, answered at once, created afterwards
 * and reported by DM: several coaches adding half a year at the same moment
 * must not push each other past Slack's 3 seconds.
 */
export const INLINE_OCCURRENCES = 12;

/**
 * Submitting "Add availability": validates, saves the phone if asked for,
 * creates the slots through core. Nothing created means inline errors and
 * the modal stays open; anything created closes it and the result (with
 * what was skipped and why) comes by DM.
 */
export function addAvailabilitySubmission(deps: BotDeps) {
  return async ({ ack, body, view, client, context }: SubmissionArgs): Promise<void> => {
    const { core, background, logger } = deps;
    const metadata = parseMetadata(metadataSchema, view.private_metadata);
    if (!metadata) {
      await ack(errorsResponse({ [BLOCK.date]: 'This form is out of date. Close it and run /availability again.' }));
      return;
    }
    const read = readAvailabilityForm(view.state.values, metadata);
    if ('errors' in read) {
      await ack(errorsResponse(read.errors));
      return;
    }
    const { form } = read;
    const series = { date: form.date, times: form.times, timezone: metadata.tz, weeks: form.weeks };
    const errorsFor = (error: unknown) => blockErrors(error, { byPath: CORE_FIELDS, byCode: { 'phone.invalid': BLOCK.phone }, fallbackBlock: BLOCK.date });
    const userId = body.user.id;

    // Everything that needs no database first, so a refusal is inline and a long series is answered at once.
    let plan: ReturnType<typeof planSeries>;
    try {
      plan = planSeries(parseInput(slotSeriesSchema, series), core.clock.now(), core.rules);
      if (form.phone !== null) normalisePhone(form.phone);
    } catch (error) {
      await ack(errorsResponse(errorsFor(error)));
      return;
    }
    if (!plan.occurrences.length) {
      await ack(errorsResponse(errorsForSkipped(plan.skipped, form, metadata.tz, core.clock.now(), core.rules.slotHorizonDays)));
      return;
    }
    if (plan.occurrences.length > INLINE_OCCURRENCES) {
      // No database call before this answer: four coaches adding half a year at once must not wait on each other.
      await ack({ response_action: 'update', view: checkedView(workingModal(plan.occurrences.length)) });
      background.run('availability after the answer', async () => {
        try {
          // Redeliveries of the submission get the same answer above; the work itself runs once.
          await onceForSubmission(core, 'add_availability', submissionKey(view), async () => {
            const coach = await requireCoach(core, teamIdOf(body), userId);
            if (form.phone !== null) await core.coaches.updateProfile(coach.id, { phone: form.phone });
            const result = await core.slots.createSeries(coach.id, series, { signal: background.signal });
            await sendDm(client, userId, seriesReport(result, metadata.tz));
            return null;
          });
        } catch (error) {
          await sendDm(client, userId, noticeMessage(`Adding your availability failed: ${friendlyMessage(error)}`));
          throw error;
        }
      });
      return;
    }

    // Filled in by the work, which only the first delivery runs.
    const outcome: { report: SeriesResult | null } = { report: null };
    const first = await submitOnce({
      core, logger, ack, client, view, context,
      done: 'Your availability is saved. A summary is on its way to your DMs.',
      scope: 'add_availability',
      errorsFor,
      work: async () => {
        const coach = await requireCoach(core, teamIdOf(body), userId);
        if (form.phone !== null) await core.coaches.updateProfile(coach.id, { phone: form.phone });
        const result = await core.slots.createSeries(coach.id, series);
        if (!result.created.length) {
          throw new NothingChanged(errorsResponse(errorsForSkipped(result.skipped, form, metadata.tz, core.clock.now(), core.rules.slotHorizonDays)));
        }
        outcome.report = result;
        return null;
      },
    });
    const { report } = outcome;
    if (first && report) background.run('availability report', () => sendDm(client, userId, seriesReport(report, metadata.tz)));
  };
}
