import type { Logger as BoltLogger } from '@slack/bolt';
import { ErrorCode, InstallProvider, type CodedError, type Installation } from '@slack/oauth';
import type { WebClientOptions } from '@slack/web-api';
import type { Express, Response } from 'express';
import type { Logger } from 'pino';
import type { Core } from '../core/core.types.js';
import type { SlackOAuthConfig } from './config.js';
import { OrgInstallRefused, SealedInstallationStore } from './installation-store.js';
import { TokenCipher } from './token-cipher.js';
import { installFailedPage, installPage, installedPage } from './views/install-pages.view.js';

export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

/** Exactly what the app calls; manifest.yml asks for the same (test/bot/manifest.test.ts). */
export const BOT_SCOPES = ['commands', 'chat:write', 'im:write', 'users:read', 'users:read.email', 'files:write'];

/**
 * Bolt's InstallProvider over the sealed MongoDB store: it makes the install
 * URL (with a signed `state` kept in a cookie, so the redirect must come back
 * to the browser that started), exchanges the code with `oauth.v2.access`,
 * and, in `authorize`, refreshes bot tokens that expire within two hours
 * when token rotation is on.
 */
export function createInstaller(core: Core, config: SlackOAuthConfig, logger: BoltLogger, clientOptions: WebClientOptions): InstallProvider {
  return new InstallProvider({
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    stateSecret: config.stateSecret,
    installationStore: new SealedInstallationStore(core, new TokenCipher(config.tokenKey)),
    installUrlOptions: { scopes: BOT_SCOPES, ...(config.redirectUri ? { redirectUri: config.redirectUri } : {}) },
    renderHtmlForInstallPath: installPage,
    logger,
    clientOptions,
  });
}

/** GET /slack/install and GET /slack/oauth_redirect on the process's own Express app. */
export function mountInstallRoutes(app: Express, installer: InstallProvider, core: Core, logger: Logger): void {
  app.get(INSTALL_PATH, (req, res, next) => {
    installer.handleInstallPath(req, res).catch(next);
  });

  app.get(REDIRECT_PATH, (req, res, next) => {
    let reinstalled = false;
    installer
      .handleCallback(req, res, {
        // Runs before the installation is stored: whether this workspace had one decides the page's wording.
        afterInstallation: async (installation: Installation) => {
          reinstalled = installation.team?.id ? (await core.installations.find(installation.team.id)) !== null : false;
          return true;
        },
        successAsync: async (installation: Installation) => {
          const teamId = installation.team?.id ?? '';
          logger.info({ teamId, teamName: installation.team?.name, reinstalled, installer: installation.user.id }, reinstalled ? 'Slack app reinstalled in a workspace' : 'Slack app installed in a workspace');
          sendPage(res, 200, installedPage({ teamId, teamName: installation.team?.name ?? null, appId: installation.appId ?? null, reinstalled }));
        },
        failureAsync: async (error: CodedError) => {
          const { status, heading, explanation } = explainFailure(error);
          if (status >= 500) logger.error({ err: error }, 'Slack install failed');
          else logger.warn({ code: error.code, reason: platformError(error) }, `Slack install refused: ${heading}`);
          sendPage(res, status, installFailedPage(heading, explanation));
        },
      })
      .catch(next);
  });
}

function sendPage(res: Response, status: number, html: string): void {
  res.status(status).type('html').setHeader('Cache-Control', 'no-store').send(html);
}

function platformError(error: unknown): string | null {
  return (error as { data?: { error?: string } }).data?.error ?? null;
}

/** What the person in the browser is told; a mistake of theirs (or a stale link) is never a 500. */
function explainFailure(error: CodedError): { status: number; heading: string; explanation: string } {
  if (error instanceof OrgInstallRefused) {
    return { status: 400, heading: 'Org-wide installs are not supported', explanation: 'Install the app in each workspace of your organisation instead.' };
  }
  switch (error.code) {
    case ErrorCode.AuthorizationError:
      return { status: 200, heading: 'Installation cancelled', explanation: 'You chose not to allow the app, so nothing was installed.' };
    case ErrorCode.MissingStateError:
    case ErrorCode.InvalidStateError:
      return {
        status: 400,
        heading: 'This installation link is no longer valid',
        explanation: 'It was started in another browser, or more than 10 minutes ago. Start the installation again from this browser.',
      };
    case ErrorCode.MissingCodeError:
      return { status: 400, heading: 'Slack sent no authorization code', explanation: 'Start the installation from the beginning.' };
  }
  const reason = platformError(error);
  if (reason === 'invalid_code' || reason === 'code_already_used' || reason === 'code_expired') {
    return { status: 400, heading: 'Slack did not accept this authorization', explanation: `The code was already used or has expired (${reason}). Start the installation again.` };
  }
  if (reason) {
    return { status: 502, heading: 'Slack refused the installation', explanation: `Slack answered "${reason}". The app's operator needs to check its Slack credentials (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_REDIRECT_URI).` };
  }
  if (error.code === 'slack_webapi_request_error' || error.code === 'slack_webapi_http_error' || error.code === 'slack_webapi_rate_limited_error') {
    return { status: 502, heading: 'Slack could not be reached', explanation: 'Nothing was installed. Try again in a moment.' };
  }
  return { status: 500, heading: 'The installation could not be saved', explanation: 'Nothing was installed. Try again in a moment; if it keeps failing, tell the app’s operator.' };
}
