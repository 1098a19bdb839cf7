import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import type { Clock } from '../shared/clock.js';
import { guardDb, isDuplicateKeyError, sleep } from '../shared/db.js';
import type { ClaimDoc, ClaimKind } from './claim.model.js';
import type { OrphanCheck } from './claim.orphans.js';
import { cellsOf } from '../slots/slot.rules.js';

export type AcquireResult = { ok: true } | { ok: false; key: string; holder: string; heldSince: Date | null };

const ATTEMPTS = 3;

/**
 * Claims are taken all-or-nothing: the keys are inserted in ascending order
 * (so two racers meet on the same first key rather than deadlocking on
 * different ones); on a duplicate key we remove our own and report who holds
 * the key. If the holder let go in the meantime we try again, so a loser of a
 * race that the other side also lost is not turned away for nothing; if the
 * holder is an orphan (see claim.orphans.ts) the colliding write frees it and
 * tries again, so nobody waits for the sweep after a crash.
 *
 * Every operation here is by `_id` alone, the one lookup every
 * MongoDB-compatible server (the stand-in included) answers from an index.
 * Removing "our own" claim is a read by `_id`, a check of owner or attempt,
 * then a delete by `_id`. That is safe without a conditional delete because a
 * claim is removed only by its owner, or, as an orphan, by the one writer that
 * won its heal marker; and no claim is an orphan while its owner is in the
 * middle of writing or releasing it (ORPHAN_GRACE_MS).
 */
export class ClaimRepository {
  constructor(
    private readonly model: Model<ClaimDoc>,
    private readonly clock: Clock,
    private readonly orphans: OrphanCheck | null = null,
  ) {}

  async acquire(keys: string[], owner: string, kind: ClaimKind): Promise<AcquireResult> {
    const sorted = [...keys].sort();
    return guardDb('claims.acquire', async () => {
      // Healing an orphan does not count as an attempt: each heal removes one claim, so it ends.
      for (let attempt = 0; ; ) {
        const createdAt = this.clock.now();
        // Rolling back by attempt, not by owner: two attempts for one owner
        // (a double click) must not remove each other's claims.
        const attemptId = randomUUID();
        let failedAt: number;
        try {
          await this.model.collection.insertMany(
            sorted.map((_id) => ({ _id, owner, kind, createdAt, attempt: attemptId })) as never[],
            { ordered: true },
          );
          return { ok: true };
        } catch (error) {
          // An ordered insert stops at the first duplicate and reports its index;
          // everything before it is ours to take back.
          const index = duplicateIndex(error);
          failedAt = index ?? sorted.length;
          await this.removeOwn(sorted.slice(0, failedAt), (claim) => claim.attempt === attemptId);
          if (!isDuplicateKeyError(error)) throw error;
        }
        const candidates = failedAt < sorted.length ? [sorted[failedAt]!] : sorted;
        let healed = false;
        for (const key of candidates) {
          const holder = await this.find(key);
          if (!holder) continue;
          if (await this.healIfOrphan(holder)) {
            healed = true;
            continue;
          }
          return { ok: false, key, holder: holder.owner, heldSince: holder.createdAt };
        }
        if (healed) continue;
        // The holder let go in the meantime: the time may well be free now.
        if (++attempt >= ATTEMPTS) return { ok: false, key: candidates[0]!, holder: 'unknown', heldSince: null };
        await sleep(5 + Math.random() * 20);
      }
    });
  }

  /** Removes one owner's claims on known keys. */
  async releaseKeys(keys: string[], owner: string): Promise<void> {
    await guardDb('claims.releaseKeys', () => this.removeOwn(keys, (claim) => claim.owner === owner));
  }

  async releaseKey(key: string, owner: string): Promise<void> {
    await this.releaseKeys([key], owner);
  }

  /** Hands a claim to a new owner (a booking's slot claim becomes the coach's withdrawal). */
  async transfer(key: string, from: string, to: string): Promise<void> {
    await guardDb('claims.transfer', async () => {
      const claim = await this.find(key);
      if (claim?.owner === from) await this.model.collection.updateOne({ _id: key } as never, { $set: { owner: to } });
    });
  }

  async holderOf(key: string): Promise<string | null> {
    return guardDb('claims.holderOf', async () => (await this.find(key))?.owner ?? null);
  }

