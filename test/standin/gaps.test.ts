/**
 * Pins what the design assumes about the database server. The guarantees in
 * the first block hold on every MongoDB-compatible server and core's claims
 * rest on them; the second block measures the FerretDB stand-in's documented
 * gaps, so a FerretDB upgrade that changes them shows up here first.
 */
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isDuplicateKeyError } from '../../core/shared/db.js';
import { uniqueDbName } from '../helpers/db.js';

const { MongoClient, MongoBulkWriteError, MongoServerError } = mongoose.mongo;
type Db = mongoose.mongo.Db;

const kind = inject('mongoKind');
let client: mongoose.mongo.MongoClient;
let db: Db;

beforeAll(async () => {
  client = await MongoClient.connect(inject('mongoUri'), { serverSelectionTimeoutMS: 10_000 });
  db = client.db(uniqueDbName('gaps'));
});

afterAll(async () => {
  await db?.dropDatabase();
  await client?.close();
});

/** The error a promise rejects with; fails the test if it resolves. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  expect.fail('expected the operation to be refused');
}

describe(`guarantees core relies on (server: ${kind})`, () => {
  it('refuses a second document with the same _id', async () => {
    const claims = db.collection<{ _id: string; owner: string }>('claims_id');
    await claims.insertOne({ _id: 'slot:1', owner: 'a' });
    const error = await rejection(claims.insertOne({ _id: 'slot:1', owner: 'b' }));
    expect(error).toBeInstanceOf(MongoServerError);
    expect(isDuplicateKeyError(error)).toBe(true);
    expect(await claims.find({ _id: 'slot:1' }).toArray()).toEqual([{ _id: 'slot:1', owner: 'a' }]);
  });

  it('enforces a unique index on one field', async () => {
    const coaches = db.collection('coaches_unique');
    await coaches.createIndex({ slackUserId: 1 }, { unique: true });
    await coaches.insertOne({ slackUserId: 'U1' });
    await coaches.insertOne({ slackUserId: 'U2' });
    expect(isDuplicateKeyError(await rejection(coaches.insertOne({ slackUserId: 'U1' })))).toBe(true);
    expect(await coaches.countDocuments()).toBe(2);
  });

  it('enforces a compound unique index on the combination only', async () => {
    const coaches = db.collection('coaches_compound');
    await coaches.createIndex({ teamId: 1, slackUserId: 1 }, { unique: true });
    await coaches.insertMany([
      { teamId: 'T1', slackUserId: 'U1' },
      { teamId: 'T2', slackUserId: 'U1' },
      { teamId: 'T1', slackUserId: 'U2' },
    ]);
    expect(isDuplicateKeyError(await rejection(coaches.insertOne({ teamId: 'T2', slackUserId: 'U1' })))).toBe(true);
    expect(await coaches.countDocuments()).toBe(3);
    const indexes = await coaches.listIndexes().toArray();
    expect(indexes.find((index) => index.key.teamId === 1 && index.key.slackUserId === 1)?.unique).toBe(true);
  });

  it('stops an ordered insertMany at the first duplicate and reports its index', async () => {
    const claims = db.collection<{ _id: string }>('claims_ordered');
    await claims.insertOne({ _id: 'cell:3' });
    const error = await rejection(
      claims.insertMany([{ _id: 'cell:1' }, { _id: 'cell:2' }, { _id: 'cell:3' }, { _id: 'cell:4' }], { ordered: true }),
    );
    expect(error).toBeInstanceOf(MongoBulkWriteError);
    expect(isDuplicateKeyError(error)).toBe(true);
    const bulk = error as InstanceType<typeof MongoBulkWriteError>;
    const writeErrors = Array.isArray(bulk.writeErrors) ? bulk.writeErrors : [bulk.writeErrors];
    expect(writeErrors.map((w) => [w.index, w.code])).toEqual([[2, 11000]]);
    expect(bulk.insertedCount).toBe(2);
    // Nothing after the duplicate was written: the loser knows exactly what to take back.
    expect((await claims.find().sort({ _id: 1 }).toArray()).map((c) => c._id)).toEqual(['cell:1', 'cell:2', 'cell:3']);
  });

  it('lets exactly one of many parallel inserts of one key win', async () => {
    const claims = db.collection<{ _id: string; owner: number }>('claims_race');
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, owner) => claims.insertOne({ _id: 'slot:race', owner })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.every((r) => isDuplicateKeyError(r.reason))).toBe(true);
    expect(await claims.countDocuments()).toBe(1);
  });
});

describe.runIf(kind === 'ferretdb-standin')('FerretDB stand-in gaps (measured; skipped on a real MongoDB)', () => {
  /** FerretDB answers "not implemented" with code 238 (NotImplemented). */
  async function expectNotImplemented(operation: Promise<unknown>, what: RegExp) {
    const error = await rejection(operation);
    expect(error).toBeInstanceOf(MongoServerError);
    expect((error as InstanceType<typeof MongoServerError>).code).toBe(238);
    expect((error as Error).message).toMatch(what);
  }

  it('has no transactions', async () => {
    const collection = db.collection('txn');
    const session = client.startSession();
    try {
      const error = await rejection(
        session.withTransaction(async () => {
          await collection.insertOne({ n: 1 }, { session });
        }),
      );
      expect(error).toBeInstanceOf(MongoServerError);
    } finally {
      await session.endSession();
    }
    expect(await collection.countDocuments()).toBe(0);
  });

  it('has no partial or TTL indexes', async () => {
    const collection = db.collection('index_gaps');
    await expectNotImplemented(collection.createIndex({ a: 1 }, { partialFilterExpression: { a: { $exists: true } } }), /partialFilterExpression/);
    await expectNotImplemented(collection.createIndex({ at: 1 }, { expireAfterSeconds: 60 }), /expireAfterSeconds/);
  });

  it('has no $lookup or $facet aggregation stages', async () => {
    const collection = db.collection('aggregation_gaps');
    await collection.insertOne({ k: 1 });
    await expectNotImplemented(collection.aggregate([{ $lookup: { from: 'other', localField: 'k', foreignField: 'k', as: 'x' } }]).toArray(), /\$lookup/);
    await expectNotImplemented(collection.aggregate([{ $facet: { all: [{ $match: {} }] } }]).toArray(), /\$facet/);
  });

  it('does not make a conditional findOneAndUpdate atomic: two racers can both win', async () => {
    // Why core books through uniquely keyed claims, not "update where open".
    const slots = db.collection<{ _id: string; state: string; by?: number }>('fam_race');
    await slots.insertOne({ _id: 'slot', state: 'open' });
    let mostWinners = 0;
    for (let round = 0; round < 50 && mostWinners < 2; round++) {
      await slots.updateOne({ _id: 'slot' }, { $set: { state: 'open' }, $unset: { by: '' } });
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, by) =>
          slots.findOneAndUpdate({ _id: 'slot', state: 'open' }, { $set: { state: 'taken', by } }, { returnDocument: 'after' }),
        ),
      );
      mostWinners = Math.max(mostWinners, results.filter((doc) => doc !== null).length);
    }
    expect(mostWinners).toBeGreaterThan(1);
  });
});
