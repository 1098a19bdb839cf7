import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * Which core student a Slack user is. `_id` is `slack:<teamId>:<userId>`, so
 * the first insert wins when two requests of a new user race (see core/claims:
 * the only atomicity every MongoDB-compatible server gives is a unique `_id`).
 */
export interface SlackIdentityDoc {
  _id: string;
  teamId: string;
  userId: string;
  studentId: Types.ObjectId;
  /** `email`: the website student whose host token carries the Slack profile's verified e-mail; `own`: a student of its own. */
  linkedBy: 'email' | 'own';
  /** The user's Slack time zone when last seen, for DMs sent without a Slack request (a widget booking). */
  timezone: string;
  createdAt: Date;
  updatedAt: Date;
}

const slackIdentitySchema = new Schema<SlackIdentityDoc>(
  {
    _id: { type: String, required: true },
    teamId: { type: String, required: true },
    userId: { type: String, required: true },
    studentId: { type: Schema.Types.ObjectId, required: true },
    linkedBy: { type: String, enum: ['email', 'own'], required: true },
    timezone: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'slack_identities' },
);
slackIdentitySchema.index({ studentId: 1 });

export function slackIdentityModel(connection: Connection): Model<SlackIdentityDoc> {
  return (connection.models.SlackIdentity as Model<SlackIdentityDoc> | undefined) ?? connection.model<SlackIdentityDoc>('SlackIdentity', slackIdentitySchema);
}
