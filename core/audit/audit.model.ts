import { Schema, type Connection, type Model } from 'mongoose';
import { ACTOR_KINDS, AUDIT_ACTIONS, type AuditAction, type AuditActor, type AuditDetails } from './audit.schema.js';

export interface AuditDoc {
  /** A string key: deterministic where an action can be reported twice (a resumed booking), so it is recorded once. */
  _id: string;
  teamId: string;
  at: Date;
  actor: AuditActor;
  action: AuditAction;
  coachId: string;
  bookingId: string | null;
  slotId: string | null;
  seriesId: string | null;
  details: AuditDetails;
  /** Breaks ties between entries of the same millisecond (see the repository). */
  rank: number;
}

const auditSchema = new Schema<AuditDoc>(
  {
    _id: { type: String, required: true },
    teamId: { type: String, required: true },
    at: { type: Date, required: true },
    actor: {
      type: new Schema({ kind: { type: String, enum: ACTOR_KINDS, required: true }, id: { type: String, required: true } }, { _id: false }),
      required: true,
    },
    action: { type: String, enum: AUDIT_ACTIONS, required: true },
    coachId: { type: String, required: true },
    bookingId: { type: String, default: null },
    slotId: { type: String, default: null },
    seriesId: { type: String, default: null },
    details: { type: Schema.Types.Mixed, default: {} },
    rank: { type: Number, required: true },
  },
  { versionKey: false, collection: 'audit_entries', minimize: false },
);
// "Per session" reads: a session's own entries, those of the slots it occupied, and its series' creation.
auditSchema.index({ bookingId: 1, at: 1 });
auditSchema.index({ slotId: 1, at: 1 });
auditSchema.index({ seriesId: 1, at: 1 });
// An admin's recent activity in their workspace.
auditSchema.index({ teamId: 1, at: -1 });

export function auditModel(connection: Connection): Model<AuditDoc> {
  return (connection.models.AuditEntry as Model<AuditDoc> | undefined) ?? connection.model<AuditDoc>('AuditEntry', auditSchema);
}
