import { createHash } from 'node:crypto';
import type { ViewOutput } from '@slack/bolt';
import type { Core } from '../core/core.types.js';
import { isDomainError } from '../core/shared/errors.js';

/**
 * Slack redelivers a request it got no timely answer to (marked with
 * X-Slack-Retry-Num), and a captured request can be replayed for 5 minutes.
 * Deliveries are deduplicated in the database through core's idempotency
 * records, so a second process or a restart does not repeat a side effect.
 */

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * A submission is the view (id + hash) plus what was typed: a retry or replay
 * carries the same three; a corrected resubmission of the same modal does not.
 */
export function submissionKey(view: Pick<ViewOutput, 'id' | 'hash' | 'state'>): string {
  return sha256(JSON.stringify([view.id, view.hash, view.state.values]));
}

/** Thrown inside `onceForSubmission` when nothing was changed: the key is released so the coach can fix and resubmit. */
export class NothingChanged<R> extends Error {
  override readonly name = 'NothingChanged';
  constructor(readonly response: R) {
    super('the submission changed nothing');
  }
}

export type SubmissionOutcome<R> =
  | { kind: 'first'; response: R }
  | { kind: 'replayed'; response: R }
  | { kind: 'rejected'; response: R }
  /** Another delivery of the same submission is still being processed. */
  | { kind: 'in_progress' };

/**
 * Runs a submission's side effects once. The response (what the modal was
 * answered) is stored, so a retry gets the same answer without redoing the work.
 */
export async function onceForSubmission<R>(core: Core, scope: string, key: string, work: () => Promise<R>): Promise<SubmissionOutcome<R>> {
  try {
    const { result, replayed } = await core.idempotency.once(`slack.${scope}`, key, key, work);
    return replayed ? { kind: 'replayed', response: result } : { kind: 'first', response: result };
  } catch (error) {
    if (error instanceof NothingChanged) return { kind: 'rejected', response: error.response as R };
    if (isDomainError(error, 'idempotency.in_progress')) return { kind: 'in_progress' };
    throw error;
  }
}

/** True the first time a delivery is seen; false for a retry or replay of it. */
export async function isFirstDelivery(core: Core, scope: string, key: string): Promise<boolean> {
  try {
    const { replayed } = await core.idempotency.once(`slack.${scope}`, key, key, async () => true);
    return !replayed;
  } catch (error) {
    if (isDomainError(error, 'idempotency.in_progress')) return false;
    throw error;
  }
}
