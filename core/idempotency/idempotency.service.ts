import type { Clock } from '../shared/clock.js';
import { sleep } from '../shared/db.js';
import { DomainError, isDomainError } from '../shared/errors.js';
import type { IdempotencyRepository } from './idempotency.repository.js';

export interface IdempotentRun {
  /** True when this run took the key over from an earlier run that never finished (it crashed). */
  takeover: boolean;
}

export interface IdempotencyService {
  /**
   * Runs `fn` once per (scope, key). A repeat with the same fingerprint gets the
   * first run's stored result back (`replayed: true`); a repeat with another
   * fingerprint is refused. If `fn` throws, nothing is kept, so a retry runs again.
   * A run holds the key for a lease; a repeat that finds the lease run out
   * (the first run died) runs `fn` itself, with `takeover: true`.
   */
  once<T>(scope: string, key: string, fingerprint: string, fn: (run: IdempotentRun) => Promise<T>): Promise<{ result: T; replayed: boolean }>;
}

/** How long a repeat waits, in real time, for the run holding the key before answering `idempotency.in_progress`. */
const WAIT_MS = 5_000;
const POLL_MS = 25;

export function createIdempotencyService(repo: IdempotencyRepository, clock: Clock, leaseSeconds: number): IdempotencyService {
  const leaseFrom = (now: Date) => new Date(now.getTime() + leaseSeconds * 1_000);

  async function run<T>(id: string, leaseUntil: Date, takeover: boolean, fn: (run: IdempotentRun) => Promise<T>) {
    let result: T;
    try {
      result = await fn({ takeover });
    } catch (error) {
      // With the database away, the caller is answered now; the lease lets a retry take over anyway.
      if (isDomainError(error, 'service.unavailable')) void repo.abandon(id, leaseUntil).catch(() => {});
      else await repo.abandon(id, leaseUntil);
      throw error;
    }
    await repo.complete(id, result);
    return { result, replayed: false };
  }

  return {
    async once(scope, key, fingerprint, fn) {
      const id = `${scope}:${key}`;
      const started = Date.now();
      for (;;) {
        const now = clock.now();
        const leaseUntil = leaseFrom(now);
        if (await repo.begin(id, fingerprint, now, leaseUntil)) return run(id, leaseUntil, false, fn);
        for (;;) {
          const record = await repo.find(id);
          if (!record) break; // the first run failed and let go: start afresh
          if (record.fingerprint !== fingerprint) throw new DomainError('idempotency.key_reused');
          if (record.state === 'done') return { result: record.result as never, replayed: true };
          const held = record.leaseUntil ?? leaseFrom(record.createdAt);
          const at = clock.now();
          if (held.getTime() <= at.getTime()) {
            const lease = leaseFrom(at);
            if (await repo.takeOver(record, held, at, lease)) return run(id, lease, true, fn);
            continue;
          }
          if (Date.now() - started > WAIT_MS) {
            const seconds = Math.max(1, Math.ceil((held.getTime() - at.getTime()) / 1_000));
            throw new DomainError('idempotency.in_progress', undefined, { retryAfterSeconds: seconds });
          }
          await sleep(POLL_MS);
        }
      }
    },
  };
}
