import type { App, BlockAction, ButtonAction, StaticSelectAction } from '@slack/bolt';
import type { BotDeps } from '../../deps.js';
import { ACTION } from '../../ids.js';
import { bookFormSelectAction } from './book-form.action.js';
import { openStudentHistoryAction, shareBookingLinkAction } from './coach-extras.action.js';
import { homePageAction } from './home-page.action.js';
import { linkButtonAction, openBookSessionAction, studentCancelAction, studentMoveAction } from './student-session.action.js';
import { openAddAvailabilityAction } from './open-add-availability.action.js';
import { openCancelSessionAction } from './open-cancel-session.action.js';
import { openEditProfileAction } from './open-edit-profile.action.js';
import { openSettingsAction } from './open-settings.action.js';
import { openRateSessionAction } from './open-rate-session.action.js';
import { reminderLeadAction } from './reminder-lead.action.js';
import { removeSlotAction } from './remove-slot.action.js';

export function registerActions(app: App, deps: BotDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.removeSlot, removeSlotAction(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.openCancelSession, openCancelSessionAction(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.openRateSession, openRateSessionAction(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.openAddAvailability, openAddAvailabilityAction(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.openEditProfile, openEditProfileAction(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.openBookSession, openBookSessionAction(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.studentCancel, studentCancelAction(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.studentMove, studentMoveAction(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.openStudentHistory, openStudentHistoryAction(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.shareBookingLink, shareBookingLinkAction(deps));
  for (const link of [ACTION.addToGoogleCalendar, ACTION.addToOutlook, ACTION.openBookingLink]) app.action<BlockAction<ButtonAction>>(link, linkButtonAction());
  app.action(ACTION.bookCoach, bookFormSelectAction(deps));
  app.action(ACTION.bookDay, bookFormSelectAction(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.openSettings, openSettingsAction(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.homePagePrev, homePageAction(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.homePageNext, homePageAction(deps));
  app.action<BlockAction<StaticSelectAction>>(ACTION.reminderLead, reminderLeadAction(deps));
}
