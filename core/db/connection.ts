import mongoose, { type Connection } from 'mongoose';

/**
 * Opens a dedicated mongoose connection (never the global one, so tests and
 * several cores can live in one process). Indexes are not built implicitly:
 * core creates them itself at start, where a failure can be reported, instead
 * of in the background where a missing unique index would go unnoticed.
 */
export async function connectMongo(uri: string, dbName?: string): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    ...(dbName ? { dbName } : {}),
    autoIndex: false,
    autoCreate: false,
    // Fail a start against an unreachable server in seconds, not the driver's
    // 30; a value in the URI (options there are the operator's) wins.
    ...(/[?&]serverSelectionTimeoutMS=/i.test(uri) ? {} : { serverSelectionTimeoutMS: 10_000 }),
  });
  return connection.asPromise();
}

export async function closeMongo(connection: Connection): Promise<void> {
  await connection.close();
}
