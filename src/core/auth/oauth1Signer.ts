// OAuth 1.0a request signing as Magento verifies it (Framework\Oauth\Oauth + Helper\Request +
// Helper\Signature\Hmac; Laminas' Http\Utility for 2.4.4–2.4.7):
//   base = UPPER(method) & enc(url without query; scheme/host lower-cased, default port dropped)
//          & enc(sorted "k=v" pairs of: oauth_* params (minus oauth_signature) + every query pair
//            (bracketed keys kept flat, rawurldecoded) + form-body fields; JSON bodies are NOT signed)
//   key  = enc(consumer_secret) & enc(access_token_secret);  signature = base64(HMAC-SHA256)
// enc = RFC 3986 (PHP rawurlencode). Only HMAC-SHA256 is accepted since Magento 2.4.4.
import { createHmac, randomBytes } from 'node:crypto';

export type OAuthSignatureMethod = 'HMAC-SHA256' | 'HMAC-SHA1';

export interface OAuth1Credentials {
  consumerKey: string;
  consumerSecret: string;
  /** Empty for the handshake's request-token step. */
  accessToken: string;
  accessTokenSecret: string;
}

export interface OAuth1SignInput {
  method: string;
  /** Absolute URL including its query string. */
  url: string;
  contentType?: string;
  body?: string;
}

export interface OAuth1SignOptions {
  nonce?: string;
  /** Seconds since the epoch. */
  timestamp?: number;
  /**
   * HMAC-SHA256 unless told otherwise. HMAC-SHA1 exists for the published test vectors and to
   * reproduce "Signature method HMAC-SHA1 is not supported" — Magento 2.4.4+ refuses it.
   */
  signatureMethod?: OAuthSignatureMethod;
  /** Extra oauth_* parameters (e.g. oauth_callback, oauth_verifier in the handshake). */
  extraOauthParams?: Record<string, string>;
}

export interface OAuth1Signature {
  /** The full `Authorization` header value. */
  authorization: string;
  signature: string;
  /** The signature base string, for diagnosing "The signature is invalid". Holds no secret. */
  baseString: string;
  /** The oauth_* parameters sent in the header (signature included). */
  oauthParams: Record<string, string>;
}

/** PHP rawurlencode / RFC 3986: everything except ALPHA, DIGIT, `-._~` is percent-encoded. */
export function rfc3986Encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** PHP rawurldecode: `%XX` only (a `+` stays a `+`); malformed escapes are kept literally. */
export function rawUrlDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value.replace(/%[0-9A-Fa-f]{2}/g, (m) => {
      try {
        return decodeURIComponent(m);
      } catch {
        return m;
      }
    });
  }
}

