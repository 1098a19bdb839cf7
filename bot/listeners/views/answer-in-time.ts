import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { checkedView, updateView } from '../../send.js';
import { finishedModal, formWithProblems, stillWorkingModal } from '../../views/submission-progress.view.js';
import type { SubmissionArgs, SubmissionResponse } from './types.js';

/**
 * Slack waits 3 s for the answer to a submission, counted on its side, so
 * the network comes out of it too. Counted from the request's arrival
 * (`context.receivedAt`, stamped before Bolt reads the body), or from the
 * listener's start where there is no HTTP request (Socket Mode): work still
 * running then is answered with a "still working" modal, and its result
 * replaces that modal when it comes.
 */
export const ANSWER_WITHIN_MS = 2_000;

/**
 * Slack applies the acknowledged view on its side; an update sent right
 * behind it could be applied first and then be overwritten by "still working".
 */
const AFTER_ACK_MS = 300;

export interface AnswerInTime {
  ack: SubmissionArgs['ack'];
  client: WebClient;
  view: SubmissionArgs['view'];
  context: SubmissionArgs['context'];
  logger: Logger;
  /** Said in the modal when the work finished after the answer and the modal would have closed: "Your rating is saved." */
  done: string;
  /** What the modal is answered with; never rejects (the caller turns failures into inline errors). */
  answer: Promise<SubmissionResponse>;
  withinMs?: number;
}

/**
 * Answers a submission with its result when the result comes in time,
 * and otherwise keeps Slack's deadline: "still working" at once, then the
 * result by views.update (another view, a form that says what is wrong,
 * or `done` in words). Resolves with the result, once it is known.
 */
export async function answerInTime(input: AnswerInTime): Promise<SubmissionResponse> {
  const { ack, client, view, context, logger, done, withinMs = ANSWER_WITHIN_MS } = input;
  const since = typeof context.receivedAt === 'number' ? context.receivedAt : Date.now();
  const answer = input.answer.catch((error: unknown): SubmissionResponse => {
    logger.error({ err: error, callbackId: view.callback_id }, 'Slack submission failed');
    return { response_action: 'update', view: formWithProblems(view, { '': 'Something went wrong on our side. Try again in a moment.' }) };
  });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), Math.max(0, since + withinMs - Date.now()))));
  const first = await Promise.race([answer, late]);
  clearTimeout(timer);
  if (first !== 'late') {
    await ack(first?.response_action === 'update' ? { ...first, view: checkedView(first.view as ModalView, 'response_action update') } : (first ?? undefined));
    return first;
  }

  await ack({ response_action: 'update', view: checkedView(stillWorkingModal(view), 'response_action update') });
  const acked = Date.now();
  const response = await answer;
  const wait = acked + AFTER_ACK_MS - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const next = response === null
    ? finishedModal(view, done)
    : response.response_action === 'update'
      ? (response.view as ModalView)
      : formWithProblems(view, response.errors);
  try {
    await updateView(client, { viewId: view.id }, next);
  } catch (error) {
    // Closed meanwhile (not_found): what the work did stands, and its DMs still go.
    logger.warn({ err: error, callbackId: view.callback_id }, 'could not show a late submission result');
  }
  return response;
}
