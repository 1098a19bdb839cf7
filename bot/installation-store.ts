import type { Installation, InstallationQuery, InstallationStore } from '@slack/oauth';
import type { Core } from '../core/core.types.js';
import { WorkspaceNotInstalled } from './slack-clients.js';
import type { TokenCipher } from './token-cipher.js';

/** Org-wide (Enterprise Grid) installs are not offered: the manifest keeps org deploy off. */
export class OrgInstallRefused extends Error {
  readonly code = 'org_install_refused';
}

/**
 * Bolt's installation store over core's installations: one record per
 * workspace, the whole Installation (bot token, refresh token, expiry)
 * sealed with SLACK_TOKEN_ENCRYPTION_KEY before it is written. Bolt calls
 * `storeInstallation` after an install and after each token refresh.
 */
export class SealedInstallationStore implements InstallationStore {
  constructor(
    private readonly core: Core,
    private readonly cipher: TokenCipher,
  ) {}

  async storeInstallation(installation: Installation): Promise<void> {
    const teamId = installation.team?.id;
    if (installation.isEnterpriseInstall || !teamId) throw new OrgInstallRefused('org-wide installs are not supported: install the app in each workspace');
    const bot = installation.bot;
    if (!bot) throw new Error('Slack returned an installation without a bot token');
    await this.core.installations.save({
      teamId,
      teamName: installation.team?.name ?? null,
      appId: installation.appId ?? null,
      botId: bot.id,
      botUserId: bot.userId,
      installerUserId: installation.user.id,
      scopes: bot.scopes,
      tokenExpiresAt: bot.expiresAt ? new Date(bot.expiresAt * 1000) : null,
      sealed: this.cipher.seal(JSON.stringify(installation), teamId),
    });
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const teamId = query.teamId;
    if (!teamId) throw new Error('org-wide installs are not supported: the request names no workspace');
    const record = await this.core.installations.find(teamId);
    if (!record) throw new WorkspaceNotInstalled(teamId);
    return JSON.parse(this.cipher.open(record.sealed, teamId)) as Installation;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    if (query.teamId) await this.core.installations.remove(query.teamId);
  }
}
