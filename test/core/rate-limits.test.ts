import { describe, expect, inject, it } from 'vitest';
import { rateLimitHitModel } from '../../core/rate-limits/rate-limit.model.js';
import { RateLimitRepository } from '../../core/rate-limits/rate-limit.repository.js';
import { useTestDatabase } from '../helpers/db.js';

const db = useTestDatabase();

const windowAt = (startMs: number) => ({ start: new Date(startMs), end: new Date(startMs + 60_000) });

/** Several processes' worth of counters over one database: each keeps its own memory of where it got to. */
const processes = (n: number) => Array.from({ length: n }, () => new RateLimitRepository(rateLimitHitModel(db.connection)));

describe('shared rate-limit counters', () => {
  it('lets exactly the budget through when many requests of one key arrive at once, across three processes', async () => {
    const counters = processes(3);
    const window = windowAt(1_000 * 60_000);
    const totals = await Promise.all(Array.from({ length: 40 }, (_, i) => counters[i % 3]!.hit('race', window, 10)));
    const passed = totals.filter((t) => t <= 10);
    expect(passed).toHaveLength(10);
    expect(new Set(passed).size).toBe(10);
  });

  it('never lets more than a large budget through, and refuses at most a block early per other process', async () => {
    const counters = processes(3);
    const window = windowAt(1_001 * 60_000);
    const totals = await Promise.all(Array.from({ length: 1_200 }, (_, i) => counters[i % 3]!.hit('crowd', window, 1_000)));
    const passed = totals.filter((t) => t <= 1_000).length;
    expect(passed).toBeLessThanOrEqual(1_000);
    expect(passed).toBeGreaterThanOrEqual(1_000 - 2 * 20);
    // One insert per block of 20, not per request.
    expect(await rateLimitHitModel(db.connection).collection.countDocuments({ key: 'crowd' })).toBe(50);
  });

  it('is needed: on the stand-in concurrent $inc upserts lose counts, on MongoDB they do not', async () => {
    // Pinned so the reason for counting by inserts stays visible.
    const collection = db.connection.collection('inc_probe');
    await Promise.all(Array.from({ length: 30 }, () => collection.updateOne({ _id: 'n' } as never, { $inc: { n: 1 } }, { upsert: true }).catch(() => null)));
    const doc = await collection.findOne({ _id: 'n' } as never);
    if (inject('mongoKind') === 'ferretdb-standin') expect(doc?.n).toBeLessThan(30);
    else expect(doc?.n).toBe(30);
  });

  it('stops writing once the budget is spent and reports one over it', async () => {
    const [counter] = processes(1);
    const window = windowAt(2_000 * 60_000);
    for (let i = 1; i <= 5; i++) expect(await counter!.hit('capped', window, 5)).toBe(i);
    const model = rateLimitHitModel(db.connection);
    expect(await counter!.hit('capped', window, 5)).toBe(6);
    const written = await model.collection.countDocuments({ key: 'capped' });
    expect(await counter!.hit('capped', window, 5)).toBe(6);
    expect(await model.collection.countDocuments({ key: 'capped' })).toBe(written);
  });

  it('counts across processes that each remember only their own hits', async () => {
    const [a, b] = processes(2);
    const window = windowAt(3_000 * 60_000);
    expect(await a!.hit('shared', window, 3)).toBe(1);
    expect(await b!.hit('shared', window, 3)).toBe(2);
    expect(await a!.hit('shared', window, 3)).toBe(3);
    expect(await b!.hit('shared', window, 3)).toBe(4);
    expect(await a!.count('shared', window, 3)).toBe(3);
  });

  it('starts every window afresh, and prunes the windows that ended', async () => {
    const [counter] = processes(1);
    const first = windowAt(4_000 * 60_000);
    const next = windowAt(4_001 * 60_000);
    await counter!.hit('windows', first, 10);
    await counter!.hit('windows', first, 10);
    expect(await counter!.hit('windows', next, 10)).toBe(1);
    expect(await counter!.prune(first.end)).toBeGreaterThanOrEqual(2);
    expect(await rateLimitHitModel(db.connection).collection.countDocuments({ key: 'windows' })).toBe(1);
  });

  it('gives a number back on decrement', async () => {
    const [counter] = processes(1);
    const window = windowAt(5_000 * 60_000);
    await counter!.hit('undo', window, 100);
    await counter!.hit('undo', window, 100);
    await counter!.unhit('undo', window);
    expect(await counter!.hit('undo', window, 100)).toBe(2);
  });
});
