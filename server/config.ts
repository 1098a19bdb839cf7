import { z } from 'zod';
import { slackConfigFromEnv, slackEnvShape, type SlackConfig } from '../bot/config.js';
import { ConfigError, envNumber, parseEnv } from '../core/shared/env.js';
import { rulesEnvShape, rulesFromEnv, type RulesConfig } from '../core/shared/rules-config.js';
import { widgetConfigFromEnv, widgetEnvShape, type WidgetConfig } from '../widget/api/config.js';
import { notificationsConfigFromEnv, notificationsEnvShape, type NotificationsConfig } from './notifications/config.js';

export { ConfigError };
export type { SlackConfig, WidgetConfig };

/**
 * Every setting comes from the environment and is validated once at start.
 * The process owns its own variables (port, logging, database); each face
 * owns its own and this file only merges them. A bad or missing setting stops
 * the process with one line naming it.
 */
const processEnvShape = {
  PORT: envNumber().int('must be a whole number').min(0, 'must be a port from 0 to 65535').max(65535, 'must be a port from 0 to 65535').default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** Public base URL of this app, used in links (calendar files, demo page). */
  PUBLIC_URL: z.url({ error: 'must be a URL such as https://scheduler.example.com' }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'must be one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
  NODE_ENV: z.string().default('development'),

  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://').optional(),
  /**
   * The most one database call may take before the request is answered 503.
   * Under 2 s so an outage is reported while the caller still waits.
   */
  MONGODB_TIMEOUT_MS: envNumber().int('must be a whole number of milliseconds').min(100, 'must be at least 100').max(60_000, 'must be at most 60000').default(1_500),
  /** Where the embedded database keeps its files when MONGODB_URI is unset. */
  DATA_DIR: z.string().default('.data'),
  /** How often this instance looks for due jobs; 0 runs no job worker here (another instance does). */
  JOBS_POLL_SECONDS: envNumber().min(0, 'must be 0 (no worker in this instance) or more').max(3600, 'must be at most 3600').default(5),
};

const envShape = { ...processEnvShape, ...rulesEnvShape, ...slackEnvShape, ...widgetEnvShape, ...notificationsEnvShape };

export type Env = z.input<z.ZodObject<typeof envShape>>;

export interface AppConfig {
  port: number;
  host: string;
  publicUrl: string | null;
  logLevel: string;
  production: boolean;
  mongodbUri: string | null;
  mongodbTimeoutMs: number;
  dataDir: string;
  /** Milliseconds between job polls; 0: this instance runs no worker. */
  jobsPollMs: number;
  rules: RulesConfig;
  /** Null when Slack is not configured: the widget API still runs. */
  slack: SlackConfig | null;
  widget: WidgetConfig;
  /** Student email (off without SMTP_URL) and webhooks (off without WEBHOOK_URLS). */
  notifications: NotificationsConfig;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const e = parseEnv(envShape, env);
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL ?? null,
    logLevel: e.LOG_LEVEL,
    production: e.NODE_ENV === 'production',
    mongodbUri: e.MONGODB_URI ?? null,
    mongodbTimeoutMs: e.MONGODB_TIMEOUT_MS,
    dataDir: e.DATA_DIR,
    jobsPollMs: Math.round(e.JOBS_POLL_SECONDS * 1000),
    rules: rulesFromEnv(e),
    slack: slackConfigFromEnv(e),
    widget: widgetConfigFromEnv(e),
    notifications: notificationsConfigFromEnv(e, e.PUBLIC_URL ?? null),
  };
}
