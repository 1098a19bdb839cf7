import type { Request, RequestHandler } from 'express';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTVerifyOptions } from 'jose';
import type { Core } from '../../core/core.types.js';
import type { Clock } from '../../core/shared/clock.js';
import { isDomainError } from '../../core/shared/errors.js';
import type { Student } from '../../core/students/student.schema.js';
import type { WorkspaceScope } from '../../core/shared/scope.js';
import type { WidgetConfig } from './config.js';
import { adminTokenClaimsSchema, tokenClaimsSchema, type AdminTokenClaims, type TokenClaims } from './contract.schema.js';
import { HttpProblem } from './problem.js';

const BEARER = /^Bearer[ \t]+([A-Za-z0-9._~+/-]+=*)[ \t]*$/i;

/** Clocks of the host site and of this server may disagree by this much. */
export const TOKEN_CLOCK_SKEW_SECONDS = 30;

/**
 * Demo tokens are told apart by their key id and carry their own issuer, so
 * that in demo mode a demo token is checked against the demo secret and a
 * host token against WIDGET_SIGNING_SECRET, and neither can pass for the other.
 */
export const DEMO_TOKEN_KEY_ID = 'demo';
export const DEMO_TOKEN_ISSUER = 'coaching-scheduler:demo';

export interface TokenVerifierOptions {
  clock: Clock;
  /** WIDGET_SIGNING_SECRET; null only in demo mode without one. */
  hostSecret: string | null;
  binding: WidgetConfig['tokens'];
  /** Demo mode only: the secret demo tokens are signed with and the seeded students they may name. */
  demo: { secret: string; subjects: ReadonlySet<string> } | null;
}

export interface VerifiedToken {
  claims: TokenClaims;
  /** Who vouches for the student: the host site, or the demo page. */
  issuedBy: 'host' | 'demo';
}

const tokensByRequest = new WeakMap<Request, VerifiedToken>();
const adminTokensByRequest = new WeakMap<Request, AdminTokenClaims>();
const studentsByRequest = new WeakMap<Request, Student>();
const scopesByRequest = new WeakMap<Request, WorkspaceScope>();

/** The verified token of a request; only valid after the verifyToken middleware ran. */
export function verifiedToken(req: Request): VerifiedToken {
  const token = tokensByRequest.get(req);
  if (!token) throw new Error('verifiedToken() called on a route without the verifyToken middleware');
  return token;
}

/** The student a request was authenticated as; only valid after the ensureStudent middleware ran. */
export function authenticatedStudent(req: Request): Student {
  const student = studentsByRequest.get(req);
  if (!student) throw new Error('authenticatedStudent() called on a route without the ensureStudent middleware');
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
function explain(error: unknown, options: JWTVerifyOptions): HttpProblem {
  if (error instanceof HttpProblem) return error;
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
    if (error.claim === 'iss' && options.issuer) {
      return unauthorized('auth.invalid_token', `The token must carry "iss": ${JSON.stringify(options.issuer)} (the WIDGET_TOKEN_ISSUER this server expects).`);
    }
    if (error.claim === 'aud' && options.audience) {
      return unauthorized('auth.invalid_token', `The token's "aud" must include ${JSON.stringify(options.audience)} (the WIDGET_TOKEN_AUDIENCE this server expects).`);
    }
    if (error.claim === 'nbf') return unauthorized('auth.invalid_token', 'The token is not valid yet (its "nbf" is in the future). Check the host clock.');
    const problem = error.reason === 'missing' ? `is missing the required "${error.claim}" claim` : `has an invalid "${error.claim}" claim`;
    return unauthorized('auth.invalid_token', `The token ${problem}.`);
  }
  return unauthorized('auth.invalid_token', 'The token is not a well-formed JWT.');
}

/**
 * Checks host-signed HS256 tokens without touching the database: signature,
 * expiry, issuer and audience when configured, a lifetime no longer than
 * allowed and an `iat` that is not in the future (each within a small clock
 * skew). Time comes from core's clock so the whole app agrees on "now".
 */
export function createTokenCheck(options: TokenVerifierOptions): (header: string | undefined) => Promise<VerifiedToken> {
  const verify = createJwtVerifier(options);
  return async (header) => {
    const { payload, issuedBy } = await verify(header);
    const claims = tokenClaimsSchema.safeParse(payload);
    if (!claims.success) throw invalidClaims(claims.error.issues);
    if (issuedBy === 'demo' && !options.demo!.subjects.has(claims.data.sub)) {
      throw unauthorized('auth.invalid_token', 'A demo token may only name a seeded demo student.');
    }
    return { claims: claims.data, issuedBy };
  };
}

function invalidClaims(issues: Array<{ path: PropertyKey[]; message: string }>): HttpProblem {
  const fields = issues.map((issue) => `${issue.path.map(String).join('.') || 'claims'}: ${issue.message}`).join('; ');
  return unauthorized('auth.invalid_token', `The token claims are not valid (${fields}).`);
}

/**
 * Admin tokens: verified exactly like student tokens (signature, expiry,
 * binding, lifetime), then they must say `"admin": true`; a valid token
 * without it is refused 403 `auth.not_admin`. Demo tokens are never admins.
 */
