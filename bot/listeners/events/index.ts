import type { App } from '@slack/bolt';
import type { BotDeps } from '../../deps.js';
import { appHomeOpenedEvent } from './app-home-opened.event.js';
import { appUninstalledEvent } from './app-uninstalled.event.js';
import { tokensRevokedEvent } from './tokens-revoked.event.js';

export function registerEvents(app: App, deps: BotDeps): void {
  app.event('app_home_opened', appHomeOpenedEvent(deps));
  app.event('app_uninstalled', appUninstalledEvent(deps));
  app.event('tokens_revoked', tokensRevokedEvent(deps));
}
