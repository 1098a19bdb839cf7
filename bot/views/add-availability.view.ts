import type { ModalView, PlainTextOption } from '@slack/types';
import { ACTION, BLOCK, CALLBACK } from '../ids.js';
import { escapeMrkdwn, md, plain } from '../mrkdwn.js';
import { formatZone, localDate } from './format.js';

/** What the submission handler needs to read back, beyond the inputs. */
export interface AddAvailabilityMetadata {
  /** The zone the modal showed; the submission uses it even if the profile changes meanwhile. */
  tz: string;
  askPhone: boolean;
}

export const MAX_TIMES = 12;
export const MAX_WEEKS = 26;

const pad = (n: number) => String(n).padStart(2, '0');

/** Every quarter hour of the day: 96 options, within a static select's 100. */
export const START_TIMES: readonly string[] = Array.from({ length: 96 }, (_, i) => `${pad(Math.floor(i / 4))}:${pad((i % 4) * 15)}`);

function timeOption(time: string): PlainTextOption {
  const [h, m] = time.split(':').map(Number) as [number, number];
  const end = `${pad((h + 2) % 24)}:${pad(m)}`;
  return { text: plain(`${time}–${end}`), value: time };
}

const TIME_GROUPS: Array<{ label: string; from: number; to: number }> = [
  { label: 'Night (00:00–05:45)', from: 0, to: 24 },
  { label: 'Morning (06:00–11:45)', from: 24, to: 48 },
  { label: 'Afternoon (12:00–17:45)', from: 48, to: 72 },
  { label: 'Evening (18:00–23:45)', from: 72, to: 96 },
];

export function addAvailabilityModal(input: { timezone: string; now: Date; askPhone: boolean }): ModalView {
  const { timezone, now, askPhone } = input;
  const metadata: AddAvailabilityMetadata = { tz: timezone, askPhone };
  const blocks: ModalView['blocks'] = [
    {
      type: 'context',
      elements: [
        md(`:earth_africa: Times are in *${escapeMrkdwn(formatZone(timezone, now))}*, the time zone of your Slack profile. Each start time becomes a 2-hour slot.`),
      ],
    },
    {
      type: 'input',
      block_id: BLOCK.date,
      label: plain('Date'),
      element: { type: 'datepicker', action_id: ACTION.date, initial_date: localDate(now, timezone), placeholder: plain('Pick a date') },
    },
    {
      type: 'input',
      block_id: BLOCK.times,
      label: plain('Start times'),
      hint: plain(`Pick up to ${MAX_TIMES}. Slots may touch (10:00 and 12:00) but not overlap.`),
      element: {
        type: 'multi_static_select',
        action_id: ACTION.times,
        placeholder: plain('Pick one or more start times'),
        max_selected_items: MAX_TIMES,
        option_groups: TIME_GROUPS.map((group) => ({
          label: plain(group.label),
          options: START_TIMES.slice(group.from, group.to).map(timeOption),
        })),
      },
    },
    {
      type: 'input',
      block_id: BLOCK.weeks,
      optional: true,
      label: plain('Repeat weekly for (weeks)'),
      hint: plain(`Empty or 1: just this date. 4: this date and the same weekday for the next 3 weeks. At most ${MAX_WEEKS}.`),
      element: {
        type: 'number_input',
        action_id: ACTION.weeks,
        is_decimal_allowed: false,
        min_value: '1',
        max_value: String(MAX_WEEKS),
        placeholder: plain('1'),
      },
    },
  ];
  if (askPhone) {
    blocks.push({
      type: 'input',
      block_id: BLOCK.phone,
      label: plain('Your phone number'),
      hint: plain('Your Slack profile has none. Students see it once they book. Use the international format, e.g. +44 20 7946 0958.'),
      element: { type: 'plain_text_input', action_id: ACTION.phone, max_length: 40, placeholder: plain('+44 20 7946 0958') },
    });
  }
  return {
    type: 'modal',
    callback_id: CALLBACK.addAvailability,
    title: plain('Add availability'),
    submit: plain('Add slots'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}
