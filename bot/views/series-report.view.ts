import type { KnownBlock, ModalView } from '@slack/types';
import type { SeriesResult, SkippedOccurrence } from '../../core/slots/slot.schema.js';
import { escapeAndTruncate, escapeMrkdwn, md, plain } from '../mrkdwn.js';
import { formatSessionTime } from './format.js';
import type { SlackMessage } from './message.js';

/** Short words for why an occurrence was skipped, as in "skipped 1 (overlaps Tue 3 Mar 10:00)". */
const SKIP_REASONS: Record<string, string> = {
  'slot.overlaps': 'overlaps',
  'slot.in_past': 'in the past',
  'slot.beyond_horizon': 'beyond the booking horizon',
  'slot.off_grid': 'off the 15-minute grid',
  'slot.no_such_local_time': 'missing because the clocks change',
  'slot.bad_length': 'wrong length',
};

const LABELS_PER_REASON = 5;

/** "overlaps Tue 3 Mar 10:00, Tue 10 Mar 10:00; in the past Mon 2 Mar 09:00" */
export function summariseSkipped(skipped: SkippedOccurrence[]): string {
  const byCode = new Map<string, SkippedOccurrence[]>();
  for (const s of skipped) byCode.set(s.code, [...(byCode.get(s.code) ?? []), s]);
  return [...byCode.entries()]
    .map(([code, list]) => {
      const shown = list.slice(0, LABELS_PER_REASON).map((s) => s.label).join(', ');
      const more = list.length > LABELS_PER_REASON ? ` and ${list.length - LABELS_PER_REASON} more` : '';
      return `${SKIP_REASONS[code] ?? escapeMrkdwn(list[0]!.message)} ${shown}${more}`;
    })
    .join('; ');
}

/** "Created 7, skipped 1 (overlaps Tue 3 Mar 10:00)." */
export function seriesSummary(result: Pick<SeriesResult, 'created' | 'skipped'> & Partial<Pick<SeriesResult, 'notAttempted'>>): string {
  const created = `Created ${result.created.length}`;
  const stopped = result.notAttempted ? ` Stopped before ${result.notAttempted} more.` : '';
  if (!result.skipped.length) return `${created}.${stopped}`;
  return `${created}, skipped ${result.skipped.length} (${summariseSkipped(result.skipped)}).${stopped}`;
}

const LISTED_SLOTS = 30;

/** The DM sent after a submission has created slots (or, when it ran late, found nothing to create). */
export function seriesReport(result: SeriesResult, zone: string): SlackMessage {
  const icon = result.created.length === 0 ? ':warning:' : result.skipped.length ? ':large_yellow_circle:' : ':white_check_mark:';
  const summary = seriesSummary(result);
  const blocks: KnownBlock[] = [{ type: 'section', text: md(`${icon} *Availability:* ${escapeAndTruncate(summary, 2900)}`) }];
  if (result.created.length) {
    const listed = result.created.slice(0, LISTED_SLOTS).map((slot) => `• ${formatSessionTime(slot.startsAt, slot.endsAt, zone)}`);
    if (result.created.length > LISTED_SLOTS) listed.push(`…and ${result.created.length - LISTED_SLOTS} more (see App Home)`);
    blocks.push({ type: 'section', text: md(listed.join('\n')) });
  }
  if (result.skipped.length && !result.created.length) {
    blocks.push({ type: 'section', text: md(escapeAndTruncate(result.skipped.map((s) => `${s.label}: ${s.message}`).slice(0, 10).join('\n'), 2900)) });
  }
  if (result.notAttempted) {
    blocks.push({
      type: 'section',
      text: md(`:warning: The app restarted before ${result.notAttempted} more could be added. Submit the same choices again to add them: the slots you already have are skipped.`),
    });
  }
  blocks.push({ type: 'context', elements: [md(`Times in ${escapeMrkdwn(zone)}.`)] });
  return { text: summary, blocks };
}

/** What "Add availability" turns into while a long series is created after the answer. */
export function workingModal(occurrences: number): ModalView {
  return {
    type: 'modal',
    title: plain('Add availability'),
    close: plain('Close'),
    blocks: [
      { type: 'section', text: md(`:hourglass_flowing_sand: Adding ${occurrences} slots. You will get a DM with what was created and anything skipped, usually within a minute.`) },
    ],
  };
}
