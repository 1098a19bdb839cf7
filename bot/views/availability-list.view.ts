import type { Button, KnownBlock } from '@slack/types';
import type { CoachSession } from '../../core/bookings/booking.schema.js';
import type { AvailabilityPage, Slot } from '../../core/slots/slot.schema.js';
import type { Page } from '../../core/shared/time.schema.js';
import { ACTION } from '../ids.js';
import { escapeAndTruncate, escapeMrkdwn, md, plain } from '../mrkdwn.js';
import { formatPhone, formatSessionTime, formatZone } from './format.js';
import type { SlackMessage } from './message.js';
import { seriesItemBlocks } from './series.view.js';
import { cancelSessionButton } from './session-message.view.js';

/** 20 + 20 items keeps the reply under a message's 50 blocks with headers and "more" lines. */
export const LIST_PAGE_SIZE = 20;
/** A series takes two blocks (its line and its buttons), so open items stop at this many blocks: 48 in all at most. */
const OPEN_BLOCKS = 22;

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

const more = (total: number, shown: number) =>
  total > shown ? [{ type: 'context' as const, elements: [md(`…and ${total - shown} more. Your App Home pages through all of them.`)] }] : [];

/** One open slot with its Remove button. */
export const openSlotBlock = (slot: Slot, zone: string): KnownBlock => ({ type: 'section', text: md(formatSessionTime(slot.startsAt, slot.endsAt, zone)), accessory: removeSlotButton(slot, zone) });

/** An item of a coach's availability: a single open slot, or a weekly series as one item. */
export const availabilityItemBlocks = (item: AvailabilityPage['items'][number], zone: string, now: Date): KnownBlock[] =>
  item.kind === 'slot' ? [openSlotBlock(item.slot, zone)] : seriesItemBlocks(item.series, now);

/** The ephemeral reply to `/availability list`. */
export function availabilityList(input: { open: AvailabilityPage; booked: Page<CoachSession>; zone: string; now: Date }): SlackMessage {
  const { open, booked, zone, now } = input;
  const blocks: KnownBlock[] = [
    { type: 'context', elements: [md(`Your upcoming availability. Times in ${escapeMrkdwn(formatZone(zone, now))}.`)] },
    { type: 'section', text: md(`*Open slots* (${open.openSlots})`) },
  ];
  if (!open.items.length) blocks.push({ type: 'section', text: md('No open slots. Run `/availability` to add some.') });
  let shown = 0;
  let used = 0;
  for (const item of open.items) {
    const itemBlocks = availabilityItemBlocks(item, zone, now);
    if (used + itemBlocks.length > OPEN_BLOCKS) break;
    blocks.push(...itemBlocks);
    used += itemBlocks.length;
    shown += 1;
  }
  blocks.push(...more(open.total, shown), { type: 'divider' }, { type: 'section', text: md(`*Booked sessions* (${booked.total})`) });
  if (!booked.items.length) blocks.push({ type: 'section', text: md('No booked sessions yet.') });
  for (const session of booked.items) {
    blocks.push({
      type: 'section',
      text: md(`*${formatSessionTime(session.startsAt, session.endsAt, zone)}*\n${escapeAndTruncate(session.student.name, 200)} · ${escapeMrkdwn(formatPhone(session.student.phone))}`),
      accessory: cancelSessionButton(session.id),
    });
  }
  blocks.push(...more(booked.total, booked.items.length));
  return { text: `Open slots: ${open.openSlots}. Booked sessions: ${booked.total}.`, blocks };
}
