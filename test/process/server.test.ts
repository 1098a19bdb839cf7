/**
 * The real `npm start` process: a child running server/main.ts with
 * environment settings, probed over HTTP and stopped with signals.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { closeMongo, connectMongo } from '../../core/db/connection.js';
import { uniqueDbName } from '../helpers/db.js';
import { getJson } from '../helpers/http.js';
import { accepts, freePort, spawnServer, within, withDatabase, type ServerProcess } from './server-process.js';

const SECRET = 'process-test-widget-secret-0123456789abcdef';
const kind = inject('mongoKind');
const uri = inject('mongoUri');

const started: ServerProcess[] = [];
afterAll(() => {
  // A failed assertion must not leave a server running behind the suite.
  for (const server of started) if (server.child.exitCode === null) server.kill('SIGKILL');
});

function start(env: Record<string, string>): ServerProcess {
  const server = spawnServer(env);
  started.push(server);
  return server;
}

describe('the server process against MONGODB_URI', () => {
  const dbName = uniqueDbName('process');

  afterAll(async () => {
    const connection = await connectMongo(uri, dbName);
    await connection.dropDatabase();
    await closeMongo(connection);
  });

  it('comes up, answers /healthz and /readyz, says Slack is off, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const server = start({
      PORT: String(port),
      HOST: '127.0.0.1',
      MONGODB_URI: withDatabase(uri, dbName),
      WIDGET_SIGNING_SECRET: SECRET,
      DEMO_MODE: '0',
      LOG_LEVEL: 'info',
    });
    const base = `http://127.0.0.1:${port}`;
    await server.waitForLog(/^listening on /);

    expect(await getJson(`${base}/healthz`)).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await getJson(`${base}/readyz`)).toMatchObject({ status: 200, body: { status: 'ready' } });
    const missing = await getJson(`${base}/no-such-page`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/application\/problem\+json/);

    const messages = server.logs().map((entry) => entry.msg);
    expect(messages).toContain('Slack is off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN)');
    expect(messages.some((m) => /^database: MONGODB_URI/.test(String(m)))).toBe(true);
    // Every stdout line is structured: one JSON object per line.
    const lines = server.stdout().trim().split('\n');
    expect(server.logs()).toHaveLength(lines.length);

    server.kill('SIGTERM');
    const exit = await within(server.exited, 5_000, 'exit after SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(server.logs().map((entry) => entry.msg)).toEqual(expect.arrayContaining(['received SIGTERM, shutting down', 'stopped']));
  });

  it('exits 1 with a fatal log line when the database cannot be reached', async () => {
    // The process must not come up half-ready and sit there serving 503s.
    const port = await freePort();
    const deadPort = await freePort();
    const server = start({
      PORT: String(port),
      HOST: '127.0.0.1',
      MONGODB_URI: `mongodb://127.0.0.1:${deadPort}/nothing?serverSelectionTimeoutMS=500`,
      WIDGET_SIGNING_SECRET: SECRET,
      LOG_LEVEL: 'info',
    });
    const exit = await within(server.exited, 30_000, 'exit when the database is unreachable');
    expect(exit.code).toBe(1);
    expect(server.logs().some((entry) => entry.level === 60 && /^could not start: /.test(String(entry.msg)))).toBe(true);
  });
});

describe.concurrent('bad settings stop the process with one line naming the variable', () => {
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['a PORT that is not a number', { PORT: 'abc', WIDGET_SIGNING_SECRET: SECRET }, /^Invalid configuration: PORT must be a number$/],
    ['a missing WIDGET_SIGNING_SECRET', {}, /^Invalid configuration: WIDGET_SIGNING_SECRET is required/],
    ['a MONGODB_URI that is not a MongoDB URI', { MONGODB_URI: 'postgres://x', WIDGET_SIGNING_SECRET: SECRET }, /^Invalid configuration: MONGODB_URI /],
  ];

  it.each(cases)('%s', async (_name, env, line) => {
    const server = start(env);
    const exit = await within(server.exited, 30_000, 'exit on a bad setting');
    expect(exit.code).toBe(1);
    const stderrLines = server.stderr().trim().split('\n');
    expect(stderrLines).toHaveLength(1);
    expect(stderrLines[0]).toMatch(line);
    expect(server.stdout()).toBe('');
  });
});

describe.skipIf(kind === 'MONGODB_URI')('the server process with the embedded default (no MONGODB_URI)', () => {
  const dataDirs: string[] = [];
  afterAll(async () => {
    for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
  });

  it(`starts ${kind === 'ferretdb-standin' ? 'the FerretDB stand-in' : 'mongodb-memory-server'} with data under DATA_DIR, says so, and stops it on SIGTERM`, async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'scheduler-data-'));
    dataDirs.push(dataDir);
    const port = await freePort();
    const server = start({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, WIDGET_SIGNING_SECRET: SECRET, LOG_LEVEL: 'info' });
    await server.waitForLog(/^listening on /);

    expect(await getJson(`http://127.0.0.1:${port}/readyz`)).toMatchObject({ status: 200 });
    const databaseLine = String(server.logs().find((entry) => /^database: /.test(String(entry.msg)))?.msg);
    expect(databaseLine).toMatch(new RegExp(`^database: ${kind}`));
    const storage = kind === 'ferretdb-standin' ? 'ferretdb' : 'mongodb';
    expect(databaseLine).toContain(path.join(dataDir, storage));
    expect((await stat(path.join(dataDir, storage))).isDirectory()).toBe(true);

    server.kill('SIGTERM');
    expect(await within(server.exited, 10_000, 'exit after SIGTERM')).toEqual({ code: 0, signal: null });
    // The embedded server went down with the process: its port no longer accepts connections.
    const embedded = /mongodb:\/\/([\d.]+):(\d+)/.exec(databaseLine);
    expect(embedded).not.toBeNull();
    expect(await accepts(embedded![1]!, Number(embedded![2]))).toBe(false);
  });
});
