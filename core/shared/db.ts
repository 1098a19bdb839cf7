import { Types, type Model } from 'mongoose';
import { databaseWatch } from './database-watch.js';
import { DomainError, type ErrorCode } from './errors.js';

/** True for a duplicate-key error from any MongoDB-compatible server, single or bulk. */
export function isDuplicateKeyError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; writeErrors?: Array<{ code?: unknown }>; errorResponse?: { code?: unknown } };
  if (e.code === 11000 || e.code === 11001 || e.errorResponse?.code === 11000) return true;
  return Array.isArray(e.writeErrors) && e.writeErrors.some((w) => w.code === 11000);
}

/**
 * Runs a database operation so that nothing but a DomainError leaves the
 * repository: driver and mongoose errors become `service.unavailable`, with
 * the original kept as `cause` for the logs. The process's database watch
 * bounds the wait.
 */
export async function guardDb<T>(operation: string, fn: () => Promise<T>, options: { bounded?: boolean } = {}): Promise<T> {
  try {
    return await databaseWatch.run(fn, options);
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError('service.unavailable', undefined, { operation }, { cause: error });

  }
}

/**
 * Runs an insert whose duplicate key is an answer, not a failure (the claims
 * design: the unique `_id` decides who won). Null when another write got the
 * key first; any other failure is `service.unavailable`, like guardDb.
 */
export async function guardInsert<T>(operation: string, fn: () => Promise<T>): Promise<T | null> {
  try {
    return await databaseWatch.run(fn);
  } catch (error) {
    if (isDuplicateKeyError(error)) return null;
    if (error instanceof DomainError) throw error;
    throw new DomainError('service.unavailable', undefined, { operation }, { cause: error });
  }
}

/** Up to this many ids, `findByIds` reads each by itself; past it, one `$in`. */
export const POINT_LOOKUPS = 32;

/**
 * Documents by `_id`, in any order, each id once. A few are read one by one,
 * in parallel, with a filter of the `_id` alone: that is an index seek on
 * every server, while the stand-in scans the whole collection for an `$in`,
 * even on `_id`, and for an `_id` with any other condition beside it (3.7 s
 * at 100,000 documents, against 2 ms for one key). Many go as one `$in`,
 * which real MongoDB answers from the index in one round trip.
 */
export async function findByIds<K extends string | Types.ObjectId, D>(ids: readonly K[], query: (filter: { _id: K | { $in: K[] } }) => PromiseLike<D[]>): Promise<D[]> {
  const unique = [...new Map(ids.map((id) => [String(id), id])).values()];
  if (unique.length === 0) return [];
  if (unique.length > POINT_LOOKUPS) return query({ _id: { $in: unique } });
  return (await Promise.all(unique.map((id) => query({ _id: id })))).flat();
}

/** The well-formed ObjectIds among ids read from documents or requests; the others cannot name a document. */
export function objectIds(ids: readonly string[]): Types.ObjectId[] {
  return ids.filter((id) => /^[0-9a-f]{24}$/i.test(id)).map((id) => new Types.ObjectId(id));
}

/** Parses an id from outside; a malformed one means "no such thing", never a cast error. */
export function toObjectId(id: string, notFound: ErrorCode): Types.ObjectId {
  if (typeof id !== 'string' || !/^[0-9a-f]{24}$/i.test(id)) throw new DomainError(notFound);
  return new Types.ObjectId(id);
}

export function idString(id: Types.ObjectId | string | null | undefined): string | null {
  return id == null ? null : String(id);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Copies each coach's team id onto documents (slots, sessions) written before
 * they carried one. Checks for any such document first, so a start over
 * migrated data costs one indexed query.
 */
export async function backfillTeamIds(name: string, model: Model<any>, coachTeams: () => Promise<Map<string, string>>): Promise<number> {
  return guardDb(`${name}.backfillTeamIds`, async () => {
    if (!(await model.exists({ teamId: { $exists: false } }))) return 0;
    let updated = 0;
    for (const [coachId, teamId] of await coachTeams()) {
      const result = await model.updateMany({ coachId: new Types.ObjectId(coachId), teamId: { $exists: false } }, { $set: { teamId } });
      updated += result.modifiedCount;
    }
    return updated;
  });
}
