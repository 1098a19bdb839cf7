import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { CoachSession } from '../../core/bookings/booking.schema.js';
import { NOTES_MAX, SATISFACTION_LABELS } from '../../core/feedback/feedback.schema.js';
import { ACTION, BLOCK, CALLBACK } from '../ids.js';
import { escapeAndTruncate, escapeMrkdwn, md, plain } from '../mrkdwn.js';
import { formatDayTime, formatSessionTime } from './format.js';
import { studentNoticeSentence, type StudentNotice } from './session-message.view.js';

export const REASON_MAX = 500;

/**
 * Where the modal was opened from, so the submission can refresh that
 * surface: a message (channel + ts), an ephemeral reply (response_url), or
 * App Home (neither). The booking id rides along so any message can open it.
 */
export interface SessionModalMetadata {
  bookingId: string;
  channel?: string;
  ts?: string;
  responseUrl?: string;
}

export const satisfactionOptions: PlainTextOption[] = [1, 2, 3, 4, 5].map((n) => ({
  text: plain(`${n} · ${SATISFACTION_LABELS[n]}`),
  value: String(n),
}));

function sessionSummary(session: CoachSession, zone: string): KnownBlock {
  return {
    type: 'section',
    text: md(`*${escapeAndTruncate(session.student.name, 200)}*\n${formatSessionTime(session.startsAt, session.endsAt, zone)} (${escapeMrkdwn(zone)})`),
  };
}

export function rateSessionModal(session: CoachSession, zone: string, origin: SessionModalMetadata): ModalView {
  const feedback = session.feedback;
  const blocks: KnownBlock[] = [
    sessionSummary(session, zone),
    {
      type: 'input',
      block_id: BLOCK.satisfaction,
      label: plain('How satisfied are you with this session?'),
      element: {
        type: 'radio_buttons',
        action_id: ACTION.satisfaction,
        options: satisfactionOptions,
        ...(feedback ? { initial_option: satisfactionOptions[feedback.satisfaction - 1]! } : {}),
      },
    },
    {
      type: 'input',
      block_id: BLOCK.notes,
      optional: true,
      label: plain('Notes'),
      hint: plain(`Only you see these. Up to ${NOTES_MAX.toLocaleString('en-GB')} characters.`),
      element: {
        type: 'plain_text_input',
        action_id: ACTION.notes,
        multiline: true,
        max_length: NOTES_MAX,
        ...(feedback?.notes ? { initial_value: feedback.notes } : {}),
        placeholder: plain('What went well, what to follow up on…'),
      },
    },
  ];
  if (feedback) {
    blocks.push({ type: 'context', elements: [md(`First rated ${formatDayTime(feedback.recordedAt, zone)}, last changed ${formatDayTime(feedback.updatedAt, zone)}.`)] });
  }
  return {
    type: 'modal',
    callback_id: CALLBACK.rateSession,
    title: plain(feedback ? 'Edit rating' : 'Rate session'),
    submit: plain('Save rating'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify({ ...origin, bookingId: session.id }),
    blocks,
  };
}

export function cancelSessionModal(session: CoachSession, zone: string, origin: SessionModalMetadata, notice: StudentNotice = 'site'): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.cancelSession,
    title: plain('Cancel session'),
    submit: plain('Cancel session'),
    close: plain('Keep it'),
    private_metadata: JSON.stringify({ ...origin, bookingId: session.id }),
    blocks: [
      sessionSummary(session, zone),
      { type: 'context', elements: [md(`${studentNoticeSentence(notice)}. The slot is withdrawn (not reopened).`)] },
      {
        type: 'input',
        block_id: BLOCK.cancelReason,
        optional: true,
        label: plain('Reason'),
        hint: plain('Shared with the student.'),
        element: { type: 'plain_text_input', action_id: ACTION.cancelReason, multiline: true, max_length: REASON_MAX },
      },
    ],
  };
}
