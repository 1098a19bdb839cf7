import type { App } from '@slack/bolt';
import type { BotDeps } from '../../deps.js';
import { COMMAND, STUDENT_COMMAND } from '../../views/help.view.js';
import { coachingCommand } from './coaching.command.js';
import { availabilityCommand } from './availability.command.js';

export function registerCommands(app: App, deps: BotDeps): void {
  app.command(COMMAND, availabilityCommand(deps));
  app.command(STUDENT_COMMAND, coachingCommand(deps));
}
