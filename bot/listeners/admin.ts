import type { BlockAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { DomainError } from '../../core/shared/errors.js';
import type { WorkspaceScope } from '../../core/shared/scope.js';
import type { BotDeps } from '../deps.js';
import { openView } from '../send.js';
import { readSlackProfile } from '../slack-profile.js';
import { adminCancelModal, historyModal } from '../views/admin-home.view.js';
import { teamIdOf } from './shared.js';

/**
 * Every admin listener asks again whether the person is an admin: a button
 * in an old App Home, or a forged payload, proves nothing. Anyone else gets
 * `admin.required` and nothing happens.
 */
export async function requireAdmin(deps: BotDeps, client: WebClient, teamId: string, userId: string): Promise<{ scope: WorkspaceScope; zone: string; coachId: string | null }> {
  const scope = await deps.admins.requireAdmin(client, teamId, userId);
  const coach = await deps.core.coaches.findBySlackUser(teamId, userId);
  const zone = coach?.timezone ?? (await readSlackProfile(client, userId).then((p) => p.timezone, () => 'UTC'));
  return { scope, zone, coachId: coach?.id ?? null };
}

export const adminOf = (deps: BotDeps, client: WebClient, body: BlockAction) => requireAdmin(deps, client, teamIdOf(body), body.user.id);

/** Opens a session's audit trail for an admin. */
export async function openHistory(deps: BotDeps, client: WebClient, body: BlockAction, bookingId: string): Promise<void> {
  const { scope, zone } = await adminOf(deps, client, body);
  const { session, entries } = await deps.core.admin.history(bookingId, scope);
  await openView(client, body.trigger_id, historyModal(session, entries, zone));
}

/** Opens the admin's cancellation form for a session of their workspace. */
export async function openAdminCancel(deps: BotDeps, client: WebClient, body: BlockAction, bookingId: string): Promise<void> {
  const { scope, zone } = await adminOf(deps, client, body);
  const session = await deps.core.admin.session(bookingId, scope);
  if (session.status !== 'active') throw new DomainError('booking.not_active');
  if (session.startsAt.getTime() <= deps.core.clock.now().getTime()) throw new DomainError('booking.already_started');
  await openView(client, body.trigger_id, adminCancelModal(session, zone));
}
