import type { BlockAction, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Coach } from '../../core/coaches/coach.schema.js';
import type { Core } from '../../core/core.types.js';
import { DomainError } from '../../core/shared/errors.js';
import type { BotDeps } from '../deps.js';
import { isFirstDelivery } from '../deliveries.js';
import { openView, respondWith, sendDm } from '../send.js';
import { friendlyMessage } from '../slack-errors.js';
import { ensureCoach } from '../slack-profile.js';
import { addAvailabilityModal } from '../views/add-availability.view.js';
import { LIST_PAGE_SIZE, availabilityList } from '../views/availability-list.view.js';
import type { SlackMessage } from '../views/message.js';
import { noticeMessage } from '../views/notice.view.js';
import type { SessionModalMetadata } from '../views/session-modals.view.js';

/** The workspace of an interaction; `team` is null for org-wide installs, where the user still has one. */
export function teamIdOf(body: { team: { id: string } | null; user: { team_id?: string } }): string {
  const teamId = body.team?.id ?? body.user.team_id;
  if (!teamId) throw new Error('the interaction carries no team id');
  return teamId;
}

/** The coach behind a Slack user who is already one; `coach.not_found` tells them how to start. */
export async function requireCoach(core: Core, teamId: string, userId: string): Promise<Coach> {
  const coach = await core.coaches.findBySlackUser(teamId, userId);
  if (!coach) throw new DomainError('coach.not_found', 'You are not set up as a coach yet. Run /availability to start.');
  return coach;
}

/**
 * The coach who pressed a button that changes something, or null when this is
 * a redelivery (or a replay) of a press already handled: each press acts once.
 */
export async function coachForPress(core: Core, body: BlockAction, action: { action_ts: string; action_id: string }): Promise<Coach | null> {
  if (!(await isFirstDelivery(core, 'action', `${action.action_ts}:${body.user.id}:${action.action_id}`))) return null;
  return requireCoach(core, teamIdOf(body), body.user.id);
}

/** Where a button was pressed, so a modal opened from it can refresh that surface afterwards. */
export function originOf(body: BlockAction): Omit<SessionModalMetadata, 'bookingId'> {
  const container = body.container as { type?: string; is_ephemeral?: boolean; channel_id?: string; message_ts?: string };
  if (container.type !== 'message') return {};
  if (container.is_ephemeral) return body.response_url ? { responseUrl: body.response_url } : {};
  return container.channel_id && container.message_ts ? { channel: container.channel_id, ts: container.message_ts } : {};
}

/**
 * Tells the person who pressed a button something went wrong (or right):
 * ephemerally under the message they used, or by DM from App Home, which
 * has no place for a reply.
 */
export async function tellUser(client: WebClient, body: BlockAction, respond: RespondFn, message: SlackMessage): Promise<void> {
  const container = body.container as { type?: string };
  if (container.type === 'message' && body.response_url) {
    await respondWith(respond, { replace_original: false, ...message });
    return;
  }
  await sendDm(client, body.user.id, message);
}

export function errorNotice(deps: BotDeps, error: unknown, what: string): SlackMessage {
  if (!(error instanceof DomainError)) deps.logger.error({ err: error, what }, 'Slack interaction failed');
  return noticeMessage(friendlyMessage(error));
}

/** Opens "Add availability" for a Slack user, making them a coach on first use. */
export async function openAddAvailability(deps: BotDeps, client: WebClient, input: { triggerId: string; teamId: string; userId: string }): Promise<void> {
  const { coach, created } = await ensureCoach(deps.core, client, input.teamId, input.userId);
  if (created) deps.logger.info({ coachId: coach.id }, 'a new coach onboarded from Slack');
  await openView(client, input.triggerId, addAvailabilityModal({ timezone: coach.timezone, now: deps.core.clock.now(), askPhone: coach.phone === null }));
}

/** The `/availability list` reply, also used to refresh it after Remove or Cancel. */
export async function availabilityListFor(core: Core, coach: Coach): Promise<SlackMessage> {
  const [open, booked] = await Promise.all([
    core.slots.listAvailability(coach.id, { limit: LIST_PAGE_SIZE }),
    core.bookings.coachUpcoming(coach.id, { limit: LIST_PAGE_SIZE }),
  ]);
  return availabilityList({ open, booked, zone: coach.timezone, now: core.clock.now() });
}
