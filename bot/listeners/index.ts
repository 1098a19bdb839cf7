import type { App } from '@slack/bolt';
import type { BotDeps } from '../deps.js';
import { registerActions } from './actions/index.js';
import { registerCommands } from './commands/index.js';
import { registerEvents } from './events/index.js';
import { ACTION } from '../ids.js';
import { coachOptions } from './options/coach-options.js';
import { registerViews } from './views/index.js';

export function registerListeners(app: App, deps: BotDeps): void {
  registerCommands(app, deps);
  registerActions(app, deps);
  registerViews(app, deps);
  registerEvents(app, deps);
  app.options({ action_id: ACTION.bookCoach }, coachOptions(deps));
}
