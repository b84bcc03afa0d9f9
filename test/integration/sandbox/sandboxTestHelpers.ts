// Helpers for the sandbox integration tests: real HTTP through fetch against a sandbox on port 0,
// plus an OAuth 1.0a signer and a TOTP generator written independently of the sandbox's code.
import { createHmac } from 'node:crypto';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../../src/sandbox/sandboxServer';

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

export class SandboxClient {
  constructor(readonly handle: SandboxHandle) {}

  static async start(options: SandboxOptions = {}): Promise<SandboxClient> {
    return new SandboxClient(await startSandbox({ port: 0, ...options }));
  }

  get baseUrl(): string {
    return this.handle.baseUrl;
  }

  async request(method: string, path: string, init: { body?: unknown; rawBody?: string; headers?: Record<string, string>; token?: string } = {}): Promise<HttpResult> {
    const headers: Record<string, string> = { Accept: 'application/json', ...init.headers };
    let body: string | undefined;
    if (init.rawBody !== undefined) body = init.rawBody;
    else if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['Content-Type'] ??= 'application/json';
    }
    if (init.token) headers.Authorization = `Bearer ${init.token}`;
    const res = await fetch(this.baseUrl + path, { method, headers, body });
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  }

  async adminToken(): Promise<string> {
    const r = await this.request('POST', '/rest/V1/integration/admin/token', { body: { username: this.handle.credentials.admin.username, password: this.handle.credentials.admin.password } });
    if (r.status !== 200 || typeof r.json !== 'string') throw new Error(`admin token failed: ${r.status} ${r.text}`);
    return r.json;
  }

  async customerToken(): Promise<string> {
    const r = await this.request('POST', '/rest/V1/integration/customer/token', { body: { username: this.handle.credentials.customer.email, password: this.handle.credentials.customer.password } });
    if (r.status !== 200 || typeof r.json !== 'string') throw new Error(`customer token failed: ${r.status} ${r.text}`);
    return r.json;
  }

  async control(method: 'GET' | 'POST', name: string, body?: unknown): Promise<Record<string, unknown>> {
    const res = await fetch(`${this.baseUrl}/__sandbox/${name}`, { method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.status !== 200) throw new Error(`control ${name}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

// --- OAuth 1.0a (RFC 5849 with HMAC-SHA256), independent of src/ ---------------------------

/** RFC 3986 percent-encoding. */
export function pct(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface OAuthKeys {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessTokenSecret: string;
}

export interface SignInput {
  method: string;
  /** Full URL including the query string. */
  url: string;
  keys: OAuthKeys;
  nonce: string;
  timestamp: number;
  signatureMethod?: string;
  version?: string | null;
  /** Extra parameters signed (form body fields). */
  formFields?: Array<[string, string]>;
}

export function oauthBaseString(method: string, url: string, params: Array<[string, string]>): string {
  const u = new URL(url);
  const base = `${u.protocol}//${u.host}${u.pathname}`;
  const sorted = params.map(([k, v]) => [pct(k), pct(v)] as const).sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  return [method.toUpperCase(), pct(base), pct(sorted.map(([k, v]) => `${k}=${v}`).join('&'))].join('&');
}

export function oauthHeader(input: SignInput, override: Partial<Record<string, string>> = {}): string {
  const oauth: Record<string, string> = {
    oauth_consumer_key: input.keys.consumerKey,
    oauth_token: input.keys.accessToken,
    oauth_signature_method: input.signatureMethod ?? 'HMAC-SHA256',
    oauth_timestamp: String(input.timestamp),
    oauth_nonce: input.nonce,
  };
  if (input.version !== null) oauth.oauth_version = input.version ?? '1.0';
  const u = new URL(input.url);
  const query: Array<[string, string]> = [];
  for (const pair of u.search.replace(/^\?/, '').split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    query.push([decodeURIComponent(pair.slice(0, eq)), decodeURIComponent(pair.slice(eq + 1))]);
  }
  const params: Array<[string, string]> = [...Object.entries(oauth), ...query, ...(input.formFields ?? [])];
  const base = oauthBaseString(input.method, input.url, params);
  const algorithm = (input.signatureMethod ?? 'HMAC-SHA256') === 'HMAC-SHA1' ? 'sha1' : 'sha256';
  const signature = createHmac(algorithm, `${pct(input.keys.consumerSecret)}&${pct(input.keys.accessTokenSecret)}`).update(base).digest('base64');
  const all: Record<string, string> = { ...oauth, oauth_signature: signature, ...override };
  for (const [k, v] of Object.entries(all)) if (v === undefined) delete all[k];
  return 'OAuth ' + Object.entries(all).map(([k, v]) => `${k}="${pct(v)}"`).join(', ');
}

// --- TOTP (RFC 6238, SHA-1, 6 digits), independent of src/ -----------------------------------

export function base32ToBuffer(s: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of s.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(Number.parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

export function totpAt(key: Buffer, unixSeconds: number, digits = 6, algorithm = 'sha1'): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const h = createHmac(algorithm, key).update(counter).digest();
  const o = (h[h.length - 1] as number) & 15;
  const code = (((h[o] as number) & 0x7f) << 24) | ((h[o + 1] as number) << 16) | ((h[o + 2] as number) << 8) | (h[o + 3] as number);
  return String(code % 10 ** digits).padStart(digits, '0');
}

/** searchCriteria query built by hand (so the tests do not depend on the client's encoder). */
export function q(pairs: Array<[string, string | number]>): string {
  return pairs.map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&');
}
