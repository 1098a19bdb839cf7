import type { ActionsBlock, Button, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { CoachSession } from '../../core/bookings/booking.schema.js';
import type { SeriesRemoval, SeriesResult, SeriesSummary } from '../../core/slots/slot.schema.js';
import { ACTION, BLOCK, CALLBACK, seriesBlockId } from '../ids.js';
import { escapeAndTruncate, escapeMrkdwn, md, plain } from '../mrkdwn.js';
import { formatSessionTime, inZone } from './format.js';
import type { SlackMessage } from './message.js';
import { seriesReport } from './series-report.view.js';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "Every Tue 18:00–20:00 (Europe/London)"; several times are joined: "Every Tue 10:00–12:00, 14:00–16:00 (…)". */
export function seriesLabel(series: SeriesSummary): string {
  const times = series.times.map((t) => `${t.start}–${t.end}`).join(', ');
  return `Every ${WEEKDAYS[series.weekday - 1]} ${times} (${series.timezone})`;
}

/** "12 Jan", with the year when it is not this year. */
function untilDate(series: SeriesSummary, now: Date): string {
  const last = inZone(series.lastStartsAt, series.timezone);
  return last.toFormat(last.year === inZone(now, series.timezone).year ? 'd LLL' : 'd LLL yyyy');
}

/** "6 open, 2 booked, until 12 Jan" */
export function seriesCounts(series: SeriesSummary, now: Date): string {
  return `${series.open} open, ${series.booked} booked, until ${untilDate(series, now)}`;
}

/** A series as one item of a list: what it is, then Extend and (while it has open slots) Remove the rest. */
export function seriesItemBlocks(series: SeriesSummary, now: Date): KnownBlock[] {
  const buttons: Button[] = [{ type: 'button', action_id: ACTION.openExtendSeries, text: plain('Extend…'), value: series.id }];
  if (series.open > 0) {
    buttons.push({
      type: 'button',
      action_id: ACTION.removeSeriesRest,
      text: plain('Remove the rest of the series'),
      value: series.id,
      style: 'danger',
      confirm: {
        title: plain('Remove the rest of the series?'),
        text: plain(
          `The ${plural(series.open, 'open slot')} still to come will no longer be bookable. ` +
            (series.booked ? `The ${plural(series.booked, 'booked session')} ${series.booked === 1 ? 'stays' : 'stay'}, and you get a list of ${series.booked === 1 ? 'it' : 'them'}.` : 'No session is booked in it.'),
        ),
        confirm: plain('Remove the rest'),
        deny: plain('Keep them'),
        style: 'danger',
      },
    });
  }
  return [
    { type: 'section', text: md(`:repeat: *${escapeMrkdwn(seriesLabel(series))}*\n${escapeMrkdwn(seriesCounts(series, now))}`) },
    { type: 'actions', block_id: seriesBlockId(series.id), elements: buttons } satisfies ActionsBlock,
  ];
}

export interface ExtendSeriesMetadata {
  seriesId: string;
  /** Set when opened from the `/availability list` reply, which is then refreshed. */
  responseUrl?: string;
}

const weeksOption = (weeks: number): PlainTextOption => ({ text: plain(plural(weeks, 'week')), value: String(weeks) });

/** "Extend by N weeks": N from 1 to as many whole weeks as fit before the booking horizon. */
export function extendSeriesModal(input: { series: SeriesSummary; maxWeeks: number; horizonDays: number; now: Date; metadata: ExtendSeriesMetadata }): ModalView {
  const { series, maxWeeks, horizonDays, now, metadata } = input;
  const heading: KnownBlock = { type: 'section', text: md(`*${escapeMrkdwn(seriesLabel(series))}*\n${escapeMrkdwn(seriesCounts(series, now))}`) };
  const base = { type: 'modal' as const, callback_id: CALLBACK.extendSeries, title: plain('Extend series'), private_metadata: JSON.stringify(metadata) };
  if (maxWeeks < 1) {
    return {
      ...base,
      close: plain('Close'),
      blocks: [heading, { type: 'section', text: md(`:warning: This series already reaches your booking horizon (${horizonDays} days ahead), so no week can be added yet. Try again closer to ${escapeMrkdwn(untilDate(series, now))}.`) }],
    };
  }
  const options = Array.from({ length: maxWeeks }, (_, i) => weeksOption(i + 1));
  return {
    ...base,
    submit: plain('Extend'),
    close: plain('Cancel'),
    blocks: [
      heading,
      {
        type: 'input',
        block_id: BLOCK.extendWeeks,
        label: plain('Extend by'),
        element: { type: 'static_select', action_id: ACTION.extendWeeks, options, initial_option: options[0]! },
        hint: plain(`At most ${plural(maxWeeks, 'week')}: slots can be added up to ${horizonDays} days ahead.`),
      },
      {
        type: 'context',
        elements: [
          md(`New weeks follow ${escapeMrkdwn(untilDate(series, now))} on the same weekday at the same times in ${escapeMrkdwn(series.timezone)}, also across clock changes. A time that overlaps another of your slots is skipped, and the DM you get says which.`),
        ],
      },
    ],
  };
}

/** The DM after an extension: the series, then what was created and skipped. */
export function seriesExtendedMessage(series: SeriesSummary, result: SeriesResult): SlackMessage {
  const report = seriesReport(result, series.timezone);
  const heading = `*Extended:* ${escapeMrkdwn(seriesLabel(series))}`;
  return { text: `Extended ${seriesLabel(series)}. ${report.text}`, blocks: [{ type: 'section', text: md(heading) }, ...report.blocks] };
}

const LISTED_KEPT = 20;

/** What "Remove the rest of the series" did, with every kept session by time and student (the first 20 listed). */
export function seriesRemovalMessage(input: { removal: SeriesRemoval; sessions: CoachSession[]; zone: string }): SlackMessage {
  const { removal, sessions, zone } = input;
  const label = seriesLabel(removal.series);
  const kept = removal.kept.length;
  const summary = `Removed ${plural(removal.removed, 'open slot')} of ${label}. Kept ${plural(kept, 'booked session')}${kept ? `, which ${kept === 1 ? 'stays' : 'stay'} on your calendar` : ''}.`;
  const blocks: KnownBlock[] = [{ type: 'section', text: md(`:white_check_mark: ${escapeMrkdwn(summary)}`) }];
  if (kept) {
    const byBooking = new Map(sessions.map((s) => [s.id, s]));
    const lines = removal.kept.slice(0, LISTED_KEPT).map((slot) => {
      const session = slot.bookingId ? byBooking.get(slot.bookingId) : undefined;
      const who = session ? ` with ${escapeAndTruncate(session.student.name, 100)}` : '';
      return `• ${formatSessionTime(slot.startsAt, slot.endsAt, zone)}${who}`;
    });
    if (kept > LISTED_KEPT) lines.push(`…and ${kept - LISTED_KEPT} more (see App Home)`);
    blocks.push({ type: 'section', text: md(lines.join('\n')) });
  }
  if (removal.unsettled.length) {
    const times = removal.unsettled.slice(0, 10).map((slot) => formatSessionTime(slot.startsAt, slot.endsAt, zone)).join('; ');
    blocks.push({
      type: 'section',
      text: md(`:warning: ${plural(removal.unsettled.length, 'slot was', 'slots were')} being booked at that moment and ${removal.unsettled.length === 1 ? 'is' : 'are'} still open: ${escapeMrkdwn(times)}. If ${removal.unsettled.length === 1 ? 'it stays' : 'they stay'} open, remove ${removal.unsettled.length === 1 ? 'it' : 'them'} from your list.`),
    });
  }
  blocks.push({ type: 'context', elements: [md(`Times in ${escapeMrkdwn(zone)}.`)] });
  return { text: summary, blocks };
}
