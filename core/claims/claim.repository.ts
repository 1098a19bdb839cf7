import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import type { Clock } from '../shared/clock.js';
import { guardDb, isDuplicateKeyError, sleep } from '../shared/db.js';
import type { ClaimDoc, ClaimKind } from './claim.model.js';

export type AcquireResult = { ok: true } | { ok: false; key: string; holder: string };

const ATTEMPTS = 3;

/**
 * Claims are taken all-or-nothing: the keys are inserted in ascending order
 * (so two racers meet on the same first key rather than deadlocking on
 * different ones); on a duplicate key we remove our own and report who holds
 * the key. If the holder let go in the meantime we try again, so a loser of a
 * race that the other side also lost is not turned away for nothing.
 */
export class ClaimRepository {
  constructor(
    private readonly model: Model<ClaimDoc>,
    private readonly clock: Clock,
  ) {}

  async acquire(keys: string[], owner: string, kind: ClaimKind): Promise<AcquireResult> {
    const sorted = [...keys].sort();
    return guardDb('claims.acquire', async () => {
      let lastConflict: { key: string; holder: string } | null = null;
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const createdAt = this.clock.now();
        // Rolling back by attempt, not by owner: two attempts for one owner
        // (a double click) must not remove each other's claims.
        const attemptId = randomUUID();
        try {
          await this.model.collection.insertMany(
            sorted.map((_id) => ({ _id, owner, kind, createdAt, attempt: attemptId })) as never[],
            { ordered: true },
          );
          return { ok: true };
        } catch (error) {
          await this.model.collection.deleteMany({ _id: { $in: sorted }, attempt: attemptId } as never);
          if (!isDuplicateKeyError(error)) throw error;
        }
        const holders = await this.model.collection
          .find({ _id: { $in: sorted } } as never)
          .sort({ _id: 1 })
          .limit(1)
          .toArray();
        const holder = holders[0] as unknown as ClaimDoc | undefined;
        if (holder) return { ok: false, key: holder._id, holder: holder.owner };
        lastConflict = { key: sorted[0]!, holder: 'unknown' };
        await sleep(5 + Math.random() * 20);
      }
      return { ok: false, ...lastConflict! };
    });
  }

  /** Removes an owner's claims (of one kind, if given). */
  async release(owner: string, kind?: ClaimKind): Promise<void> {
    await guardDb('claims.release', () =>
      this.model.collection.deleteMany((kind ? { owner, kind } : { owner }) as never),
    );
  }

  async releaseKey(key: string, owner: string): Promise<void> {
    await guardDb('claims.releaseKey', () => this.model.collection.deleteOne({ _id: key, owner } as never));
  }

  /** Hands a claim to a new owner (a booking's slot claim becomes the coach's withdrawal). */
  async transfer(key: string, from: string, to: string): Promise<void> {
    await guardDb('claims.transfer', () => this.model.collection.updateOne({ _id: key, owner: from } as never, { $set: { owner: to } }));
  }

  async holderOf(key: string): Promise<string | null> {
    return guardDb('claims.holderOf', async () => {
      const doc = (await this.model.collection.findOne({ _id: key } as never)) as unknown as ClaimDoc | null;
      return doc?.owner ?? null;
    });
  }

  /** Claims older than `before`, in batches, for the orphan sweep. */
  async *olderThan(before: Date, batchSize = 500): AsyncGenerator<ClaimDoc[]> {
    let after = '';
    for (;;) {
      const batch = (await guardDb('claims.scan', () =>
        this.model.collection
          .find({ createdAt: { $lt: before }, _id: { $gt: after } } as never)
          .sort({ _id: 1 })
          .limit(batchSize)
          .toArray(),
      )) as unknown as ClaimDoc[];
      if (batch.length === 0) return;
      yield batch;
      after = batch[batch.length - 1]!._id;
    }
  }

  async deleteKeys(keys: string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const result = await guardDb('claims.deleteKeys', () => this.model.collection.deleteMany({ _id: { $in: keys } } as never));
    return result.deletedCount;
  }
}

export const claimKeys = {
  coachCell: (coachId: string, epochMinute: number) => `coach:${coachId}:${epochMinute}`,
  studentCell: (studentId: string, epochMinute: number) => `student:${studentId}:${epochMinute}`,
  slot: (slotId: string) => `slot:${slotId}`,
  cancel: (bookingId: string) => `cancel:${bookingId}`,
  removalOwner: (slotId: string) => `removal:${slotId}`,
  withdrawalOwner: (slotId: string) => `withdrawal:${slotId}`,
};
