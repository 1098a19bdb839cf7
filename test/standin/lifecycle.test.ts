/**
 * How the stand-in is built, started and stopped: cached builds, data kept
 * across restarts for `npm start`, and no server left behind by a parent that
 * dies without cleaning up.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { closeMongo, connectMongo } from '../../core/db/connection.js';
import { startDatabase } from '../../server/db/database.js';
import { buildStandin } from '../../server/db/mongo-standin/build.js';
import { within } from '../process/server-process.js';

const kind = inject('mongoKind');

describe.runIf(kind === 'ferretdb-standin')('the FerretDB stand-in process (only when it is the server)', () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'standin-test-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('reuses the cached binary instead of rebuilding', async () => {
    const lines: string[] = [];
    const result = await buildStandin({ log: (line) => lines.push(line) });
    expect(result.cold).toBe(false);
    expect(result.seconds).toBeLessThan(5);
    expect(lines).toEqual([expect.stringMatching(/^mongo-standin: warm, cached binary found in /)]);
  });

  it('stops by itself when its parent goes away (stdin closes)', async () => {
    const { path: binary } = await buildStandin({ log: () => {} });
    const child = spawn(binary, ['-listen', '127.0.0.1:0', '-dir', await tempDir(), '-stdin-lifeline'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const ready = await within(
      new Promise<string>((resolve) => createInterface({ input: child.stdout }).on('line', resolve)),
      15_000,
      'the ready line',
    );
    expect(ready).toMatch(/^ready mongodb:\/\/127\.0\.0\.1:\d+\/$/);

    child.stdin.end();
    expect(await within(exited, 5_000, 'exit after stdin closed')).toBe(0);
  });

  it('keeps the data of `npm start` under DATA_DIR across restarts', async () => {
    const dataDir = await tempDir();
    const lines: string[] = [];
    const first = await startDatabase({ purpose: 'start', dataDir, env: {}, log: (line) => lines.push(line) });
    expect(first.kind).toBe('ferretdb-standin');
    expect(first.uri).toMatch(/\/coaching-scheduler$/);
    expect(lines.at(-1)).toMatch(new RegExp(`^database: ferretdb-standin \\(mongodb://127\\.0\\.0\\.1:\\d+/coaching-scheduler, data in ${path.join(dataDir, 'ferretdb')}`));
    let connection = await connectMongo(first.uri);
    await connection.collection('notes').insertOne({ text: 'still here' });
    await closeMongo(connection);
    await first.stop();

    const second = await startDatabase({ purpose: 'start', dataDir, env: {}, log: () => {} });
    try {
      connection = await connectMongo(second.uri);
      const notes = await connection.collection('notes').find({}, { projection: { _id: 0 } }).toArray();
      await closeMongo(connection);
      expect(notes).toEqual([{ text: 'still here' }]);
    } finally {
      await second.stop();
    }
  });
});
