import { inspect } from 'node:util';
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from 'pino';

const LEVELS: Record<string, LogLevel> = { debug: LogLevel.DEBUG, trace: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN };

/**
 * Bolt and the Slack SDK log through their own small interface; this sends
 * those lines to the app's pino logger, so they are structured, redacted and
 * filtered by LOG_LEVEL like everything else. Bolt cannot change the level.
 */
export function toBoltLogger(logger: Logger): BoltLogger {
  const write = (level: 'debug' | 'info' | 'warn' | 'error') => (...parts: unknown[]) => {
    if (!logger.isLevelEnabled(level)) return;
    const error = parts.find((p): p is Error => p instanceof Error);
    const text = parts.filter((p) => p !== error).map((p) => (typeof p === 'string' ? p : inspect(p, { depth: 3, breakLength: Infinity }))).join(' ');
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
