import type { ViewOutput } from '@slack/bolt';
import type { KnownBlock, ModalView, PlainTextElement } from '@slack/types';
import { escapeAndTruncate, md, plain } from '../mrkdwn.js';

/**
 * The modals of a submission that outlasted Slack's wait for an answer
 * (bot/listeners/views/answer-in-time.ts): first "still working", then
 * the result in its place.
 */

const titleOf = (submitted: Pick<ViewOutput, 'title'>): PlainTextElement => plain(submitted.title.text);

export function stillWorkingModal(submitted: Pick<ViewOutput, 'title'>): ModalView {
  return {
    type: 'modal',
    title: titleOf(submitted),
    close: plain('Close'),
    blocks: [{ type: 'section', text: md(':hourglass_flowing_sand: Still working on it. Keep this window open: the result shows here when it is done.') }],
  };
}

/** The work is done: what the modal would have closed on, said in words. */
export function finishedModal(submitted: Pick<ViewOutput, 'title'>, done: string): ModalView {
  return {
    type: 'modal',
    title: titleOf(submitted),
    close: plain('Close'),
    blocks: [{ type: 'section', text: md(`:white_check_mark: ${done}`) }],
  };
}

const MAX_BLOCKS = 100;
/** A form refused twice shows only the latest problems. */
const PROBLEMS_BLOCK = 'submission_problems';

/**
 * Refused after the answer: Slack can no longer show inline errors, so the
 * form comes back as it was (the same block and action ids, so Slack keeps
 * what was typed), headed by what is wrong, with its submit button.
 */
export function formWithProblems(submitted: ViewOutput, errors: Record<string, string>): ModalView {
  const labelOf = (blockId: string): string | null => {
    const block = submitted.blocks.find((b) => (b as { block_id?: string }).block_id === blockId) as { label?: { text?: string } } | undefined;
    return block?.label?.text ?? null;
  };
  const lines = Object.entries(errors).map(([blockId, message]) => {
    const label = labelOf(blockId);
    return `:warning: ${label ? `*${escapeAndTruncate(label, 200)}:* ` : ''}${escapeAndTruncate(message, 500)}`;
  });
  if (!lines.length) lines.push(':warning: This could not be done. Check the form and submit it again.');
  const problems: KnownBlock = { type: 'section', block_id: PROBLEMS_BLOCK, text: md(lines.join('\n').slice(0, 3000)) };
  const form = (submitted.blocks as KnownBlock[]).filter((b) => b.block_id !== PROBLEMS_BLOCK);
  return {
    type: 'modal',
    callback_id: submitted.callback_id,
    title: titleOf(submitted),
    ...(submitted.submit ? { submit: plain(submitted.submit.text) } : {}),
    close: plain(submitted.close?.text ?? 'Cancel'),
    private_metadata: submitted.private_metadata,
    blocks: [problems, ...form.slice(0, MAX_BLOCKS - 1)],
  };
}
