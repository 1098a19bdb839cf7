import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Core, ManualClock } from '../../core/index.js';
import { createLogger } from '../../server/logger.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { SlackRequests } from '../helpers/slack-signing.js';
import { startSlackStandin, STANDIN_CLIENT_ID, STANDIN_CLIENT_SECRET, type InstallGrant, type SlackStandin } from '../helpers/slack-standin.js';
import { SIGNING_SECRET } from './bot-fixture.js';

export const STATE_SECRET = 'test-oauth-state-secret-5b1e0c9d7a3f42e8';
export const TOKEN_KEY = randomBytes(32).toString('base64');

export interface OAuthHarness {
  app: TestApp;
  core: Core;
  clock: ManualClock;
  slack: SlackStandin;
  /** Every log line the app wrote, at debug level. */
  logs: string[];
  /** Signed requests as Slack sends them from one workspace. */
  from(teamId: string): SlackRequests;
  /** The whole install flow in a browser's place; returns the final page. */
  install(grant: InstallGrant): Promise<{ status: number; html: string }>;
}

/** The real server in multi-workspace mode (SLACK_CLIENT_ID …), its Web API and OAuth pointed at the stand-in. */
export function useOAuthHarness(start: string, extraEnv: () => Promise<Record<string, string>> | Record<string, string> = () => ({})): () => OAuthHarness {
  let harness: OAuthHarness | null = null;
  beforeAll(async () => {
    const extra = await extraEnv();
    const slack = await startSlackStandin();
    const logs: string[] = [];
    const logger = createLogger({ level: 'debug', production: false }, { write: (line: string) => void logs.push(line) });
    const app = await startTestApp({
      SLACK_CLIENT_ID: STANDIN_CLIENT_ID,
      SLACK_CLIENT_SECRET: STANDIN_CLIENT_SECRET,
      SLACK_STATE_SECRET: STATE_SECRET,
      SLACK_TOKEN_ENCRYPTION_KEY: TOKEN_KEY,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      LOG_LEVEL: 'debug',
      ...extra,
      clock: start,
      logger,
    });
    const endpoint = `${app.baseUrl}/slack/events`;
    harness = {
      app,
      core: app.core,
      clock: app.clock,
      slack,
      logs,
      from: (teamId) => new SlackRequests(endpoint, SIGNING_SECRET, teamId),
      install: (grant) => installThroughBrowser(app.baseUrl, slack, grant),
    };
  });
  afterAll(async () => {
    await harness?.app.close();
    await harness?.slack.close();
  });
  return () => {
    if (!harness) throw new Error('the OAuth harness starts in beforeAll');
    return harness;
  };
}

/**
 * What a browser does: opens /slack/install (which sets the state cookie and
 * links to Slack's consent screen), "allows" there, and follows Slack's
 * redirect back to /slack/oauth_redirect with the code and state.
 */
export async function installThroughBrowser(baseUrl: string, slack: SlackStandin, grant: InstallGrant): Promise<{ status: number; html: string }> {
  const landing = await fetch(`${baseUrl}/slack/install`);
  expect(landing.status).toBe(200);
  const cookie = landing.headers.get('set-cookie')?.split(';')[0] ?? '';
  expect(cookie).toMatch(/^slack-app-oauth-state=/);
  const href = /href="([^"]*slack\.com\/oauth\/v2\/authorize[^"]*)"/.exec(await landing.text())?.[1];
  if (!href) throw new Error('the install page links to no authorize URL');
  const state = new URL(href.replace(/&amp;/g, '&')).searchParams.get('state');
  const code = slack.grantInstall(grant);
  const redirect = await fetch(`${baseUrl}/slack/oauth_redirect?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state ?? '')}`, { headers: { cookie } });
  return { status: redirect.status, html: await redirect.text() };
}
