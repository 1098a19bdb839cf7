/**
 * The database watch, by fake timers: a stalled database is given up on within
 * two thirds of the limit whatever a request does, a slow but answering one
 * is left to the per-call limit, and the first answer closes the circuit.
 */
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { DatabaseStalled, DatabaseWatch } from '../../core/shared/database-watch.js';

const LIMIT_MS = 1_500;
const WINDOW_MS = 1_000;

/** A call the database never answers, and a way to answer it later. */
function hanging<T>() {
  let answer!: (value: T) => void;
  let fail!: (error: unknown) => void;
  const promise = new Promise<T>((resolve, reject) => ((answer = resolve), (fail = reject)));
  return { promise, answer, fail };
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
  it('gives every waiting call up once nothing has answered for the window, then fails new calls without sending them', async () => {
    const start = Date.now();
    const first = settle(watch.run(() => hanging<number>().promise));
    await vi.advanceTimersByTimeAsync(400);
    const second = settle(watch.run(() => hanging<number>().promise));
    await vi.advanceTimersByTimeAsync(WINDOW_MS);

    const [a, b] = await Promise.all([first, second]);
    expect(a.error).toBeInstanceOf(DatabaseStalled);
    expect(b.error).toBeInstanceOf(DatabaseStalled);
    // Both at the window after the last answer, not each at its own limit.
    expect(a.at - start).toBe(WINDOW_MS);
    expect(b.at - start).toBe(WINDOW_MS);
    expect(watch.stalled).toBe(true);

    const send = vi.fn(() => Promise.resolve(1));
    await expect(watch.run(send)).rejects.toBeInstanceOf(DatabaseStalled);
    expect(send).not.toHaveBeenCalled();
  });

  it('pings while stalled and closes on the first answer', async () => {
    void settle(watch.run(() => hanging<number>().promise));
    await vi.advanceTimersByTimeAsync(WINDOW_MS);
    expect(watch.stalled).toBe(true);
    await vi.advanceTimersByTimeAsync(250);
    expect(probe).toHaveBeenCalledTimes(1);

    probe.mockImplementation(() => Promise.resolve({ ok: 1 }));
    // The first ping still hangs, so no second one is sent on top of it.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(probe).toHaveBeenCalledTimes(1);
    expect(watch.stalled).toBe(true);
  });

  it('closes when a ping answers, and a call given up on that answers late closes it too', async () => {
    probe.mockImplementation(() => Promise.reject(new Error('connect ECONNREFUSED')));
    const late = hanging<number>();
    void settle(watch.run(() => late.promise));
    await vi.advanceTimersByTimeAsync(WINDOW_MS + 1_000);
    expect(probe.mock.calls.length).toBeGreaterThanOrEqual(3);
    expect(watch.stalled).toBe(true);

    late.answer(7);
    await vi.advanceTimersByTimeAsync(0);
    expect(watch.stalled).toBe(false);
    await expect(watch.run(() => Promise.resolve(8))).resolves.toBe(8);
  });

  it('leaves a slow call to its limit while other calls keep answering', async () => {
    const start = Date.now();
    const slow = settle(watch.run(() => hanging<number>().promise));
    for (let t = 0; t < 1_400; t += 200) {
      await watch.run(() => Promise.resolve(t));
      await vi.advanceTimersByTimeAsync(200);
    }
    await vi.advanceTimersByTimeAsync(LIMIT_MS - 1_400);
    const result = await slow;
    expect(result.error).toBeInstanceOf(DatabaseStalled);
    expect(result.at - start).toBe(LIMIT_MS);
    expect(watch.stalled).toBe(false);
  });

  it('counts a duplicate key as an answer and a network error as none', async () => {
    const network = Object.assign(new Error('connection 3 to 127.0.0.1:27017 closed'), { name: 'MongoNetworkError' });
    await vi.advanceTimersByTimeAsync(WINDOW_MS);
    await expect(watch.run(() => Promise.reject(network))).rejects.toBe(network);
    expect(watch.stalled).toBe(true);

    const watch2 = new DatabaseWatch();
    watch2.bound(LIMIT_MS, probe);
    await vi.advanceTimersByTimeAsync(WINDOW_MS);
    const duplicate = Object.assign(new Error('E11000 duplicate key'), { name: 'MongoServerError', code: 11000 });
    await expect(watch2.run(() => Promise.reject(duplicate))).rejects.toBe(duplicate);
    expect(watch2.stalled).toBe(false);
  });

  it('passes calls straight through when unbounded', async () => {
    watch.bound(null);
    const call = settle(watch.run(() => hanging<number>().promise));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(watch.stalled).toBe(false);
    let done = false;
    void call.then(() => (done = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(false);
  });
});
