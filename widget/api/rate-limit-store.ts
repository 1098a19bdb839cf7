import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type pino from 'pino';
import type { RateLimitRepository, RateLimitWindow } from '../../core/rate-limits/rate-limit.repository.js';

/**
 * express-rate-limit's documented Store interface over core's shared
 * counters, so the limits hold across every instance of the app. Store
 * packages for MongoDB count with `findOneAndUpdate` + `$inc`, which the
 * stand-in does not make atomic (concurrent increments are lost); core counts
 * with unique inserts instead. Windows are fixed and follow the real clock,
 * like the limiter's own memory store.
 */
export class SharedRateLimitStore implements Store {
  readonly localKeys = false;
  private windowMs = 60_000;
  private pruner: NodeJS.Timeout | null = null;

  constructor(
    private readonly counters: RateLimitRepository,
    private readonly limit: number,
    readonly prefix: string,
    private readonly logger: pino.Logger,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
    this.pruner = setInterval(() => {
      this.counters.prune(new Date()).catch((error: unknown) => this.logger.warn({ err: error }, 'could not prune old rate-limit counts'));
    }, this.windowMs);
    this.pruner.unref();
  }

  async get(key: string): Promise<ClientRateLimitInfo> {
    const window = this.window();
    return { totalHits: await this.counters.count(this.prefix + key, window, this.limit), resetTime: window.end };
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const window = this.window();
    return { totalHits: await this.counters.hit(this.prefix + key, window, this.limit), resetTime: window.end };
  }

  async decrement(key: string): Promise<void> {
    await this.counters.unhit(this.prefix + key, this.window());
  }

  async resetKey(key: string): Promise<void> {
    await this.counters.reset(this.prefix + key);
  }

  shutdown(): void {
    if (this.pruner) clearInterval(this.pruner);
  }

  private window(): RateLimitWindow {
    const start = Math.floor(Date.now() / this.windowMs) * this.windowMs;
    return { start: new Date(start), end: new Date(start + this.windowMs) };
  }
}
