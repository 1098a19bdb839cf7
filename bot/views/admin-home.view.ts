import type { Button, HomeView, KnownBlock, ModalView, Overflow } from '@slack/types';
import type { AdminOverview, AdminSession } from '../../core/admin/admin.schema.js';
import type { NamedAuditEntry } from '../../core/admin/admin.service.js';
import type { Slot } from '../../core/slots/slot.schema.js';
import type { Page } from '../../core/shared/time.schema.js';
import { ACTION, BLOCK, CALLBACK } from '../ids.js';
import { escapeAndTruncate, escapeMrkdwn, md, plain } from '../mrkdwn.js';
import { formatDayTime, formatRating, formatSessionTime, formatZone, localDate } from './format.js';
import { REASON_MAX } from './session-modals.view.js';

/** Rows per admin list: with five lists the tab stays near 60 blocks, under Slack's 100. */
export const ADMIN_LIST_SIZE = 10;

export const adminModeButton: Button = { type: 'button', action_id: ACTION.homeMode, text: plain('Workspace schedule'), value: 'admin' };
const coachModeButton: Button = { type: 'button', action_id: ACTION.homeMode, text: plain('Back to my coaching'), value: 'coach' };
const exportButton: Button = { type: 'button', action_id: ACTION.openExport, text: plain('Export sessions (CSV)'), value: 'export' };

const name = (text: string) => escapeAndTruncate(text, 120);

function sessionLine(s: AdminSession, zone: string): string {
  return `*${formatSessionTime(s.startsAt, s.endsAt, zone)}* · ${name(s.coach.name)} with ${name(s.student.name)}`;
}

const historyButton = (bookingId: string): Button => ({ type: 'button', action_id: ACTION.adminHistory, text: plain('History'), value: bookingId });

/** An upcoming session: cancel it or read its history, from one menu so each row is one block. */
function sessionMenu(bookingId: string): Overflow {
  return {
    type: 'overflow',
    action_id: ACTION.adminSessionMenu,
    options: [
      { text: plain('Cancel session…'), value: `cancel:${bookingId}` },
      { text: plain('History'), value: `history:${bookingId}` },
    ],
  };
}

/** `cancel:<id>` / `history:<id>` from the session menu; null for anything else. */
export function parseSessionMenuValue(value: string | undefined): { what: 'cancel' | 'history'; bookingId: string } | null {
  const match = /^(cancel|history):([0-9a-f]{24})$/.exec(value ?? '');
  return match ? { what: match[1] as 'cancel' | 'history', bookingId: match[2]! } : null;
}

function list(title: string, page: { items: AdminSession[]; total: number }, empty: string, row: (s: AdminSession) => KnownBlock): KnownBlock[] {
  const blocks: KnownBlock[] = [{ type: 'header', text: plain(`${title} (${page.total})`) }];
  if (page.items.length === 0) blocks.push({ type: 'section', text: md(`_${empty}_`) });
  blocks.push(...page.items.map(row));
  if (page.total > page.items.length) blocks.push({ type: 'context', elements: [md(`The first ${page.items.length} of ${page.total}. Export the sessions for all of them.`)] });
  return blocks;
}

/** "Sam Student (student)", "<@U123> (admin)": who did an audited action. */
export function actorLabel(entry: Pick<NamedAuditEntry, 'actor' | 'actorName'>): string {
  switch (entry.actor.kind) {
    case 'admin':
      return /^[UW][A-Z0-9]+$/.test(entry.actor.id) ? `<@${entry.actor.id}> (admin)` : `An admin (${escapeMrkdwn(entry.actor.id)})`;
    case 'system':
      return entry.actor.id === 'uninstall' ? 'The app, on being uninstalled from the workspace,' : 'The app';
    default:
      return `${entry.actorName ? name(entry.actorName) : `Unknown ${entry.actor.kind}`} (${entry.actor.kind})`;
  }
}

/** What an audited action did, in words, with times in `zone`. */
export function describeEntry(entry: NamedAuditEntry, zone: string): string {
  const d = entry.details;
  const at = (date: Date | undefined) => (date ? formatDayTime(new Date(date), zone) : 'a time');
  switch (entry.action) {
    case 'slot.created':
      return `added the slot at ${at(d.startsAt)}`;
    case 'series.created':
      return `added a series of ${d.count ?? 'several'} slot${d.count === 1 ? '' : 's'} from ${at(d.startsAt)}`;
    case 'slot.removed':
      return `removed the open slot at ${at(d.startsAt)}`;
    case 'booking.created':
      return `booked ${at(d.startsAt)}`;
    case 'booking.moved':
      return `moved the session from ${at(d.fromStartsAt)} to ${at(d.toStartsAt)}`;
    case 'session.rated':
      return `rated the session ${d.score ?? '?'}/5`;
    case 'booking.cancelled':
      return `cancelled the session${d.reason ? `, reason: “${escapeAndTruncate(d.reason.replace(/\s+/g, ' '), 300)}”` : ''}`;
  }
}