  /**
   * Frees an orphan claim. Several writers may collide with the same orphan at
   * once; only the one whose heal marker (a unique `_id`, the one thing every
   * server inserts atomically) goes in first deletes it, and only if it is
   * still that very claim. True when this call freed it.
   */
  async free(orphan: ClaimDoc): Promise<boolean> {
    return guardDb('claims.free', async () => {
      try {
        await this.model.collection.insertOne({
          _id: `heal:${orphan._id}@${orphan.attempt}`, owner: orphan.owner, kind: 'heal', createdAt: this.clock.now(), attempt: orphan.attempt,
        } as never);
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
      const current = await this.find(orphan._id);
      if (current?.attempt !== orphan.attempt || current.owner !== orphan.owner) return false;
      await this.model.collection.deleteOne({ _id: orphan._id } as never);
      return true;
    });
  }

  /** Claims created in [since, before), in batches, for the backstop sweep: recent work only, never the whole history. */
  async *createdBetween(since: Date, before: Date, batchSize = 500): AsyncGenerator<ClaimDoc[]> {
    let after = '';
    for (;;) {
      const batch = (await guardDb('claims.scan', () =>
        this.model.collection
          .find({ createdAt: { $gte: since, $lt: before }, _id: { $gt: after } } as never)
          .sort({ _id: 1 })
          .limit(batchSize)
          .toArray(),
      )) as unknown as ClaimDoc[];
      if (batch.length === 0) return;
      yield batch;
      after = batch[batch.length - 1]!._id;
    }
  }

  /** When the newest claim was written: where the work in flight at a crash ended. */
  async newestCreatedAt(): Promise<Date | null> {
    const [newest] = (await guardDb('claims.newest', () =>
      this.model.collection.find({} as never).sort({ createdAt: -1 }).limit(1).toArray(),
    )) as unknown as ClaimDoc[];
    return newest?.createdAt ?? null;
  }

  async pruneHealMarkers(before: Date): Promise<void> {
    await guardDb('claims.pruneHealMarkers', () => this.model.collection.deleteMany({ kind: 'heal', createdAt: { $lt: before } } as never));
  }

  private async find(key: string): Promise<ClaimDoc | null> {
    return (await this.model.collection.findOne({ _id: key } as never)) as unknown as ClaimDoc | null;
  }

  private async healIfOrphan(claim: ClaimDoc): Promise<boolean> {
    if (!this.orphans) return false;
    const [orphan] = await this.orphans([claim]);
    if (!orphan) return false;
    // Freed by us, or being freed by another writer that collided with it too: either way, try again.
    if (!(await this.free(orphan))) await sleep(5 + Math.random() * 20);
    return true;
  }

  private async removeOwn(keys: string[], isOwn: (claim: ClaimDoc) => boolean): Promise<void> {
    await Promise.all(
      keys.map(async (key) => {
        const claim = await this.find(key);
        if (claim && isOwn(claim)) await this.model.collection.deleteOne({ _id: key } as never);
      }),
    );
  }
}

function duplicateIndex(error: unknown): number | null {
  const e = error as { writeErrors?: Array<{ index?: number; code?: number }> | { index?: number; code?: number }; index?: number };
  const first = Array.isArray(e?.writeErrors) ? e.writeErrors[0] : e?.writeErrors;
  if (typeof first?.index === 'number' && first.code === 11000) return first.index;
  return null;
}

export const claimKeys = {
  coachCell: (coachId: string, epochMinute: number) => `coach:${coachId}:${epochMinute}`,
  studentCell: (studentId: string, epochMinute: number) => `student:${studentId}:${epochMinute}`,
  coachCells: (coachId: string, t: { startsAt: Date; endsAt: Date }) => cellsOf(t.startsAt, t.endsAt).map((c) => `coach:${coachId}:${c}`),
  studentCells: (studentId: string, t: { startsAt: Date; endsAt: Date }) => cellsOf(t.startsAt, t.endsAt).map((c) => `student:${studentId}:${c}`),
  slot: (slotId: string) => `slot:${slotId}`,
  cancel: (bookingId: string) => `cancel:${bookingId}`,
  removalOwner: (slotId: string) => `removal:${slotId}`,
  withdrawalOwner: (slotId: string) => `withdrawal:${slotId}`,
};
