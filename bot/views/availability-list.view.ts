import type { Button, KnownBlock } from '@slack/types';
import type { CoachSession } from '../../core/bookings/booking.schema.js';
import type { Slot } from '../../core/slots/slot.schema.js';
import type { Page } from '../../core/shared/time.schema.js';
import { ACTION } from '../ids.js';
import { escapeAndTruncate, escapeMrkdwn, md, plain } from '../mrkdwn.js';
import { formatPhone, formatSessionTime, formatZone } from './format.js';
import type { SlackMessage } from './message.js';
import { cancelSessionButton } from './session-message.view.js';

/** 20 + 20 items keeps the reply under a message's 50 blocks with headers and "more" lines. */
export const LIST_PAGE_SIZE = 20;

export const removeSlotButton = (slot: Slot, zone: string): Button => ({
  type: 'button',
  action_id: ACTION.removeSlot,
  text: plain('Remove'),
  value: slot.id,
  confirm: {
    title: plain('Remove this slot?'),
    text: plain(`${formatSessionTime(slot.startsAt, slot.endsAt, zone)} will no longer be bookable.`),
    confirm: plain('Remove'),
    deny: plain('Keep it'),
    style: 'danger',
  },
});

const more = (page: Page<unknown>) =>
  page.total > page.items.length
    ? [{ type: 'context' as const, elements: [md(`…and ${page.total - page.items.length} more. Your App Home pages through all of them.`)] }]
    : [];

/** The ephemeral reply to `/availability list`. */
export function availabilityList(input: { open: Page<Slot>; booked: Page<CoachSession>; zone: string; now: Date }): SlackMessage {
  const { open, booked, zone, now } = input;
  const blocks: KnownBlock[] = [
    { type: 'context', elements: [md(`Your upcoming availability. Times in ${escapeMrkdwn(formatZone(zone, now))}.`)] },
    { type: 'section', text: md(`*Open slots* (${open.total})`) },
  ];
  if (!open.items.length) blocks.push({ type: 'section', text: md('No open slots. Run `/availability` to add some.') });
  for (const slot of open.items) {
    blocks.push({ type: 'section', text: md(formatSessionTime(slot.startsAt, slot.endsAt, zone)), accessory: removeSlotButton(slot, zone) });
  }
  blocks.push(...more(open), { type: 'divider' }, { type: 'section', text: md(`*Booked sessions* (${booked.total})`) });
  if (!booked.items.length) blocks.push({ type: 'section', text: md('No booked sessions yet.') });
  for (const session of booked.items) {
    blocks.push({
      type: 'section',
      text: md(`*${formatSessionTime(session.startsAt, session.endsAt, zone)}*\n${escapeAndTruncate(session.student.name, 200)} · ${escapeMrkdwn(formatPhone(session.student.phone))}`),
      accessory: cancelSessionButton(session.id),
    });
  }
  blocks.push(...more(booked));
  return { text: `Open slots: ${open.total}. Booked sessions: ${booked.total}.`, blocks };
}
