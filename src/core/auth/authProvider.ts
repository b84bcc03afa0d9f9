// How a profile authenticates a request. Token kinds (admin, customer) get their token from the
// layered TokenCache; integration kinds read their secrets and either send the access token as
// Bearer or sign every request with OAuth 1.0a.
import { type AuthKind } from '../profiles/profile';
import { type TokenSource } from './tokenCache';

export interface AuthRequest {
  method: string;
  /** The absolute URL, query included, exactly as it will be sent. */
  url: string;
  contentType?: string;
  /** The body text (only form bodies take part in OAuth signatures). */
  body?: string;
}

export interface TokenInfo {
  token: string;
  source: TokenSource;
  obtainedAt: number;
  expiresAt: number | null;
}

export interface ForgetResult {
  /** Whether the store itself revoked the token (customer tokens only). */
  revokedOnStore: boolean;
  message: string;
}

export interface AuthProvider {
  readonly kind: AuthKind;
  /** Headers that authenticate this request; may fetch or reuse a token. */
  authorize(request: AuthRequest): Promise<Record<string, string>>;
  /**
   * The store answered 401 to a request sent with `headers`. Drops the token everywhere and
   * returns true when retrying once with a fresh one makes sense.
   */
  handleUnauthorized(headers: Record<string, string>): Promise<boolean>;
  /** The current token and where it came from (token kinds only). */
  token?(): Promise<TokenInfo>;
  /** Forgets (and where Magento allows it, revokes) the profile's token. */
  forget(): Promise<ForgetResult>;
}

/** Thrown when a secret the profile needs is missing; names the secret and how to provide it. */
export class MissingSecretError extends Error {
  override readonly name = 'MissingSecretError';
  constructor(readonly secretName: string, readonly profileId: string) {
    super(`The profile '${profileId}' has no ${secretName} stored. Set it with the profile's edit command (VS Code) or the matching MAGENTO_* environment variable (CLI).`);
  }
}

export function bearerFrom(headers: Record<string, string>): string | undefined {
  const value = headers.authorization ?? headers.Authorization;
  const match = value ? /^Bearer\s+(.+)$/i.exec(value) : null;
  return match?.[1];
}
