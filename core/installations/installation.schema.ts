import { z } from 'zod';

/**
 * One workspace's installation of the Slack app (multi-workspace mode): who
 * installed it, the bot's ids and scopes, when the bot token expires (token
 * rotation), and the credentials themselves, sealed by the Slack edge before
 * they get here. Core never sees a token in the clear, so nothing it stores
 * or logs can leak one.
 */
export const installationRecordSchema = z.object({
  teamId: z.string().regex(/^T[A-Z0-9]{1,30}$/, 'must be a Slack team id such as T0123ABCD'),
  teamName: z.string().max(200).nullable(),
  appId: z.string().max(64).nullable(),
  botId: z.string().max(64),
  botUserId: z.string().max(64),
  installerUserId: z.string().max(64),
  scopes: z.array(z.string().max(100)).max(100),
  /** When the bot token stops working; null without token rotation. */
  tokenExpiresAt: z.date().nullable(),
  /** The credentials (bot token, refresh token, …), encrypted: opaque to core. */
  sealed: z.string().min(1).max(20_000),
}).strict();
export type InstallationRecordInput = z.input<typeof installationRecordSchema>;

export interface InstallationRecord {
  teamId: string;
  teamName: string | null;
  appId: string | null;
  botId: string;
  botUserId: string;
  installerUserId: string;
  scopes: string[];
  tokenExpiresAt: Date | null;
  sealed: string;
  /** First installed; kept across reinstalls and token refreshes. */
  installedAt: Date;
  updatedAt: Date;
}
