import { z } from 'zod';

/**
 * A student is identified by the id the host site gives them (the token's
 * `sub`), scoped by `site` so one deployment can serve several host sites.
 */
export const studentUpsertSchema = z.object({
  site: z.string().min(1).max(64).default('default'),
  externalId: z.string().trim().min(1).max(200),
  name: z.string().trim().min(1).max(120),
  phone: z.string().max(40),
  email: z.email().max(320).nullish(),
}).strict();
export type StudentUpsertInput = z.input<typeof studentUpsertSchema>;

export interface Student {
  id: string;
  site: string;
  externalId: string;
  name: string;
  /** E.164. */
  phone: string;
  email: string | null;
  createdAt: Date;
  updatedAt: Date;
}
