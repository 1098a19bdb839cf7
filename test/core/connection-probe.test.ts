/**
 * The database watch tells a busy database from a stalled one by a ping.
 * That ping must not queue behind the pool: with every pooled connection
 * busy, it would wait, and a busy database would be called stalled.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Connection } from 'mongoose';
import { closeMongo, connectMongo, probeOf } from '../../core/db/connection.js';
import { uniqueDbName } from '../helpers/db.js';

let connection: Connection;

beforeAll(async () => {
  const uri = inject('mongoUri');
  // One pooled connection: one slow call fills the pool.
  const withOnePooled = `${uri}${uri.includes('?') ? '&' : '?'}maxPoolSize=1`;
  connection = await connectMongo(withOnePooled, uniqueDbName('probe'), { operationTimeoutMs: 30_000 });
});

afterAll(async () => {
  await connection.dropDatabase().catch(() => {});
  await closeMongo(connection);
});

it('answers the watch\'s ping while the only pooled connection is busy', async () => {
  const ping = probeOf(connection);
  expect(ping).not.toBeNull();
  const docs = Array.from({ length: 20_000 }, (_, i) => ({ i, pad: 'x'.repeat(200) }));
  const finished: string[] = [];
  const busy = connection.db!.collection('bulk').insertMany(docs).then(() => finished.push('insert'));
  // Queued behind the insert: the pool has nothing free until it is done.
  const pooled = connection.db!.command({ ping: 1 }).then(() => finished.push('pooled ping'));
  const probe = ping!().then(() => finished.push('probe'));
  await Promise.all([busy, pooled, probe]);
  expect(finished.indexOf('probe')).toBeLessThan(finished.indexOf('insert'));
  expect(finished.indexOf('insert')).toBeLessThan(finished.indexOf('pooled ping'));
});
