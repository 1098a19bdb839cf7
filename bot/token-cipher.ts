import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Seals an installation's credentials with AES-256-GCM before they reach the
 * database, so a copy of the database (a backup, a replica, a leaked dump)
 * holds no usable Slack token without SLACK_TOKEN_ENCRYPTION_KEY. The
 * workspace's team id is bound in as associated data: a sealed blob copied
 * onto another workspace's record fails to open.
 *
 * Format: `v1.<iv>.<tag>.<ciphertext>`, each part base64url.
 */
export class TokenCipher {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('the token encryption key must be 32 bytes');
    this.key = key;
  }

  seal(plaintext: string, teamId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(teamId, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), body].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  /** Throws when the blob was sealed with another key, for another team, or altered. */
  open(sealed: string, teamId: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed installation (expected v1.<iv>.<tag>.<data>)');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(teamId, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/** SLACK_TOKEN_ENCRYPTION_KEY: 32 random bytes, base64 (`openssl rand -base64 32`) or 64 hex digits. */
export function parseTokenKey(value: string): Buffer | null {
  const trimmed = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return bytes.length === 32 ? bytes : null;
  }
  return null;
}
