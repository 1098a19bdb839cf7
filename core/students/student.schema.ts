import { z } from 'zod';
import { timeZoneSchema } from '../shared/time.schema.js';

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
  /** E.164; null only for a Slack student who has not given one yet. */
  phone: string | null;
  email: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Sites of Slack students start with this; a host site's name never may. */
export const SLACK_SITE_PREFIX = 'slack:';

/** What Slack says about a user, as the bot read it from `users.info`. */
export const slackStudentSchema = z.object({
  teamId: z.string().min(1).max(64),
  userId: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(120),
  /** Raw phone from the Slack profile; kept only if it is a valid international number. */
  phone: z.string().max(40).nullish(),
  /** Only an address Slack has confirmed (`is_email_confirmed`); it decides the link to a website student. */
  verifiedEmail: z.email().max(320).nullish(),
  timezone: timeZoneSchema,
}).strict();
export type SlackStudentInput = z.input<typeof slackStudentSchema>;

export interface SlackIdentity {
  teamId: string;
  userId: string;
  studentId: string;
  linkedBy: 'email' | 'own';
  timezone: string;
}

export interface SlackStudent {
  student: Student;
  identity: SlackIdentity;
}
