/** How long the watch waits between pings while the database is stalled. */
const PROBE_EVERY_MS = 200;

export class DatabaseStalled extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'DatabaseStalled';
  }
}

interface Waiting {
  startedAt: number;
  reject: (error: Error) => void;
}

/**
 * Bounds what a caller waits on the database across every call it makes,
 * where the driver's own limits cannot. A stalled server (paused, swapping,
 * partitioned without a reset) keeps its sockets open: each call waits out
 * the socket limit, a call that needs a pooled connection first waits out
 * the pool's limit too, and a request that makes several calls adds them
 * up, 2 to 3.5 s for a 1.5 s setting.
 *
 * The watch is a circuit breaker. When a call has waited the stall window
 * (two thirds of the limit) and nothing at all has answered in that time,
 * the database is stalled: every waiting call is given up at once, and new
 * calls fail at once without being sent, so nothing more piles up on the
 * server to land later. A ping every 200 ms finds the database again, and
 * the first answer closes the circuit. A server error (a duplicate key) is
 * an answer; a network error is not.
 *
 * One watch per process, because a stall is judged by whether anything
 * answers: a second, healthy connection in the same process keeps it shut.
 * Unbounded (no limit set: scripts, benchmarks) it only passes calls through.
 */
export class DatabaseWatch {
  private limitMs: number | null = null;
  private probe: (() => Promise<unknown>) | null = null;
  private lastAnswerAt = Date.now();
  private stalledSince: number | null = null;
  private probing: NodeJS.Timeout | null = null;
  private readonly waiting = new Set<Waiting>();

  /** Sets the bound (MONGODB_TIMEOUT_MS) and how to ping the database while it is stalled; null unbinds. */
  bound(limitMs: number | null, probe: (() => Promise<unknown>) | null = null): void {
    this.limitMs = limitMs;
    this.probe = probe;
    if (limitMs === null) this.answered();
  }

  get stalled(): boolean {
    return this.stalledSince !== null;
  }

  private get windowMs(): number {
    return Math.max(100, Math.round((this.limitMs ?? 0) * (2 / 3)));
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.limitMs === null) return fn();
    if (this.stalledSince !== null) throw new DatabaseStalled(`the database has not answered since ${new Date(this.lastAnswerAt).toISOString()}`);
    // A mongoose query is a thenable that runs each time it is awaited: settle it once.
    const call = Promise.resolve(fn());
    const entry: Waiting = { startedAt: Date.now(), reject: () => {} };
    const givenUp = new Promise<never>((_, reject) => (entry.reject = reject));
    this.waiting.add(entry);
    const timer = setTimeout(() => this.check(entry), this.windowMs);
    call.then(
      () => this.answered(),
      (error: unknown) => (isServerAnswer(error) ? this.answered() : this.unanswered()),
    );
    try {
      return await Promise.race([call, givenUp]);
    } finally {
      clearTimeout(timer);
      this.waiting.delete(entry);
      // A call given up on settles later; its failure belongs to the stall, already reported.
      call.catch(() => {});
    }
  }

  /** A call has waited the window: stalled if nothing answered in it, otherwise look again when it would be. */
  private check(entry: Waiting): void {
    if (!this.waiting.has(entry)) return;
    const sinceAnswer = Date.now() - this.lastAnswerAt;
    if (sinceAnswer >= this.windowMs) return this.trip();
    const age = Date.now() - entry.startedAt;
    const limit = this.limitMs ?? Infinity;
    if (age >= limit) return entry.reject(new DatabaseStalled(`the database did not answer within ${age} ms`));
    setTimeout(() => this.check(entry), Math.min(this.windowMs - sinceAnswer, limit - age));
  }

  private unanswered(): void {
    if (this.limitMs !== null && Date.now() - this.lastAnswerAt >= this.windowMs) this.trip();
  }

  private trip(): void {
    if (this.stalledSince === null) this.stalledSince = Date.now();
    const error = new DatabaseStalled(`the database has not answered for ${Date.now() - this.lastAnswerAt} ms`);
    for (const entry of this.waiting) entry.reject(error);
    this.waiting.clear();
    this.scheduleProbe();
  }

  private scheduleProbe(): void {
    if (this.probing || !this.probe) return;
    this.probing = setTimeout(() => {
      const probe = this.probe;
      if (!probe || this.stalledSince === null) return void (this.probing = null);
      Promise.resolve()
        .then(probe)
        .then(
          () => this.answered(),
          () => {},
        )
        .finally(() => {
          this.probing = null;
          if (this.stalledSince !== null) this.scheduleProbe();
        });
    }, PROBE_EVERY_MS);
    this.probing.unref();
  }

  private answered(): void {
    this.lastAnswerAt = Date.now();
    this.stalledSince = null;
  }
}

/** A server error (a duplicate key, a failed validation) is an answer: the database is there. A network or selection failure is not. */
function isServerAnswer(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  if (typeof name === 'string' && /Network|Timeout|Selection|NotConnected|PoolCleared|Stalled/.test(name)) return false;
  return typeof (error as { code?: unknown } | null)?.code === 'number';
}

/** The process's watch: the server bounds it (core/db/connection.ts); every repository call goes through it (guardDb). */
export const databaseWatch = new DatabaseWatch();
