import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import type { Clock } from '../shared/clock.js';
import { findByIds, guardDb, isDuplicateKeyError, sleep } from '../shared/db.js';
import type { ClaimDoc, ClaimKind } from './claim.model.js';
import type { OrphanCheck } from './claim.orphans.js';
import { cellsOf } from '../slots/slot.rules.js';

export type AcquireResult = { ok: true } | { ok: false; key: string; holder: string; heldSince: Date | null };

export type ExpiringResult =
  | { ok: true; /** The owner already held it (the expiry was pushed back). */ renewed: boolean }
  | { ok: false; holder: string; expiresAt: Date };

const ATTEMPTS = 3;
/** A takeover is two quick writes; one older than this was left by a crash. */
const STUCK_TAKEOVER_MS = 5_000;

/**
 * Claims are taken all-or-nothing: the keys are inserted in ascending order
 * (so two racers meet on the same first key rather than deadlocking on
 * different ones); on a duplicate key we remove our own and report who holds
 * the key. If the holder let go in the meantime we try again, so a loser of a
 * race that the other side also lost is not turned away for nothing; if the
 * holder is an orphan (see claim.orphans.ts) the colliding write frees it and
 * tries again, so nobody waits for the sweep after a crash.
 *
 * Taking, reading and releasing are by `_id` alone, the one lookup every
 * MongoDB-compatible server (the stand-in included) answers from an index.
 * Releasing "our own" permanent claim is a read by `_id`, a check of owner or
 * attempt, then a delete by `_id`. That is safe without a conditional delete
 * because such a claim is removed only by its owner, or, as an orphan, by the
 * one writer that won its takeover marker; and no claim is an orphan while its
 * owner is in the middle of writing or releasing it (ORPHAN_GRACE_MS).
 * Expiring claims (holds) can also be replaced by anyone once they lapse, so
 * every change of one (renewal, release, replacement) is made by whoever wins
 * the marker of that attempt (see changeUnderMarker), again by `_id` alone.
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

  /**
   * Takes (or renews) a claim that lapses at `expiresAt`. Neither the stand-in
   * nor real MongoDB is asked to expire anything (no TTL index): a colliding
   * write reads the holder's expiry by the injected clock and, when it has
   * passed, replaces the claim. Replacing goes through a `takeover` claim
   * keyed by the expired claim's own attempt, so of several racers only one
   * deletes that expired claim, and nobody deletes the fresh one that
   * replaces it.
   */
  async acquireExpiring(key: string, owner: string, kind: ClaimKind, expiresAt: Date, ref?: string): Promise<ExpiringResult> {
    return guardDb('claims.acquireExpiring', async () => {
      for (let attempt = 0; attempt < ATTEMPTS + 2; attempt++) {
        const doc = { _id: key, owner, kind, createdAt: this.clock.now(), attempt: randomUUID(), expiresAt, ...(ref ? { ref } : {}) };
        try {
          await this.model.collection.insertOne(doc as never);
          return { ok: true, renewed: false };
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
        const current = (await this.model.collection.findOne({ _id: key } as never)) as unknown as ClaimDoc | null;
        if (!current) continue;
        if (this.isExpired(current)) {
          // Lapsed, even if it was ours: replaced like anyone's, so a renewal cannot revive it under a new holder.
          await this.removeExpired(current);
          continue;
        }
        if (current.owner !== owner) return { ok: false, holder: current.owner, expiresAt: current.expiresAt ?? new Date(8.64e15) };
        const renewal = await this.changeUnderMarker(current, () => this.model.collection.updateOne({ _id: key } as never, { $set: { expiresAt, ...(ref ? { ref } : {}) } }));
        if (renewal === 'done') return { ok: true, renewed: true };
        if (renewal === 'busy') await sleep(5 + Math.random() * 15);
      }
      const current = (await this.model.collection.findOne({ _id: key } as never)) as unknown as ClaimDoc | null;
      return { ok: false, holder: current?.owner ?? 'unknown', expiresAt: current?.expiresAt ?? this.clock.now() };
    });
  }

  /** The claim on `key` if it is there and has not lapsed. */
  async liveClaim(key: string): Promise<ClaimDoc | null> {
    return guardDb('claims.liveClaim', async () => {
      const doc = (await this.model.collection.findOne({ _id: key } as never)) as unknown as ClaimDoc | null;
      return doc && !this.isExpired(doc) ? doc : null;
    });
  }

  /** Live claims among many keys, by _id. */
  async liveClaims(keys: string[]): Promise<ClaimDoc[]> {
    if (keys.length === 0) return [];
    return guardDb('claims.liveClaims', async () => {
      const docs = await findByIds(keys, (filter) => this.model.collection.find(filter as never).toArray() as unknown as Promise<ClaimDoc[]>);
      return docs.filter((d) => !this.isExpired(d));
    });
  }

  private isExpired(doc: ClaimDoc): boolean {
    return doc.expiresAt instanceof Date && doc.expiresAt.getTime() <= this.clock.now().getTime();
  }

  private async removeExpired(expired: ClaimDoc): Promise<void> {
    const outcome = await this.changeUnderMarker(expired, () => this.model.collection.deleteOne({ _id: expired._id } as never));
    if (outcome !== 'busy') return;
    // Another writer is replacing it; give it a moment to finish, unless it
    // stopped (crashed) long ago: then its takeover is freed for the next try.
    const takeover = markerKey(expired);
    const stuck = (await this.model.collection.findOne({ _id: takeover } as never)) as unknown as ClaimDoc | null;
    if (stuck && this.clock.now().getTime() - stuck.createdAt.getTime() > STUCK_TAKEOVER_MS) {
      await this.model.collection.deleteOne({ _id: takeover, attempt: stuck.attempt } as never);
    } else {
      await sleep(5 + Math.random() * 15);
    }
  }

  /**
   * Changes (renews or deletes) one attempt of an expiring claim by `_id`
   * alone. Its owner may renew or release it while, once it lapses, any
   * writer may replace it, so a change must not land on a claim that
   * replaced it. Conditions beside the `_id` would say so, but the stand-in
   * scans the whole collection for any such filter (seconds per booking at
   * 100,000 claims). Instead whoever changes that attempt first inserts its
   * `takeover:<key>:<attempt>` marker: one writer wins it, reads the claim
   * again, and only if it is still that attempt changes it. No one else can
   * remove that attempt meanwhile, so the write by `_id` hits it exactly.
   * The marker goes once the change is made; a later winner finds the
   * attempt gone (or renewed, and lapsed again) and acts on what is there.
   */
  private async changeUnderMarker(claim: ClaimDoc, change: () => Promise<unknown>): Promise<'done' | 'gone' | 'busy'> {
    const marker = markerKey(claim);
    try {
      await this.model.collection.insertOne({ _id: marker, owner: claim.owner, kind: 'takeover', createdAt: this.clock.now(), attempt: randomUUID() } as never);
    } catch (error) {
      if (isDuplicateKeyError(error)) return 'busy';
      throw error;
    }
    try {
      const current = await this.find(claim._id);
      if (current?.attempt !== claim.attempt) return 'gone';
      await change();
      return 'done';
    } finally {
      await this.model.collection.deleteOne({ _id: marker } as never);
    }
  }

  /**
   * Takes the first free key of `keys` (counter claims: the n-th booking a
   * limit allows). Unique inserts make it exact under any parallelism: of
   * `keys.length` counters at most that many owners can hold one. A counter
   * held by an orphan (a booking that never appeared, or let go long ago) is
   * freed and tried again, as in `acquire`. Null when every counter is held.
   */
  async acquireFirstFree(keys: string[], owner: string, kind: ClaimKind): Promise<string | null> {
    return guardDb('claims.acquireFirstFree', async () => {
      let vanished = 0;
      for (let i = 0; i < keys.length; ) {
        const _id = keys[i]!;
        try {
          await this.model.collection.insertOne({ _id, owner, kind, createdAt: this.clock.now(), attempt: randomUUID() } as never);
          return _id;
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
        const holder = await this.find(_id);
        // Let go in the meantime (a few times at most), or an orphan just freed: the same counter again.
        if (!holder ? ++vanished < ATTEMPTS : await this.healIfOrphan(holder)) continue;
        i += 1;
      }
      return null;
    });
  }

  /** Removes one owner's claims on known keys. */
  async releaseKeys(keys: string[], owner: string): Promise<void> {
    await guardDb('claims.releaseKeys', () => this.removeOwn(keys, (claim) => claim.owner === owner));
  }

  /** Like releaseKey, saying whether there was anything to release. */
  async releaseKeyCounted(key: string, owner: string): Promise<boolean> {
    return guardDb('claims.releaseKey', async () => (await this.removeOwn([key], (claim) => claim.owner === owner)) > 0);
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
   * once; only the one whose takeover marker (a unique `_id`, the one thing
   * every server inserts atomically, and the same marker expired holds are
   * replaced through) goes in first deletes it, and only if it is still that
   * very claim. True when this call freed it.
   */
  async free(orphan: ClaimDoc): Promise<boolean> {
    return guardDb('claims.free', async () => {
      try {
        await this.model.collection.insertOne({
          _id: markerKey(orphan), owner: 'orphan-healing', kind: 'takeover', createdAt: this.clock.now(), attempt: randomUUID(),
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

  /** Deletes a takeover marker nobody needs any more (see free); true if it was there. */
  async removeMarker(marker: ClaimDoc): Promise<boolean> {
    if (marker.kind !== 'takeover') throw new Error(`removeMarker: ${marker._id} is a ${marker.kind} claim, not a takeover marker`);
    return guardDb('claims.removeMarker', async () => (await this.model.collection.deleteOne({ _id: marker._id } as never)).deletedCount > 0);
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
      this.model.collection.find({} as never, { sort: { createdAt: -1 }, limit: 1 }).toArray(),
    )) as unknown as ClaimDoc[];
    return newest?.createdAt ?? null;
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

  /** Deletes those of `keys` whose claim `isOwn` accepts; how many. */
  private async removeOwn(keys: string[], isOwn: (claim: ClaimDoc) => boolean): Promise<number> {
    const removed = await Promise.all(
      keys.map(async (key) => {
        const claim = await this.find(key);
        if (!claim || !isOwn(claim)) return 0;
        if (claim.expiresAt) return (await this.changeUnderMarker(claim, () => this.model.collection.deleteOne({ _id: key } as never))) === 'done' ? 1 : 0;
        return (await this.model.collection.deleteOne({ _id: key } as never)).deletedCount;
      }),
    );
    return removed.reduce((a, b) => a + b, 0);
  }
}

/** The one key whose insert decides who may change or remove this attempt of a claim. */
const markerKey = (claim: ClaimDoc) => `takeover:${claim._id}:${claim.attempt}`;

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
  hold: (slotId: string) => `hold:${slotId}`,
  holdPointer: (studentId: string) => `holdof:${studentId}`,
  holdOwner: (studentId: string) => `student:${studentId}`,
  busyCell: (coachId: string, epochMinute: number) => `busy:${coachId}:${epochMinute}`,
  withdrawalOwner: (slotId: string) => `withdrawal:${slotId}`,
  /** Holds the booking's `cancel:` key while a move runs, so a cancellation waits for it. */
  moveOwner: (bookingId: string) => `move:${bookingId}`,
};
