import { DomainError } from '../shared/errors.js';

/**
 * A position in the coach listing (sorted by lower-cased name, then id): the
 * last coach's id and sort name. Carrying the name, not only the id, keeps the
 * next page right even if that coach is renamed or removed in between.
 * Shape: `<24 hex id>.<base64url sort name>`.
 */
export interface CoachCursor {
  id: string;
  sortName: string;
}

export const COACH_CURSOR_PATTERN = /^[0-9a-f]{24}\.[A-Za-z0-9_-]*$/;

export function encodeCoachCursor(position: CoachCursor): string {
  return `${position.id}.${Buffer.from(position.sortName, 'utf8').toString('base64url')}`;
}

export function decodeCoachCursor(cursor: string): CoachCursor {
  if (!COACH_CURSOR_PATTERN.test(cursor)) {
    throw new DomainError('validation.failed', 'Invalid input: cursor: not a cursor this listing gave out. Leave it out to start from the first page.', {
      issues: [{ path: 'cursor', message: 'Not a cursor this listing gave out. Leave it out to start from the first page.' }],
    });
  }
  const [id, name] = cursor.split('.') as [string, string];
  return { id, sortName: Buffer.from(name, 'base64url').toString('utf8') };
}
