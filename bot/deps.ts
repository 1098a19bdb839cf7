import type { Logger } from 'pino';
import type { Core } from '../core/core.types.js';
import type { AdminDirectory } from './admins.js';
import type { BackgroundWork } from './background.js';
import type { HomePublisher } from './home-publisher.js';
import type { SlackClients } from './slack-clients.js';

/** What every listener may use. Listeners get the request's Slack client from Bolt; domain-event handlers use `clients`. */
export interface BotDeps {
  core: Core;
  logger: Logger;
  /** A workspace's client (its bot token), for work not triggered by a Slack request. */
  clients: SlackClients;
  home: HomePublisher;
  background: BackgroundWork;
  /** PUBLIC_BOOKING_URL, the host page with the widget; null when unset. */
  bookingUrl: string | null;
  /** Who may see and change the whole workspace's schedule. */
  admins: AdminDirectory;
}
