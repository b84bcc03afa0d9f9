// Admin and customer token authentication: POST the credentials for a token (with Magento's
// 2FA detour for admins), keep it in the TokenCache, send it as Bearer, and on a 401 drop it
// everywhere so the next call fetches one fresh token.
import { MagentoApiError, magentoErrorFromResponse } from '../http/magentoError';
import { type MagentoTransport } from '../http/types';
import { type Clock, type SecretStore, silentLogger, type Logger } from '../ports';
import { profileFingerprint, secretKey, tokenLifetimeMinutes, type Profile } from '../profiles/profile';
import { bearerFrom, MissingSecretError, type AuthProvider, type AuthRequest, type ForgetResult, type TokenInfo } from './authProvider';
import { type TokenCache } from './tokenCache';
import { jwtLifetimeMs } from './tokenCrypto';

const SIGN_IN_INCORRECT = 'The account sign-in was incorrect';

/** Asks the user for the current Google Authenticator code; undefined = cancelled. */
export type OtpPrompt = () => Promise<string | undefined>;

function tokenFromBody(body: unknown, route: string): string {
  if (typeof body !== 'string' || body.length === 0) {
    throw new Error(`${route} did not return a token string (got ${JSON.stringify(body)?.slice(0, 80) ?? 'nothing'}). Is the base URL a Magento store?`);
  }
  return body;
}

/** True for the answer Magento's TwoFactorAuth module gives instead of an admin token. */
export function isTwoFactorRequired(error: unknown): error is MagentoApiError {
  return error instanceof MagentoApiError
    && (error.status === 401 || error.status === 400)
    && error.magentoMessage.startsWith('Please use the 2fa provider-specific endpoints');
}

function activeProviders(error: MagentoApiError): string[] | undefined {
  const params = error.parameters;
  if (!params || Array.isArray(params)) return undefined;
  const list = (params as Record<string, unknown>).active_providers;
  return Array.isArray(list) ? list.map(String) : undefined;
}

/**
 * `POST /V1/integration/admin/token`; when the store requires Google Authenticator 2FA, asks
 * `promptOtp` for the code and calls `POST /V1/tfa/provider/google/authenticate` instead.
 */
export async function requestAdminToken(
  transport: MagentoTransport,
  credentials: { username: string; password: string },
  promptOtp?: OtpPrompt,
): Promise<string> {
  try {
    const response = await transport.send({ method: 'POST', path: '/V1/integration/admin/token', body: credentials, authenticated: false });
    return tokenFromBody(response.body, 'POST /V1/integration/admin/token');
  } catch (error) {
    if (!isTwoFactorRequired(error)) throw error;
    const providers = activeProviders(error);
    // Older releases answer 400 without a provider list; try Google then too.
    if (providers && !providers.includes('google')) throw error;
    const otp = (await promptOtp?.())?.replace(/\s+/g, '');
    if (!otp) throw error;
    const response = await transport.send({
      method: 'POST',
      path: '/V1/tfa/provider/google/authenticate',
      body: { username: credentials.username, password: credentials.password, otp },
      authenticated: false,
    });
    return tokenFromBody(response.body, 'POST /V1/tfa/provider/google/authenticate');
  }
}

/** `POST /V1/integration/customer/token` with the customer's e-mail as `username`. */
export async function requestCustomerToken(transport: MagentoTransport, credentials: { email: string; password: string }): Promise<string> {
  const response = await transport.send({
    method: 'POST',
    path: '/V1/integration/customer/token',
    body: { username: credentials.email, password: credentials.password },
    authenticated: false,
  });
  return tokenFromBody(response.body, 'POST /V1/integration/customer/token');
}

export interface TokenAuthDeps {
  profile: Profile;
  secrets: SecretStore;
  /** Sends the unauthenticated token calls (the client itself with `authenticated: false`). */
  transport: MagentoTransport;
  cache: TokenCache;
  clock: Clock;
  promptOtp?: OtpPrompt;
  logger?: Logger;
}

export class TokenAuthProvider implements AuthProvider {
  readonly kind: 'admin' | 'customer';
  private readonly fingerprint: string;
  private readonly logger: Logger;

