// OAuth 1.0a request verification as Magento does it for integrations (contract §2.7):
// Framework\Oauth\Helper\Request (parameter collection), Oauth::_validateProtocolParams,
// Nonce\Generator::validateNonce and the HMAC signature check. Independent of the client's signer.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebapiError } from '../errors';

export interface OAuthRequestParts {
  method: string;
  /** `scheme://host[:port]/path` as the sandbox saw it (no query string). */
  baseUrl: string;
  /** Raw query string without `?`. */
  rawQuery: string;
  authorization: string | undefined;
  contentType: string | undefined;
  rawBody: Buffer;
}

export interface OAuthIntegration {
  id: number;
  consumerId: number;
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessTokenSecret: string;
}

export const OAUTH_MESSAGES = {
  versionUnsupported: 'The "%1" Oauth version isn\'t supported.',
  required: '"%fieldName" is required. Enter and try again.',
  tokenLength: 'The token length is invalid. Check the length and try again.',
  signatureMethod: 'Signature method %1 is not supported',
  consumerKeyLength: 'Consumer key is not the correct length',
  consumerUnknown: 'A consumer having the specified key does not exist',
  nonceUsed: 'The nonce is already being used by the consumer with ID %1',
  nonceError: 'An error occurred validating the nonce',
  tokenUnknown: 'A token with the specified ID does not exist',
  signatureInvalid: 'The signature is invalid. Verify and try again.',
} as const;

/** Seconds a timestamp may lie in the future (Nonce\Generator::TIME_DEVIATION). */
export const OAUTH_TIME_DEVIATION_SECONDS = 600;

const REQUIRED = ['oauth_consumer_key', 'oauth_signature', 'oauth_signature_method', 'oauth_nonce', 'oauth_timestamp', 'oauth_token'] as const;

/** PHP rawurldecode: `%XX` only, `+` stays `+`. Malformed escapes are kept literally. */
export function rawUrlDecode(s: string): string {
  return s.replace(/(%[0-9A-Fa-f]{2})+/g, (seq) => {
    try {
      return decodeURIComponent(seq);
    } catch {
      return seq;
    }
  });
}

/** PHP rawurlencode (RFC 3986: unreserved A-Z a-z 0-9 - _ . ~ kept). */
export function rawUrlEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** Parameters from an `Authorization: OAuth ...` header; undefined when the header is not OAuth. */
export function parseOAuthHeader(header: string | undefined): Record<string, string> | undefined {
  if (!header) return undefined;
  const pos = header.toLowerCase().indexOf('oauth ');
  if (pos < 0) return undefined;
  const params: Record<string, string> = {};
  for (const piece of header.slice(pos + 'oauth '.length).split(',')) {
    const trimmed = piece.trim();
    const eq = trimmed.indexOf('=');
    if (eq < 0) continue;
    const name = trimmed.slice(0, eq);
    if (!/^oauth_[a-z_-]+$/.test(name)) continue;
    params[rawUrlDecode(name)] = rawUrlDecode(trimmed.slice(eq + 1).replace(/^"+|"+$/g, ''));
  }
  return params;
}

/** Query/form pairs split on `&` and the first `=`, rawurldecoded, bracketed keys kept flat; last value wins. */
export function flatPairs(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = rawUrlDecode(eq < 0 ? pair : pair.slice(0, eq));
    out[key] = rawUrlDecode(eq < 0 ? '' : pair.slice(eq + 1));
  }
  return out;
}

export function signatureBaseString(method: string, baseUrl: string, params: Record<string, string>): string {
  const keys = Object.keys(params).filter((k) => k !== 'oauth_signature').sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const paramString = keys.map((k) => `${rawUrlEncode(k)}=${rawUrlEncode(params[k] ?? '')}`).join('&');
  return `${method.toUpperCase()}&${rawUrlEncode(baseUrl)}&${rawUrlEncode(paramString)}`;
}

