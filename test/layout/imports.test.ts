import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(ROOT, dir), { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.ts$/.test(e.name) && !e.parentPath.includes(`${path.sep}dist`))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

/** Every relative import of a file, resolved to a path from the repository root. */
async function importsOf(file: string): Promise<string[]> {
  const text = await readFile(path.join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  return specifiers.map((s) => path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), s)));
}

describe('layout', () => {
  it.each(['core', 'bot', 'widget'])('nothing in %s/ imports from the process (server/) or the command-line tools (scripts/)', async (face) => {
    const offending: string[] = [];
    for (const file of await sourceFiles(face)) {
      for (const target of await importsOf(file)) {
        if (/^(server|scripts)\//.test(target)) offending.push(`${file} -> ${target}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('core/ imports neither Slack, HTTP nor browser code', async () => {
    const offending: string[] = [];
    for (const file of await sourceFiles('core')) {
      const text = await readFile(path.join(ROOT, file), 'utf8');
      for (const m of text.matchAll(/from\s+'([^']+)'/g)) {
        const spec = m[1]!;
        if (/^@slack\/|^express|^lit|^(\.\.\/)+(bot|widget)\//.test(spec)) offending.push(`${file} -> ${spec}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('bot/ shows things in Slack only through bot/send.ts, where every message and view is checked against the limits', async () => {
    // chat.* and views.* on a client, Bolt's respond(), a response_url fetch, or an ack carrying a message.
    const direct = /\.(chat|views)\.(postMessage|update|postEphemeral|open|push|publish)\(|\brespond\(\{|fetch\(\s*url|ack\(\{\s*response_type/;
    const offending: string[] = [];
    for (const file of await sourceFiles('bot')) {
      if (file === path.join('bot', 'send.ts')) continue;
      const lines = (await readFile(path.join(ROOT, file), 'utf8')).split('\n');
      lines.forEach((line, i) => {
        if (direct.test(line) && !/checked\(/.test(line)) offending.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offending).toEqual([]);
  });
});
