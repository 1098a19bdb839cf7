import { Schema, type Connection, type Model } from 'mongoose';

/**
 * A claim is a uniquely keyed document that says "this piece of time (or this
 * slot) belongs to that owner". Invariants rest on the `_id` unique index,
 * which every MongoDB-compatible server enforces atomically, rather than on
 * transactions or an atomic findOneAndUpdate (neither of which the FerretDB
 * stand-in provides). Keys:
 *   coach:<coachId>:<epochMinute>     a live slot occupies that 15-minute cell
 *   student:<studentId>:<epochMinute> an active session occupies that cell
 *   slot:<slotId>                     the slot's one booking (or its removal)
 *   cancel:<bookingId>                the booking's one cancellation
 *   hold:<slotId>                     a student's short hold on a slot (expires)
 *   holdof:<studentId>                which slot that student holds (expires with it)
 *   takeover:<key>:<generation>       one winner for replacing an expired claim
 *   limit:…:<n>                       the n-th booking a limit allows (see core/policy)
 *   busy:<coachId>:<epochMinute>      a booked session and the buffer before it
 */
export interface ClaimDoc {
  _id: string;
  owner: string;
  kind: ClaimKind;
  createdAt: Date;
  /** Which insert attempt wrote it, so a failed attempt removes only its own. */
  attempt: string;
  /** Set on claims that lapse by themselves (holds): past it, the claim no longer counts. */
  expiresAt?: Date;
  /** Free-form data an expiring claim carries (the held slot of a hold pointer). */
  ref?: string;
}

export type ClaimKind = 'coach-cell' | 'student-cell' | 'slot' | 'cancel' | 'hold' | 'hold-pointer' | 'takeover' | 'limit' | 'busy-cell';

const claimSchema = new Schema<ClaimDoc>(
  {
    _id: { type: String, required: true },
    owner: { type: String, required: true },
    kind: { type: String, required: true },
    createdAt: { type: Date, required: true },
    attempt: { type: String, required: true },
    expiresAt: { type: Date, required: false },
    ref: { type: String, required: false },
  },
  { versionKey: false, collection: 'claims' },
);
claimSchema.index({ owner: 1 });
claimSchema.index({ createdAt: 1 });

export function claimModel(connection: Connection): Model<ClaimDoc> {
  return (connection.models.Claim as Model<ClaimDoc> | undefined) ?? connection.model<ClaimDoc>('Claim', claimSchema);
}
