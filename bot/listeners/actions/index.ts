import type { App, BlockAction, ButtonAction, OverflowAction, StaticSelectAction } from '@slack/bolt';
import type { BotDeps } from '../../deps.js';
import { ACTION } from '../../ids.js';
import { adminHistoryAction, adminSessionMenuAction } from './admin-session-menu.action.js';
import { adminCoachSlotsAction, adminRemoveSlotAction } from './admin-slots.action.js';
import { homeModeAction } from './home-mode.action.js';
import { openExportAction } from './open-export.action.js';
import { homePageAction } from './home-page.action.js';
import { openAddAvailabilityAction } from './open-add-availability.action.js';
import { openCancelSessionAction } from './open-cancel-session.action.js';
import { openEditProfileAction } from './open-edit-profile.action.js';
import { openSettingsAction } from './open-settings.action.js';
import { openRateSessionAction } from './open-rate-session.action.js';
import { openExtendSeriesAction } from './open-extend-series.action.js';
import { removeSeriesRestAction } from './remove-series-rest.action.js';
import { reminderLeadAction } from './reminder-lead.action.js';
import { removeSlotAction } from './remove-slot.action.js';

export function registerActions(app: App, deps: BotDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.removeSlot, removeSlotAction(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.openCancelSession, openCancelSessionAction(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.openRateSession, openRateSessionAction(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.openAddAvailability, openAddAvailabilityAction(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.openEditProfile, openEditProfileAction(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.openSettings, openSettingsAction(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.openExtendSeries, openExtendSeriesAction(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.removeSeriesRest, removeSeriesRestAction(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.homePagePrev, homePageAction(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.homePageNext, homePageAction(deps));
  app.action<BlockAction<StaticSelectAction>>(ACTION.reminderLead, reminderLeadAction(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.homeMode, homeModeAction(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.openExport, openExportAction(deps));
  app.action<BlockAction<OverflowAction>>(ACTION.adminSessionMenu, adminSessionMenuAction(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.adminHistory, adminHistoryAction(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.adminCoachSlots, adminCoachSlotsAction(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.adminRemoveSlot, adminRemoveSlotAction(deps));
}
