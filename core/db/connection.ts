import mongoose, { type Connection, type ConnectOptions } from 'mongoose';
import { databaseWatch } from '../shared/database-watch.js';

export interface ConnectMongoOptions {
  /**
   * The most any single database call may take, end to end: finding the
   * server, waiting for a pooled connection, and waiting on the socket. Unset
   * means no socket limit (scripts and benchmarks that run long queries on
   * purpose); the server passes MONGODB_TIMEOUT_MS.
   */
  operationTimeoutMs?: number;
}

/** Without a per-call limit, starting against an unreachable server still fails in seconds, not the driver's 30. */
const DEFAULT_SERVER_SELECTION_MS = 10_000;
/** How often the driver re-checks the server, so a database that comes back is used again within this time. */
const HEARTBEAT_MS = 2_000;

/**
 * Opens a dedicated mongoose connection (never the global one, so tests and
 * several cores can live in one process). Indexes are not built implicitly:
 * core creates them itself at start, where a failure can be reported, instead
 * of in the background where a missing unique index would go unnoticed.
 *
 * Every call is bounded. Commands are never buffered while disconnected (they
 * fail at once and the edge answers 503), and the driver does not retry a
 * failed call by itself: a retry would double the time a caller waits, and a
 * retried insert whose first attempt did land would come back as a duplicate
 * key, that is as a false `slot.taken`, on servers without retryable writes
 * (the stand-in). Retries belong to the client, which gets a 503 with
 * Retry-After and repeats the request with its Idempotency-Key.
 */
export async function connectMongo(uri: string, dbName?: string, options: ConnectMongoOptions = {}): Promise<Connection> {
  const limit = options.operationTimeoutMs;
  const bounds: ConnectOptions = limit
    ? {
        serverSelectionTimeoutMS: limit,
        connectTimeoutMS: limit,
        socketTimeoutMS: limit,
        waitQueueTimeoutMS: limit,
        heartbeatFrequencyMS: HEARTBEAT_MS,
        retryReads: false,
        retryWrites: false,
      }
    : { serverSelectionTimeoutMS: DEFAULT_SERVER_SELECTION_MS, heartbeatFrequencyMS: HEARTBEAT_MS };
  const connection = mongoose.createConnection(uri, {
    ...(dbName ? { dbName } : {}),
    autoIndex: false,
    autoCreate: false,
    bufferCommands: false,
    // Options written in the URI are the operator's and win over ours.
    ...withoutOptionsIn(uri, bounds),
  });
  await connection.asPromise();
  // The driver bounds each call; the watch bounds what a stalled server adds up across calls.
  databaseWatch.bound(limit ?? null, limit ? await openProbe(connection, uri, bounds) : null);
  return connection;
}

const probes = new WeakMap<Connection, { client: InstanceType<typeof mongoose.mongo.MongoClient>; ping: () => Promise<unknown> }>();

/**
 * The watch's ping has a connection of its own. Through the pool it would
 * queue behind every call already waiting there, so a database that is
 * only busy (a page of 100 coaches sends 100 probes at once) would look
 * stalled, and every caller would be answered 503 for nothing.
 */
async function openProbe(connection: Connection, uri: string, bounds: ConnectOptions): Promise<() => Promise<unknown>> {
  const client = new mongoose.mongo.MongoClient(uri, { ...withoutOptionsIn(uri, bounds), maxPoolSize: 1 });
  await client.connect();
  connection.once('close', () => void client.close().catch(() => {}));
  const db = client.db(connection.db!.databaseName);
  const ping = () => db.command({ ping: 1 });
  probes.set(connection, { client, ping });
  // Its one connection is opened now, not in the middle of a slow moment.
  await ping();
  return ping;
}

/** The watch's ping, for tests that prove it does not wait behind the pool. */
export function probeOf(connection: Connection): (() => Promise<unknown>) | null {
  return probes.get(connection)?.ping ?? null;
}

function withoutOptionsIn(uri: string, options: ConnectOptions): ConnectOptions {
  const query = uri.split('?')[1] ?? '';
  const given = new Set(query.split('&').map((pair) => pair.split('=')[0]!.toLowerCase()));
  return Object.fromEntries(Object.entries(options).filter(([name]) => !given.has(name.toLowerCase())));
}

export async function closeMongo(connection: Connection): Promise<void> {
  await connection.close();
  await probes.get(connection)?.client.close();
}
