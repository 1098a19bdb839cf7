/** How often the watch looks at the calls waiting on the database. */
const TICK_MS = 50;
/** How long a ping may take to prove the database is there before the watch calls it stalled. */
const CONFIRM_MS = 300;
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
 * (a third of the limit) and nothing at all has answered in that time,
 * it pings; a database that answers the ping is only slow, and its calls
 * keep their own limit. One that does not answer within 300 ms is stalled:
 * every waiting call is given up at once, and new calls fail at once
 * without being sent, so nothing more piles up on the server to land later.
 * A ping every 200 ms finds the database again, and the first answer closes
 * the circuit. A server error (a duplicate key) is an answer; a network
 * error is not, and one that comes after a silent window trips at once.
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
  private confirmingSince: number | null = null;
  private ticker: NodeJS.Timeout | null = null;
  private probing: NodeJS.Timeout | null = null;
  private readonly waiting = new Set<Waiting>();

  /** Sets the bound (MONGODB_TIMEOUT_MS) and how to ping the database; null unbinds. */
  bound(limitMs: number | null, probe: (() => Promise<unknown>) | null = null): void {
    this.limitMs = limitMs;
    this.probe = probe;
    if (limitMs === null) this.answered();
  }

  get stalled(): boolean {
    return this.stalledSince !== null;
  }

  /**
   * A third of the limit: with the ping, a stall is called within about
   * 0.85 s of the last answer for the 1.5 s default, so even a request that
   * was well under way when the database stopped is answered inside 2 s.
   */
  private get windowMs(): number {
    return Math.max(100, Math.round((this.limitMs ?? 0) / 3));
  }

  /** `bounded: false` is for work that is slow on purpose (building indexes at start): it is neither cut nor refused. */
  async run<T>(fn: () => Promise<T>, { bounded = true }: { bounded?: boolean } = {}): Promise<T> {
    if (this.limitMs === null || !bounded) return this.watched(Promise.resolve(fn()));
    if (this.stalledSince !== null) throw new DatabaseStalled(`the database has not answered since ${new Date(this.lastAnswerAt).toISOString()}`);
    // A mongoose query is a thenable that runs each time it is awaited: settle it once.
    const call = this.watched(Promise.resolve(fn()));
    const entry: Waiting = { startedAt: Date.now(), reject: () => {} };
    const givenUp = new Promise<never>((_, reject) => (entry.reject = reject));
    this.waiting.add(entry);
    this.ticker ??= setInterval(() => this.tick(), TICK_MS);
    try {
      return await Promise.race([call, givenUp]);
    } finally {
      this.waiting.delete(entry);
      if (this.waiting.size === 0 && this.ticker) {
        clearInterval(this.ticker);
        this.ticker = null;
      }
      // A call given up on settles later; its failure belongs to the stall, already reported.
      call.catch(() => {});
    }
  }

  private watched<T>(call: Promise<T>): Promise<T> {
    call.then(
      () => this.answered(),
      (error: unknown) => (isServerAnswer(error) ? this.answered() : this.unanswered()),
    );
    return call;
  }

  private tick(): void {
    const now = Date.now();
    const limit = this.limitMs ?? Infinity;
    let oldest = now;
    for (const entry of this.waiting) {
      if (now - entry.startedAt >= limit) {
        this.waiting.delete(entry);
        entry.reject(new DatabaseStalled(`the database did not answer within ${now - entry.startedAt} ms`));
      } else oldest = Math.min(oldest, entry.startedAt);
    }
    if (this.waiting.size === 0 || now - oldest < this.windowMs || now - this.lastAnswerAt < this.windowMs) return;
    if (this.confirmingSince === null) return this.confirm();
    if (now - this.confirmingSince >= CONFIRM_MS) this.trip();
  }

  /** Nothing answered for the window: a ping tells a slow database from a stalled one. */
  private confirm(): void {
    if (!this.probe) return this.trip();
    const since = (this.confirmingSince = Date.now());
    Promise.resolve()
      .then(this.probe)
      .then(
        () => this.answered(),
        (error: unknown) => (isServerAnswer(error) ? this.answered() : this.trip()),
      )
      .finally(() => {
        if (this.confirmingSince === since) this.confirmingSince = null;
      });
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
    this.confirmingSince = null;
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
