import { base64url, SignJWT } from 'jose';
import { TEST_WIDGET_SECRET } from './app.js';

/** What a host site puts in a student's token. */
export interface StudentClaims {
  sub: string;
  name: string;
  /** E.164. */
  phone: string;
  email?: string;
}

export interface MintOptions {
  /** "Now" for iat/exp; pass the app's clock so tokens agree with the server. */
  now: Date;
  secret?: string;
  /** Seconds until expiry; negative for a token that has already expired. */
  expiresIn?: number;
  /** Leave `exp` out entirely. */
  omitExp?: boolean;
  alg?: 'HS256' | 'HS384' | 'HS512';
}

let sequence = 0;

/** A student no other test uses: unique `sub` and phone (London numbers reserved for drama, 020 7946 0xxx). */
export function newStudent(overrides: Partial<StudentClaims> = {}): StudentClaims {
  sequence += 1;
  const n = (process.pid * 7 + sequence) % 1000;
  return {
    sub: `host-student-${process.pid}-${sequence}`,
    name: `Student ${sequence}`,
    phone: `+44207946${String(n).padStart(4, '0')}`,
    ...overrides,
  };
}

/** Signs a token the way a host site would (HS256 with the shared secret), unless told otherwise. */
export async function mintToken(claims: StudentClaims | Record<string, unknown>, options: MintOptions): Promise<string> {
  const iat = Math.floor(options.now.getTime() / 1000);
  const jwt = new SignJWT({ ...claims }).setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' }).setIssuedAt(iat);
  if (!options.omitExp) jwt.setExpirationTime(iat + (options.expiresIn ?? 3_600));
  return jwt.sign(new TextEncoder().encode(options.secret ?? TEST_WIDGET_SECRET));
}

/** An unsigned token (`alg: none`), the classic forgery: header and claims, empty signature. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => base64url.encode(new TextEncoder().encode(JSON.stringify(value)));
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
