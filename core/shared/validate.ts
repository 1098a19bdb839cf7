import type { z } from 'zod';
import { DomainError } from './errors.js';

/** Parses input with a zod schema, turning failure into `validation.failed` with one issue per path. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  const summary = issues.map((i) => (i.path === '(root)' ? i.message : `${i.path}: ${i.message}`)).join('; ');
  throw new DomainError('validation.failed', `Invalid input: ${summary}`, { issues });
}
