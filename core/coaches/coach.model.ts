import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { DEFAULT_REMINDER_MINUTES_BEFORE } from './coach.schema.js';

export interface CoachSettingsDoc {
  bufferMinutes: number;
  dailyCap: number | null;
  minNoticeHours: number | null;
}

export interface CoachDoc {
  _id: Types.ObjectId;
  teamId: string;
  slackUserId: string;
  name: string;
  /** Lower-cased name, for a stable listing order. */
  sortName: string;
  bio: string;
  timezone: string;
  avatarUrl: string | null;
  phone: string | null;
  email: string | null;
  /** Minutes before each session the coach is reminded by DM; null turns reminders off. */
  reminderMinutesBefore: number | null;
  /** Absent on coaches stored before settings existed: read as the defaults. */
  settings?: CoachSettingsDoc;
  createdAt: Date;
  updatedAt: Date;
}

const coachSchema = new Schema<CoachDoc>(
  {
    teamId: { type: String, required: true },
    slackUserId: { type: String, required: true },
    name: { type: String, required: true, maxlength: 120 },
    sortName: { type: String, required: true },
    bio: { type: String, default: '', maxlength: 1000 },
    timezone: { type: String, required: true },
    avatarUrl: { type: String, default: null },
    phone: { type: String, default: null, match: /^\+[1-9]\d{6,14}$/ },
    email: { type: String, default: null },
    reminderMinutesBefore: { type: Number, default: DEFAULT_REMINDER_MINUTES_BEFORE },
    settings: {
      type: new Schema<CoachSettingsDoc>(
        {
          bufferMinutes: { type: Number, enum: [0, 15, 30], default: 0 },
          dailyCap: { type: Number, default: null, min: 1 },
          minNoticeHours: { type: Number, default: null, min: 0 },
        },
        { _id: false },
      ),
      default: () => ({ bufferMinutes: 0, dailyCap: null, minNoticeHours: null }),
    },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'coaches' },
);
// One coach per Slack user per workspace: a second workspace is a second team id.
coachSchema.index({ teamId: 1, slackUserId: 1 }, { unique: true });
coachSchema.index({ sortName: 1, _id: 1 });
coachSchema.index({ teamId: 1, sortName: 1, _id: 1 });

export function coachModel(connection: Connection): Model<CoachDoc> {
  return (connection.models.Coach as Model<CoachDoc> | undefined) ?? connection.model<CoachDoc>('Coach', coachSchema);
}