/** scheme://host[:port]/path — lower-cased scheme and host, default port dropped, no query or fragment. */
export function normalizeSignatureUrl(url: string): string {
  const parsed = new URL(url);
  const scheme = parsed.protocol.toLowerCase();
  const defaultPort = (scheme === 'http:' && parsed.port === '80') || (scheme === 'https:' && parsed.port === '443');
  const host = parsed.hostname.toLowerCase() + (parsed.port && !defaultPort ? `:${parsed.port}` : '');
  // Take the path from the raw string: URL normalisation would re-encode characters the store sees as sent.
  const afterAuthority = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const path = afterAuthority.split(/[?#]/, 1)[0] || '/';
  return `${scheme}//${host}${path}`;
}

/** Query-string pairs as Magento reads them: split on & and =, rawurldecoded, keys kept flat. */
export function queryPairs(query: string, plusIsSpace = false): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const part of query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const rawKey = eq >= 0 ? part.slice(0, eq) : part;
    const rawValue = eq >= 0 ? part.slice(eq + 1) : '';
    const decode = (s: string): string => rawUrlDecode(plusIsSpace ? s.replace(/\+/g, ' ') : s);
    pairs.push([decode(rawKey), decode(rawValue)]);
  }
  return pairs;
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * How a key that appears more than once is treated: Magento keeps only the last value (its
 * parameters end up in a PHP array); RFC 5849 §3.4.1.3.2 keeps every pair, sorted by value.
 */
export type DuplicateKeys = 'last-wins' | 'rfc5849';

/** The normalised parameter string: sorted by key, `enc(k)=enc(v)` joined by `&`. */
export function normalizeParameters(pairs: ReadonlyArray<readonly [string, string]>, duplicates: DuplicateKeys = 'last-wins'): string {
  let list: Array<[string, string]>;
  if (duplicates === 'last-wins') {
    const byKey = new Map<string, string>();
    for (const [k, v] of pairs) byKey.set(k, v);
    list = [...byKey.entries()].sort(([a], [b]) => compareBytes(a, b));
  } else {
    // RFC 5849 sorts the encoded names, then the encoded values.
    list = pairs.map(([k, v]): [string, string] => [rfc3986Encode(k), rfc3986Encode(v)])
      .sort(([ak, av], [bk, bv]) => compareBytes(ak, bk) || compareBytes(av, bv))
      .map(([k, v]) => [rawUrlDecode(k), rawUrlDecode(v)]);
  }
  return list.map(([k, v]) => `${rfc3986Encode(k)}=${rfc3986Encode(v)}`).join('&');
}

/** The parameters Magento signs for this request: oauth params + query pairs + form-body fields. */
export function signedParameters(input: OAuth1SignInput, oauthParams: Record<string, string>): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const queryAt = input.url.indexOf('?');
  if (queryAt >= 0) pairs.push(...queryPairs(input.url.slice(queryAt + 1).split('#', 1)[0]!));
  const isForm = input.contentType !== undefined && /^application\/x-www-form-urlencoded\b/i.test(input.contentType);
  if (isForm && input.body) pairs.push(...queryPairs(input.body, true).filter(([k]) => !k.startsWith('oauth_')));
  for (const [k, v] of Object.entries(oauthParams)) if (k !== 'oauth_signature') pairs.push([k, v]);
  return pairs;
}

export function signatureBaseString(method: string, url: string, pairs: ReadonlyArray<readonly [string, string]>, duplicates: DuplicateKeys = 'last-wins'): string {
  return [method.toUpperCase(), rfc3986Encode(normalizeSignatureUrl(url)), rfc3986Encode(normalizeParameters(pairs, duplicates))].join('&');
}

export function hmacSignature(method: OAuthSignatureMethod, baseString: string, consumerSecret: string, tokenSecret: string): string {
  const key = `${rfc3986Encode(consumerSecret)}&${rfc3986Encode(tokenSecret)}`;
  return createHmac(method === 'HMAC-SHA1' ? 'sha1' : 'sha256', key).update(baseString).digest('base64');
}

export function generateNonce(): string {
  return randomBytes(16).toString('hex');
}

/** Signs one request; the result holds the Authorization header and the base string for diagnosis. */
export function signOAuth1(credentials: OAuth1Credentials, input: OAuth1SignInput, options: OAuth1SignOptions = {}): OAuth1Signature {
  const signatureMethod = options.signatureMethod ?? 'HMAC-SHA256';
  const oauthParams: Record<string, string> = {
    oauth_consumer_key: credentials.consumerKey,
    oauth_nonce: options.nonce ?? generateNonce(),
    oauth_signature_method: signatureMethod,
    oauth_timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
    oauth_version: '1.0',
    ...options.extraOauthParams,
  };
  if (credentials.accessToken) oauthParams.oauth_token = credentials.accessToken;
  const baseString = signatureBaseString(input.method, input.url, signedParameters(input, oauthParams));
  const signature = hmacSignature(signatureMethod, baseString, credentials.consumerSecret, credentials.accessTokenSecret);
  oauthParams.oauth_signature = signature;
  const authorization = 'OAuth ' + Object.entries(oauthParams)
    .map(([k, v]) => `${rfc3986Encode(k)}="${rfc3986Encode(v)}"`)
    .join(', ');
  return { authorization, signature, baseString, oauthParams };
}
