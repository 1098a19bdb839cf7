import { z } from 'zod';

/**
 * Helpers for the faces' configuration schemas. Each face (core's rules, the
 * Slack app, the widget API, the process) owns the environment variables it
 * reads; the process merges their shapes and validates the environment once.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const envBool = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', ''], { error: 'must be 1 or 0 (true or false)' })
  .transform((v) => ['1', 'true', 'yes'].includes(v));
export const envCsv = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));
export const envNumber = () => z.coerce.number({ error: 'must be a number' });
export const envPositive = (fallback: number) => envNumber().positive('must be greater than 0').default(fallback);

/** Validates `env` against a shape; the first problem becomes one line naming the variable. */
export function parseEnv<Shape extends z.ZodRawShape>(shape: Shape, env: Record<string, string | undefined>): z.output<z.ZodObject<Shape>> {
  const result = z.object(shape).safeParse(env);
  if (!result.success) {
    const first = result.error.issues[0]!;
    const variable = String(first.path[0] ?? 'environment');
    throw new ConfigError(`Invalid configuration: ${variable} ${first.message}`);
  }
  return result.data;
}
