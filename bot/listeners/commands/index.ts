import type { App } from '@slack/bolt';
import type { BotDeps } from '../../deps.js';
import { COMMAND } from '../../views/help.view.js';
import { availabilityCommand } from './availability.command.js';

export function registerCommands(app: App, deps: BotDeps): void {
  app.command(COMMAND, availabilityCommand(deps));
}
