import type { App } from '@slack/bolt';
import type { BotDeps } from '../../deps.js';
import { CALLBACK } from '../../ids.js';
import { addAvailabilitySubmission } from './add-availability.submission.js';
import { bookSessionSubmission } from './book-session.submission.js';
import { adminCancelSessionSubmission } from './admin-cancel-session.submission.js';
import { adminExportSubmission } from './admin-export.submission.js';
import { cancelSessionSubmission } from './cancel-session.submission.js';
import { editProfileSubmission } from './edit-profile.submission.js';
import { settingsSubmission } from './settings.submission.js';
import { extendSeriesSubmission } from './extend-series.submission.js';
import { rateSessionSubmission } from './rate-session.submission.js';

export function registerViews(app: App, deps: BotDeps): void {
  app.view(CALLBACK.addAvailability, addAvailabilitySubmission(deps));
  app.view(CALLBACK.cancelSession, cancelSessionSubmission(deps));
  app.view(CALLBACK.rateSession, rateSessionSubmission(deps));
  app.view(CALLBACK.editProfile, editProfileSubmission(deps));
  app.view(CALLBACK.bookSession, bookSessionSubmission(deps));
  app.view(CALLBACK.moveSession, bookSessionSubmission(deps));
  app.view(CALLBACK.adminCancelSession, adminCancelSessionSubmission(deps));
  app.view(CALLBACK.adminExport, adminExportSubmission(deps));
  app.view(CALLBACK.settings, settingsSubmission(deps));
  app.view(CALLBACK.extendSeries, extendSeriesSubmission(deps));
}
