import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { ensureStandinBinary } from '../../server/db/mongo-standin/build.js';

/**
 * A FerretDB stand-in of a test's own, unsupervised, so the test decides
 * what happens to it: pause it (SIGSTOP: a database that stalls), kill it
 * (SIGKILL: one that crashed) and start it again on the same port and data.
 */
export interface FaultyDatabase {
  uri: string;
  port: number;
  pause(): void;
  resume(): void;
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

type Child = ChildProcessByStdio<Writable, Readable, null>;

export async function startFaultyDatabase(): Promise<FaultyDatabase> {
  const binary = await ensureStandinBinary({ log: () => {}, announceWarm: false });
  const dir = await mkdtemp(path.join(tmpdir(), 'faulty-db-'));
  let child: Child | null = null;
  let port = 0;

  const launch = async (listen: string): Promise<string> => {
    const next: Child = spawn(binary, ['-listen', listen, '-dir', dir, '-log-level', 'error', '-stdin-lifeline'], { stdio: ['pipe', 'pipe', 'inherit'] });
    child = next;
    return new Promise((resolve, reject) => {
      next.once('exit', (code, signal) => reject(new Error(`stand-in exited before ready (${signal ?? code})`)));
      createInterface({ input: next.stdout }).on('line', (line) => {
        const match = /^ready (mongodb:\/\/\S+)$/.exec(line.trim());
        if (match) resolve(match[1]!);
      });
    });
  };
  const exited = (c: Child) => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => c.once('exit', () => resolve())));

  const uri = await launch('127.0.0.1:0');
  port = Number(new URL(uri).port);
  return {
    uri,
    port,
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    async kill() {
      if (!child) return;
      const c = child;
      c.kill('SIGKILL');
      await exited(c);
    },
    async start() {
      await launch(`127.0.0.1:${port}`);
    },
    async stop() {
      if (child) {
        const c = child;
        c.kill('SIGCONT');
        c.kill('SIGKILL');
        await exited(c);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
