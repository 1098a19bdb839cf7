import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from './views/message.js';

/** Opens (or finds) the app's DM with a user and posts there. Needs `im:write` and `chat:write`. */
export async function sendDm(client: WebClient, slackUserId: string, message: SlackMessage): Promise<{ channel: string; ts: string }> {
  const opened = await client.conversations.open({ users: slackUserId });
  const channel = opened.channel?.id;
  if (!channel) throw new Error(`conversations.open returned no channel for ${slackUserId}`);
  const posted = await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks });
  return { channel, ts: posted.ts ?? '' };
}
