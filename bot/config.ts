import { z } from 'zod';
import { ConfigError, envCsv } from '../core/shared/env.js';
import { parseTokenKey } from './token-cipher.js';

/** The Slack app's settings: with none of them set, Slack is off and the rest of the process runs. */
export const slackEnvShape = {
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_BOT_TOKEN: z.string().regex(/^xoxb-/, 'must be a bot token starting with xoxb-').optional(),
  SLACK_APP_TOKEN: z.string().regex(/^xapp-/, 'must be an app-level token starting with xapp-').optional(),
  SLACK_API_URL: z.url({ error: 'must be a URL such as https://slack.com/api/' }).optional(),
  /** The host site's page with the widget; coaches share it with `?coach=<id>`. */
  PUBLIC_BOOKING_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://www.example.org/book' }).max(2000, 'must be at most 2,000 characters').optional(),
  SLACK_CLIENT_ID: z.string().regex(/^\d+\.\d+$/, 'must be the Client ID from Basic Information → App Credentials, such as 1234567890.1234567890').optional(),
  SLACK_CLIENT_SECRET: z.string().min(1).optional(),
  SLACK_STATE_SECRET: z.string().min(32, 'must be at least 32 characters; make one with: openssl rand -base64 32').optional(),
  SLACK_TOKEN_ENCRYPTION_KEY: z.string().optional(),
  SLACK_REDIRECT_URI: z.url({ error: 'must be the https URL of /slack/oauth_redirect, such as https://scheduler.example.com/slack/oauth_redirect' }).optional(),
  /** Slack users who see and manage every coach's schedule of their workspace (besides the workspace's own admins and owners). */
  ADMIN_SLACK_USER_IDS: envCsv
    .pipe(z.array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must list Slack user ids such as U012AB3CD, separated by commas (Profile → ⋮ → Copy member ID)')))
    .default([]),
};

export type SlackEnv = z.output<z.ZodObject<typeof slackEnvShape>>;

/** Multi-workspace mode: any workspace installs the app through Slack's OAuth flow. */
export interface SlackOAuthConfig {
  clientId: string;
  clientSecret: string;
  /** Signs the OAuth `state` that ties Slack's redirect to the browser that started the install. */
  stateSecret: string;
  /** AES-256-GCM key sealing each installation's tokens in the database. */
  tokenKey: Buffer;
  /** Sent to Slack as `redirect_uri`; null lets Slack use the app's only configured redirect URL. */
  redirectUri: string | null;
}

export interface SlackConfig {
  mode: 'socket' | 'http';
  /** Single-workspace mode: the one bot token. Null in multi-workspace mode. */
  botToken: string | null;
  /** Multi-workspace mode; null with a bot token. */
  oauth: SlackOAuthConfig | null;
  /** Required in HTTP mode; in Socket Mode Slack authenticates the socket instead. */
  signingSecret: string | null;
  appToken: string | null;
  /** Base URL of the Web API, e.g. http://127.0.0.1:4010/api/ in tests. */
  apiUrl: string | null;
  /** PUBLIC_BOOKING_URL: with it, "Share my booking link" appears on coaches' App Home. */
  bookingUrl: string | null;
  /** ADMIN_SLACK_USER_IDS: admins in whichever workspace they use the app from. */
  adminUserIds: string[];
}

const OAUTH_SETTINGS = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'SLACK_TOKEN_ENCRYPTION_KEY', 'SLACK_REDIRECT_URI'] as const;
const invalid = (message: string) => new ConfigError(`Invalid configuration: ${message}`);

/** Null when Slack is not configured. */
export function slackConfigFromEnv(e: SlackEnv): SlackConfig | null {
  const oauthSet = OAUTH_SETTINGS.filter((name) => e[name] !== undefined);
  if (!e.SLACK_BOT_TOKEN && !e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN && oauthSet.length === 0) return null;
  if (e.SLACK_BOT_TOKEN && oauthSet.length) {
    throw invalid(`SLACK_BOT_TOKEN (one workspace) and ${oauthSet.join(', ')} (installing in many) exclude each other: keep one set`);
  }
  if (!e.SLACK_BOT_TOKEN && !e.SLACK_CLIENT_ID) {
    const hint = oauthSet.length ? `${oauthSet.join(', ')} ${oauthSet.length > 1 ? 'are' : 'is'} set, so` : 'Slack is configured, so';
    throw invalid(`${hint} SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID with SLACK_CLIENT_SECRET, SLACK_STATE_SECRET and SLACK_TOKEN_ENCRYPTION_KEY (any workspace installs) is required`);
  }
  if (!e.SLACK_APP_TOKEN && !e.SLACK_SIGNING_SECRET) {
    throw invalid('SLACK_SIGNING_SECRET is required unless SLACK_APP_TOKEN enables Socket Mode');
  }
  return {
    mode: e.SLACK_APP_TOKEN ? 'socket' : 'http',
    botToken: e.SLACK_BOT_TOKEN ?? null,
    oauth: e.SLACK_CLIENT_ID ? oauthConfig(e, e.SLACK_CLIENT_ID) : null,
    signingSecret: e.SLACK_SIGNING_SECRET ?? null,
    appToken: e.SLACK_APP_TOKEN ?? null,
    apiUrl: e.SLACK_API_URL ? e.SLACK_API_URL.replace(/\/?$/, '/') : null,
    bookingUrl: e.PUBLIC_BOOKING_URL ?? null,
    adminUserIds: e.ADMIN_SLACK_USER_IDS,
  };
}

function oauthConfig(e: SlackEnv, clientId: string): SlackOAuthConfig {
  const missing = (['SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'SLACK_TOKEN_ENCRYPTION_KEY'] as const).filter((name) => !e[name]);
  if (missing.length) throw invalid(`SLACK_CLIENT_ID turns on installing in any workspace, which also needs ${missing.join(', ')}`);
  const tokenKey = parseTokenKey(e.SLACK_TOKEN_ENCRYPTION_KEY!);
  if (!tokenKey) throw invalid('SLACK_TOKEN_ENCRYPTION_KEY must be 32 random bytes as base64 or 64 hex digits; make one with: openssl rand -base64 32');
  if (e.SLACK_REDIRECT_URI && new URL(e.SLACK_REDIRECT_URI).pathname !== '/slack/oauth_redirect') {
    throw invalid('SLACK_REDIRECT_URI must end in /slack/oauth_redirect, where this app finishes installs (and the same URL must be in the app\'s redirect URLs)');
  }
  return { clientId, clientSecret: e.SLACK_CLIENT_SECRET!, stateSecret: e.SLACK_STATE_SECRET!, tokenKey, redirectUri: e.SLACK_REDIRECT_URI ?? null };
}
