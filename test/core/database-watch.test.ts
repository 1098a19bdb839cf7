/**
 * The database watch, by fake timers: a stalled database is given up on
 * within the window and one unanswered ping, whatever a request does; a slow
 * but answering one is left to the per-call limit; the first answer closes
 * the circuit.
 */
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { DatabaseStalled, DatabaseWatch } from '../../core/shared/database-watch.js';

const LIMIT_MS = 1_500;
const WINDOW_MS = 500;
/** The window, the ping's 300 ms, and one 50 ms look. */
const TRIP_BY_MS = WINDOW_MS + 300 + 50;

/** A call the database never answers, and a way to answer it later. */
function hanging<T>() {
  let answer!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (answer = resolve));
  return { promise, answer };
}

async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown; at: number }> {
  return promise.then(
    (value) => ({ value, at: Date.now() }),
    (error: unknown) => ({ error, at: Date.now() }),
  );
}

let watch: DatabaseWatch;
let probe: Mock<() => Promise<unknown>>;

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-12-01T10:00:00Z') });
  probe = vi.fn(() => new Promise<unknown>(() => {}));
  watch = new DatabaseWatch();
  watch.bound(LIMIT_MS, probe);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('the database watch', () => {
  it('gives every waiting call up once nothing, not even a ping, has answered, then fails new calls without sending them', async () => {
    const start = Date.now();
    const first = settle(watch.run(() => hanging<number>().promise));
    await vi.advanceTimersByTimeAsync(400);
    const second = settle(watch.run(() => hanging<number>().promise));
    await vi.advanceTimersByTimeAsync(TRIP_BY_MS);

    const [a, b] = await Promise.all([first, second]);
    expect(a.error).toBeInstanceOf(DatabaseStalled);
    expect(b.error).toBeInstanceOf(DatabaseStalled);
    // Both together, soon after the window: not each at its own limit.
    expect(a.at).toBe(b.at);
    expect(a.at - start).toBeGreaterThanOrEqual(WINDOW_MS + 300);
    expect(a.at - start).toBeLessThanOrEqual(TRIP_BY_MS);
    expect(watch.stalled).toBe(true);

    const send = vi.fn(() => Promise.resolve(1));
    await expect(watch.run(send)).rejects.toBeInstanceOf(DatabaseStalled);
    expect(send).not.toHaveBeenCalled();
  });

  it('leaves a lone slow call to its limit when the database answers the ping', async () => {
    probe.mockImplementation(() => Promise.resolve({ ok: 1 }));
    const start = Date.now();
    const slow = settle(watch.run(() => hanging<number>().promise));
    await vi.advanceTimersByTimeAsync(LIMIT_MS + 50);
    const result = await slow;
    expect(result.error).toBeInstanceOf(DatabaseStalled);
    expect(result.at - start).toBeGreaterThanOrEqual(LIMIT_MS);
    expect(probe).toHaveBeenCalled();
    expect(watch.stalled).toBe(false);
  });

  it('leaves a slow call to its limit while other calls keep answering, without pinging', async () => {
    const start = Date.now();
    const slow = settle(watch.run(() => hanging<number>().promise));
    for (let t = 0; t < 1_400; t += 200) {
      await watch.run(() => Promise.resolve(t));
      await vi.advanceTimersByTimeAsync(200);
    }
    await vi.advanceTimersByTimeAsync(LIMIT_MS - 1_400 + 50);
    const result = await slow;
    expect(result.error).toBeInstanceOf(DatabaseStalled);
    expect(result.at - start).toBeGreaterThanOrEqual(LIMIT_MS);
    expect(probe).not.toHaveBeenCalled();
    expect(watch.stalled).toBe(false);
  });

  it('trips at once when the ping is refused, keeps pinging, and closes on the first answer', async () => {
    probe.mockImplementation(() => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { name: 'MongoServerSelectionError' })));
    const late = hanging<number>();
    const start = Date.now();
    const given = settle(watch.run(() => late.promise));
    await vi.advanceTimersByTimeAsync(WINDOW_MS + 100);
    expect((await given).error).toBeInstanceOf(DatabaseStalled);
    expect((await given).at - start).toBeLessThanOrEqual(WINDOW_MS + 50);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(probe.mock.calls.length).toBeGreaterThanOrEqual(4);
    expect(watch.stalled).toBe(true);

    probe.mockImplementation(() => Promise.resolve({ ok: 1 }));
    await vi.advanceTimersByTimeAsync(250);
    expect(watch.stalled).toBe(false);
    await expect(watch.run(() => Promise.resolve(8))).resolves.toBe(8);
  });

  it('closes when a call given up on answers late', async () => {
    const late = hanging<number>();
    void settle(watch.run(() => late.promise));
    await vi.advanceTimersByTimeAsync(TRIP_BY_MS);
    expect(watch.stalled).toBe(true);
    late.answer(7);
    await vi.advanceTimersByTimeAsync(0);
    expect(watch.stalled).toBe(false);
  });

  it('counts a duplicate key as an answer and a network error after a silent window as none', async () => {
    const network = Object.assign(new Error('connection 3 to 127.0.0.1:27017 closed'), { name: 'MongoNetworkError' });
    await vi.advanceTimersByTimeAsync(WINDOW_MS);
    await expect(watch.run(() => Promise.reject(network))).rejects.toBe(network);
    expect(watch.stalled).toBe(true);

    const other = new DatabaseWatch();
    other.bound(LIMIT_MS, probe);
    await vi.advanceTimersByTimeAsync(WINDOW_MS);
    const duplicate = Object.assign(new Error('E11000 duplicate key'), { name: 'MongoServerError', code: 11000 });
    await expect(other.run(() => Promise.reject(duplicate))).rejects.toBe(duplicate);
    expect(other.stalled).toBe(false);
  });

  it('never cuts work marked unbounded, nor anything when no limit is set', async () => {
    let done = false;
    void watch.run(() => hanging<number>().promise, { bounded: false }).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(watch.stalled).toBe(false);
    expect(probe).not.toHaveBeenCalled();

    watch.bound(null);
    void watch.run(() => hanging<number>().promise).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(done).toBe(false);
  });
});
