import { z } from 'zod';
import { ConfigError } from '../core/shared/env.js';

/** The Slack app's settings: with none of them set, Slack is off and the rest of the process runs. */
export const slackEnvShape = {
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_BOT_TOKEN: z.string().regex(/^xoxb-/, 'must be a bot token starting with xoxb-').optional(),
  SLACK_APP_TOKEN: z.string().regex(/^xapp-/, 'must be an app-level token starting with xapp-').optional(),
  SLACK_API_URL: z.url({ error: 'must be a URL such as https://slack.com/api/' }).optional(),
  /** The host site's page with the widget; coaches share it with `?coach=<id>`. */
  PUBLIC_BOOKING_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://www.example.org/book' }).max(2000, 'must be at most 2,000 characters').optional(),
};

export type SlackEnv = z.output<z.ZodObject<typeof slackEnvShape>>;

export interface SlackConfig {
  mode: 'socket' | 'http';
  botToken: string;
  /** Required in HTTP mode; in Socket Mode Slack authenticates the socket instead. */
  signingSecret: string | null;
  appToken: string | null;
  /** Base URL of the Web API, e.g. http://127.0.0.1:4010/api/ in tests. */
  apiUrl: string | null;
  /** PUBLIC_BOOKING_URL: with it, "Share my booking link" appears on coaches' App Home. */
  bookingUrl: string | null;
}

/** Null when Slack is not configured. */
export function slackConfigFromEnv(e: SlackEnv): SlackConfig | null {
  if (!e.SLACK_BOT_TOKEN && !e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN) return null;
  if (!e.SLACK_BOT_TOKEN) throw new ConfigError('Invalid configuration: SLACK_BOT_TOKEN is required when Slack is configured');
  if (!e.SLACK_APP_TOKEN && !e.SLACK_SIGNING_SECRET) {
    throw new ConfigError('Invalid configuration: SLACK_SIGNING_SECRET is required unless SLACK_APP_TOKEN enables Socket Mode');
  }
  return {
    mode: e.SLACK_APP_TOKEN ? 'socket' : 'http',
    botToken: e.SLACK_BOT_TOKEN,
    signingSecret: e.SLACK_SIGNING_SECRET ?? null,
    appToken: e.SLACK_APP_TOKEN ?? null,
    apiUrl: e.SLACK_API_URL ? e.SLACK_API_URL.replace(/\/?$/, '/') : null,
    bookingUrl: e.PUBLIC_BOOKING_URL ?? null,
  };
}
