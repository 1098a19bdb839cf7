import { App, ExpressReceiver, SocketModeReceiver, type Receiver } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { Core } from '../core/core.types.js';
import type { SlackConfig } from './config.js';
import { BackgroundWork } from './background.js';
import { toBoltLogger } from './bolt-logger.js';
import type { BotDeps } from './deps.js';
import { listenForDomainEvents } from './domain-events.js';
import { HomePublisher } from './home-publisher.js';
import { registerListeners } from './listeners/index.js';
import { refuseOutsideRequestWindow } from './request-window.js';

export interface StartSlackBotOptions {
  core: Core;
  config: SlackConfig;
  logger: Logger;
  /** The process's Express app: in HTTP mode Slack posts to /slack/events on the same port. */
  expressApp: Express;
}

export const SLACK_EVENTS_PATH = '/slack/events';

/**
 * Starts the Slack app inside the running process. HTTP mode mounts Bolt's
 * receiver on the shared Express app (signature checked on every request,
 * its timestamp within 5 minutes either way); Socket Mode connects out to Slack instead, so
 * development needs no public URL.
 */
export async function startSlackBot({ core, config, logger, expressApp }: StartSlackBotOptions): Promise<{ stop(): Promise<void> }> {
  const boltLogger = toBoltLogger(logger);
  const clientOptions: WebClientOptions = {
    logger: boltLogger,
    // A user is waiting behind most calls: a few quick retries, not the SDK's default of ten over half an hour.
    retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 2_000 },
    timeout: 10_000,
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
  };

  // One auth.test here: a bad token stops the start with a clear line, and
  // Bolt, given the ids, need not look them up again on every request.
  const identity = await new WebClient(config.botToken, clientOptions).auth.test().catch((error: unknown) => {
    const reason = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
    throw new Error(`Slack refused the bot token (SLACK_BOT_TOKEN): ${reason}`, { cause: error });
  });
  if (!identity.user_id || !identity.bot_id) throw new Error('Slack auth.test did not return the bot user and bot ids');

  let receiver: Receiver;
  if (config.mode === 'socket') {
    if (!config.appToken) throw new Error('Socket Mode needs SLACK_APP_TOKEN');
    receiver = new SocketModeReceiver({
      appToken: config.appToken,
      logger: boltLogger,
      ...(config.apiUrl ? { installerOptions: { clientOptions: { slackApiUrl: config.apiUrl } } } : {}),
    });
  } else {
    if (!config.signingSecret) throw new Error('HTTP mode needs SLACK_SIGNING_SECRET');
    // Mounted before the receiver's router, which the receiver adds to the app as it is made.
    expressApp.post(SLACK_EVENTS_PATH, refuseOutsideRequestWindow());
    receiver = new ExpressReceiver({
      signingSecret: config.signingSecret,
      app: expressApp,
      endpoints: SLACK_EVENTS_PATH,
      logger: boltLogger,
      // Answer Slack as soon as a listener acks; the listener carries on after.
      processBeforeResponse: false,
    });
  }

  const app = new App({
    token: config.botToken,
    botId: identity.bot_id,
    botUserId: identity.user_id,
    receiver,
    logger: boltLogger,
    clientOptions,
    convoStore: false,
  });
  app.error(async (error) => {
    logger.error({ err: error }, 'Slack listener failed');
  });

  const background = new BackgroundWork(logger);
  const deps: BotDeps = { core, logger, client: app.client, home: new HomePublisher(core, app.client, logger, config.bookingUrl), background, bookingUrl: config.bookingUrl };
  registerListeners(app, deps);
  const unsubscribe = listenForDomainEvents(deps);

  // In HTTP mode the receiver already serves on the app's port; start() would open a second one.
  if (config.mode === 'socket') await app.start();
  logger.info({ mode: config.mode, bot: identity.user, team: identity.team }, `Slack app ready (${config.mode === 'socket' ? 'Socket Mode' : `HTTP at ${SLACK_EVENTS_PATH}`})`);

  let stopped: Promise<void> | null = null;
  return {
    stop: () =>
      (stopped ??= (async () => {
        unsubscribe();
        if (config.mode === 'socket') await app.stop();
        await background.stop();
      })()),
  };
}
