import type { KnownBlock } from '@slack/types';

/** A chat message as the app sends it: fallback text for notifications plus blocks. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}
