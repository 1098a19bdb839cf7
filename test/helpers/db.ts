import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { closeMongo, connectMongo } from '../../core/db/connection.js';
import { createCore, type Clock, type Core, type DomainEventBus, type JobLog, type RulesConfig } from '../../core/index.js';

export interface MakeCoreOptions {
  clock?: Clock;
  rules?: Partial<RulesConfig>;
  events?: DomainEventBus;
  log?: JobLog;
}

export interface TestDatabase {
  /** Server URI shared by the whole run. */
  readonly uri: string;
  /** This file's own database on it. */
  readonly name: string;
  /** Open from `beforeAll` on; reading it earlier throws. */
  readonly connection: Connection;
  /** A core over this file's database; several may share it (models are per connection). */
  makeCore(options?: MakeCoreOptions): Promise<Core>;
  /** Empties every collection but keeps the indexes, for a clean slate between tests. */
  clear(): Promise<void>;
}

/**
 * A database name no other file or run uses. FerretDB allows at most 63
 * characters of [A-Za-z0-9_-], so the label is squeezed to fit.
 */
export function uniqueDbName(label = 'test'): string {
  const cleaned = label.replace(/\.test\.ts$/, '').replace(/[^A-Za-z0-9]+/g, '_').slice(0, 40);
  return `t_${cleaned}_${randomBytes(4).toString('hex')}`;
}

function currentTestFileLabel(): string {
  const testPath = expect.getState().testPath;
  return testPath ? path.basename(testPath) : 'test';
}

/**
 * Gives the calling test file a fresh database of its own (created in
 * `beforeAll`, dropped in `afterAll`), so files can run in parallel against
 * one server without seeing each other's documents.
 */
export function useTestDatabase(): TestDatabase {
  const uri = inject('mongoUri');
  let name = '';
  let connection: Connection | null = null;

  beforeAll(async () => {
    name = uniqueDbName(currentTestFileLabel());
    connection = await connectMongo(uri, name);
  });

  afterAll(async () => {
    if (!connection) return;
    try {
      await connection.dropDatabase();
    } finally {
      await closeMongo(connection);
      connection = null;
    }
  });

  const open = (): Connection => {
    if (!connection) throw new Error('useTestDatabase: the connection opens in beforeAll; use it inside hooks or tests');
    return connection;
  };

  return {
    uri,
    get name() {
      return name;
    },
    get connection() {
      return open();
    },
    makeCore: (options = {}) => createCore({ connection: open(), ...options }),
    async clear() {
      const db = open().db;
      if (!db) return;
      const collections = await db.listCollections({}, { nameOnly: true }).toArray();
      await Promise.all(collections.map((c) => db.collection(c.name).deleteMany({})));
    },
  };
}
