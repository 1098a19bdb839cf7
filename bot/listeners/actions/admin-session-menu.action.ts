import type { AllMiddlewareArgs, BlockAction, OverflowAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../deps.js';
import { parseSessionMenuValue } from '../../views/admin-home.view.js';
import { openAdminCancel, openHistory } from '../admin.js';
import { errorNotice, tellUser } from '../shared.js';
import type { ButtonArgs } from './types.js';

type OverflowArgs = SlackActionMiddlewareArgs<BlockAction<OverflowAction>> & AllMiddlewareArgs;

/** The menu on a session in the admin's App Home: Cancel session… or History. */
export function adminSessionMenuAction(deps: BotDeps) {
  return async ({ ack, body, action, client, respond }: OverflowArgs): Promise<void> => {
    await ack();
    try {
      const choice = parseSessionMenuValue(action.selected_option?.value);
      if (!choice) return;
      if (choice.what === 'cancel') await openAdminCancel(deps, client, body, choice.bookingId);
      else await openHistory(deps, client, body, choice.bookingId);
    } catch (error) {
      await tellUser(client, body, respond, errorNotice(deps, error, 'admin session menu'));
    }
  };
}

/** History on a session that can no longer be cancelled (started, or in the unrated list). */
export function adminHistoryAction(deps: BotDeps) {
  return async ({ ack, body, action, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    try {
      await openHistory(deps, client, body, action.value ?? '');
    } catch (error) {
      await tellUser(client, body, respond, errorNotice(deps, error, 'admin history'));
    }
  };
}
