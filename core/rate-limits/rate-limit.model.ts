import { Schema, type Connection, type Model } from 'mongoose';

/**
 * One document per block of a key's budget claimed in a window
 * (`<key>|<window start>|<block>`); see RateLimitRepository. Counting by
 * inserting unique ids is the one increment every MongoDB-compatible server
 * makes atomic: the stand-in's `$inc` reads then writes, and loses increments
 * under concurrency.
 */
export interface RateLimitHitDoc {
  _id: string;
  key: string;
  expiresAt: Date;
}

const rateLimitHitSchema = new Schema<RateLimitHitDoc>(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'rate_limit_hits' },
);
// No TTL index: the stand-in has none. Windows past their end are pruned by the limiter.
rateLimitHitSchema.index({ expiresAt: 1 });
rateLimitHitSchema.index({ key: 1 });

export function rateLimitHitModel(connection: Connection): Model<RateLimitHitDoc> {
  return (connection.models.RateLimitHit as Model<RateLimitHitDoc> | undefined) ??
    connection.model<RateLimitHitDoc>('RateLimitHit', rateLimitHitSchema);
}
