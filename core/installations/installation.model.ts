import { Schema, type Connection, type Model } from 'mongoose';
import type { InstallationRecord } from './installation.schema.js';

/** The record as stored: the Slack team id is the `_id`, so one installation per workspace is enforced by the database. */
export type InstallationDoc = Omit<InstallationRecord, 'teamId'> & { _id: string };

const installationSchema = new Schema<InstallationDoc>(
  {
    _id: { type: String, required: true },
    teamName: { type: String, default: null },
    appId: { type: String, default: null },
    botId: { type: String, required: true },
    botUserId: { type: String, required: true },
    installerUserId: { type: String, required: true },
    scopes: { type: [String], default: [] },
    tokenExpiresAt: { type: Date, default: null },
    sealed: { type: String, required: true },
    installedAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'installations' },
);

export function installationModel(connection: Connection): Model<InstallationDoc> {
  return (connection.models.Installation as Model<InstallationDoc> | undefined) ?? connection.model<InstallationDoc>('Installation', installationSchema);
}
