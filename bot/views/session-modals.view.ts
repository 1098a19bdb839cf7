import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { CoachSession } from '../../core/bookings/booking.schema.js';
import { NOTES_MAX, SATISFACTION_LABELS } from '../../core/feedback/feedback.schema.js';
import { ACTION, BLOCK, CALLBACK } from '../ids.js';
import { escapeAndTruncate, escapeMrkdwn, md, plain, quoteText as quoteNotes } from '../mrkdwn.js';
import type { Page } from '../../core/shared/time.schema.js';
import { formatDayTime, formatRating, formatSessionTime } from './format.js';
import { NO_NOTICE, studentNoticeSentence, type StudentNotice } from './session-message.view.js';

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
    blocks.push(...earlierVersions(session, zone));
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

/** The versions a rating replaced, newest first, shortened so the modal stays within its 100 blocks. */
export const EARLIER_VERSIONS_SHOWN = 10;

function earlierVersions(session: CoachSession, zone: string): KnownBlock[] {
  const history = [...session.feedbackHistory].reverse();
  if (!history.length) return [];
  const blocks: KnownBlock[] = [{ type: 'section', text: md(`*Earlier versions* (${history.length})`) }];
  for (const version of history.slice(0, EARLIER_VERSIONS_SHOWN)) {
    const lines = [`${formatRating(version.satisfaction)} · replaced ${formatDayTime(version.replacedAt, zone)}`];
    if (version.notes) lines.push(quoteNotes(version.notes, 1200));
    blocks.push({ type: 'context', elements: [md(lines.join('\n'))] });
  }
  if (history.length > EARLIER_VERSIONS_SHOWN) blocks.push({ type: 'context', elements: [md(`…and ${history.length - EARLIER_VERSIONS_SHOWN} older.`)] });
  return blocks;
}

/** Every session of a coach with one student, newest first, with the coach's own ratings and notes. */
export function studentHistoryModal(input: { studentName: string; sessions: Page<CoachSession>; zone: string }): ModalView {
  const { studentName, sessions, zone } = input;
  const blocks: KnownBlock[] = [
    { type: 'section', text: md(`*${escapeAndTruncate(studentName, 200)}*: ${sessions.total} session${sessions.total === 1 ? '' : 's'} with you. Only you see your ratings and notes.`) },
    { type: 'divider' },
  ];
  for (const s of sessions.items) {
    const lines = [`*${formatSessionTime(s.startsAt, s.endsAt, zone)}*${s.status === 'cancelled' ? ` · cancelled by ${{ coach: 'you', admin: 'an admin', student: 'the student' }[s.cancellation?.by ?? 'student']}` : ''}`];
    if (s.feedback) lines.push(formatRating(s.feedback.satisfaction));
    else if (s.needsRating) lines.push('_Not rated yet._');
    if (s.feedback?.notes) lines.push(quoteNotes(s.feedback.notes, 800));
    blocks.push({ type: 'section', text: md(lines.join('\n')) });
  }
  if (sessions.total > sessions.items.length) blocks.push({ type: 'context', elements: [md(`Showing the latest ${sessions.items.length} of ${sessions.total}.`)] });
  blocks.push({ type: 'context', elements: [md(`Times in ${escapeMrkdwn(zone)}.`)] });
  return { type: 'modal', title: plain('Session history'), close: plain('Close'), blocks };
}

/** "Share my booking link": the host page opened on this coach, to copy. */
export function shareLinkModal(link: string): ModalView {
  return {
    type: 'modal',
    title: plain('Your booking link'),
    close: plain('Close'),
    blocks: [
      { type: 'section', text: md('Share this link: it opens the booking page on your times.') },
      { type: 'section', text: md(`\`${escapeAndTruncate(link, 2900, { neutralise: false })}\``) },
      { type: 'actions', elements: [{ type: 'button', action_id: ACTION.openBookingLink, text: plain('Open the page'), url: link }] },
    ],
  };
}

export function cancelSessionModal(session: CoachSession, zone: string, origin: SessionModalMetadata, notice: StudentNotice = NO_NOTICE): ModalView {
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
