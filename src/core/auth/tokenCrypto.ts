// Encryption of tokens kept in a shared Redis. The key is derived with scrypt from the
// profile's own secret (admin/customer password, OAuth consumer secret), salted with the profile
// fingerprint, so whoever can read the Redis but does not know the password holds nothing usable,
// and a process with a wrong password cannot pick up a token it could not have obtained itself.
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';

export interface TokenRecord {
  token: string;
  /** Milliseconds since the epoch when the token was issued (as far as this client knows). */
  obtainedAt: number;
  /** When the store will stop accepting it; null = no expiry (integration tokens). */
  expiresAt: number | null;
}

const VERSION = 'v1';

/** scrypt (N=2^14, r=8, p=1) → 32-byte AES key. Derive once per profile and keep it in memory. */
export function deriveTokenKey(secret: string, fingerprint: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, `magento-workbench/token-cache/${fingerprint}`, 32, { N: 16384, r: 8, p: 1 }, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

/** `v1.<iv>.<tag>.<ciphertext>` (base64url), AES-256-GCM with the fingerprint as associated data. */
export function sealText(key: Buffer, fingerprint: string, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(fingerprint));
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

/** The plain text, or undefined when the value was sealed under another key (another password) or is damaged. */
export function openText(key: Buffer, fingerprint: string, value: string): string | undefined {
  const parts = value.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(parts[1]!, 'base64url'));
    decipher.setAAD(Buffer.from(fingerprint));
    decipher.setAuthTag(Buffer.from(parts[2]!, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(parts[3]!, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

export function encryptTokenRecord(key: Buffer, fingerprint: string, record: TokenRecord): string {
  return sealText(key, fingerprint, JSON.stringify(record));
}

export function decryptTokenRecord(key: Buffer, fingerprint: string, value: string): TokenRecord | undefined {
  const plain = openText(key, fingerprint, value);
  return plain === undefined ? undefined : parseTokenRecord(plain);
}

export function parseTokenRecord(text: string): TokenRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<TokenRecord>;
    if (typeof value.token !== 'string' || !value.token || typeof value.obtainedAt !== 'number') return undefined;
    if (value.expiresAt !== null && typeof value.expiresAt !== 'number') return undefined;
    return { token: value.token, obtainedAt: value.obtainedAt, expiresAt: value.expiresAt };
  } catch {
    return undefined;
  }
}

/**
 * The lifetime a JWT declares (`exp` − `iat`, Magento 2.4.4+ tokens), in ms; undefined for opaque
 * tokens. A lifetime rather than `exp` itself, so a store clock that differs from ours does not
 * make a fresh token look expired.
 */
export function jwtLifetimeMs(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { exp?: unknown; iat?: unknown };
    if (typeof payload.exp !== 'number' || typeof payload.iat !== 'number') return undefined;
    const lifetime = (payload.exp - payload.iat) * 1000;
    return Number.isFinite(lifetime) && lifetime > 0 ? lifetime : undefined;
  } catch {
    return undefined;
  }
}
