import { Schema, type Connection, type Model } from 'mongoose';

export interface InstallationDoc {
  /** The Slack team id: one installation per workspace, enforced by `_id`. */
  _id: string;
  teamName: string | null;
  appId: string | null;
  botId: string;
  botUserId: string;
  installerUserId: string;
  scopes: string[];
  tokenExpiresAt: Date | null;
  sealed: string;
  installedAt: Date;
  updatedAt: Date;
}

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
