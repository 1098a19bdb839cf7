import type { Model } from 'mongoose';
import { guardDb, isDuplicateKeyError } from '../shared/db.js';
import type { IdempotencyDoc } from './idempotency.model.js';

export class IdempotencyRepository {
  constructor(private readonly model: Model<IdempotencyDoc>) {}

  /** Starts a record; false when one with this key exists already. */
  async begin(key: string, fingerprint: string, now: Date): Promise<boolean> {
    try {
      await this.model.collection.insertOne({ _id: key, fingerprint, state: 'pending', result: null, createdAt: now } as never);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      return guardDb('idempotency.begin', () => Promise.reject(error));
    }
  }

  async find(key: string): Promise<IdempotencyDoc | null> {
    return guardDb('idempotency.find', async () => (await this.model.collection.findOne({ _id: key } as never)) as IdempotencyDoc | null);
  }

  async complete(key: string, result: unknown): Promise<void> {
    await guardDb('idempotency.complete', () =>
      this.model.collection.updateOne({ _id: key } as never, { $set: { state: 'done', result: result ?? null } }),
    );
  }

  async abandon(key: string): Promise<void> {
    await guardDb('idempotency.abandon', () => this.model.collection.deleteOne({ _id: key } as never));
  }

  async pruneOlderThan(before: Date): Promise<number> {
    const result = await guardDb('idempotency.prune', () => this.model.collection.deleteMany({ createdAt: { $lt: before } } as never));
    return result.deletedCount;
  }
}
