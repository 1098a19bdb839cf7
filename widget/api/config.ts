import { z } from 'zod';
import { ConfigError, envBool, envCsv, envNumber } from '../../core/shared/env.js';

/** The widget API's settings. */
export const widgetEnvShape = {
  WIDGET_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters (use a random secret)').optional(),
  WIDGET_ORIGINS: envCsv.default([]),
  RATE_LIMIT_PER_MINUTE: envNumber().int('must be a whole number').positive('must be greater than 0').default(120),
  DEMO_MODE: envBool.default(false),
};

export type WidgetEnv = z.output<z.ZodObject<typeof widgetEnvShape>>;

export interface WidgetConfig {
  /** HS256 secret shared with the host site. Null only in demo mode, which then makes its own. */
  signingSecret: string | null;
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
    origins: e.WIDGET_ORIGINS,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    demoMode: e.DEMO_MODE,
  };
}
