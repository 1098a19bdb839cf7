import type { ModalView, PlainTextOption } from '@slack/types';
import type { Coach } from '../../core/coaches/coach.schema.js';
import type { RulesConfig } from '../../core/shared/rules-config.js';
import { ACTION, BLOCK, CALLBACK } from '../ids.js';
import { md, plain } from '../mrkdwn.js';
import { reminderOptions } from './home.view.js';

const option = (text: string, value: string): PlainTextOption => ({ text: plain(text), value });

const BUFFER_OPTIONS = [option('No buffer', '0'), option('15 minutes', '15'), option('30 minutes', '30')];
/** Two-hour sessions: at most 12 fit in a day. */
const CAP_OPTIONS = [option('No cap of my own', 'none'), ...Array.from({ length: 12 }, (_, i) => option(`${i + 1} a day`, String(i + 1)))];

/** The coach's scheduling settings: buffer, daily cap, minimum notice, reminder lead. */
export function settingsModal(coach: Coach, rules: RulesConfig): ModalView {
  const { bufferMinutes, dailyCap, minNoticeHours } = coach.settings;
  const buffer = BUFFER_OPTIONS.find((o) => o.value === String(bufferMinutes)) ?? BUFFER_OPTIONS[0]!;
  const cap = CAP_OPTIONS.find((o) => o.value === (dailyCap === null ? 'none' : String(dailyCap))) ?? CAP_OPTIONS[0]!;
  const reminder = reminderOptions(coach.reminderMinutesBefore);
  const orgCap = rules.coachDailyLimit === null ? 'The organisation sets no daily limit.' : `The organisation allows at most ${rules.coachDailyLimit} a day; the lower of the two applies.`;
  return {
    type: 'modal',
    callback_id: CALLBACK.settings,
    title: plain('Settings'),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: BLOCK.settingsBuffer,
        label: plain('Buffer before and after sessions'),
        hint: plain('Open slots closer than this to a booked session are hidden from students.'),
        element: { type: 'static_select', action_id: ACTION.settingsBuffer, options: BUFFER_OPTIONS, initial_option: buffer },
      },
      {
        type: 'input',
        block_id: BLOCK.settingsDailyCap,
        label: plain('Most sessions in one day'),
        hint: plain(`Counted in your time zone. ${orgCap}`),
        element: { type: 'static_select', action_id: ACTION.settingsDailyCap, options: CAP_OPTIONS, initial_option: cap },
      },
      {
        type: 'input',
        block_id: BLOCK.settingsNotice,
        optional: true,
        label: plain('Minimum notice (hours)'),
        hint: plain(`How long before a session students can still book it: ${rules.minNoticeHours} hours or more. Leave empty for ${rules.minNoticeHours}.`),
        element: {
          type: 'number_input',
          action_id: ACTION.settingsNotice,
          is_decimal_allowed: false,
          min_value: String(rules.minNoticeHours),
          max_value: '720',
          ...(minNoticeHours !== null ? { initial_value: String(minNoticeHours) } : {}),
        },
      },
      {
        type: 'input',
        block_id: BLOCK.settingsReminder,
        label: plain('Session reminders'),
        hint: plain('A DM before each of your sessions, with the student and their phone. A change moves the reminders of sessions already booked too.'),
        element: { type: 'static_select', action_id: ACTION.settingsReminder, options: reminder.options, initial_option: reminder.selected },
      },
      { type: 'context', elements: [md('Buffer, cap and notice apply to new bookings; sessions already booked stay as they are.')] },
    ],
  };
}
