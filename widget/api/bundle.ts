import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import type { RequestHandler } from 'express';
import { edgeProblem, sendProblem } from './problem.js';

interface LoadedBundle {
  mtimeMs: number;
  size: number;
  raw: Buffer;
  gzip: Buffer;
  etag: string;
}

/**
 * Serves the built widget script. It is re-read only when the file changes (a
 * rebuild during development), compressed once, and revalidated by ETag after
 * five minutes so a deploy reaches host pages quickly.
 */
export function serveWidgetBundle(bundlePath: string): RequestHandler {
  let loaded: LoadedBundle | null = null;

  async function load(): Promise<LoadedBundle | null> {
    let info;
    try {
      info = await stat(bundlePath);
    } catch {
      return null;
    }
    if (loaded && loaded.mtimeMs === info.mtimeMs && loaded.size === info.size) return loaded;
    const raw = await readFile(bundlePath);
    const etag = `"${createHash('sha256').update(raw).digest('base64url').slice(0, 27)}"`;
    loaded = { mtimeMs: info.mtimeMs, size: info.size, raw, gzip: gzipSync(raw, { level: 9 }), etag };
    return loaded;
  }

  return async (req, res) => {
    const bundle = await load();
    if (!bundle) {
      sendProblem(
        res,
        edgeProblem('widget.bundle_missing', 'widget/dist/coach-booking.js does not exist. Run "npm run build:widget" (npm start does it for you).'),
        { 'Retry-After': '30', 'Cache-Control': 'no-store' },
      );
      return;
    }
    // A module script from another origin is fetched in CORS mode: without this header host pages could not load it.
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.setHeader('ETag', bundle.etag);
    res.setHeader('Vary', 'Accept-Encoding');
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    const gzip = req.acceptsEncodings('gzip', 'identity') === 'gzip';
    if (gzip) res.setHeader('Content-Encoding', 'gzip');
    res.status(200).send(gzip ? bundle.gzip : bundle.raw);
  };
}