export interface AdminHomeData {
  overview: AdminOverview;
  zone: string;
  now: Date;
  /** Also a coach: a button goes back to their own coaching. */
  isCoach: boolean;
}

/** The workspace's schedule, for admins only: today, this week, open slots per coach, overdue ratings, cancellations. */
export function adminHomeView({ overview, zone, now, isCoach }: AdminHomeData): HomeView {
  const { today, week, openSlots, unrated, cancellations, recent } = overview;
  const upcomingRow = (s: AdminSession): KnownBlock => ({
    type: 'section',
    text: md(sessionLine(s, zone)),
    // A session under way can no longer be cancelled; its history still opens.
    accessory: s.startsAt.getTime() > now.getTime() ? sessionMenu(s.id) : historyButton(s.id),
  });
  const shownCoaches = openSlots.slice(0, ADMIN_LIST_SIZE);
  const cancelledTotal = cancellations.student + cancellations.coach + cancellations.admin;

  const blocks: KnownBlock[] = [
    { type: 'header', text: plain('Workspace schedule') },
    { type: 'actions', elements: [...(isCoach ? [coachModeButton] : []), exportButton] },
    { type: 'context', elements: [md(`Only admins see this. Times in ${escapeMrkdwn(formatZone(zone, now))}; "this week" is Monday to Sunday.`)] },
    {
      type: 'section',
      fields: [
        md(`*Sessions today*\n${today.total}`),
        md(`*Sessions this week*\n${week.total}`),
        md(`*Unrated, ended over 24 h ago*\n${unrated.total}`),
        md(`*Cancelled in the last 30 days*\n${cancelledTotal} (students ${cancellations.student} · coaches ${cancellations.coach} · admins ${cancellations.admin})`),
      ],
    },
    { type: 'divider' },
    ...list('Today', today, 'No sessions today.', upcomingRow),
    { type: 'divider' },
    ...list('This week', week, 'No sessions this week.', upcomingRow),
    { type: 'divider' },
    { type: 'header', text: plain(`Open slots per coach (${openSlots.length} coach${openSlots.length === 1 ? '' : 'es'})`) },
    ...(shownCoaches.length ? [] : [{ type: 'section' as const, text: md('_No coaches in this workspace yet._') }]),
    ...shownCoaches.map(
      ({ coach, open }): KnownBlock => ({
        type: 'section',
        text: md(`*${name(coach.name)}* · ${open} open slot${open === 1 ? '' : 's'}`),
        ...(open > 0 ? { accessory: { type: 'button', action_id: ACTION.adminCoachSlots, text: plain('Show slots'), value: coach.id } } : {}),
      }),
    ),
    ...(openSlots.length > shownCoaches.length ? [{ type: 'context' as const, elements: [md(`And ${openSlots.length - shownCoaches.length} more coaches with fewer open slots.`)] }] : []),
    { type: 'divider' },
    ...list('Unrated, ended over 24 h ago', unrated, 'Every session that ended over a day ago is rated.', (s) => ({ type: 'section', text: md(sessionLine(s, zone)), accessory: historyButton(s.id) })),
    { type: 'divider' },
    { type: 'header', text: plain('Recent changes') },
    {
      type: 'section',
      text: md(recent.length ? recent.map((e) => `${formatDayTime(e.at, zone)} · ${actorLabel(e)} ${describeEntry(e, zone)}`).join('\n') : '_Nothing yet._'),
    },
  ];
  return { type: 'home', blocks };
}

/** The admin's cancellation form: who is told what, and a reason both sides read. */
export function adminCancelModal(session: AdminSession, zone: string): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.adminCancelSession,
    title: plain('Cancel session'),
    submit: plain('Cancel session'),
    close: plain('Keep it'),
    private_metadata: JSON.stringify({ bookingId: session.id }),
    blocks: [
      { type: 'section', text: md(`${sessionLine(session, zone)}\n(${escapeMrkdwn(zone)})`) },
      {
        type: 'context',
        elements: [
          md('The coach gets a DM and their booking message changes to cancelled. The student gets a Slack message when they use this app in Slack, an email when they gave an address (and email is on), and sees it cancelled "by the organisers", with your reason, in their sessions. The slot is withdrawn, not reopened.'),
        ],
      },
      {
        type: 'input',
        block_id: BLOCK.adminCancelReason,
        label: plain('Reason'),
        hint: plain('Shown to the coach and the student.'),
        element: { type: 'plain_text_input', action_id: ACTION.cancelReason, multiline: true, max_length: REASON_MAX },
      },
    ],
  };
}

