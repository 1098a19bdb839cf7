import type { RequestHandler } from 'express';
import { de } from '../element/i18n/de.js';
import { es } from '../element/i18n/es.js';
import { fr } from '../element/i18n/fr.js';
import { edgeProblem, sendProblem } from './problem.js';

/** The widget's words in languages other than English, which the script fetches only when a page asks for one. */
export const MESSAGE_TABLES = { fr, es, de } as const;

/** GET /widget/i18n/{language}.json — public, cacheable, readable from any host page like the script itself. */
export function serveMessages(): RequestHandler {
  const bodies = new Map(Object.entries(MESSAGE_TABLES).map(([language, table]) => [`${language}.json`, JSON.stringify(table)]));
  return (req, res) => {
    const body = bodies.get(String(req.params.file));
    if (!body) {
      sendProblem(res, edgeProblem('route.not_found', `No such language file. The widget speaks English and ${[...bodies.keys()].join(', ')}.`));
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('application/json').send(body);
  };
}
