import { isDomainError, type ErrorCode } from '../core/shared/errors.js';

const UNEXPECTED = 'Something went wrong on our side, and nothing was changed. Please try again in a moment.';

/**
 * The sentence to show a person for any error: core's own message for a
 * DomainError (written for people), a generic apology for anything else.
 */
export function friendlyMessage(error: unknown): string {
  return isDomainError(error) ? error.message : UNEXPECTED;
}

export type BlockErrors = Record<string, string>;

/** Slack shows at most a short line under an input; keep ours readable. */
const ERROR_MAX = 300;
const short = (text: string) => (text.length > ERROR_MAX ? `${text.slice(0, ERROR_MAX - 1)}…` : text);

/**
 * Turns an error from core into `response_action: "errors"` entries: each
 * zod issue goes under the input its path names; a coded error goes under
 * the input its code is about; anything else under `fallbackBlock`.
 */
export function blockErrors(
  error: unknown,
  options: { byPath?: Record<string, string>; byCode?: Partial<Record<ErrorCode, string>>; fallbackBlock: string },
): BlockErrors {
  const errors: BlockErrors = {};
  const add = (block: string, message: string) => {
    errors[block] = short(errors[block] ? `${errors[block]} ${message}` : message);
  };
  if (isDomainError(error)) {
    const issues = error.details.issues ?? [];
    const codeBlock = options.byCode?.[error.code];
    if (codeBlock) add(codeBlock, error.message);
    else if (issues.length) {
      for (const issue of issues) {
        const root = issue.path.split('.')[0] ?? '';
        add(options.byPath?.[issue.path] ?? options.byPath?.[root] ?? options.fallbackBlock, issue.message);
      }
    } else add(options.fallbackBlock, error.message);
  } else {
    add(options.fallbackBlock, UNEXPECTED);
  }
  return errors;
}