/** A session's audit trail, oldest first. */
export function historyModal(session: AdminSession, entries: NamedAuditEntry[], zone: string): ModalView {
  const status = session.status === 'cancelled' ? 'Cancelled' : session.score !== null ? `Rated ${formatRating(session.score)}` : 'Active';
  const lines = entries.map((e) => `• ${formatDayTime(e.at, zone)} · ${actorLabel(e)} ${describeEntry(e, zone)}`);
  return {
    type: 'modal',
    title: plain('Session history'),
    close: plain('Close'),
    blocks: [
      { type: 'section', text: md(`${sessionLine(session, zone)}\n${status}`) },
      { type: 'context', elements: [md(`Times in ${escapeMrkdwn(zone)}.`)] },
      { type: 'divider' },
      // Each entry is short; a block holds 3,000 characters, so they go in groups.
      ...chunkLines(lines.length ? lines : ['_Nothing recorded for this session._'], 2_800).map((text): KnownBlock => ({ type: 'section', text: md(text) })),
    ],
  };
}

function chunkLines(lines: string[], max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of lines) {
    if (current && current.length + line.length + 1 > max) {
      chunks.push(current);
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) chunks.push(current);
  return chunks.slice(0, 40);
}

/** One coach's open slots for an admin, each with Remove. */
export function coachSlotsModal(coach: { id: string; name: string; timezone: string }, slots: Page<Slot>, zone: string): ModalView {
  return {
    type: 'modal',
    title: plain('Open slots'),
    close: plain('Close'),
    private_metadata: JSON.stringify({ coachId: coach.id }),
    blocks: [
      { type: 'section', text: md(`*${name(coach.name)}*: ${slots.total} open slot${slots.total === 1 ? '' : 's'} not yet started.`) },
      { type: 'context', elements: [md(`Times in ${escapeMrkdwn(zone)}. Removing a slot tells the coach by DM.`)] },
      ...(slots.items.length ? [] : [{ type: 'section' as const, text: md('_No open slots left._') }]),
      ...slots.items.map(
        (slot): KnownBlock => ({
          type: 'section',
          text: md(formatSessionTime(slot.startsAt, slot.endsAt, zone)),
          accessory: {
            type: 'button',
            action_id: ACTION.adminRemoveSlot,
            text: plain('Remove'),
            style: 'danger',
            value: slot.id,
            confirm: {
              title: plain('Remove this slot?'),
              text: plain(`${formatSessionTime(slot.startsAt, slot.endsAt, zone)}. The coach is told by DM.`),
              confirm: plain('Remove'),
              deny: plain('Keep it'),
            },
          },
        }),
      ),
      ...(slots.total > slots.items.length ? [{ type: 'context' as const, elements: [md(`The first ${slots.items.length} of ${slots.total}.`)] }] : []),
    ],
  };
}

/** A DM to the coach whose open slot an admin removed. */
export function slotRemovedByAdminMessage(slot: Slot, adminUserId: string, zone: string) {
  const when = formatSessionTime(slot.startsAt, slot.endsAt, zone);
  return {
    text: `An admin removed your open slot on ${when}`,
    blocks: [
      { type: 'section' as const, text: md(`:wastebasket: <@${adminUserId}> (an admin) removed your open slot on *${when}*. Nobody had booked it; students can no longer book it.`) },
      { type: 'context' as const, elements: [md(`Times in ${escapeMrkdwn(zone)}.`)] },
    ],
  };
}

/** The export form: a date range in the admin's zone, both days included. */
export function exportModal(zone: string, now: Date): ModalView {
  const today = localDate(now, zone);
  const monthAgo = localDate(new Date(now.getTime() - 30 * 86_400_000), zone);
  return {
    type: 'modal',
    callback_id: CALLBACK.adminExport,
    title: plain('Export sessions'),
    submit: plain('Export'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify({ zone }),
    blocks: [
      { type: 'section', text: md('Sessions starting between these days (both included, at most 366 days), as a CSV file sent to you by DM: coach, student, start and end in UTC and in the coach\'s zone, status, score.') },
      { type: 'input', block_id: BLOCK.exportFrom, label: plain('From'), element: { type: 'datepicker', action_id: ACTION.exportFrom, initial_date: monthAgo } },
      { type: 'input', block_id: BLOCK.exportTo, label: plain('To'), element: { type: 'datepicker', action_id: ACTION.exportTo, initial_date: today } },
      { type: 'context', elements: [md(`Days in ${escapeMrkdwn(zone)}. Notes are left out, except those of your own sessions if you coach.`)] },
    ],
  };
}
