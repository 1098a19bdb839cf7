import { Schema, type Connection, type Model } from 'mongoose';

/** One record per idempotent request: the first delivery stores its result, retries replay it. */
export interface IdempotencyDoc {
  _id: string;
  fingerprint: string;
  state: 'pending' | 'done';
  result: unknown;
  createdAt: Date;
  /** While pending: the run holding the key is presumed alive until then. Absent on records from before leases. */
  leaseUntil?: Date;
}

const idempotencySchema = new Schema<IdempotencyDoc>(
  {
    _id: { type: String, required: true },
    fingerprint: { type: String, required: true },
    state: { type: String, enum: ['pending', 'done'], required: true },
    result: { type: Schema.Types.Mixed, default: null },
    createdAt: { type: Date, required: true },
    leaseUntil: { type: Date },
  },
  { versionKey: false, collection: 'idempotency_records', minimize: false },
);
// No TTL index: the stand-in has none. Old records are pruned by the start-up sweep.
idempotencySchema.index({ createdAt: 1 });

export function idempotencyModel(connection: Connection): Model<IdempotencyDoc> {
  return (connection.models.IdempotencyRecord as Model<IdempotencyDoc> | undefined) ??
    connection.model<IdempotencyDoc>('IdempotencyRecord', idempotencySchema);
}
