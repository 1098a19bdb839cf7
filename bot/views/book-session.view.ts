import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { DateTime } from 'luxon';
import { ACTION, BLOCK, CALLBACK } from '../ids.js';
import { escapeAndTruncate, escapeMrkdwn, md, plain } from '../mrkdwn.js';
import { formatSessionTime, formatZone, inZone } from './format.js';

/** "Any coach": a time is then booked with whichever coach still has it open. */
export const ANY_COACH = 'any';

/** The option Slack shows for a coach in the picker; text is plain, at most 75 characters. */
export function coachOption(coach: { id: string; name: string } | null): PlainTextOption {
  return coach ? { text: plain(coach.name.length > 75 ? `${coach.name.slice(0, 74)}…` : coach.name), value: coach.id } : { text: plain('Any coach'), value: ANY_COACH };
}

/** One bookable time of the chosen day: a slot of the chosen coach, or a start time several coaches may have. */
export interface TimeChoice {
  /** A slot id, or `at:<epoch ms>` for "any coach". */
  value: string;
  startsAt: Date;
  endsAt: Date;
  /** For "any coach": how many coaches have this time open. */
  coaches?: number;
}

export const anyCoachTimeValue = (startsAt: Date) => `at:${startsAt.getTime()}`;

/** What the form was showing, carried in private_metadata so each change and the submission can rebuild it. */
export interface BookingFormMetadata {
  tz: string;
  coachId: string | null;
  coachName: string | null;
  day: string | null;
  askPhone: boolean;
  /** Moving a session: its id; the coach is fixed. */
  move?: string;
}

export interface BookingFormInput {
  metadata: BookingFormMetadata;
  now: Date;
  /** Days (yyyy-MM-dd in the student's zone) with at least one bookable time. */
  days: string[];
  times: TimeChoice[];
  /** A sentence shown above the times, e.g. after someone else took the one picked. */
  notice?: string | null;
  /** For a move: the session's current time, shown at the top. */
  current?: { startsAt: Date; endsAt: Date } | null;
  /** How far ahead days are listed. */
  windowDays: number;
}

/** A calendar day as the student reads it: "Tue 3 Mar". */
const dayLabel = (day: string) => DateTime.fromISO(day).setLocale('en-GB').toFormat('ccc d LLL');

/**
 * Book a session (or move one): coach, then day, then time, each a select
 * whose change (dispatch_action) makes the app update the form with the
 * choices that follow from it. Block ids carry the choice they depend on,
 * so Slack forgets a day or time picked for another coach.
 */
export function bookSessionModal(input: BookingFormInput): ModalView {
  const { metadata, now, days, times, notice, current, windowDays } = input;
  const zone = metadata.tz;
  const coachKey = metadata.coachId ?? ANY_COACH;
  const moving = Boolean(metadata.move);
  const blocks: KnownBlock[] = [
    { type: 'context', elements: [md(`:earth_africa: Times are in *${escapeMrkdwn(formatZone(zone, now))}*, the time zone of your Slack profile. Each session is 2 hours.`)] },
  ];
  if (moving && current) {
    blocks.push({ type: 'section', text: md(`Your session with *${escapeAndTruncate(metadata.coachName ?? 'your coach', 200)}* is now on *${formatSessionTime(current.startsAt, current.endsAt, zone)}*. Pick the new time; the old one is kept until the new one is yours.`) });
  } else {
    blocks.push({
      type: 'input',
      block_id: BLOCK.bookCoach,
      dispatch_action: true,
      label: plain('Coach'),
      hint: plain('Type to search by name, or keep "Any coach" to see every open time.'),
      element: {
        type: 'external_select',
        action_id: ACTION.bookCoach,
        min_query_length: 0,
        placeholder: plain('Any coach'),
        initial_option: coachOption(metadata.coachId ? { id: metadata.coachId, name: metadata.coachName ?? 'Coach' } : null),
      },
    });
  }
  if (!days.length) {
    blocks.push({ type: 'section', text: md(`_No open times in the next ${windowDays} days${metadata.coachId ? ' with this coach. Try "Any coach"' : ''}._`) });
  } else {
    blocks.push({
      type: 'input',
      block_id: `${BLOCK.bookDay}:${coachKey}`,
      dispatch_action: true,
      label: plain('Day'),
      element: {
        type: 'static_select',
        action_id: ACTION.bookDay,
        placeholder: plain('Pick a day'),
        options: days.slice(0, 100).map((day) => ({ text: plain(dayLabel(day)), value: day })),
        ...(metadata.day && days.includes(metadata.day) ? { initial_option: { text: plain(dayLabel(metadata.day)), value: metadata.day } } : {}),
      },
    });
  }
  if (notice) blocks.push({ type: 'context', elements: [md(`:warning: ${escapeAndTruncate(notice, 500)}`)] });
  if (metadata.day && days.includes(metadata.day)) {
    if (!times.length) blocks.push({ type: 'section', text: md('_No open times left on that day. Pick another day._') });
    else {
      blocks.push({
        type: 'input',
        block_id: `${BLOCK.bookTime}:${coachKey}:${metadata.day}`,
        label: plain('Time'),
        element: {
          type: 'static_select',
          action_id: ACTION.bookTime,
          placeholder: plain('Pick a time'),
          options: times.slice(0, 100).map((time) => ({
            text: plain(`${inZone(time.startsAt, zone).toFormat('HH:mm')}–${inZone(time.endsAt, zone).toFormat('HH:mm')}${time.coaches && time.coaches > 1 ? ` · ${time.coaches} coaches` : ''}`),
            value: time.value,
          })),
        },
      });
    }
  }
  if (metadata.askPhone) {
    blocks.push({
      type: 'input',
      block_id: BLOCK.bookPhone,
      label: plain('Your phone number'),
      hint: plain('Your Slack profile has none. Your coach sees it once you book. Use the international format, e.g. +44 20 7946 0958.'),
      element: { type: 'plain_text_input', action_id: ACTION.bookPhone, max_length: 40, placeholder: plain('+44 20 7946 0958') },
    });
  }
  blocks.push({ type: 'context', elements: [md(moving ? 'Moving keeps your session with the same coach.' : 'You get a DM with your coach\'s phone number and buttons to cancel or move the session.')] });
  return {
    type: 'modal',
    callback_id: moving ? CALLBACK.moveSession : CALLBACK.bookSession,
    title: plain(moving ? 'Move session' : 'Book a session'),
    submit: plain(moving ? 'Move' : 'Book'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}
