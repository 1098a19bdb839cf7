import { inspect } from 'node:util';
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from 'pino';

const LEVELS: Record<string, LogLevel> = { debug: LogLevel.DEBUG, trace: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN };

/** Slack tokens (bot, user, refresh, app-level) wherever they appear in a line. */
const SLACK_TOKEN = /\b(?:xox[abposre]|xoxe\.xox[bp]|xoxe|xapp)-[A-Za-z0-9-]+/g;
/** Fields the SDK's own redaction (keys containing "token") lets through, such as oauth.v2.access's client_secret and code. */
const SECRET_FIELD = /(["']?(?:client_secret|code|state)["']?\s*[:=]\s*)(["'])(?:(?!\2).)*\2/g;

/**
 * Bolt's lines are strings, out of reach of pino's path-based redaction, and
 * at debug level the Web API client prints request bodies: OAuth exchanges
 * carry the client secret and the one-time code there.
 */
export function scrubSecrets(text: string): string {
  return text.replace(SLACK_TOKEN, '[redacted]').replace(SECRET_FIELD, '$1$2[redacted]$2');
}

/**
 * Bolt and the Slack SDK log through their own small interface; this sends
 * those lines to the app's pino logger, so they are structured, redacted and
 * filtered by LOG_LEVEL like everything else. Bolt cannot change the level.
 */
export function toBoltLogger(logger: Logger): BoltLogger {
  const write = (level: 'debug' | 'info' | 'warn' | 'error') => (...parts: unknown[]) => {
    if (!logger.isLevelEnabled(level)) return;
    const error = parts.find((p): p is Error => p instanceof Error);
    const text = scrubSecrets(parts.filter((p) => p !== error).map((p) => (typeof p === 'string' ? p : inspect(p, { depth: 3, breakLength: Infinity }))).join(' '));
    if (error) logger[level]({ err: error }, text || error.message);
    else logger[level](text);
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: () => {},
    getLevel: () => LEVELS[logger.level] ?? LogLevel.ERROR,
    setName: () => {},
  };
}
