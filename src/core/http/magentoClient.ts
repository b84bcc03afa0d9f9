// The Magento client every feature uses: builds `/rest/<store>/...` URLs, authenticates through
// the profile's AuthProvider, sends JSON through the HttpClient, turns non-2xx answers into
// MagentoApiError (with hints), and on a 401 drops the token everywhere and retries once.
import { type Dispatcher } from 'undici';
import { type AuthProvider, type ForgetResult, type TokenInfo } from '../auth/authProvider';
import { IntegrationBearerAuthProvider, OAuth1AuthProvider } from '../auth/integrationAuth';
import { type OAuth1Signature, type OAuthSignatureMethod } from '../auth/oauth1Signer';
import { TokenAuthProvider, type OtpPrompt } from '../auth/tokenAuth';
import { TokenCache } from '../auth/tokenCache';
import { realScheduler, silentLogger, type Clock, type Disposable, type Logger, type Scheduler, type SecretStore } from '../ports';
import { normalizeBaseUrl, type Profile } from '../profiles/profile';
import { HttpClient, type HttpResponse, type HttpTimeouts, type RetryPolicy } from './httpClient';
import { magentoErrorFromResponse } from './magentoError';
import { redactText } from './redactor';
import { MagentoTransportError } from './transportError';
import { type MagentoRequest, type MagentoResponse, type MagentoTransport } from './types';

export interface MagentoClientDeps {
  profile: Profile;
  secrets: SecretStore;
  /** Shared by every client of the process (and, through Redis, other processes). A private one is made when absent. */
  tokenCache?: TokenCache;
  logger?: Logger;
  /** Wall clock for OAuth timestamps and token expiry (a Scheduler also drives retry back-off). */
  clock?: Clock | Scheduler;
  promptOtp?: OtpPrompt;
  /** An undici dispatcher (tests, proxies); the client creates its own keep-alive Agent otherwise. */
  dispatcher?: Dispatcher;
  timeouts?: Partial<HttpTimeouts>;
  retry?: Partial<RetryPolicy>;
  /** Asked before a write to a production profile; false cancels the request. */
  confirmWrite?: (request: MagentoRequest) => Promise<boolean>;
  /** Only for tests and diagnosis (Magento 2.4.4+ refuses HMAC-SHA1). */
  oauthSignatureMethod?: OAuthSignatureMethod;
  onOAuthSigned?: (signature: OAuth1Signature) => void;
  userAgent?: string;
}

