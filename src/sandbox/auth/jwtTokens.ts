// Admin/customer tokens as Magento_JwtUserToken issues them by default since 2.4.4 (contract §2.2):
// a JWS in compact form, signed HS256 with a key only this sandbox knows, protected header
// {"kid":"1","alg":"HS256"} and the claims uid, utypid, iat, exp (Magento's Model/Issuer.php).
// Expiry and revocation need the sandbox clock and per-user state, so they live in AuthService;
// this file only signs and checks what a token says.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** UserContextInterface::USER_TYPE_ADMIN / USER_TYPE_CUSTOMER: the only types a JWT is issued for. */
export const JWT_USER_TYPE = { admin: 2, customer: 3 } as const;

export type JwtUserType = (typeof JWT_USER_TYPE)[keyof typeof JWT_USER_TYPE];

export interface JwtUserClaims {
  uid: number;
  utypid: JwtUserType;
  /** Seconds since the epoch (NumericDate), as the issuer writes them. */
  iat: number;
  exp: number;
}

// Magento numbers its HMAC keys from 1 (SecretBasedJwksFactory) and signs with the newest; the
// sandbox has exactly one key, so its kid is always "1".
const HEADER = { kid: '1', alg: 'HS256' } as const;
const ENCODED_HEADER = base64url(JSON.stringify(HEADER));
const SEGMENT = /^[A-Za-z0-9_-]+$/;

export class JwtSigner {
  private key = randomBytes(32);

  /** A new key: every token signed before stops verifying (sandbox reset). */
  rotate(): void {
    this.key = randomBytes(32);
  }

  sign(claims: JwtUserClaims): string {
    // Claim order as Magento's issuer builds them, so decoded payloads look the same.
    const payload = base64url(JSON.stringify({ uid: claims.uid, utypid: claims.utypid, iat: claims.iat, exp: claims.exp }));
    const signingInput = `${ENCODED_HEADER}.${payload}`;
    return `${signingInput}.${this.signature(signingInput).toString('base64url')}`;
  }

  /**
   * The claims of a token this signer issued, or undefined for anything else: not three base64url
   * segments, another alg or kid, a signature that does not match (tampered header or payload,
   * another sandbox's key), or claims missing/mistyped (Magento's Reader needs uid, utypid, iat, exp).
   */
  verify(token: string): JwtUserClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3 || !parts.every((p) => SEGMENT.test(p))) return undefined;
    const [header, payload, signature] = parts as [string, string, string];
    const expected = this.signature(`${header}.${payload}`);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const head = parseJson(header);
    if (head?.alg !== HEADER.alg || head.kid !== HEADER.kid) return undefined;
    const claims = parseJson(payload);
    if (!claims) return undefined;
    const { uid, utypid, iat, exp } = claims;
    if (!isPositiveInteger(uid) || (utypid !== JWT_USER_TYPE.admin && utypid !== JWT_USER_TYPE.customer)) return undefined;
    if (!isPositiveInteger(iat) || !isPositiveInteger(exp)) return undefined;
    return { uid, utypid, iat, exp };
  }

  private signature(signingInput: string): Buffer {
    return createHmac('sha256', this.key).update(signingInput).digest();
  }
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function parseJson(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}
