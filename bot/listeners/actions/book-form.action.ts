import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { loadBookingForm } from '../../booking-form.js';
import type { BotDeps } from '../../deps.js';
import { ACTION } from '../../ids.js';
import { updateView } from '../../send.js';
import { ANY_COACH, bookSessionModal, type BookingFormMetadata } from '../../views/book-session.view.js';
import { parseMetadata } from '../views/types.js';
import { ownCoachId } from '../student.js';
import { teamIdOf } from '../shared.js';

export const bookingFormMetadataSchema = z.object({
  tz: z.string().min(1).max(64),
  coachId: z.string().regex(/^[0-9a-f]{24}$/).nullable(),
  coachName: z.string().max(200).nullable(),
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  askPhone: z.boolean(),
  move: z.string().regex(/^[0-9a-f]{24}$/).optional(),
}) satisfies z.ZodType<BookingFormMetadata>;

type SelectArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/**
 * A coach or a day picked in "Book a session" / "Move session"
 * (dispatch_action): the form is updated with the days and times that
 * follow. The view's hash makes Slack drop an update that a later pick has
 * overtaken, so fast clicking never shows stale times.
 */
export function bookFormSelectAction(deps: BotDeps) {
  return async ({ ack, body, action, client }: SelectArgs): Promise<void> => {
    await ack();
    const view = body.view;
    if (!view) return;
    const metadata = parseMetadata(bookingFormMetadataSchema, view.private_metadata);
    if (!metadata) return;
    const picked = 'selected_option' in action ? (action.selected_option as { value?: string; text: { text: string } } | null) : null;
    const value = picked?.value ?? null;
    const next: BookingFormMetadata = { ...metadata };
    if (action.action_id === ACTION.bookCoach) {
      next.coachId = value && value !== ANY_COACH && /^[0-9a-f]{24}$/.test(value) ? value : null;
      next.coachName = next.coachId ? picked?.text.text ?? null : null;
      next.day = null;
    } else if (action.action_id === ACTION.bookDay) {
      next.day = value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null;
    } else return;
    try {
      const teamId = teamIdOf(body);
      const form = await loadBookingForm(deps.core, next, { scope: { teamId }, excludeCoachId: await ownCoachId(deps, teamId, body.user.id) });
      await updateView(client, { viewId: view.id, hash: view.hash }, bookSessionModal(form));
    } catch (error) {
      // hash_conflict: a newer pick is already being shown; anything else leaves the form as it was.
      if ((error as { data?: { error?: string } }).data?.error !== 'hash_conflict') deps.logger.error({ err: error }, 'updating the booking form failed');
    }
  };
}
