/**
 * Builds the FerretDB stand-in (main.go beside this file) with the machine's Go
 * toolchain and caches the binary under `.cache/mongo-standin/<hash>/`. The hash
 * covers the Go sources and `go version`, so editing main.go, bumping FerretDB or
 * upgrading Go rebuilds, and anything else reuses the binary.
 *
 * `npm run build:standin` runs this file; tests and `npm start` import
 * `ensureStandinBinary()` so a fresh clone works without a separate step.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { constants } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

const SOURCE_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(SOURCE_DIR, '../../..');
const HASHED_SOURCES = ['go.mod', 'go.sum', 'main.go'];

export interface StandinBuildResult {
  path: string;
  cold: boolean;
  seconds: number;
}

export interface StandinBuildOptions {
  /** Where progress lines go; defaults to stderr so stdout stays free for the caller. */
  log?: (line: string) => void;
  /** False keeps a warm start silent, for callers that print their own one-line summary. */
  announceWarm?: boolean;
  /** Defaults to `<repo>/.cache/mongo-standin`. */
  cacheDir?: string;
}

async function goVersion(): Promise<string> {
  try {
    const { stdout } = await execFileAsync('go', ['version']);
    return stdout.trim();
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the `go` command is not on PATH' : String(error);
    throw new Error(
      `Cannot build the MongoDB stand-in: ${reason}. Install Go 1.22 or newer, or set MONGODB_URI to a running MongoDB.`,
    );
  }
}

async function sourceHash(version: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of HASHED_SOURCES) {
    hash.update(file).update('\0').update(await readFile(path.join(SOURCE_DIR, file))).update('\0');
  }
  hash.update(version);
  return hash.digest('hex').slice(0, 16);
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function goBuild(output: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // -buildvcs=false is also in GOFLAGS here; repeating it keeps a machine
    // without that setting from failing on the work tree's VCS metadata.
    const child = spawn('go', ['build', '-buildvcs=false', '-trimpath', '-o', output, '.'], {
      cwd: SOURCE_DIR,
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`go build of the MongoDB stand-in failed (${signal ?? `exit ${code}`}):\n${stderr.trim()}`));
    });
  });
}

export async function buildStandin(options: StandinBuildOptions = {}): Promise<StandinBuildResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const started = performance.now();
  const version = await goVersion();
  const cacheDir = options.cacheDir ?? path.join(REPO_ROOT, '.cache', 'mongo-standin');
  const hash = await sourceHash(version);
  const dir = path.join(cacheDir, hash);
  const binary = path.join(dir, 'mongo-standin');
  const seconds = () => (performance.now() - started) / 1000;

  if (await isExecutable(binary)) {
    const result = { path: binary, cold: false, seconds: seconds() };
    if (options.announceWarm !== false) log(`mongo-standin: warm, cached binary found in ${result.seconds.toFixed(2)} s (${path.relative(REPO_ROOT, binary)})`);
    return result;
  }

  log(`mongo-standin: cold, building FerretDB stand-in with ${version} (about a minute; a few more on a machine that must first download the Go modules)...`);
  await mkdir(dir, { recursive: true });
  // Build beside the final path and rename, so a concurrent build or an
  // interrupted one never leaves a half-written binary where others look.
  const partial = `${binary}.${process.pid}.partial`;
  try {
    await goBuild(partial);
    await rename(partial, binary);
  } finally {
    await rm(partial, { force: true });
  }
  // Binaries of older sources are dead weight (about 35 MB each).
  for (const entry of await readdir(cacheDir)) {
    if (entry !== hash) await rm(path.join(cacheDir, entry), { recursive: true, force: true });
  }
  const result = { path: binary, cold: true, seconds: seconds() };
  log(`mongo-standin: cold build took ${result.seconds.toFixed(1)} s (${path.relative(REPO_ROOT, binary)})`);
  return result;
}

let pending: Promise<string> | null = null;

/** The stand-in binary's path, building it first if needed (once per process). */
export function ensureStandinBinary(options: StandinBuildOptions = {}): Promise<string> {
  pending ??= buildStandin(options).then(
    (result) => result.path,
    (error: unknown) => {
      pending = null;
      throw error;
    },
  );
  return pending;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  buildStandin({ log: (line) => console.log(line) }).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
