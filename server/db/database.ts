/**
 * Picks the MongoDB-protocol server for tests and for `npm start`, in order:
 *   1. MONGODB_URI, when set;
 *   2. mongodb-memory-server, when a mongod binary is cached or MongoDB's
 *      download host answers;
 *   3. the FerretDB stand-in (server/db/mongo-standin), built with the local Go.
 * Every call logs one line saying which it used.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { ensureStandinBinary } from './mongo-standin/build.js';

export type DatabaseKind = 'MONGODB_URI' | 'mongodb-memory-server' | 'ferretdb-standin';

export interface StartDatabaseOptions {
  /** 'test' uses throwaway storage; 'start' keeps data under dataDir. */
  purpose: 'test' | 'start';
  /** Required for purpose 'start'. */
  dataDir?: string;
  log?: (line: string) => void;
  /** Defaults to process.env; tests pass their own. */
  env?: Record<string, string | undefined>;
}

export interface RunningDatabase {
  /** For purpose 'start' it names EMBEDDED_DB_NAME; for 'test' it names no database. */
  uri: string;
  kind: DatabaseKind;
  /** The stand-in's current process id while it runs (tests inject faults with it); absent for other kinds. */
  processId?: () => number | null;
  stop(): Promise<void>;
}

/** The database `npm start` and `npm run seed` share on an embedded server; tests name their own. */
export const EMBEDDED_DB_NAME = 'coaching-scheduler';

const PROBE_TIMEOUT_MS = 1500;
const STANDIN_READY_TIMEOUT_MS = 30_000;
const STANDIN_STOP_TIMEOUT_MS = 5_000;

export async function startDatabase(options: StartDatabaseOptions): Promise<RunningDatabase> {
  const log = options.log ?? ((line: string) => console.log(line));
  const env = options.env ?? process.env;
  if (options.purpose === 'start' && !options.dataDir) throw new Error('startDatabase: dataDir is required for purpose "start"');

  const external = env.MONGODB_URI?.trim();
  if (external) {
    log(`database: MONGODB_URI (${redact(external)})`);
    return { uri: external, kind: 'MONGODB_URI', stop: async () => {} };
  }

  const unavailable = await memoryServerUnavailableReason(env);
  if (unavailable === null) {
    try {
      const db = await startMemoryServer(options);
      log(`database: mongodb-memory-server (${db.uri}${options.purpose === 'start' ? `, data in ${memoryServerDir(options)}` : ''})`);
      return db;
    } catch (error) {
      log(`database: mongodb-memory-server failed to start (${firstLine(error)}); falling back to the FerretDB stand-in`);
    }
  }

  const db = await startStandin(options, log);
  log(
    `database: ferretdb-standin (${db.uri}${options.purpose === 'start' ? `, data in ${standinDir(options)}` : ''}` +
      `${unavailable ? `; ${unavailable}` : ''})`,
  );
  return db;
}

/** Null when mongodb-memory-server can run without waiting on a download that cannot happen. */
async function memoryServerUnavailableReason(env: Record<string, string | undefined>): Promise<string | null> {
  const { DryMongoBinary } = await import('mongodb-memory-server');
  try {
    if (await DryMongoBinary.locateBinary(DryMongoBinary.getEnsuredOptions())) return null;
  } catch (error) {
    // A MONGOMS_SYSTEM_BINARY that does not exist lands here.
    return `no usable mongod binary: ${firstLine(error)}`;
  }
  if (env.MONGOMS_RUNTIME_DOWNLOAD === 'false' || env.MONGOMS_RUNTIME_DOWNLOAD === '0') {
    return 'no cached mongod and MONGOMS_RUNTIME_DOWNLOAD is off';
  }
  const host = env.MONGOMS_DOWNLOAD_URL ?? env.MONGOMS_DOWNLOAD_MIRROR ?? 'https://fastdl.mongodb.org';
  if (await reachable(host)) return null;
  // mongodb-memory-server reads this too: nothing later in this process
  // should sit through its download retries.
  process.env.MONGOMS_RUNTIME_DOWNLOAD = 'false';
  return `no cached mongod and ${new URL(host).host} is unreachable`;
}

async function reachable(url: string): Promise<boolean> {
  try {
    // Any HTTP answer, even an error status, proves the host can be reached.
    await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return true;
  } catch {
    return false;
  }
}

function memoryServerDir(options: StartDatabaseOptions): string {
  return path.resolve(options.dataDir!, 'mongodb');
}

async function startMemoryServer(options: StartDatabaseOptions): Promise<RunningDatabase> {
  const { MongoMemoryServer } = await import('mongodb-memory-server');
  const persistent = options.purpose === 'start';
  let dbPath: string | undefined;
  if (persistent) {
    dbPath = memoryServerDir(options);
    await mkdir(dbPath, { recursive: true });
  }
  const server = await MongoMemoryServer.create({
    instance: { ip: '127.0.0.1', storageEngine: 'wiredTiger', ...(dbPath ? { dbPath } : {}) },
  });
  return {
    uri: server.getUri(persistent ? EMBEDDED_DB_NAME : undefined),
    kind: 'mongodb-memory-server',
    // A persistent data directory must survive the stop.
    stop: async () => {
      await server.stop({ doCleanup: !persistent });
    },
  };
}

function standinDir(options: StartDatabaseOptions): string {
  return path.resolve(options.dataDir!, 'ferretdb');
}

type StandinProcess = ChildProcessByStdio<Writable, Readable, Readable>;

