import type { TestProject } from 'vitest/node';
import { startDatabase, type DatabaseKind } from '../../server/db/database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection string of the server this run uses; each test file takes its own database on it. */
    mongoUri: string;
    /** Which server that is, so tests can pin what only one kind guarantees. */
    mongoKind: DatabaseKind;
  }
}

/** Starts one MongoDB-protocol server for the whole run (see server/db/database.ts for the choice). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const db = await startDatabase({ purpose: 'test', log: (line) => console.log(line) });
  project.provide('mongoUri', db.uri);
  project.provide('mongoKind', db.kind);
  return () => db.stop();
}
