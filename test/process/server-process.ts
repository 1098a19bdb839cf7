import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { connect, createServer } from 'node:net';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Settings the developer's shell may carry and that would change what the process does. */
const AMBIENT = ['MONGODB_URI', 'PORT', 'HOST', 'DATA_DIR', 'DEMO_MODE', 'LOG_LEVEL', 'NODE_ENV', 'PUBLIC_URL', 'WIDGET_ORIGINS'];

export interface ServerProcess {
  child: ChildProcessByStdio<null, Readable, Readable>;
  stdout(): string;
  stderr(): string;
  /** stdout's JSON log lines, parsed (non-JSON lines are skipped). */
  logs(): Array<Record<string, unknown> & { msg?: string }>;
  /** Resolves when the process has exited, with its code or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits until a log line matches, or fails with what the process said so far. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): void;
}

/** Exactly what `npm start` runs after building the widget. */
export function spawnServer(env: Record<string, string>): ServerProcess {
  const inherited = { ...process.env };
  for (const name of AMBIENT) delete inherited[name];
  for (const name of Object.keys(inherited)) if (/^(SLACK|WIDGET)_/.test(name)) delete inherited[name];

  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  const logs = () =>
    out.split('\n').flatMap((line) => {
      try {
        const parsed: unknown = JSON.parse(line);
        return typeof parsed === 'object' && parsed !== null ? [parsed as Record<string, unknown> & { msg?: string }] : [];
      } catch {
        return [];
      }
    });

  return {
    child,
    stdout: () => out,
    stderr: () => err,
    logs,
    exited,
    kill: (signal = 'SIGTERM') => void child.kill(signal),
    async waitForLog(pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (logs().some((entry) => pattern.test(String(entry.msg ?? '')))) return;
        if (child.exitCode !== null || child.signalCode !== null) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`no log line matched ${pattern}\n--- stdout ---\n${out}\n--- stderr ---\n${err}`);
    },
  };
}

/** A port that was free a moment ago (the server needs a fixed one: PORT=0 would hide it from us). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The run's server URI with its own database name, so the process's data stays apart. */
export function withDatabase(uri: string, dbName: string): string {
  const url = new URL(uri);
  url.pathname = `/${dbName}`;
  return url.toString();
}

/** Resolves with the result, or rejects after `ms` (so a hung exit fails the test instead of its timeout). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    }),
  ]);
}

/** Whether something accepts TCP connections on host:port right now. */
export function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}