/** Restart delays after the stand-in dies: doubling from the first to the last. */
const RESTART_FIRST_MS = 250;
const RESTART_MAX_MS = 10_000;
/** A stand-in that stayed up this long is healthy again: the next crash restarts it quickly. */
const RESTART_STABLE_MS = 30_000;

/**
 * Starts the stand-in and supervises it: if it dies (crash, OOM kill,
 * `kill -9`), it is started again on the same address and data, after a delay
 * that doubles while it keeps failing. The app's connection finds it again by
 * itself; /readyz follows the database meanwhile.
 */
async function startStandin(options: StartDatabaseOptions, log: (line: string) => void): Promise<RunningDatabase> {
  const binary = await ensureStandinBinary({ log, announceWarm: false });
  const temporary = options.purpose === 'test';
  const dir = temporary ? await mkdtemp(path.join(tmpdir(), 'mongo-standin-')) : standinDir(options);
  await mkdir(dir, { recursive: true });

  let running: LaunchedStandin;
  try {
    running = await launchStandin(binary, '127.0.0.1:0', dir, log);
  } catch (error) {
    if (temporary) await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const uri = running.uri;
  const address = new URL(uri).host;

  let stopping: Promise<void> | null = null;
  let delay = RESTART_FIRST_MS;
  let restartTimer: NodeJS.Timeout | null = null;
  const restartIn = (wait: number) => {
    delay = Math.min(wait * 2, RESTART_MAX_MS);
    restartTimer = setTimeout(() => {
      restartTimer = null;
      if (stopping) return;
      launchStandin(binary, address, dir, log).then(
        (next) => {
          if (stopping) {
            next.child.kill('SIGKILL');
            return;
          }
          running = next;
          log(`mongo-standin: restarted (pid ${next.child.pid})`);
          supervise(next);
        },
        (error: unknown) => {
          log(`mongo-standin: restart failed (${firstLine(error)}); trying again in ${delay} ms`);
          restartIn(delay);
        },
      );
    }, wait);
    restartTimer.unref();
  };
  const supervise = (current: LaunchedStandin) => {
    const startedAt = Date.now();
    current.child.once('exit', (code, signal) => {
      if (stopping) return;
      const wait = Date.now() - startedAt > RESTART_STABLE_MS ? RESTART_FIRST_MS : delay;
      log(`mongo-standin: exited unexpectedly (${signal ?? `exit ${code}`}); restarting in ${wait} ms`);
      restartIn(wait);
    });
  };
  log(`mongo-standin: started (pid ${running.child.pid})`);
  supervise(running);

  return {
    uri: temporary ? uri : `${uri.replace(/\/?$/, '/')}${EMBEDDED_DB_NAME}`,
    kind: 'ferretdb-standin',
    processId: () => (running.child.exitCode === null && running.child.signalCode === null ? running.child.pid ?? null : null),
    stop: () =>
      (stopping ??= (async () => {
        if (restartTimer) clearTimeout(restartTimer);
        await stopStandin(running);
        if (temporary) await rm(dir, { recursive: true, force: true });
      })()),
  };
}

interface LaunchedStandin {
  child: StandinProcess;
  exited: Promise<void>;
  uri: string;
}

async function launchStandin(binary: string, listen: string, dir: string, log: (line: string) => void): Promise<LaunchedStandin> {
  // stdin stays open and unused: when this process dies, however abruptly,
  // the pipe closes and the stand-in stops itself (-stdin-lifeline).
  const child: StandinProcess = spawn(binary, ['-listen', listen, '-dir', dir, '-log-level', 'error', '-stdin-lifeline'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stderrLines: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderrLines.push(line);
    if (stderrLines.length > 50) stderrLines.shift();
    log(`mongo-standin: ${line}`);
  });
  // A parent exiting normally should not leave the child behind either.
  const killOnExit = () => child.kill('SIGKILL');
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      process.off('exit', killOnExit);
      resolve();
    }),
  );
  try {
    const uri = await waitForReady(child, stderrLines);
    process.once('exit', killOnExit);
    return { child, exited, uri };
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
}

async function stopStandin({ child, exited }: { child: StandinProcess; exited: Promise<void> }): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  // A stopped (SIGSTOP) process cannot act on SIGTERM until it is continued.
  child.kill('SIGCONT');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STANDIN_STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function waitForReady(child: StandinProcess, stderrLines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdout = createInterface({ input: child.stdout });
    const timer = setTimeout(
      () => fail(new Error(`the FerretDB stand-in did not report ready within ${STANDIN_READY_TIMEOUT_MS / 1000} s`)),
      STANDIN_READY_TIMEOUT_MS,
    );
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(new Error(`the FerretDB stand-in exited before it was ready (${signal ?? `exit ${code}`}): ${stderrLines.join(' | ') || 'no output'}`));
    const cleanup = () => {
      clearTimeout(timer);
      child.off('exit', onExit);
      child.off('error', fail);
      stdout.close();
    };
    function fail(error: Error) {
      cleanup();
      reject(error);
    }
    child.once('exit', onExit);
    child.once('error', fail);
    stdout.on('line', (line) => {
      const match = /^ready (mongodb:\/\/\S+)$/.exec(line.trim());
      if (!match) return;
      cleanup();
      resolve(match[1]!);
    });
  });
}

/** Hides a password in a connection string before it is logged. */
export function redact(uri: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/[^:/@]+):[^@/]*@/, '$1:***@');
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
