import { z } from 'zod';
import { ConfigError, envCsv } from '../../core/shared/env.js';

/** Email to students and webhooks to the host site: each is off until its settings are given. */
export const notificationsEnvShape = {
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL such as smtps://user:pass@smtp.example.org:465')
    .optional(),
  MAIL_FROM: z.string().trim().min(3).max(320).optional(),
  WEBHOOK_URLS: envCsv.pipe(z.array(z.url({ error: 'must be a comma-separated list of http(s) URLs' }))).default([]),
  WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters (use a random secret)').optional(),
};

export type NotificationsEnv = z.output<z.ZodObject<typeof notificationsEnvShape>>;

export interface MailAddress {
  name: string;
  email: string;
}

export interface NotificationsConfig {
  /** Null: email is off (no SMTP_URL). */
  smtpUrl: string | null;
  /** The sender of student email and the ORGANIZER address of every calendar file. */
  from: MailAddress;
  webhooks: { urls: string[]; secret: string } | null;
}

const ADDRESS = /^(?:"?([^"<]*)"?\s*)?<([^<>\s@]+@[^<>\s@]+)>$|^([^<>\s@]+@[^<>\s@]+)$/;

export function notificationsConfigFromEnv(e: NotificationsEnv, publicUrl: string | null): NotificationsConfig {
  const fallbackHost = publicUrl ? new URL(publicUrl).hostname : 'localhost';
  const raw = e.MAIL_FROM ?? `Coaching scheduler <scheduler@${fallbackHost}>`;
  const match = ADDRESS.exec(raw);
  if (!match) throw new ConfigError('Invalid configuration: MAIL_FROM must be an address such as "Coaching <coaching@example.org>" or coaching@example.org');
  const from = { name: (match[1] ?? '').trim() || 'Coaching scheduler', email: (match[2] ?? match[3])! };
  if (e.WEBHOOK_URLS.length && !e.WEBHOOK_SECRET) throw new ConfigError('Invalid configuration: WEBHOOK_SECRET is required when WEBHOOK_URLS is set');
  for (const url of e.WEBHOOK_URLS) {
    if (!/^https?:\/\//.test(url)) throw new ConfigError(`Invalid configuration: WEBHOOK_URLS must hold http(s) URLs, not ${url}`);
  }
  return {
    smtpUrl: e.SMTP_URL ?? null,
    from,
    webhooks: e.WEBHOOK_URLS.length ? { urls: e.WEBHOOK_URLS, secret: e.WEBHOOK_SECRET! } : null,
  };
}
