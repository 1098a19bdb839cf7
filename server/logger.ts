import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

export interface LoggerSettings {
  level: string;
  production: boolean;
}

/** Tokens and cookies never reach the logs, whatever a log call passes in. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-slack-signature"]',
  'res.headers["set-cookie"]',
  '*.token',
  '*.botToken',
  '*.signingSecret',
  '*.appToken',
  '*.clientSecret',
  '*.stateSecret',
  '*.tokenKey',
  '*.refreshToken',
  '*.sealed',
  '*.client_secret',
  '*.access_token',
  '*.refresh_token',
];

/**
 * JSON lines, one per event, for machines. A person at a terminal outside
 * production gets pino-pretty, written synchronously in this thread so the last
 * lines before an exit are not lost in a transport worker.
 */
export function createLogger(settings: LoggerSettings, stream?: DestinationStream): Logger {
  const options = { level: settings.level, redact: { paths: REDACT, censor: '[redacted]' } };
  if (stream) return pino(options, stream);
  if (!settings.production && process.stdout.isTTY) {
    const pretty = loadPretty();
    if (pretty) return pino(options, pretty({ sync: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' }));
  }
  return pino(options, pino.destination({ dest: 1, sync: true }));
}

type PrettyFactory = (options: Record<string, unknown>) => DestinationStream;

/** pino-pretty is a dev dependency: a production install falls back to JSON. */
function loadPretty(): PrettyFactory | null {
  try {
    const required = createRequire(import.meta.url)('pino-pretty') as PrettyFactory | { default: PrettyFactory };
    return typeof required === 'function' ? required : required.default;
  } catch {
    return null;
  }
}
