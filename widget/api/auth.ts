import type { Request, RequestHandler } from 'express';
import { errors as joseErrors, jwtVerify } from 'jose';
import type { Core } from '../../core/core.types.js';
import { isDomainError } from '../../core/shared/errors.js';
import type { Student } from '../../core/students/student.schema.js';
import type { WorkspaceScope } from '../../core/shared/scope.js';
import { tokenClaimsSchema, type TokenClaims } from './contract.schema.js';
import { HttpProblem } from './problem.js';

const BEARER = /^Bearer[ \t]+([A-Za-z0-9._~+/-]+=*)[ \t]*$/i;

const studentsByRequest = new WeakMap<Request, Student>();
const scopesByRequest = new WeakMap<Request, WorkspaceScope>();

/** The student a request was authenticated as; only valid after the authenticate middleware ran. */
export function authenticatedStudent(req: Request): Student {
  const student = studentsByRequest.get(req);
  if (!student) throw new Error('authenticatedStudent() called on a route without the authenticate middleware');
  return student;
}

/**
 * The workspace a request is confined to: the `workspace` claim of its
 * token, or undefined (the whole deployment) when there is none.
 */
export function requestScope(req: Request): WorkspaceScope | undefined {
  return scopesByRequest.get(req);
}

function unauthorized(code: 'auth.missing_token' | 'auth.invalid_token' | 'auth.token_expired', detail: string): HttpProblem {
  // RFC 6750 asks for a challenge on every 401 from a bearer-protected resource.
  const error = code === 'auth.missing_token' ? '' : ', error="invalid_token"';
  return new HttpProblem(code, detail, { 'WWW-Authenticate': `Bearer realm="coach-booking"${error}` });
}

/** Turns jose's failure into a sentence a host developer can act on. */
function explain(error: unknown): HttpProblem {
  if (error instanceof joseErrors.JWTExpired) {
    return unauthorized('auth.token_expired', 'The token has expired. Sign a fresh one for the student and set it on the widget.');
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) {
    return unauthorized('auth.invalid_token', 'Only HS256-signed tokens are accepted; this token uses another algorithm (or none).');
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return unauthorized('auth.invalid_token', 'The token signature does not match. Sign it with the shared WIDGET_SIGNING_SECRET using HS256.');
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    const problem = error.reason === 'missing' ? `is missing the required "${error.claim}" claim` : `has an invalid "${error.claim}" claim`;
    return unauthorized('auth.invalid_token', `The token ${problem}.`);
  }
  return unauthorized('auth.invalid_token', 'The token is not a well-formed JWT.');
}

/**
 * Verifies the host-signed HS256 token and makes sure its student exists
 * (first use creates them, later uses refresh name, phone and email).
 * Time comes from core's clock so the whole app agrees on "now".
 */
async function verifiedClaims(core: Core, key: Uint8Array, header: string | undefined): Promise<TokenClaims> {
  if (!header) throw unauthorized('auth.missing_token', 'Send the student token as "Authorization: Bearer <token>".');
  const token = BEARER.exec(header)?.[1];
  if (!token) throw unauthorized('auth.invalid_token', 'The Authorization header must be "Bearer <token>".');

  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'sub'],
      currentDate: core.clock.now(),
    }));
  } catch (error) {
    throw explain(error);
  }

  const claims = tokenClaimsSchema.safeParse(payload);
  if (!claims.success) {
    const fields = claims.error.issues.map((issue) => `${issue.path.join('.') || 'claims'}: ${issue.message}`).join('; ');
    throw unauthorized('auth.invalid_token', `The token claims are not valid (${fields}).`);
  }
  return claims.data;
}

/**
 * For the public listings: a request that carries a valid token sees only
 * its workspace's coaches. One without a token, or with one that fails,
 * gets the public listing of the whole deployment, exactly as if it had
 * sent none; nothing private is in it, and booking checks the token again.
 */
export function createOptionalScope(core: Core, signingSecret: string): RequestHandler {
  const key = new TextEncoder().encode(signingSecret);
  return async (req, _res, next) => {
    const header = req.get('authorization');
    if (header) {
      const claims = await verifiedClaims(core, key, header).catch(() => null);
      if (claims?.workspace) scopesByRequest.set(req, { teamId: claims.workspace });
    }
    next();
  };
}

export function createAuthenticate(core: Core, signingSecret: string): RequestHandler {
  const key = new TextEncoder().encode(signingSecret);
  return async (req, _res, next) => {
    const { sub, name, phone, email, workspace } = await verifiedClaims(core, key, req.get('authorization'));
    let student: Student;
    try {
      student = await core.students.upsert({ externalId: sub, name, phone, email: email ?? null });
    } catch (error) {
      if (isDomainError(error, 'phone.invalid') || isDomainError(error, 'validation.failed')) {
        throw unauthorized('auth.invalid_token', `The token claims are not valid: ${error.message}`);
      }
      throw error;
    }
    studentsByRequest.set(req, student);
    if (workspace) scopesByRequest.set(req, { teamId: workspace });
    next();
  };
}