export interface MagentoClient extends MagentoTransport, Disposable {
  readonly profile: Profile;
  readonly auth: AuthProvider;
  /** The absolute URL for a path relative to `/rest/<store>`. */
  restUrl(path: string, storeCode?: string, query?: MagentoRequest['query']): string;
  /** The current token and where it came from (admin/customer profiles). */
  token(): Promise<TokenInfo>;
  /** Forgets (customer: revokes) the profile's token. */
  forgetToken(): Promise<ForgetResult>;
  /** Closes connections (and a private token cache). */
  close(): Promise<void>;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

/** The host of a plain-http base URL that is not a loopback address (where secrets would travel readable). */
export function plainHttpRemoteHost(baseUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:') return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const loopback = host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1';
  return loopback ? undefined : url.host;
}

function isScheduler(clock: Clock | Scheduler): clock is Scheduler {
  return typeof (clock as Scheduler).setTimeout === 'function';
}

export function encodeQuery(query: MagentoRequest['query']): string {
  if (query === undefined) return '';
  if (typeof query === 'string') return query.replace(/^\?/, '');
  return query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

/** Async and bulk writes create a new bulk on every call, so they are never retried after sending. */
function isIdempotent(request: MagentoRequest): boolean {
  if (request.method === 'GET') return true;
  if (request.method === 'PUT' || request.method === 'DELETE') return !/^\/async\//.test(request.path);
  return false;
}

export function createMagentoClient(deps: MagentoClientDeps): MagentoClient {
  const profile = deps.profile;
  const logger = (deps.logger ?? silentLogger).child('http');
  const scheduler: Scheduler = deps.clock && isScheduler(deps.clock) ? deps.clock : { ...realScheduler, now: deps.clock ? deps.clock.now.bind(deps.clock) : realScheduler.now };
  let baseUrl: string;
  try {
    baseUrl = normalizeBaseUrl(profile.baseUrl);
  } catch (error) {
    throw new MagentoTransportError({ kind: 'bad-url', url: profile.baseUrl, message: (error as Error).message, hint: 'Fix the profile\'s base URL.', requestMayHaveBeenSent: false });
  }
  const plainHost = plainHttpRemoteHost(baseUrl);
  if (plainHost !== undefined) {
    logger.warn(`Profile '${profile.label}' talks to ${plainHost} over plain http://: its password, tokens and OAuth secrets cross the network unencrypted. Use https:// for anything but a local store.`);
  }
  if (!profile.tls.verify) {
    logger.warn(`TLS certificate verification is OFF for profile '${profile.label}' (allow insecure). Anyone on the network path can read and change this traffic; use a CA file instead.`);
  }
  const http = new HttpClient({
    ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {}),
    tls: { verify: profile.tls.verify, ...(profile.tls.caFile ? { caFile: profile.tls.caFile } : {}) },
    ...(deps.timeouts ? { timeouts: deps.timeouts } : {}),
    ...(deps.retry ? { retry: deps.retry } : {}),
    scheduler,
    logger,
  });
  const ownsCache = !deps.tokenCache;
  const tokenCache = deps.tokenCache ?? new TokenCache({ scheduler, logger: logger.child('token') });

  const restUrl = (path: string, storeCode?: string, query?: MagentoRequest['query']): string => {
    const cleanPath = path.startsWith('/') ? path : `/${path}`;
    const store = storeCode ?? profile.storeCode;
    const qs = encodeQuery(query);
    return `${baseUrl}/rest/${encodeURIComponent(store)}${cleanPath}${qs ? `?${qs}` : ''}`;
  };

  async function sendOnce(request: MagentoRequest, auth: AuthProvider | undefined): Promise<{ response: HttpResponse; authHeaders: Record<string, string> }> {
    const url = restUrl(request.path, request.storeCode, request.query);
    const method = request.method.toUpperCase();
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': deps.userAgent ?? 'magento-rest-workbench' };
    let bodyText: string | undefined;
    if (request.body !== undefined) {
      bodyText = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
      headers['content-type'] = 'application/json';
    }
    for (const [k, v] of Object.entries(request.headers ?? {})) headers[k.toLowerCase()] = v;
    let authHeaders: Record<string, string> = {};
    if (auth) {
      const authRequest: { method: string; url: string; contentType?: string; body?: string } = { method, url };
      if (headers['content-type']) authRequest.contentType = headers['content-type'];
      if (bodyText !== undefined) authRequest.body = bodyText;
      authHeaders = await auth.authorize(authRequest);
    }
    const init: Parameters<HttpClient['request']>[0] = { method, url, headers: { ...headers, ...authHeaders }, idempotent: isIdempotent({ ...request, method: method as MagentoRequest['method'] }) };
    if (bodyText !== undefined) init.body = bodyText;
    if (request.signal) init.signal = request.signal;
    if (request.timeoutMs !== undefined) init.timeoutMs = request.timeoutMs;
    const response = await http.request(init);
    return { response, authHeaders };
  }

  // Token providers fetch their token through this client without authentication; `send` is
  // hoisted, and the provider only calls it once a request is under way.
  const unauthenticated: MagentoTransport = { send: (request) => send({ ...request, authenticated: false }) };
  const auth = createAuthProvider(profile.auth.kind);

  async function send<T = unknown>(request: MagentoRequest): Promise<MagentoResponse<T>> {
    const method = request.method.toUpperCase();
    if (profile.production && WRITE_METHODS.has(method) && deps.confirmWrite && request.authenticated !== false) {
      if (!(await deps.confirmWrite(request))) {
        throw new MagentoTransportError({ kind: 'aborted', url: restUrl(request.path, request.storeCode), method, message: `Cancelled: ${method} to the production profile '${profile.label}' was not confirmed.`, requestMayHaveBeenSent: false });
      }
    }
    const requestAuth = request.authenticated === false ? undefined : auth;
    let { response, authHeaders } = await sendOnce(request, requestAuth);
    // Expired or revoked token: drop it everywhere, fetch one new token, retry once.
    if (response.status === 401 && requestAuth && (await requestAuth.handleUnauthorized(authHeaders))) {
      ({ response, authHeaders } = await sendOnce(request, requestAuth));
    }
    logger.debug(`${method} ${redactText(response.url)} → ${response.status} (${response.timings.totalMs} ms, ${response.bytes.wire} B wire / ${response.bytes.decoded} B decoded${response.attempts > 1 ? `, ${response.attempts} attempts` : ''})`);
    if (response.status < 200 || response.status >= 300) {
      throw magentoErrorFromResponse({ status: response.status, method, url: response.url, text: response.text, headers: response.headers, authKind: profile.auth.kind, path: request.path });
    }
    return toMagentoResponse<T>(response, method);
  }

  function createAuthProvider(kind: Profile['auth']['kind']): AuthProvider {
    switch (kind) {
      case 'admin':
      case 'customer':
        return new TokenAuthProvider({
          profile, secrets: deps.secrets, transport: unauthenticated, cache: tokenCache, clock: scheduler, logger: logger.child('auth'),
          ...(deps.promptOtp ? { promptOtp: deps.promptOtp } : {}),
        });
      case 'integration-bearer':
        return new IntegrationBearerAuthProvider(profile, deps.secrets);
      case 'oauth1':
        return new OAuth1AuthProvider(profile, deps.secrets, {
          clock: scheduler,
          ...(deps.oauthSignatureMethod ? { signatureMethod: deps.oauthSignatureMethod } : {}),
          ...(deps.onOAuthSigned ? { onSigned: deps.onOAuthSigned } : {}),
        });
    }
  }

  const client: MagentoClient = {
    profile,
    auth,
    restUrl,
    send,
    token() {
      if (!auth.token) return Promise.reject(new Error(`${profile.auth.kind} profiles have no token to fetch: the credentials are sent with every request.`));
      return auth.token();
    },
    forgetToken() {
      return auth.forget();
    },
    async close() {
      await http.close();
      if (ownsCache) await tokenCache.dispose();
    },
    dispose() {
      void client.close();
    },
  };

  return client;
}

function toMagentoResponse<T>(response: HttpResponse, method: string): MagentoResponse<T> {
  let body: unknown;
  if (response.text.trim() !== '') {
    try {
      body = JSON.parse(response.text);
    } catch {
      const snippet = redactText(response.text.trim().slice(0, 300));
      throw new MagentoTransportError({
        kind: 'non-json',
        url: response.url,
        method,
        status: response.status,
        message: `The store answered ${response.status} with a body that is not JSON (${response.headers['content-type'] ?? 'no Content-Type'}): ${snippet}`,
        hint: snippet.startsWith('<')
          ? 'An HTML page came back: a proxy, a maintenance page, a login wall or a wrong base URL answered instead of Magento\'s REST API. Check the base URL.'
          : 'Check that the base URL points at the Magento store root.',
        requestMayHaveBeenSent: true,
      });
    }
  }
  return { status: response.status, headers: response.headers, body: body as T, text: response.text, timings: response.timings, bytes: response.bytes, url: response.url };
}

