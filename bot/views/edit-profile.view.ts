import type { ModalView } from '@slack/types';
import type { Coach } from '../../core/coaches/coach.schema.js';
import { ACTION, BLOCK, CALLBACK } from '../ids.js';
import { escapeMrkdwn, md, plain } from '../mrkdwn.js';
import { formatPhone, formatZone } from './format.js';

export const NAME_MAX = 120;
export const BIO_MAX = 1000;

export function editProfileModal(coach: Coach, now: Date): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.editProfile,
    title: plain('Edit profile'),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: BLOCK.profileName,
        label: plain('Name'),
        hint: plain('Students see this name. It starts as the full name on your Slack profile; change it here.'),
        element: { type: 'plain_text_input', action_id: ACTION.profileName, max_length: NAME_MAX, initial_value: coach.name },
      },
      {
        type: 'input',
        block_id: BLOCK.profilePhone,
        optional: coach.phone === null,
        label: plain('Phone'),
        hint: plain('Students see it once they book. International format, e.g. +44 20 7946 0958.'),
        element: {
          type: 'plain_text_input',
          action_id: ACTION.profilePhone,
          max_length: 40,
          ...(coach.phone ? { initial_value: formatPhone(coach.phone) } : {}),
        },
      },
      {
        type: 'input',
        block_id: BLOCK.profileBio,
        optional: true,
        label: plain('Bio'),
        hint: plain('A few lines for students choosing a coach.'),
        element: {
          type: 'plain_text_input',
          action_id: ACTION.profileBio,
          multiline: true,
          max_length: BIO_MAX,
          ...(coach.bio ? { initial_value: coach.bio } : {}),
        },
      },
      { type: 'context', elements: [md(`Time zone: ${escapeMrkdwn(formatZone(coach.timezone, now))}, from your Slack profile.`)] },
    ],
  };
}
