import { DomainError, isDomainError } from '../../../core/shared/errors.js';
import type { WorkspaceScope } from '../../../core/shared/scope.js';
import { loadBookingForm, slotsForChoice } from '../../booking-form.js';
import type { BotDeps } from '../../deps.js';
import { ACTION, BLOCK } from '../../ids.js';
import { blockErrors } from '../../slack-errors.js';
import { ANY_COACH, bookSessionModal, type BookingFormMetadata } from '../../views/book-session.view.js';
import { formatSessionTime } from '../../views/format.js';
import { bookingFormMetadataSchema } from '../actions/book-form.action.js';
import { teamIdOf } from '../shared.js';
import { ownCoachId, requireStudent } from '../student.js';
import { errorsResponse, inputValue, parseMetadata, submitOnce, type StateValues, type SubmissionArgs, type SubmissionResponse } from './types.js';

/** Someone else got the time first (or the coach took it down): worth fresh times, not an error. */
const LOST = new Set(['slot.taken', 'slot.not_open', 'slot.held']);

/** The value of the one select whose block id starts with `prefix` (block ids carry what they depend on). */
function selected(values: StateValues, prefix: string, action: string): { blockId: string; value: string | null } | null {
  const blockId = Object.keys(values).find((id) => id === prefix || id.startsWith(`${prefix}:`));
  if (!blockId) return null;
  return { blockId, value: values[blockId]?.[action]?.selected_option?.value ?? null };
}

/**
 * Submitting "Book a session" or "Move session". The booking goes through
 * core like the widget's (notice, overlaps, one booking per slot). When the
 * time was taken while the form was open, the form comes back with fresh
 * times and says so; for "any coach" every coach with that time is tried
 * first. The DMs and App Home follow from core's events.
 */
export function bookSessionSubmission(deps: BotDeps) {
  return async ({ ack, body, view, client, context }: SubmissionArgs): Promise<void> => {
    const { core, logger } = deps;
    const metadata = parseMetadata(bookingFormMetadataSchema, view.private_metadata);
    if (!metadata) {
      await ack(errorsResponse({ [BLOCK.bookCoach]: 'This form is out of date. Close it and run /coaching again.' }));
      return;
    }
    const values = view.state.values;
    const coachKey = metadata.coachId ?? ANY_COACH;
    const day = selected(values, `${BLOCK.bookDay}:${coachKey}`, ACTION.bookDay);
    const time = selected(values, `${BLOCK.bookTime}:${coachKey}`, ACTION.bookTime);
    const errors: Record<string, string> = {};
    if (!day) errors[metadata.move ? BLOCK.bookPhone : BLOCK.bookCoach] = 'There are no open times to pick from. Close the form and try again later.';
    else if (!day.value) errors[day.blockId] = 'Pick a day.';
    else if (!time) errors[day.blockId] = 'Pick a day with open times.';
    else if (!time.value) errors[time.blockId] = 'Pick a time.';
    const phone = metadata.askPhone ? inputValue(values, BLOCK.bookPhone, ACTION.bookPhone) : null;
    if (metadata.askPhone && !phone) errors[BLOCK.bookPhone] = 'Enter your phone number so your coach can reach you.';
    if (Object.keys(errors).length || !time?.value) {
      await ack(errorsResponse(errors));
      return;
    }
    const teamId = teamIdOf(body);
    const scope: WorkspaceScope = { teamId };
    const timeBlock = time.blockId;
    const choice = time.value;

    await submitOnce({
      core, logger, ack, client, view, context,
      done: metadata.move ? 'Your session is moved. The new time is on its way to your DMs.' : 'You are booked. The details are on their way to your DMs.',
      scope: metadata.move ? 'move_session' : 'book_session',
      errorsFor: (error) => blockErrors(error, { byCode: { 'phone.invalid': BLOCK.bookPhone }, byPath: { phone: BLOCK.bookPhone }, fallbackBlock: timeBlock }),
      work: async (): Promise<SubmissionResponse> => {
        const { student } = await requireStudent(deps, teamId, body.user.id);
        if (phone) await core.students.setSlackPhone(teamId, body.user.id, phone);
        const excludeCoachId = await ownCoachId(deps, teamId, body.user.id);
        const candidates = await slotsForChoice(core, choice, { scope, excludeCoachId });
        let lost: unknown = null;
        for (const slotId of candidates) {
          try {
            if (metadata.move) await core.bookings.reschedule({ kind: 'student', studentId: student.id }, metadata.move, { slotId }, scope);
            else await core.bookings.book(student.id, { slotId }, scope);
            return null;
          } catch (error) {
            if (!isDomainError(error) || !LOST.has(error.code)) throw error;
            lost = error;
          }
        }
        if (!lost && candidates.length === 0 && !/^at:/.test(choice)) throw new DomainError('slot.not_found', 'That time is not on offer any more. Pick another.');
        // Lost the race: the same form again, with what is still open on that day.
        const chosenAt = /^at:(\d+)$/.exec(choice)?.[1];
        const slot = chosenAt ? null : await core.slots.get(choice).catch(() => null);
        const startsAt = chosenAt ? new Date(Number(chosenAt)) : slot?.startsAt;
        const label = startsAt ? formatSessionTime(startsAt, new Date(startsAt.getTime() + 7_200_000), metadata.tz) : 'That time';
        const next: BookingFormMetadata = { ...metadata, askPhone: metadata.askPhone && !phone };
        const current = metadata.move ? await core.bookings.getForStudent(student.id, metadata.move, scope) : null;
        const form = await loadBookingForm(core, next, {
          scope, excludeCoachId,
          notice: `${label} is no longer open: someone else booked it a moment ago, or the coach took it down. Pick another time from the fresh list.`,
          current,
        });
        return { response_action: 'update', view: bookSessionModal(form) };
      },
    });
  };
}
