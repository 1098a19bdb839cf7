import { App, ExpressReceiver, HTTPModuleFunctions, SocketModeReceiver, type AppOptions, type Receiver, type ReceiverProcessEventErrorHandlerArgs } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { Core } from '../core/core.types.js';
import type { SlackConfig } from './config.js';
import { AdminDirectory } from './admins.js';
import { BackgroundWork } from './background.js';
import { toBoltLogger } from './bolt-logger.js';
import type { BotDeps } from './deps.js';
import { listenForDomainEvents } from './domain-events.js';
import { HomePublisher } from './home-publisher.js';
import { registerListeners } from './listeners/index.js';
import { INSTALL_PATH, createInstaller, mountInstallRoutes } from './oauth.js';
import { installedClients, singleTokenClients, type SlackClients } from './slack-clients.js';
import { arrivalOf, noteArrival, refuseOutsideRequestWindow } from './request-window.js';
import { registerScheduledMessages } from './scheduled-messages.js';

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

  const { auth, clients } = await authorization(core, config, logger, boltLogger, clientOptions, expressApp);

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
    expressApp.post(SLACK_EVENTS_PATH, noteArrival(), refuseOutsideRequestWindow());
    receiver = new ExpressReceiver({
      signingSecret: config.signingSecret,
      app: expressApp,
      endpoints: SLACK_EVENTS_PATH,
      logger: boltLogger,
      // Answer Slack as soon as a listener acks; the listener carries on after.
      processBeforeResponse: false,
      processEventErrorHandler: refuseMalformedPayload,
      customPropertiesExtractor: arrivalOf,
    });
  }

  const app = new App({
    ...auth,
    receiver,
    logger: boltLogger,
    clientOptions,
    convoStore: false,
  });
  app.error(async (error) => {
    // A request from a workspace without an installation (uninstalled meanwhile) runs no listener; Bolt has acked it.
    if ((error as { code?: string }).code === 'slack_bolt_authorization_error') logger.warn({ reason: error.message }, 'Slack request from a workspace the app is not installed in');
    else logger.error({ err: error }, 'Slack listener failed');
  });

  const slackClients = clients ?? singleTokenClients(app.client);
  // Scheduled messages get a client of their own that reports a 429 instead of
  // sleeping through it, and does not retry: the job retries, by core's clock.
  // (With OAuth installs they use each workspace's client, which waits out a 429 itself.)
  const jobClients = config.botToken
    ? singleTokenClients(new WebClient(config.botToken, { ...clientOptions, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } }))
    : slackClients;
  registerScheduledMessages(core, jobClients);

  const background = new BackgroundWork(logger);
  const admins = new AdminDirectory(new Set(config.adminUserIds), core.clock);
  const deps: BotDeps = { core, logger, clients: slackClients, home: new HomePublisher(core, slackClients, logger, admins, config.bookingUrl), background, admins, bookingUrl: config.bookingUrl };
  registerListeners(app, deps);
  const unsubscribe = listenForDomainEvents(deps);

  // In HTTP mode the receiver already serves on the app's port; start() would open a second one.
  if (config.mode === 'socket') await app.start();
  const where = config.mode === 'socket' ? 'Socket Mode' : `HTTP at ${SLACK_EVENTS_PATH}`;
  const install = config.oauth ? `, installs at ${INSTALL_PATH}` : '';
  logger.info({ mode: config.mode, workspaces: config.oauth ? 'any (OAuth)' : 'one (SLACK_BOT_TOKEN)' }, `Slack app ready (${where}${install})`);

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

/**
 * A signed request whose payload is not an object (`payload=null`, a bare
 * number) makes Bolt fail before any listener runs; it is the sender's
 * mistake, so it gets a 400, not Bolt's 500.
 */
async function refuseMalformedPayload(args: ReceiverProcessEventErrorHandlerArgs): Promise<boolean> {
  const body = (args.request as { body?: unknown }).body;
  if (!args.response.headersSent && (typeof body !== 'object' || body === null || Array.isArray(body))) {
    args.response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
    args.response.end('The request payload must be a JSON object.');
    return false;
  }
  return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
}

type Auth = Pick<AppOptions, 'token' | 'botId' | 'botUserId' | 'authorize'>;

/**
 * How the app gets a workspace's token. One workspace: the bot token, checked
 * once with auth.test so a bad one stops the start with a clear line (and
 * Bolt, given the ids, need not look them up on every request). Any
 * workspace: each request's team is looked up in the installation store,
 * and the install pages are mounted.
 */
async function authorization(
  core: Core,
  config: SlackConfig,
  logger: Logger,
  boltLogger: ReturnType<typeof toBoltLogger>,
  clientOptions: WebClientOptions,
  expressApp: Express,
): Promise<{ auth: Auth; clients: SlackClients | null }> {
  if (config.oauth) {
    const installer = createInstaller(core, config.oauth, boltLogger, clientOptions);
    mountInstallRoutes(expressApp, installer, core, logger);
    return { auth: { authorize: installer.authorize }, clients: installedClients(installer, clientOptions) };
  }
  if (!config.botToken) throw new Error('Slack needs SLACK_BOT_TOKEN or SLACK_CLIENT_ID');
  const identity = await new WebClient(config.botToken, clientOptions).auth.test().catch((error: unknown) => {
    const reason = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
    throw new Error(`Slack refused the bot token (SLACK_BOT_TOKEN): ${reason}`, { cause: error });
  });
  if (!identity.user_id || !identity.bot_id) throw new Error('Slack auth.test did not return the bot user and bot ids');
  logger.info({ bot: identity.user, team: identity.team, teamId: identity.team_id }, 'Slack bot token accepted');
  return { auth: { token: config.botToken, botId: identity.bot_id, botUserId: identity.user_id }, clients: null };
}
