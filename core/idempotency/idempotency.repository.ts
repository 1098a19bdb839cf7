import type { Model } from 'mongoose';
import { guardDb, guardInsert } from '../shared/db.js';
import type { IdempotencyDoc } from './idempotency.model.js';

export class IdempotencyRepository {
  constructor(private readonly model: Model<IdempotencyDoc>) {}

  /** Starts a record holding the key until `leaseUntil`; false when one with this key exists already. */
  async begin(key: string, fingerprint: string, now: Date, leaseUntil: Date): Promise<boolean> {
    return this.insertUnique('idempotency.begin', { _id: key, fingerprint, state: 'pending', result: null, createdAt: now, leaseUntil });
  }

  /**
   * Takes over a pending record whose lease has run out. Of several retries
   * racing for the same expired lease exactly one wins: each inserts a marker
   * keyed by the lease it takes over, and only one insert of a key succeeds
   * (the one operation every MongoDB-compatible server makes atomic).
   */
  async takeOver(record: IdempotencyDoc, expiredLease: Date, now: Date, leaseUntil: Date): Promise<boolean> {
    const marker = `${record._id}#lease:${expiredLease.getTime()}`;
    const won = await this.insertUnique('idempotency.takeover', {
      _id: marker,
      fingerprint: record.fingerprint,
      state: 'done',
      result: null,
      createdAt: now,
    });
    if (won) {
      await guardDb('idempotency.takeover', () => this.model.collection.updateOne({ _id: record._id } as never, { $set: { leaseUntil } }));
    }
    return won;
  }

  async find(key: string): Promise<IdempotencyDoc | null> {
    return guardDb('idempotency.find', async () => (await this.model.collection.findOne({ _id: key } as never)) as IdempotencyDoc | null);
  }

  async complete(key: string, result: unknown): Promise<void> {
    await guardDb('idempotency.complete', () =>
      this.model.collection.updateOne({ _id: key } as never, { $set: { state: 'done', result: result ?? null } }),
    );
  }

  /**
   * Lets go of a key whose run failed, so a retry runs again. Only the run
   * still holding the lease deletes it: a run that lost its lease to a
   * retry must not delete the retry's record.
   */
  async abandon(key: string, leaseUntil: Date): Promise<void> {
    const record = await this.find(key);
    if (record?.state !== 'pending' || record.leaseUntil?.getTime() !== leaseUntil.getTime()) return;
    await guardDb('idempotency.abandon', () => this.model.collection.deleteOne({ _id: key } as never));
  }

  async pruneOlderThan(before: Date): Promise<number> {
    const result = await guardDb('idempotency.prune', () => this.model.collection.deleteMany({ createdAt: { $lt: before } } as never));
    return result.deletedCount;
  }

  private async insertUnique(operation: string, doc: IdempotencyDoc): Promise<boolean> {
    return (await guardInsert(operation, () => this.model.collection.insertOne(doc as never))) !== null;
  }
}
