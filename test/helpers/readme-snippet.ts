import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const README = path.resolve(import.meta.dirname, '../../README.md');

/**
 * The code block that follows `<!-- name -->` in the README, written to a
 * file and imported as it stands: the tests run exactly what readers copy.
 */
export async function importReadmeSnippet<T>(name: string): Promise<T> {
  const readme = readFileSync(README, 'utf8');
  const marker = readme.indexOf(`<!-- ${name} -->`);
  if (marker < 0) throw new Error(`README has no <!-- ${name} --> marker`);
  const block = /```js\n([\s\S]*?)```/.exec(readme.slice(marker));
  if (!block) throw new Error(`no js code block after <!-- ${name} --> in the README`);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'readme-')), `${name}.mjs`);
  writeFileSync(file, block[1]!);
  return (await import(pathToFileURL(file).href)) as T;
}
