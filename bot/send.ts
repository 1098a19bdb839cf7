import type { RespondFn } from '@slack/bolt';
import type { HomeView, ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { assertMessageWithinLimits, assertViewWithinLimits } from './views/limits.js';
import type { SlackMessage } from './views/message.js';

/**
 * The one way the app shows anything in Slack. Every message and view is
 * checked against Slack's Block Kit limits here, before it leaves: a
 * builder that would break one fails loudly in our logs (LimitsError, with
 * the path of each violation) instead of Slack answering `invalid_blocks`
 * after the fact. test/bot/send-path.test.ts keeps other files from calling
 * chat.*, views.*, respond or a response_url directly.
 */

/** A message for an ack body or respond(): checked, returned as is. */
export function checked<M extends Partial<SlackMessage>>(message: M, what = 'message'): M {
  assertMessageWithinLimits(message, what);
  return message;
}

/** A view for an ack body (`response_action: "update"`): checked, returned as is. */
export function checkedView<V extends ModalView>(view: V, what = 'view'): V {
  assertViewWithinLimits(view, what);
  return view;
}

export async function postMessage(client: WebClient, channel: string, message: SlackMessage): Promise<{ channel: string; ts: string }> {
  checked(message, 'chat.postMessage');
  const posted = await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks });
  return { channel: posted.channel ?? channel, ts: posted.ts ?? '' };
}

export async function updateMessage(client: WebClient, at: { channel: string; ts: string }, message: SlackMessage): Promise<void> {
  checked(message, 'chat.update');
  await client.chat.update({ channel: at.channel, ts: at.ts, text: message.text, blocks: message.blocks });
}

/** Opens (or finds) the app's DM with a user and posts there. Needs `im:write` and `chat:write`. */
export async function sendDm(client: WebClient, slackUserId: string, message: SlackMessage): Promise<{ channel: string; ts: string }> {
  checked(message, 'DM');
  const opened = await client.conversations.open({ users: slackUserId });
  const channel = opened.channel?.id;
  if (!channel) throw new Error(`conversations.open returned no channel for ${slackUserId}`);
  return postMessage(client, channel, message);
}

export async function openView(client: WebClient, triggerId: string, view: ModalView): Promise<{ id: string; hash: string }> {
  assertViewWithinLimits(view, 'views.open');
  const opened = await client.views.open({ trigger_id: triggerId, view });
  return { id: opened.view?.id ?? '', hash: opened.view?.hash ?? '' };
}

export async function pushView(client: WebClient, triggerId: string, view: ModalView): Promise<void> {
  assertViewWithinLimits(view, 'views.push');
  await client.views.push({ trigger_id: triggerId, view });
}

/** `hash` makes Slack refuse the update if the view changed meanwhile (hash_conflict), so a slow update cannot undo a newer one. */
export async function updateView(client: WebClient, at: { viewId: string; hash?: string | undefined }, view: ModalView): Promise<void> {
  assertViewWithinLimits(view, 'views.update');
  await client.views.update({ view_id: at.viewId, ...(at.hash ? { hash: at.hash } : {}), view });
}

export async function publishHome(client: WebClient, userId: string, view: HomeView): Promise<void> {
  assertViewWithinLimits(view, 'views.publish');
  await client.views.publish({ user_id: userId, view });
}

/**
 * Uploads a file into the app's DM with a user: files.getUploadURLExternal,
 * the bytes to the URL it gives, files.completeUploadExternal (what
 * filesUploadV2 does). Needs `files:write`.
 */
export async function uploadToDm(client: WebClient, slackUserId: string, file: { filename: string; title: string; content: Buffer; comment: string }): Promise<void> {
  checked({ text: file.comment }, 'file comment');
  const opened = await client.conversations.open({ users: slackUserId });
  const channel = opened.channel?.id;
  if (!channel) throw new Error(`conversations.open returned no channel for ${slackUserId}`);
  await client.filesUploadV2({ channel_id: channel, filename: file.filename, title: file.title, file: file.content, initial_comment: file.comment });
}

/** A reply through Bolt's respond() (the response_url of the request being handled). */
export async function respondWith(respond: RespondFn, message: SlackMessage & { replace_original?: boolean }): Promise<void> {
  checked(message, 'respond');
  await respond({ response_type: 'ephemeral', ...message });
}

/**
 * Posts to a response_url kept from an earlier interaction (a modal opened
 * from an ephemeral reply): the only way to replace that reply later.
 */
export async function postToResponseUrl(url: string, message: SlackMessage & { replace_original?: boolean }): Promise<void> {
  checked(message, 'response_url');
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', ...message }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`response_url answered ${response.status}`);
}