export function createAdminTokenCheck(options: TokenVerifierOptions): (header: string | undefined) => Promise<AdminTokenClaims> {
  const verify = createJwtVerifier(options);
  return async (header) => {
    const { payload, issuedBy } = await verify(header);
    const claims = adminTokenClaimsSchema.safeParse(payload);
    if (!claims.success) throw invalidClaims(claims.error.issues);
    if (issuedBy !== 'host' || claims.data.admin !== true) {
      throw new HttpProblem('auth.not_admin', 'This operation is for admins: sign a token with "admin": true (see the README, "Admin token").');
    }
    return claims.data;
  };
}

/** The signature, expiry, binding and lifetime checks every token goes through. */
function createJwtVerifier({ clock, hostSecret, binding, demo }: TokenVerifierOptions): (header: string | undefined) => Promise<{ payload: Record<string, unknown>; issuedBy: 'host' | 'demo' }> {
  const encode = (secret: string) => new TextEncoder().encode(secret);
  const hostKey = hostSecret ? encode(hostSecret) : null;
  const demoKey = demo ? encode(demo.secret) : null;

  return async (header) => {
    if (!header) throw unauthorized('auth.missing_token', 'Send the student token as "Authorization: Bearer <token>".');
    const token = BEARER.exec(header)?.[1];
    if (!token) throw unauthorized('auth.invalid_token', 'The Authorization header must be "Bearer <token>".');

    let kid: unknown;
    try {
      ({ kid } = decodeProtectedHeader(token));
    } catch {
      throw unauthorized('auth.invalid_token', 'The token is not a well-formed JWT.');
    }
    const issuedBy = demoKey && kid === DEMO_TOKEN_KEY_ID ? 'demo' : 'host';
    const key = issuedBy === 'demo' ? demoKey : hostKey;
    if (!key) {
      throw unauthorized('auth.invalid_token', 'This server runs in demo mode without WIDGET_SIGNING_SECRET: only tokens from /api/v1/demo/token are accepted.');
    }
    const now = clock.now();
    const options: JWTVerifyOptions = {
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'sub'],
      currentDate: now,
      clockTolerance: TOKEN_CLOCK_SKEW_SECONDS,
      ...(issuedBy === 'demo' ? { issuer: DEMO_TOKEN_ISSUER } : {}),
      ...(issuedBy === 'host' && binding.issuer ? { issuer: binding.issuer } : {}),
      ...(issuedBy === 'host' && binding.audience ? { audience: binding.audience } : {}),
    };

    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, key, options));
    } catch (error) {
      throw explain(error, options);
    }

    const nowSeconds = Math.floor(now.getTime() / 1000);
    const { iat, exp } = payload as { iat?: number; exp: number };
    if (iat !== undefined && iat > nowSeconds + TOKEN_CLOCK_SKEW_SECONDS) {
      throw unauthorized('auth.invalid_token', 'The token was issued in the future (its "iat" is later than now). Check the host clock.');
    }
    const lifetime = exp - (iat ?? nowSeconds);
    if (lifetime > binding.maxLifetimeSeconds + TOKEN_CLOCK_SKEW_SECONDS) {
      throw unauthorized(
        'auth.invalid_token',
        `The token is valid for ${formatDuration(lifetime)}${iat === undefined ? ' from now' : ''}; at most ${formatDuration(binding.maxLifetimeSeconds)} is accepted (WIDGET_TOKEN_MAX_LIFETIME_HOURS). Sign shorter-lived tokens.`,
      );
    }

    return { payload, issuedBy };
  };
}

type TokenCheck = ReturnType<typeof createTokenCheck>;

/** Requires a valid token; remembers it (and its workspace) for the rest of the request. */
export function requireToken(check: TokenCheck): RequestHandler {
  return async (req, _res, next) => {
    const verified = await check(req.get('authorization'));
    tokensByRequest.set(req, verified);
    if (verified.claims.workspace) scopesByRequest.set(req, { teamId: verified.claims.workspace });
    next();
  };
}

/** Requires an admin token; remembers it (and its workspace) for the rest of the request. */
export function requireAdminToken(check: ReturnType<typeof createAdminTokenCheck>): RequestHandler {
  return async (req, _res, next) => {
    const claims = await check(req.get('authorization'));
    adminTokensByRequest.set(req, claims);
    if (claims.workspace) scopesByRequest.set(req, { teamId: claims.workspace });
    next();
  };
}

/**
 * For the public listings: a request that carries a valid token sees only
 * its workspace's coaches. One without a token, or with one that fails,
 * gets the public listing of the whole deployment, exactly as if it had
 * sent none; nothing private is in it, and booking checks the token again.
 */
export function optionalScope(check: TokenCheck): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization');
    if (header) {
      const verified = await check(header).catch(() => null);
      if (verified?.claims.workspace) scopesByRequest.set(req, { teamId: verified.claims.workspace });
    }
    next();
  };
}

function formatDuration(seconds: number): string {
  return seconds % 3_600 === 0 ? `${seconds / 3_600} h` : `${Math.round(seconds / 60)} min`;
}

/** The key the per-student rate limit counts under: known from the token alone, before anything is written. */
export function rateLimitSubject(req: Request): string {
  const admin = adminTokensByRequest.get(req);
  if (admin) return `admin:${admin.sub}`;
  const { claims, issuedBy } = verifiedToken(req);
  return `${issuedBy}:${claims.sub}`;
}

/**
 * Makes sure the verified token's student exists (first use creates them,
 * later uses refresh name, phone and email). Runs after the rate limit, so a
 * refused request writes nothing.
 */
export function createEnsureStudent(core: Core): RequestHandler {
  return async (req, _res, next) => {
    const { sub, name, phone, email } = verifiedToken(req).claims;
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
    next();
  };
}
