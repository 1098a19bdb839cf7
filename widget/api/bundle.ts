import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { Request, RequestHandler } from 'express';
import Negotiator from 'negotiator';
import { PRECOMPRESSED } from '../precompress.plugin.js';
import { edgeProblem, sendProblem } from './problem.js';

const ENCODINGS = ['br', 'gzip', 'identity'] as const;
export type Encoding = (typeof ENCODINGS)[number];

// negotiator 1.x takes the server's own order for ties; @types/negotiator (0.6) does not know that argument yet.
const negotiateEncodings = Negotiator.prototype.encodings as (this: Negotiator, available: readonly string[], options: { preferred: readonly string[] }) => string[];

/** The encoding to answer in: the client's q-values decide, and among equals brotli (the smaller) wins. */
export function acceptedEncoding(req: Request): Encoding {
  const [encoding = 'identity'] = negotiateEncodings.call(new Negotiator(req), ENCODINGS, { preferred: ENCODINGS }) as Encoding[];
  return encoding;
}

/** A body in every encoding the server offers, made once, for responses served many times. */
export function precompressed(raw: Buffer): Record<Encoding, Buffer> {
  const bodies = { identity: raw } as Record<Encoding, Buffer>;
  for (const { encoding, compress } of PRECOMPRESSED) bodies[encoding] = compress(raw);
  return bodies;
}

interface LoadedBundle {
  mtimeMs: number;
  size: number;
  /** The same script in each encoding, with an ETag of its own (they are different bytes). */
  bodies: Record<Encoding, { body: Buffer; etag: string }>;
}

/**
 * Serves the built widget script, precompressed: brotli or gzip as the
 * client's Accept-Encoding asks (brotli preferred when both are), raw
 * otherwise, always with `Vary: Accept-Encoding`. The build writes the
 * compressed files; if they are missing or older than the script (a hand
 * edit), they are made once here. Re-read only when the script changes, and
 * revalidated by ETag after five minutes so a deploy reaches host pages quickly.
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
    const hash = createHash('sha256').update(raw).digest('base64url').slice(0, 27);
    const bodies = { identity: { body: raw, etag: `"${hash}"` } } as LoadedBundle['bodies'];
    for (const { encoding, suffix, compress } of PRECOMPRESSED) {
      const file = `${bundlePath}${suffix}`;
      const fresh = await stat(file).then((s) => s.mtimeMs >= info.mtimeMs, () => false);
      bodies[encoding] = { body: fresh ? await readFile(file) : compress(raw), etag: `"${hash}-${encoding}"` };
    }
    loaded = { mtimeMs: info.mtimeMs, size: info.size, bodies };
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
    // The client's q-values decide; among equals ("gzip, deflate, br", as browsers send) ours do:
    // brotli is smaller. A client that refuses even identity still gets the raw script rather
    // than a 406 it could do nothing with.
    const encoding = acceptedEncoding(req);
    const { body, etag } = bundle.bodies[encoding];
    // A module script from another origin is fetched in CORS mode: without this header host pages could not load it.
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('ETag', etag);
    if (encoding !== 'identity') res.setHeader('Content-Encoding', encoding);
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.status(200).send(body);
  };
}

/**
 * The licences of what the script bundles (Lit's BSD-3-Clause notice), which
 * the build writes beside it instead of into it: the notice travels with the
 * script without every student downloading it.
 */
export function serveBundleLicenses(licensesPath: string): RequestHandler {
  return async (_req, res) => {
    const text = await readFile(licensesPath, 'utf8').catch(() => null);
    if (text === null) {
      sendProblem(res, edgeProblem('widget.bundle_missing', `${licensesPath.split('/').slice(-3).join('/')} does not exist. Run "npm run build:widget" (npm start does it for you).`), { 'Retry-After': '30', 'Cache-Control': 'no-store' });
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('text/markdown; charset=utf-8').send(text);
  };
}
