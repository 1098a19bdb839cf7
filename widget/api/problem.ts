import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, Response } from 'express';
import type pino from 'pino';
import type * as z from 'zod/mini';
import { DomainError, ERROR_CODES, type ErrorCode } from '../../core/shared/errors.js';
import type { ProblemDto } from './contract.schema.js';

/**
 * Problems that only the HTTP edge can raise (core knows nothing of tokens,
 * JSON parsing or rate limits). Each has a stable code like core's.
 */
export const EDGE_PROBLEMS = {
  'auth.missing_token': { status: 401, title: 'Sign-in required.' },
  'auth.invalid_token': { status: 401, title: 'The sign-in token is not valid.' },
  'auth.token_expired': { status: 401, title: 'The sign-in token has expired.' },
  'request.malformed_json': { status: 400, title: 'The request body is not valid JSON.' },
  'request.malformed_path': { status: 400, title: 'The request path is not valid.' },
  'request.malformed': { status: 400, title: 'The request is not valid HTTP.' },
  'request.invalid_locale': { status: 400, title: 'The locale is not a valid language tag.' },
  'request.headers_too_large': { status: 431, title: 'The request headers are too large.' },
  'method.not_allowed': { status: 405, title: 'That method is not allowed here.' },
  'request.too_large': { status: 413, title: 'The request body is too large.' },
  'request.unsupported_media_type': { status: 415, title: 'Send the request body as application/json.' },
  'route.not_found': { status: 404, title: 'No such endpoint.' },
  'origin.not_allowed': { status: 403, title: 'This page’s origin may not call the booking service.' },
  'auth.not_admin': { status: 403, title: 'This token does not carry the admin claim.' },
  'rate_limited': { status: 429, title: 'Too many requests.' },
  'widget.bundle_missing': { status: 503, title: 'The widget bundle has not been built.' },
  'internal.error': { status: 500, title: 'Something went wrong on our side.' },
} as const;
export type EdgeProblemCode = keyof typeof EDGE_PROBLEMS;

/** An edge-level failure carrying its problem code, thrown by middleware and handled below. */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(
    readonly code: EdgeProblemCode,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

const CONFLICT_CODES = new Set<ErrorCode>(['slot.taken', 'slot.held', 'slot.not_open', 'booking.overlaps', 'booking.busy', 'idempotency.in_progress']);
const BAD_REQUEST_CODES = new Set<ErrorCode>(['validation.failed', 'range.invalid', 'range.too_wide', 'phone.invalid']);

/** Core codes map to statuses here and nowhere else. Everything not listed is a broken business rule: 422. */
export function statusForDomainCode(code: ErrorCode): number {
  if (code.endsWith('.not_found')) return 404;
  if (CONFLICT_CODES.has(code)) return 409;
  if (BAD_REQUEST_CODES.has(code)) return 400;
  if (code === 'service.unavailable') return 503;
  if (code === 'admin.required') return 403;
  return 422;
}

/**
 * Problem types are tag URIs (RFC 4151): stable, unique identifiers that no
 * client is tempted to dereference, with the code as the readable part.
 */
export function problemType(code: string): string {
  return `tag:coaching-scheduler,2026:problem:${code}`;
}

export type FieldError = NonNullable<ProblemDto['errors']>[number];

export function sendProblem(res: Response, problem: ProblemDto, headers: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}

export function edgeProblem(code: EdgeProblemCode, detail: string, extra: Partial<ProblemDto> = {}): ProblemDto {
  const { status, title } = EDGE_PROBLEMS[code];
  return { type: problemType(code), title, status, detail, code, ...extra };
}

export function domainProblem(error: DomainError): ProblemDto {
  const status = statusForDomainCode(error.code);
  const problem: ProblemDto = {
    type: problemType(error.code),
    title: ERROR_CODES[error.code],
    status,
    detail: status === 503 ? ERROR_CODES[error.code] : error.message,
    code: error.code,
  };
  // Only the field list leaves the server: other details may name internal ids.
  const issues = error.details.issues;
  if (issues?.length) {
    problem.errors = issues.map((issue) => ({
      location: isLocated(issue) ? issue.location : 'body',
      path: issue.path,
      message: issue.message,
    }));
  }
  return problem;
}

function isLocated(issue: object): issue is { location: FieldError['location'] } {
  return 'location' in issue && typeof issue.location === 'string' && ['body', 'query', 'header', 'path'].includes(issue.location);
}

/**
 * Parses one part of a request. Failure is `validation.failed` with one entry
 * per offending field (unknown fields listed one by one), so a client can point
 * at the exact input.
 */
export function parseRequestPart<S extends z.ZodMiniType>(schema: S, value: unknown, location: FieldError['location']): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data as z.output<S>;
  const errors: FieldError[] = [];
  for (const issue of result.error.issues) {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) errors.push({ location, path: [...base, key].join('.'), message: 'Unknown field.' });
    } else {
      errors.push({ location, path: base.join('.') || '(root)', message: issue.message });
    }
  }
  const summary = errors.map((e) => `${e.location} ${e.path}: ${e.message}`).join('; ');
  throw new DomainError('validation.failed', `Invalid request: ${summary}`, { issues: errors });
}

