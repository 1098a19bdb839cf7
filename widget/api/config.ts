import { z } from 'zod';
import { ConfigError, envBool, envCsv, envNumber } from '../../core/shared/env.js';

/** The widget API's settings. */
export const widgetEnvShape = {
  WIDGET_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters (use a random secret)').optional(),
  /** When set, every student token must carry exactly this `iss`. */
  WIDGET_TOKEN_ISSUER: z.string().trim().min(1, 'must not be empty (leave it unset to accept any issuer)').optional(),
  /** When set, every student token must list this `aud`. */
  WIDGET_TOKEN_AUDIENCE: z.string().trim().min(1, 'must not be empty (leave it unset to accept any audience)').optional(),
  WIDGET_TOKEN_MAX_LIFETIME_HOURS: envNumber().positive('must be greater than 0').max(24 * 366, 'must be at most a year (8784)').default(24),
  WIDGET_ORIGINS: envCsv.default([]),
  RATE_LIMIT_PER_MINUTE: envNumber().int('must be a whole number').positive('must be greater than 0').default(120),
  DEMO_MODE: envBool.default(false),
};

export type WidgetEnv = z.output<z.ZodObject<typeof widgetEnvShape>>;

export interface WidgetConfig {
  /** HS256 secret shared with the host site. Null only in demo mode, where only demo tokens exist. */
  signingSecret: string | null;
  tokens: {
    issuer: string | null;
    audience: string | null;
    /** The longest a token may be valid, from its `iat` (or from now, without one) to its `exp`. */
    maxLifetimeSeconds: number;
  };
  origins: string[];
  rateLimitPerMinute: number;
  demoMode: boolean;
}

export function widgetConfigFromEnv(e: WidgetEnv): WidgetConfig {
  if (!e.WIDGET_SIGNING_SECRET && !e.DEMO_MODE) {
    throw new ConfigError('Invalid configuration: WIDGET_SIGNING_SECRET is required (or set DEMO_MODE=1 to try the app with demo identities)');
  }
  return {
    signingSecret: e.WIDGET_SIGNING_SECRET ?? null,
    tokens: {
      issuer: e.WIDGET_TOKEN_ISSUER ?? null,
      audience: e.WIDGET_TOKEN_AUDIENCE ?? null,
      maxLifetimeSeconds: Math.round(e.WIDGET_TOKEN_MAX_LIFETIME_HOURS * 3_600),
    },
    origins: e.WIDGET_ORIGINS,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    demoMode: e.DEMO_MODE,
  };
}
