// Token issuing and caller resolution (contract §2): admin/customer tokens with lifetimes on the
// sandbox clock, the request throttler (lockout), two-factor auth, integration tokens as Bearer
// behind the enable_integration_as_bearer flag, and OAuth 1.0a signed requests. Tokens are JWTs
// (Magento_JwtUserToken, the 2.4.4+ default) or 32-char opaque strings (pre-2.4.4), per `tokenFormat`.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core/ports';
import { MESSAGES, WebapiError, inputError, requiredField, type ErrorEntry } from '../errors';
import type { SandboxStats } from '../stats';
import { GUEST, adminCaller, customerCaller, integrationCaller, type Caller } from './caller';
import { verifyOAuthRequest, type NonceStore, type OAuthIntegration, type OAuthRequestParts } from './oauth1';
import { verifyTotp } from './totp';
import { JWT_USER_TYPE, JwtSigner, type JwtUserClaims } from './jwtTokens';

export interface AdminAccount {
  id: number;
  username: string;
  password: string;
  /** Base32 Google Authenticator secret, used when two-factor auth is on. */
  totpSecret: string;
}

export interface CustomerLogin {
  id: number;
  password: string;
  /** Magento's `confirmation` column: non-null means the account is not confirmed yet. */
  confirmation: string | null;
}

/** `jwt`: Magento_JwtUserToken (2.4.4+ default); `opaque`: 32 chars `[a-z0-9]` (before 2.4.4). */
export type TokenFormat = 'jwt' | 'opaque';

export interface AuthSettings {
  tokenFormat: TokenFormat;
  twoFactor: boolean;
  enableIntegrationAsBearer: boolean;
  /** 0 disables expiry of opaque tokens (Magento: empty config value); a JWT then lives 30 min. */
  adminTokenLifetimeMinutes: number;
  customerTokenLifetimeMinutes: number;
}

/** oauth/authentication_lock defaults. */
export const MAX_FAILURES = 6;
export const LOCK_SECONDS = 1800;
/** JwtUserToken's ConfigReader: a lifetime of 0 or less means 30 minutes (a JWT always has `exp`). */
export const JWT_FALLBACK_LIFETIME_MINUTES = 30;
/** Issued + denied JWT entries at which expired ones are swept. */
const PRUNE_THRESHOLD = 1024;

export const AUTH_MESSAGES = {
  useTfa: 'Please use the 2fa provider-specific endpoints to obtain a token.',
  invalidCode: 'Invalid code.',
  confirmAccount: 'You must confirm your account before signing in. Please check your email.',
} as const;

interface TokenRecord {
  kind: 'admin' | 'customer';
  userId: number;
  expiresAt: number | undefined;
}

/** An issued JWT, remembered only so the control endpoint can revoke "every token so far". */
interface IssuedJwt {
  kind: 'admin' | 'customer';
  exp: number;
}

interface FailureRecord {
  count: number;
  lockExpiresAt: number;
}

export class AuthService implements NonceStore {
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly failures = new Map<string, FailureRecord>();
  private readonly usedNonces = new Set<string>();
  private readonly jwtSigner = new JwtSigner();
  /** `${utypid}|${uid}` → JwtUserToken's revoked "before" timestamp (seconds). */
  private readonly jwtRevokedBefore = new Map<string, number>();
  private readonly issuedJwts = new Map<string, IssuedJwt>();
  /** Tokens revoked by the control endpoint → their `exp` (dropped once expired anyway). */
  private readonly deniedJwts = new Map<string, number>();
  private pruneJwtsAt = PRUNE_THRESHOLD;

  constructor(
    private readonly clock: Clock,
    private readonly stats: SandboxStats,
    private readonly settings: () => AuthSettings,
    readonly admin: AdminAccount,
    readonly integration: OAuthIntegration,
    private readonly findCustomer: (email: string) => CustomerLogin | undefined,
  ) {}

  reset(): void {
    this.tokens.clear();
    this.failures.clear();
    this.usedNonces.clear();
    this.jwtSigner.rotate();
    this.jwtRevokedBefore.clear();
    this.issuedJwts.clear();
    this.deniedJwts.clear();
    this.pruneJwtsAt = PRUNE_THRESHOLD;
  }

  claim(consumerId: number, nonce: string): boolean {
    const key = `${consumerId}|${nonce}`;
    if (this.usedNonces.has(key)) return false;
    this.usedNonces.add(key);
    return true;
  }

