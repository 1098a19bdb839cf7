import type { Model } from 'mongoose';
import { guardDb, guardInsert } from '../shared/db.js';
import type { RateLimitHitDoc } from './rate-limit.model.js';

export interface RateLimitWindow {
  start: Date;
  end: Date;
}

/** What one process holds of one key's window. */
interface WindowState {
  /** The block of numbers this process owns, and how many of them it has handed out. */
  block: number | null;
  used: number;
  /** The lowest block this process has not seen taken. */
  nextBlock: number;
  /** Every block is taken: the window is full. */
  full: boolean;
  claiming: Promise<void> | null;
  expiresAt: number;
}

/** Blocks per window: small enough that a key with a budget under this is counted one by one. */
const BLOCKS_PER_LIMIT = 50;

/**
 * Request counters shared by every process on the database, for fixed
 * windows. A window's budget of `limit` numbers is cut into blocks; a process
 * claims a whole block by inserting its id (`<key>|<window>|<block>`: the one
 * write every MongoDB-compatible server makes atomic, where the stand-in's
 * `$inc` loses increments) and hands its numbers out from memory. So no more
 * than `limit` requests pass in a window across all processes, a busy key
 * costs one insert per block rather than per request, and once every block is
 * taken a refused request writes nothing. The price: a process may still hold
 * unused numbers when another runs out, so a key with a budget over 50 may be
 * refused up to one block early per other process (2% of the budget each).
 */
export class RateLimitRepository {
  private readonly windows = new Map<string, WindowState>();

  constructor(private readonly model: Model<RateLimitHitDoc>) {}

  /** Counts one request of `key`; resolves with its number in the window, or `limit + 1` when the window is full. */
  async hit(key: string, window: RateLimitWindow, limit: number): Promise<number> {
    const size = blockSize(limit);
    const blocks = Math.ceil(limit / size);
    const windowKey = `${key}|${window.start.getTime()}`;
    const state = this.stateOf(windowKey, window);
    for (;;) {
      if (state.block !== null && state.used < Math.min(size, limit - state.block * size)) {
        state.used += 1;
        return state.block * size + state.used;
      }
      if (state.full) return limit + 1;
      state.claiming ??= this.claimBlock(windowKey, key, state, blocks, window.end).finally(() => {
        state.claiming = null;
      });
      await state.claiming;
    }
  }

  /** Gives back this process's latest number of `key` in the window (a request that should not count). */
  async unhit(key: string, window: RateLimitWindow): Promise<void> {
    const state = this.windows.get(`${key}|${window.start.getTime()}`);
    if (state && state.used > 0) state.used -= 1;
  }

  /** At most how many requests of `key` the window has let through, across processes. */
  async count(key: string, window: RateLimitWindow, limit: number): Promise<number> {
    const size = blockSize(limit);
    const windowKey = `${key}|${window.start.getTime()}`;
    let claimed = 0;
    while (claimed * size < limit && (await this.taken(`${windowKey}|${claimed}`))) claimed += 1;
    return Math.min(limit, claimed * size);
  }

  async reset(key: string): Promise<void> {
    for (const windowKey of this.windows.keys()) if (windowKey.startsWith(`${key}|`)) this.windows.delete(windowKey);
    await guardDb('rateLimits.reset', () => this.model.collection.deleteMany({ key } as never));
  }

  /** Removes the counts of windows that have ended. */
  async prune(now: Date): Promise<number> {
    for (const [windowKey, state] of this.windows) if (state.expiresAt <= now.getTime()) this.windows.delete(windowKey);
    const result = await guardDb('rateLimits.prune', () => this.model.collection.deleteMany({ expiresAt: { $lte: now } } as never));
    return result.deletedCount;
  }

  private stateOf(windowKey: string, window: RateLimitWindow): WindowState {
    let state = this.windows.get(windowKey);
    if (!state) {
      state = { block: null, used: 0, nextBlock: 0, full: false, claiming: null, expiresAt: window.end.getTime() };
      this.windows.set(windowKey, state);
    }
    return state;
  }

  private async claimBlock(windowKey: string, key: string, state: WindowState, blocks: number, expiresAt: Date): Promise<void> {
    for (let block = state.nextBlock; block < blocks; block++) {
      if (await this.insert(`${windowKey}|${block}`, key, expiresAt)) {
        state.block = block;
        state.used = 0;
        state.nextBlock = block + 1;
        return;
      }
      state.nextBlock = block + 1;
    }
    state.full = true;
  }

  private async insert(_id: string, key: string, expiresAt: Date): Promise<boolean> {
    return (await guardInsert('rateLimits.hit', () => this.model.collection.insertOne({ _id, key, expiresAt } as never))) !== null;
  }

  private async taken(_id: string): Promise<boolean> {
    return guardDb('rateLimits.read', async () => (await this.model.collection.findOne({ _id } as never, { projection: { _id: 1 } })) !== null);
  }
}

function blockSize(limit: number): number {
  return Math.max(1, Math.floor(limit / BLOCKS_PER_LIMIT));
}
