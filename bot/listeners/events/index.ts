import type { App } from '@slack/bolt';
import type { BotDeps } from '../../deps.js';
import { appHomeOpenedEvent } from './app-home-opened.event.js';

export function registerEvents(app: App, deps: BotDeps): void {
  app.event('app_home_opened', appHomeOpenedEvent(deps));
}
