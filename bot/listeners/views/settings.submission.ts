import { isDomainError } from '../../../core/shared/errors.js';
import type { BotDeps } from '../../deps.js';
import { ACTION, BLOCK } from '../../ids.js';
import { blockErrors } from '../../slack-errors.js';
import { parseReminderChoice } from '../../views/home.view.js';
import { requireCoach, teamIdOf } from '../shared.js';
import { answerInTime } from './answer-in-time.js';
import { errorsResponse, inputValue, type SubmissionArgs, type SubmissionResponse } from './types.js';

const FIELDS = { bufferMinutes: BLOCK.settingsBuffer, dailyCap: BLOCK.settingsDailyCap, minNoticeHours: BLOCK.settingsNotice };

/** Saving settings is idempotent (the same values twice leave the same settings); App Home follows coach.updated. */
export function settingsSubmission(deps: BotDeps) {
  return async ({ ack, body, view, client, context }: SubmissionArgs): Promise<void> => {
    const { core, logger } = deps;
    const values = view.state.values;
    const selected = (block: string, action: string) => values[block]?.[action]?.selected_option?.value ?? '';
    const buffer = Number(selected(BLOCK.settingsBuffer, ACTION.settingsBuffer) || '0');
    const cap = selected(BLOCK.settingsDailyCap, ACTION.settingsDailyCap);
    const notice = inputValue(values, BLOCK.settingsNotice, ACTION.settingsNotice);
    // Absent from a modal opened before the field existed: leave the reminder as it is.
    const reminder = parseReminderChoice(selected(BLOCK.settingsReminder, ACTION.settingsReminder) || undefined);
    if (notice && !/^\d{1,3}$/.test(notice)) {
      await ack(errorsResponse({ [BLOCK.settingsNotice]: 'Enter a whole number of hours, or leave it empty.' }));
      return;
    }
    const answer = (async (): Promise<SubmissionResponse> => {
      try {
        const coach = await requireCoach(core, teamIdOf(body), body.user.id);
        await core.coaches.updateSettings(coach.id, {
          bufferMinutes: buffer as 0 | 15 | 30,
          dailyCap: cap === '' || cap === 'none' ? null : Number(cap),
          minNoticeHours: notice ? Number(notice) : null,
        });
        if (reminder !== undefined && reminder !== coach.reminderMinutesBefore) await core.coaches.setReminder(coach.id, { reminderMinutesBefore: reminder });
        return null;
      } catch (error) {
        if (!isDomainError(error)) logger.error({ err: error }, 'settings failed');
        return errorsResponse(blockErrors(error, { byPath: FIELDS, byCode: {}, fallbackBlock: BLOCK.settingsBuffer }));
      }
    })();
    await answerInTime({ ack, client, view, context, logger, done: 'Your settings are saved.', answer });
  };
}