  /** POST /V1/integration/admin/token (2FA variant when two-factor is on). */
  createAdminToken(username: unknown, password: unknown): string {
    const [user, pass] = validateCredentials(username, password);
    this.checkAdminPassword(user, pass);
    if (this.settings().twoFactor) {
      throw new WebapiError(401, AUTH_MESSAGES.useTfa, { active_providers: ['google'] });
    }
    this.stats.countToken('admin');
    return this.issue('admin', this.admin.id);
  }

  /** POST /V1/tfa/provider/google/authenticate. */
  createAdminTokenWithOtp(username: unknown, password: unknown, otp: unknown): string {
    const [user, pass] = validateCredentials(username, password);
    this.checkAdminPassword(user, pass);
    if (typeof otp !== 'string' || !verifyTotp(this.admin.totpSecret, otp.trim(), this.clock.now())) {
      throw new WebapiError(401, AUTH_MESSAGES.invalidCode);
    }
    this.stats.countToken('tfa');
    return this.issue('admin', this.admin.id);
  }

  /** POST /V1/integration/customer/token. */
  createCustomerToken(username: unknown, password: unknown): string {
    const [email, pass] = validateCredentials(username, password);
    this.throttle(email, 'customer');
    const customer = this.findCustomer(email);
    if (!customer || customer.password !== pass) {
      this.logFailure(email, 'customer');
      throw new WebapiError(401, MESSAGES.signIn);
    }
    if (customer.confirmation !== null) throw new WebapiError(401, AUTH_MESSAGES.confirmAccount);
    this.failures.delete(`customer|${email}`);
    this.stats.countToken('customer');
    return this.issue('customer', customer.id);
  }

  /** Admin/customer tokens issued since the last reset, either format, minus expired JWTs already swept (leak scans). */
  issuedTokens(): string[] {
    return [...this.tokens.keys(), ...this.issuedJwts.keys(), ...this.deniedJwts.keys()];
  }

  /**
   * Revokes every token of one customer (revoke-customer-token, customer delete). Opaque tokens are
   * deleted. For JWTs, JwtUserToken's Revoker records "now − 1 s" for the user and RevokedValidator
   * refuses tokens whose `iat` is at or before it: a token issued in the same second as the
   * revocation stays valid, as it does in Magento.
   */
  revokeCustomerTokens(customerId: number): void {
    for (const [token, rec] of this.tokens) if (rec.kind === 'customer' && rec.userId === customerId) this.tokens.delete(token);
    this.jwtRevokedBefore.set(`${JWT_USER_TYPE.customer}|${customerId}`, this.nowSeconds() - 1);
  }

  /**
   * Control endpoint: drop admin, customer or all issued tokens; returns how many were still
   * live. JWTs are revoked one by one (not by time) so that a client fetching a new token in the
   * same second gets one that works.
   */
  revokeTokens(kind: 'admin' | 'customer' | 'all'): number {
    let n = 0;
    for (const [token, rec] of this.tokens) {
      if (kind === 'all' || rec.kind === kind) {
        this.tokens.delete(token);
        n++;
      }
    }
    const now = this.nowSeconds();
    for (const [token, rec] of this.issuedJwts) {
      if (kind !== 'all' && rec.kind !== kind) continue;
      this.issuedJwts.delete(token);
      if (rec.exp <= now) continue;
      this.deniedJwts.set(token, rec.exp);
      n++;
    }
    return n;
  }

  /**
   * CompositeUserContext: Bearer token (admin/customer; integration token only with the flag) →
   * OAuth-signed request → guest. A bad or expired Bearer token silently means guest.
   * OAuth verification errors are thrown (they surface only where the caller is needed).
   */
  resolveCaller(parts: OAuthRequestParts): Caller {
    const bearer = bearerToken(parts.authorization);
    if (bearer !== undefined) {
      const rec = this.tokens.get(bearer);
      if (rec && (rec.expiresAt === undefined || rec.expiresAt > this.clock.now())) {
        return rec.kind === 'admin' ? adminCaller(rec.userId) : customerCaller(rec.userId);
      }
      if (rec) this.tokens.delete(bearer);
      const claims = rec ? undefined : this.validJwt(bearer);
      if (claims) return claims.utypid === JWT_USER_TYPE.admin ? adminCaller(claims.uid) : customerCaller(claims.uid);
      if (bearer === this.integration.accessToken && this.settings().enableIntegrationAsBearer) return integrationCaller(this.integration.id);
    }
    const integration = verifyOAuthRequest(parts, (key) => (key === this.integration.consumerKey ? this.integration : undefined), this, this.clock.now());
    return integration ? integrationCaller(integration.id) : GUEST;
  }

