import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Core } from '../core/core.types.js';
import type { BackgroundWork } from './background.js';
import type { HomePublisher } from './home-publisher.js';

/** What every listener may use. Listeners get Slack's client from Bolt; event handlers use `client`. */
export interface BotDeps {
  core: Core;
  logger: Logger;
  /** The app's own client (bot token), for work not triggered by a Slack request. */
  client: WebClient;
  home: HomePublisher;
  background: BackgroundWork;
  /** PUBLIC_BOOKING_URL, the host page with the widget; null when unset. */
  bookingUrl: string | null;
}
