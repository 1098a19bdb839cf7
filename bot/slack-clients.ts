import type { InstallProvider } from '@slack/oauth';
import { WebClient, type WebClientOptions } from '@slack/web-api';

/**
 * Web API clients for work no Slack request started (a booking made on the
 * website, a republished App Home): each workspace's own bot token. Inside a
 * listener, use the client Bolt hands it, which already is the request's.
 */
export interface SlackClients {
  forTeam(teamId: string): Promise<WebClient>;
}

/** The workspace has no installation (never installed, or uninstalled): there is no token to act with. */
export class WorkspaceNotInstalled extends Error {
  constructor(readonly teamId: string, options?: ErrorOptions) {
    super(`the app is not installed in workspace ${teamId}`, options);
  }
}

/** Single-workspace mode: the one bot token serves its one workspace. */
export function singleTokenClients(client: WebClient): SlackClients {
  return { forTeam: async () => client };
}

/**
 * Multi-workspace mode: the workspace's installation, through the same
 * `authorize` Bolt runs per request, so a bot token about to expire is
 * refreshed (and stored) here too. One client is kept per workspace, replaced when its token changes.
 */
export function installedClients(installer: InstallProvider, options: WebClientOptions): SlackClients {
  const byTeam = new Map<string, { token: string; client: WebClient }>();
  return {
    async forTeam(teamId) {
      const { botToken } = await installer.authorize({ teamId, enterpriseId: undefined, isEnterpriseInstall: false }).catch((error: unknown) => {
        // Bolt wraps the store's error; only a missing installation is "not installed", anything else stays a failure.
        const original = (error as { original?: unknown }).original;
        throw original instanceof WorkspaceNotInstalled ? original : error;
      });
      if (!botToken) throw new WorkspaceNotInstalled(teamId);
      const known = byTeam.get(teamId);
      if (known?.token === botToken) return known.client;
      const client = new WebClient(botToken, { ...options, teamId });
      byTeam.set(teamId, { token: botToken, client });
      return client;
    },
  };
}
