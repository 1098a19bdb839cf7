import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** The two encodings the server offers, each written beside the script it compresses. */
export const PRECOMPRESSED = [
  { encoding: 'br', suffix: '.br', compress: (raw: Buffer) => brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }) },
  { encoding: 'gzip', suffix: '.gz', compress: (raw: Buffer) => gzipSync(raw, { level: 9 }) },
] as const;

/**
 * Compresses each built script once, at the highest levels, at build time
 * (brotli 11 is too slow to run per request, and pointless to repeat), so the
 * server only picks the file the client accepts.
 */
export function precompress(): Plugin {
  return {
    name: 'coach-booking:precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      for (const file of Object.values(bundle)) {
        if (!file.fileName.endsWith('.js')) continue;
        const target = path.join(options.dir!, file.fileName);
        const raw = await readFile(target);
        await Promise.all(PRECOMPRESSED.map(({ suffix, compress }) => writeFile(`${target}${suffix}`, compress(raw))));
      }
    },
  };
}