export function hmacSha256Signature(base: string, consumerSecret: string, tokenSecret: string): string {
  return createHmac('sha256', `${rawUrlEncode(consumerSecret)}&${rawUrlEncode(tokenSecret)}`).update(base).digest('base64');
}

/** Lower-cases scheme and host and drops default ports, as Laminas' OAuth utility normalises URLs. */
export function normaliseBaseUrl(url: string): string {
  const u = new URL(url);
  const defaultPort = (u.protocol === 'http:' && u.port === '80') || (u.protocol === 'https:' && u.port === '443');
  return `${u.protocol.toLowerCase()}//${u.hostname.toLowerCase()}${u.port && !defaultPort ? `:${u.port}` : ''}${u.pathname}`;
}

export interface NonceStore {
  /** Returns false when the nonce was already used by this consumer; records it otherwise. */
  claim(consumerId: number, nonce: string): boolean;
}

/**
 * Verifies a signed request. Returns undefined when the request carries no OAuth parameters
 * (the caller is then a guest), the integration when it verifies, and throws Magento's errors otherwise.
 */
export function verifyOAuthRequest(
  parts: OAuthRequestParts,
  findIntegrationByConsumerKey: (key: string) => OAuthIntegration | undefined,
  nonces: NonceStore,
  nowMs: number,
): OAuthIntegration | undefined {
  const headerParams = parseOAuthHeader(parts.authorization);
  if (!headerParams) return undefined;
  const params: Record<string, string> = { ...flatPairs(parts.rawQuery) };
  const isForm = (parts.contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
  if (isForm && parts.rawBody.length > 0) Object.assign(params, flatPairs(parts.rawBody.toString('utf8')));
  Object.assign(params, headerParams);
  if (Object.keys(headerParams).length === 0) return undefined;

  if (params.oauth_version !== undefined && params.oauth_version !== '1.0') {
    throw new WebapiError(400, OAUTH_MESSAGES.versionUnsupported, [params.oauth_version]);
  }
  for (const name of REQUIRED) {
    if (params[name] === undefined || params[name] === '') throw new WebapiError(400, OAUTH_MESSAGES.required, { fieldName: name });
  }
  const token = params.oauth_token as string;
  if (token.length !== 32) throw new WebapiError(400, OAUTH_MESSAGES.tokenLength);
  const method = params.oauth_signature_method as string;
  if (method !== 'HMAC-SHA256') throw new WebapiError(400, OAUTH_MESSAGES.signatureMethod, [method]);
  const consumerKey = params.oauth_consumer_key as string;
  if (consumerKey.length !== 32) throw new WebapiError(401, OAUTH_MESSAGES.consumerKeyLength);
  const integration = findIntegrationByConsumerKey(consumerKey);
  if (!integration) throw new WebapiError(401, OAUTH_MESSAGES.consumerUnknown);

  // Nonce\Generator::validateNonce: the timestamp error is swallowed into the generic nonce message.
  const timestamp = Number.parseInt(params.oauth_timestamp as string, 10);
  if (!Number.isFinite(timestamp) || timestamp <= 0 || timestamp > Math.floor(nowMs / 1000) + OAUTH_TIME_DEVIATION_SECONDS) {
    throw new WebapiError(401, OAUTH_MESSAGES.nonceError);
  }
  if (!nonces.claim(integration.consumerId, params.oauth_nonce as string)) {
    throw new WebapiError(401, OAUTH_MESSAGES.nonceUsed, [integration.consumerId]);
  }
  if (token !== integration.accessToken) throw new WebapiError(401, OAUTH_MESSAGES.tokenUnknown);

  const expected = hmacSha256Signature(signatureBaseString(parts.method, normaliseBaseUrl(parts.baseUrl), params), integration.consumerSecret, integration.accessTokenSecret);
  const given = Buffer.from(params.oauth_signature as string);
  const wanted = Buffer.from(expected);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) throw new WebapiError(401, OAUTH_MESSAGES.signatureInvalid);
  return integration;
}
