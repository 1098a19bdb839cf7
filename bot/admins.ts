import type { WebClient } from '@slack/web-api';
import type { Clock } from '../core/shared/clock.js';
import { DomainError } from '../core/shared/errors.js';
import type { WorkspaceScope } from '../core/shared/scope.js';

/** How long Slack's word on someone's admin status is trusted before asking again. */
export const ADMIN_STATUS_TTL_MS = 5 * 60_000;

/**
 * Who is an admin of the scheduler in a workspace: the Slack users listed
 * in ADMIN_SLACK_USER_IDS, and the workspace's own admins and owners as
 * `users.info` reports them (`is_admin`, `is_owner`), remembered for a few
 * minutes so App Home and buttons do not ask Slack each time. When Slack
 * cannot be asked, the answer is "not an admin" (and is not remembered).
 */
export class AdminDirectory {
  private readonly cache = new Map<string, { admin: boolean; until: number }>();

  constructor(
    private readonly configured: ReadonlySet<string>,
    private readonly clock: Clock,
  ) {}

  async isAdmin(client: WebClient, teamId: string, userId: string): Promise<boolean> {
    if (this.configured.has(userId)) return true;
    const key = `${teamId}:${userId}`;
    const now = this.clock.now().getTime();
    const known = this.cache.get(key);
    if (known && known.until > now) return known.admin;
    let admin: boolean;
    try {
      const { user } = await client.users.info({ user: userId });
      admin = Boolean(user && !user.deleted && (user.is_admin || user.is_owner || user.is_primary_owner));
    } catch {
      return false;
    }
    this.cache.set(key, { admin, until: now + ADMIN_STATUS_TTL_MS });
    return admin;
  }

  /** The admin's workspace scope, or `admin.required` for anyone else (a forged or stale button). */
  async requireAdmin(client: WebClient, teamId: string, userId: string): Promise<WorkspaceScope> {
    if (!(await this.isAdmin(client, teamId, userId))) {
      throw new DomainError('admin.required', 'Only admins of this workspace can do that. Ask a workspace admin, or whoever runs the scheduler, to add you to ADMIN_SLACK_USER_IDS.');
    }
    return { teamId };
  }
}