/** The largest request body the API reads. */
export const BODY_LIMIT = '10kb';

/** Seconds a client should wait before retrying while the database does not answer. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

/** Express fails to decode a path parameter such as `%ZZ` with a URIError marked 400. */
function isUndecodablePath(error: unknown): boolean {
  return error instanceof URIError || (error instanceof Error && (error as { status?: number }).status === 400 && /^Failed to decode param/.test(error.message));
}

interface BodyParserError {
  type?: string;
  status?: number;
}

/** The last middleware of the API router: every failure leaves as a problem document, never as a stack trace. */
export function problemErrorHandler(logger: pino.Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof HttpProblem) {
      sendProblem(res, edgeProblem(error.code, error.detail), error.headers);
      return;
    }
    if (error instanceof DomainError) {
      const problem = domainProblem(error);
      if (problem.status === 503) {
        logger.error({ err: error.cause ?? error, code: error.code, method: req.method, path: req.path }, 'widget API: dependency unavailable');
        sendProblem(res, problem, { 'Retry-After': String(UNAVAILABLE_RETRY_AFTER_SECONDS) });
        return;
      }
      const retryAfter = error.details.retryAfterSeconds;
      sendProblem(res, problem, typeof retryAfter === 'number' ? { 'Retry-After': String(retryAfter) } : {});
      return;
    }
    if (isUndecodablePath(error)) {
      sendProblem(
        res,
        edgeProblem('request.malformed_path', `The path ${JSON.stringify(req.originalUrl.split('?')[0])} has a "%" that is not followed by two hex digits. Percent-encode "%" itself as %25.`),
      );
      return;
    }
    const parserError = error as BodyParserError;
    if (parserError?.type === 'entity.parse.failed') {
      sendProblem(res, edgeProblem('request.malformed_json', 'The body could not be parsed as JSON. Check quotes, commas and brackets.'));
      return;
    }
    if (parserError?.type === 'entity.too.large') {
      sendProblem(res, edgeProblem('request.too_large', 'Request bodies are limited to 10 KB.'));
      return;
    }
    if (parserError?.type === 'charset.unsupported' || parserError?.type === 'encoding.unsupported') {
      sendProblem(res, edgeProblem('request.unsupported_media_type', 'Send UTF-8 JSON without a content encoding.'));
      return;
    }
    logger.error({ err: error, method: req.method, path: req.path }, 'widget API: unhandled error');
    sendProblem(res, edgeProblem('internal.error', 'The request failed unexpectedly. It has been logged; please try again.'));
  };
}

/** Node's own limit on the request line and headers together, stated so the 431 can say it. */
export const MAX_HEADER_BYTES = 16 * 1024;

/**
 * The raw HTTP answer to a request Node could not parse (it never reaches
 * Express): a problem document like every other refusal, then the
 * connection closes. Null when there is nobody left to answer.
 */
export function clientErrorResponse(error: { code?: string }): string | null {
  if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return null;
  const problem =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? edgeProblem('request.headers_too_large', `The request line and headers are limited to ${MAX_HEADER_BYTES / 1024} KB in total. Send a shorter token or fewer cookies.`)
      : edgeProblem('request.malformed', 'The request could not be parsed as HTTP/1.1.');
  const body = JSON.stringify(problem);
  return (
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\n` +
    `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}
