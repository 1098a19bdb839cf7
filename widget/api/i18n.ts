import type { RequestHandler } from 'express';
import { de } from '../element/i18n/de.js';
import { en } from '../element/i18n/en.js';
import { es } from '../element/i18n/es.js';
import { fr } from '../element/i18n/fr.js';
import { edgeProblem, sendProblem } from './problem.js';

/** The widget's words: the script fetches the one language its page asks for, so the others cost nothing. */
export const MESSAGE_TABLES = { en, fr, es, de } as const;
/** Every language but English, for tests that look for English left behind. */
export const TRANSLATIONS = { fr, es, de } as const;

/** GET /widget/i18n/{language}.json — public, cacheable, readable from any host page like the script itself. */
export function serveMessages(): RequestHandler {
  const bodies = new Map(Object.entries(MESSAGE_TABLES).map(([language, table]) => [`${language}.json`, JSON.stringify(table)]));
  return (req, res) => {
    const body = bodies.get(String(req.params.file));
    if (!body) {
      sendProblem(res, edgeProblem('route.not_found', `No such language file. The widget speaks ${[...bodies.keys()].join(', ')}.`));
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('application/json').send(body);
  };
}
