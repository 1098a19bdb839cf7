import { z } from 'zod';
import { DEFAULT_RULES, type RulesConfig } from '../../core/shared/rules-config.js';

/**
 * Every setting comes from the environment and is validated once at start.
 * A bad or missing setting stops the process with one line naming it.
 */
const bool = z.enum(['0', '1', 'true', 'false', 'yes', 'no', ''], { error: 'must be 1 or 0 (true or false)' }).transform((v) => ['1', 'true', 'yes'].includes(v));
const csv = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));
const number = () => z.coerce.number({ error: 'must be a number' });
const positive = (fallback: number) => number().positive('must be greater than 0').default(fallback);

const envSchema = z.object({
  PORT: number().int('must be a whole number').min(0, 'must be a port from 0 to 65535').max(65535, 'must be a port from 0 to 65535').default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** Public base URL of this app, used in links (calendar files, demo page). */
  PUBLIC_URL: z.url({ error: 'must be a URL such as https://scheduler.example.com' }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'must be one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
  NODE_ENV: z.string().default('development'),

  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://').optional(),
  /** Where the embedded database keeps its files when MONGODB_URI is unset. */
  DATA_DIR: z.string().default('.data'),

  SLOT_HORIZON_DAYS: positive(DEFAULT_RULES.slotHorizonDays),
  BOOKING_MIN_NOTICE_HOURS: number().min(0, 'must be 0 or more').default(DEFAULT_RULES.minNoticeHours),
  CANCELLATION_CUTOFF_HOURS: number().min(0, 'must be 0 or more').default(DEFAULT_RULES.cancellationCutoffHours),

  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_BOT_TOKEN: z.string().regex(/^xoxb-/, 'must be a bot token starting with xoxb-').optional(),
  SLACK_APP_TOKEN: z.string().regex(/^xapp-/, 'must be an app-level token starting with xapp-').optional(),
  SLACK_API_URL: z.url({ error: 'must be a URL such as https://slack.com/api/' }).optional(),

  WIDGET_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters (use a random secret)').optional(),
  WIDGET_ORIGINS: csv.default([]),
  RATE_LIMIT_PER_MINUTE: number().int('must be a whole number').positive('must be greater than 0').default(120),
  DEMO_MODE: bool.default(false),
});

export type Env = z.input<typeof envSchema>;

export interface SlackConfig {
  mode: 'socket' | 'http';
  botToken: string;
  /** Required in HTTP mode; in Socket Mode Slack authenticates the socket instead. */
  signingSecret: string | null;
  appToken: string | null;
  /** Base URL of the Web API, e.g. http://127.0.0.1:4010/api/ in tests. */
  apiUrl: string | null;
}

export interface WidgetConfig {
  /** HS256 secret shared with the host site. Null only in demo mode, which then makes its own. */
  signingSecret: string | null;
  origins: string[];
  rateLimitPerMinute: number;
  demoMode: boolean;
}

export interface AppConfig {
  port: number;
  host: string;
  publicUrl: string | null;
  logLevel: string;
  production: boolean;
  mongodbUri: string | null;
  dataDir: string;
  rules: RulesConfig;
  /** Null when Slack is not configured: the widget API still runs. */
  slack: SlackConfig | null;
  widget: WidgetConfig;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const first = result.error.issues[0]!;
    const variable = String(first.path[0] ?? 'environment');
    throw new ConfigError(`Invalid configuration: ${variable} ${first.message}`);
  }
  const e = result.data;

  let slack: SlackConfig | null = null;
  if (e.SLACK_BOT_TOKEN || e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN) {
    if (!e.SLACK_BOT_TOKEN) throw new ConfigError('Invalid configuration: SLACK_BOT_TOKEN is required when Slack is configured');
    if (!e.SLACK_APP_TOKEN && !e.SLACK_SIGNING_SECRET) {
      throw new ConfigError('Invalid configuration: SLACK_SIGNING_SECRET is required unless SLACK_APP_TOKEN enables Socket Mode');
    }
    slack = {
      mode: e.SLACK_APP_TOKEN ? 'socket' : 'http',
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET ?? null,
      appToken: e.SLACK_APP_TOKEN ?? null,
      apiUrl: e.SLACK_API_URL ? e.SLACK_API_URL.replace(/\/?$/, '/') : null,
    };
  }

  if (!e.WIDGET_SIGNING_SECRET && !e.DEMO_MODE) {
    throw new ConfigError('Invalid configuration: WIDGET_SIGNING_SECRET is required (or set DEMO_MODE=1 to try the app with demo identities)');
  }

  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL ?? null,
    logLevel: e.LOG_LEVEL,
    production: e.NODE_ENV === 'production',
    mongodbUri: e.MONGODB_URI ?? null,
    dataDir: e.DATA_DIR,
    rules: {
      slotHorizonDays: e.SLOT_HORIZON_DAYS,
      minNoticeHours: e.BOOKING_MIN_NOTICE_HOURS,
      cancellationCutoffHours: e.CANCELLATION_CUTOFF_HOURS,
    },
    slack,
    widget: {
      signingSecret: e.WIDGET_SIGNING_SECRET ?? null,
      origins: e.WIDGET_ORIGINS,
      rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
      demoMode: e.DEMO_MODE,
    },
  };
}