  constructor(private readonly deps: TokenAuthDeps) {
    const kind = deps.profile.auth.kind;
    if (kind !== 'admin' && kind !== 'customer') throw new Error(`TokenAuthProvider does not handle ${kind} profiles`);
    this.kind = kind;
    this.fingerprint = profileFingerprint(deps.profile);
    this.logger = deps.logger ?? silentLogger;
  }

  async authorize(_request: AuthRequest): Promise<Record<string, string>> {
    const info = await this.token();
    return { authorization: `Bearer ${info.token}` };
  }

  async token(): Promise<TokenInfo> {
    const password = await this.password();
    const lookup = await this.deps.cache.get({
      fingerprint: this.fingerprint,
      encryptionSecret: password,
      fetch: async () => {
        const auth = this.deps.profile.auth;
        this.logger.info(`requesting a new ${this.kind} token`);
        const token = auth.kind === 'admin'
          ? await requestAdminToken(this.deps.transport, { username: auth.username, password }, this.deps.promptOtp)
          : await requestCustomerToken(this.deps.transport, { email: auth.kind === 'customer' ? auth.email : '', password });
        return { token, expiresAt: this.expiryOf(token) };
      },
      serializeFailure: (error) => {
        // Only the sign-in failure is shared: it counts towards the lockout (6 failures lock the
        // account for 30 min), and another try with the same password cannot succeed. 2FA and
        // OTP failures are not: the next process may have a code.
        if (!(error instanceof MagentoApiError) || error.status !== 401 || !error.magentoMessage.startsWith(SIGN_IN_INCORRECT)) return undefined;
        return JSON.stringify({ status: error.status, method: error.method, url: error.url, text: error.bodySnippet });
      },
      restoreFailure: (serialized) => {
        const { status, method, url, text } = JSON.parse(serialized) as { status: number; method: string; url: string; text: string };
        this.logger.info('another process just failed to sign in with these credentials; not trying again (lockout protection)');
        return magentoErrorFromResponse({ status, method, url, text, authKind: this.kind });
      },
    });
    return { token: lookup.token, source: lookup.source, obtainedAt: lookup.obtainedAt, expiresAt: lookup.expiresAt };
  }

  async handleUnauthorized(headers: Record<string, string>): Promise<boolean> {
    const token = bearerFrom(headers);
    if (!token) return false;
    this.logger.info(`the store refused the ${this.kind} token (401); dropping it everywhere and fetching a new one`);
    await this.deps.cache.invalidate(this.fingerprint, token);
    return true;
  }

  async forget(): Promise<ForgetResult> {
    if (this.kind === 'customer') {
      // Magento revokes per customer (every token of the account), so any valid token will do:
      // the cached one from whichever layer has it, or a fresh one.
      const current = await this.token();
      await this.deps.transport.send({
        method: 'POST',
        path: '/V1/integration/customer/revoke-customer-token',
        headers: { authorization: `Bearer ${current.token}` },
        authenticated: false,
      });
      await this.deps.cache.invalidate(this.fingerprint);
      return {
        revokedOnStore: true,
        message: 'Every token of this customer was revoked on the store and the cached token was removed from every cache.',
      };
    }
    await this.deps.cache.invalidate(this.fingerprint);
    return {
      revokedOnStore: false,
      message: 'The admin token was removed from every cache (memory, secret store, shared Redis). Magento has no REST route to revoke admin tokens: it stays valid on the store until it expires, unless an administrator revokes it in the Admin (edit the user / force sign-in) or the account is locked.',
    };
  }

  private async password(): Promise<string> {
    const password = await this.deps.secrets.get(secretKey(this.deps.profile.id, 'password'));
    if (!password) throw new MissingSecretError('password', this.deps.profile.id);
    return password;
  }

  /** Now + the shorter of the profile's configured lifetime and the JWT's own (exp − iat). */
  private expiryOf(token: string): number | null {
    const minutes = tokenLifetimeMinutes(this.deps.profile);
    const lifetimes = [minutes === undefined ? undefined : minutes * 60_000, jwtLifetimeMs(token)].filter((v): v is number => v !== undefined);
    return lifetimes.length === 0 ? null : this.deps.clock.now() + Math.min(...lifetimes);
  }
}
