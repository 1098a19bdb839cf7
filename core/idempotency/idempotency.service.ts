import type { Clock } from '../shared/clock.js';
import { sleep } from '../shared/db.js';
import { DomainError } from '../shared/errors.js';
import type { IdempotencyRepository } from './idempotency.repository.js';

export interface IdempotencyService {
  /**
   * Runs `fn` once per (scope, key). A repeat with the same fingerprint gets the
   * first run's stored result back (`replayed: true`); a repeat with another
   * fingerprint is refused. If `fn` throws, nothing is kept, so a retry runs again.
   */
  once<T>(scope: string, key: string, fingerprint: string, fn: () => Promise<T>): Promise<{ result: T; replayed: boolean }>;
}

const WAIT_MS = 5_000;

export function createIdempotencyService(repo: IdempotencyRepository, clock: Clock): IdempotencyService {
  return {
    async once(scope, key, fingerprint, fn) {
      const id = `${scope}:${key}`;
      if (await repo.begin(id, fingerprint, clock.now())) {
        let result;
        try {
          result = await fn();
        } catch (error) {
          await repo.abandon(id);
          throw error;
        }
        await repo.complete(id, result);
        return { result, replayed: false };
      }
      const started = Date.now();
      for (;;) {
        const record = await repo.find(id);
        if (!record) return this.once(scope, key, fingerprint, fn); // the first run failed and let go
        if (record.fingerprint !== fingerprint) throw new DomainError('idempotency.key_reused');
        if (record.state === 'done') return { result: record.result as never, replayed: true };
        if (Date.now() - started > WAIT_MS) throw new DomainError('idempotency.in_progress');
        await sleep(25);
      }
    },
  };
}