  private checkAdminPassword(username: string, password: string): void {
    this.throttle(username, 'admin');
    if (username !== this.admin.username || password !== this.admin.password) {
      this.logFailure(username, 'admin');
      throw new WebapiError(401, MESSAGES.signIn);
    }
    this.failures.delete(`admin|${username}`);
  }

  /** RequestThrottler::throttle: locked accounts get the same generic message as a wrong password. */
  private throttle(username: string, type: 'admin' | 'customer'): void {
    const rec = this.failures.get(`${type}|${username}`);
    if (rec && rec.lockExpiresAt > this.clock.now() && rec.count >= MAX_FAILURES) throw new WebapiError(401, MESSAGES.signIn);
  }

  private logFailure(username: string, type: 'admin' | 'customer'): void {
    const key = `${type}|${username}`;
    const now = this.clock.now();
    const rec = this.failures.get(key);
    const count = rec && rec.lockExpiresAt > now ? rec.count + 1 : 1;
    this.failures.set(key, { count, lockExpiresAt: now + LOCK_SECONDS * 1000 });
  }

  private issue(kind: 'admin' | 'customer', userId: number): string {
    const settings = this.settings();
    const minutes = kind === 'admin' ? settings.adminTokenLifetimeMinutes : settings.customerTokenLifetimeMinutes;
    if (settings.tokenFormat === 'jwt') return this.issueJwt(kind, userId, minutes);
    const token = randomToken(32);
    this.tokens.set(token, { kind, userId, expiresAt: minutes > 0 ? this.clock.now() + minutes * 60_000 : undefined });
    return token;
  }

  private issueJwt(kind: 'admin' | 'customer', userId: number, minutes: number): string {
    const iat = this.nowSeconds();
    // Fractional minutes are a sandbox convenience (Magento casts to int); whole seconds in `exp`.
    const seconds = Math.round(minutes * 60);
    const exp = iat + (seconds > 0 ? seconds : JWT_FALLBACK_LIFETIME_MINUTES * 60);
    const token = this.jwtSigner.sign({ uid: userId, utypid: JWT_USER_TYPE[kind], iat, exp });
    // Same user, same second, same key → the same bytes as a token the control endpoint may have
    // revoked; this is a new issue, so it is valid again.
    this.deniedJwts.delete(token);
    this.issuedJwts.set(token, { kind, exp });
    if (this.issuedJwts.size + this.deniedJwts.size >= this.pruneJwtsAt) this.pruneExpiredJwts();
    return token;
  }

  /** Reader + ExpirationValidator + RevokedValidator: claims of a live JWT, else undefined. */
  private validJwt(token: string): JwtUserClaims | undefined {
    const claims = this.jwtSigner.verify(token);
    if (!claims || claims.exp <= this.nowSeconds() || this.deniedJwts.has(token)) return undefined;
    const revokedBefore = this.jwtRevokedBefore.get(`${claims.utypid}|${claims.uid}`);
    return revokedBefore !== undefined && claims.iat <= revokedBefore ? undefined : claims;
  }

  /** Keeps the issued/denied lists from growing without bound in a long-running sandbox. */
  private pruneExpiredJwts(): void {
    const now = this.nowSeconds();
    for (const [token, rec] of this.issuedJwts) if (rec.exp <= now) this.issuedJwts.delete(token);
    for (const [token, exp] of this.deniedJwts) if (exp <= now) this.deniedJwts.delete(token);
    this.pruneJwtsAt = Math.max(PRUNE_THRESHOLD, 2 * (this.issuedJwts.size + this.deniedJwts.size));
  }

  /** JWT claims and Magento's revocation records are whole seconds. */
  private nowSeconds(): number {
    return Math.floor(this.clock.now() / 1000);
  }
}

/** CredentialsValidator: empty username and/or password → 400 (aggregate when both). */
function validateCredentials(username: unknown, password: unknown): [string, string] {
  const missing: ErrorEntry[] = [];
  if (typeof username !== 'string' || username.trim() === '') missing.push(requiredField('username'));
  if (typeof password !== 'string' || password.trim() === '') missing.push(requiredField('password'));
  if (missing.length > 0) throw inputError(missing);
  return [username as string, password as string];
}

/** `Authorization: Bearer <token>` — exactly two space-separated pieces, scheme case-insensitive. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const pieces = header.split(' ');
  if (pieces.length !== 2 || (pieces[0] ?? '').toLowerCase() !== 'bearer') return undefined;
  return pieces[1];
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALNUM[b % ALNUM.length];
  return out;
}
