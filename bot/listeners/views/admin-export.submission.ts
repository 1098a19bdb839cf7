import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { EXPORT_MAX_DAYS } from '../../../core/admin/admin.schema.js';
import { sessionsCsvBuffer } from '../../../core/admin/admin.csv.js';
import { DomainError } from '../../../core/shared/errors.js';
import type { BotDeps } from '../../deps.js';
import { ACTION, BLOCK } from '../../ids.js';
import { respondWith, sendDm, uploadToDm } from '../../send.js';
import { blockErrors } from '../../slack-errors.js';
import { noticeMessage } from '../../views/notice.view.js';
import { requireAdmin } from '../admin.js';
import { teamIdOf } from '../shared.js';
import { errorsResponse, parseMetadata, submitOnce, type SubmissionArgs } from './types.js';

const metadataSchema = z.object({ zone: z.string().min(1).max(64) });

/** The admin's days, both included, as the instants [from, to) core exports; a bad range names the field to fix. */
export function exportRangeFromDays(fromDay: string | null | undefined, toDay: string | null | undefined, zone: string): { from: Date; to: Date } {
  const issues: Array<{ path: string; message: string }> = [];
  const from = fromDay ? DateTime.fromISO(fromDay, { zone }) : null;
  const to = toDay ? DateTime.fromISO(toDay, { zone }) : null;
  if (!from?.isValid) issues.push({ path: 'from', message: 'Pick the first day.' });
  if (!to?.isValid) issues.push({ path: 'to', message: 'Pick the last day.' });
  if (from?.isValid && to?.isValid) {
    if (to < from) issues.push({ path: 'to', message: 'The last day must not come before the first.' });
    else if (to.diff(from, 'days').days + 1 > EXPORT_MAX_DAYS) issues.push({ path: 'to', message: `Pick at most ${EXPORT_MAX_DAYS} days.` });
  }
  if (issues.length) throw new DomainError('validation.failed', issues.map((i) => i.message).join(' '), { issues });
  return { from: from!.startOf('day').toJSDate(), to: to!.plus({ days: 1 }).startOf('day').toJSDate() };
}

/**
 * The export form: the range is checked before the form closes (errors
 * under the field); the file is built and sent by DM afterwards, so a year
 * of sessions never holds up Slack's 3 seconds.
 */
export function adminExportSubmission(deps: BotDeps) {
  return async ({ ack, body, view, client, context }: SubmissionArgs): Promise<void> => {
    const { core, logger, background } = deps;
    const metadata = parseMetadata(metadataSchema, view.private_metadata);
    const values = view.state.values;
    const fromDay = values[BLOCK.exportFrom]?.[ACTION.exportFrom]?.selected_date;
    const toDay = values[BLOCK.exportTo]?.[ACTION.exportTo]?.selected_date;
    const acting: { range: { from: Date; to: Date } | null; admin: Awaited<ReturnType<typeof requireAdmin>> | null } = { range: null, admin: null };
    const first = await submitOnce({
      core, logger, ack, client, view, context,
      done: 'Your export is being made. The CSV file arrives in your DM with the app.',
      scope: 'admin_export',
      errorsFor: (error) => blockErrors(error, { byPath: { from: BLOCK.exportFrom, to: BLOCK.exportTo }, fallbackBlock: BLOCK.exportTo }),
      work: async () => {
        acting.admin = await requireAdmin(deps, client, teamIdOf(body), body.user.id);
        acting.range = exportRangeFromDays(fromDay, toDay, metadata?.zone ?? acting.admin.zone);
        return null;
      },
    });
    const { range, admin } = acting;
    if (!first || !range || !admin) return;
    background.run('admin export', () => sendExport(deps, client, body.user.id, admin, range, { fromDay: fromDay!, toDay: toDay!, zone: metadata?.zone ?? admin.zone }));
  };
}

/** Builds the CSV and uploads it into the admin's DM; a failure is told by DM too. */
async function sendExport(
  deps: BotDeps,
  client: WebClient,
  userId: string,
  admin: Awaited<ReturnType<typeof requireAdmin>>,
  range: { from: Date; to: Date },
  label: { fromDay: string; toDay: string; zone: string },
): Promise<void> {
  const { core, logger } = deps;
  try {
    const rows = core.admin.exportSessions(range, admin.scope, admin.coachId ? { notesOfCoachId: admin.coachId } : {});
    const csv = await sessionsCsvBuffer(rows, { withNotes: admin.coachId !== null });
    await uploadToDm(client, userId, {
      filename: `sessions-${label.fromDay}-to-${label.toDay}.csv`,
      title: `Sessions ${label.fromDay} to ${label.toDay}`,
      content: csv,
      comment: `Sessions starting from ${label.fromDay} to ${label.toDay} (both days included, in ${label.zone}).${admin.coachId ? ' The notes column holds the notes of your own sessions only.' : ''}`,
    });
  } catch (error) {
    logger.error({ err: error }, 'Slack export failed');
    await sendDm(client, userId, noticeMessage('The export could not be made just now. Try again in a moment.'));
  }
}

/** `/availability export 2026-03-01 2026-03-31`: the same export without the form. */
export async function exportDirectly(
  deps: BotDeps,
  client: WebClient,
  input: { teamId: string; userId: string; fromDay: string | undefined; toDay: string | undefined; respond: RespondFn },
): Promise<void> {
  const admin = await requireAdmin(deps, client, input.teamId, input.userId);
  const day = /^\d{4}-\d{2}-\d{2}$/;
  if (!day.test(input.fromDay ?? '') || !day.test(input.toDay ?? '')) {
    throw new DomainError('validation.failed', 'Give the first and the last day, both included, like `/availability export 2026-03-01 2026-03-31`, or run `/availability export` for the form.');
  }
  const range = exportRangeFromDays(input.fromDay, input.toDay, admin.zone);
  await respondWith(input.respond, noticeMessage(`Preparing the sessions from ${input.fromDay} to ${input.toDay}: the CSV file arrives in your DM with the app.`));
  deps.background.run('admin export', () => sendExport(deps, client, input.userId, admin, range, { fromDay: input.fromDay!, toDay: input.toDay!, zone: admin.zone }));
}
