// The HTTP layer under the Magento client: undici with a keep-alive pool per origin, gzip/br
// decoding, connect/headers/body timeouts, cancellation, and retries that are safe for the
// method (idempotent requests on 429/502/503/504 and network failures; writes only when the
// connection failed before anything was sent, so a retry can never create a second order).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { rootCertificates } from 'node:tls';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import { realScheduler, silentLogger, type Logger, type Scheduler } from '../ports';
import { redactText } from './redactor';
import { MagentoTransportError, transportErrorFrom } from './transportError';

export interface HttpTimeouts {
  connectMs: number;
  /** Until the response headers arrive. */
  headersMs: number;
  /** Max idle time between body chunks. */
  bodyMs: number;
}

export const DEFAULT_TIMEOUTS: HttpTimeouts = { connectMs: 10_000, headersMs: 60_000, bodyMs: 60_000 };

export interface RetryPolicy {
  /** Retries after the first attempt (0 disables retrying). */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the error surfaces instead. */
  maxRetryAfterMs: number;
  retryStatuses: readonly number[];
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 3, baseDelayMs: 250, maxDelayMs: 8_000, maxRetryAfterMs: 60_000, retryStatuses: [429, 502, 503, 504] };

export interface TlsOptions {
  verify: boolean;
  caFile?: string;
  /** PEM text, for callers that already have it (tests). */
  ca?: string;
}

export interface HttpClientOptions {
  dispatcher?: Dispatcher;
  tls?: TlsOptions;
  timeouts?: Partial<HttpTimeouts>;
  retry?: Partial<RetryPolicy>;
  scheduler?: Scheduler;
  logger?: Logger;
  /** Random source in [0,1) for jitter (tests pin it). */
  random?: () => number;
}

export interface HttpRequestInit {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Overrides headers/body timeouts for this request. */
  timeoutMs?: number;
  /** Defaults to GET/HEAD/OPTIONS/PUT/DELETE; Magento async/bulk writes must pass false. */
  idempotent?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  timings: { headersMs: number; totalMs: number };
  bytes: { wire: number; decoded: number };
  url: string;
  /** 1 + number of retries it took. */
  attempts: number;
}

/** What the client asks the store for; it decodes both (and identity). */
export const ACCEPT_ENCODING = 'gzip, br';

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function decodeBody(buffer: Buffer, encoding: string | undefined): Buffer {
  if (!encoding || buffer.length === 0) return buffer;
  // Content-Encoding lists codings in the order they were applied; undo them in reverse.
  const codings = encoding.split(',').map((c) => c.trim().toLowerCase()).filter((c) => c && c !== 'identity').reverse();
  let out = buffer;
  for (const coding of codings) {
    if (coding === 'gzip' || coding === 'x-gzip') out = gunzipSync(out);
    else if (coding === 'br') out = brotliDecompressSync(out);
    else if (coding === 'deflate') out = inflateSync(out);
    else throw new Error(`unsupported Content-Encoding '${coding}'`);
  }
  return out;
}

/** Retry-After in milliseconds (delta-seconds or an HTTP date), undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

export class HttpClient {
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly timeouts: HttpTimeouts;
  private readonly retry: RetryPolicy;
  private readonly scheduler: Scheduler;
  private readonly logger: Logger;
  private readonly random: () => number;

  constructor(options: HttpClientOptions = {}) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.scheduler = options.scheduler ?? realScheduler;
    this.logger = options.logger ?? silentLogger;
    this.random = options.random ?? Math.random;
    if (options.dispatcher) {
      this.dispatcher = options.dispatcher;
      this.ownsDispatcher = false;
    } else {
      const tls = options.tls ?? { verify: true };
      let ca: string | undefined = tls.ca;
      if (!ca && tls.caFile) {
        try {
          ca = readFileSync(tls.caFile, 'utf8');
        } catch (error) {
          throw new MagentoTransportError({ kind: 'tls', url: tls.caFile, message: `Cannot read the TLS CA file '${tls.caFile}': ${(error as Error).message}`, hint: 'Point the profile\'s TLS CA file at a readable PEM file.', requestMayHaveBeenSent: false });
        }
      }
      // An Agent keeps one keep-alive pool per origin, so every store gets its own connections.
      this.dispatcher = new Agent({
        connect: {
          timeout: this.timeouts.connectMs,
          rejectUnauthorized: tls.verify,
          // Extra CAs are added to Node's bundled roots, not instead of them.
          ...(ca ? { ca: [...rootCertificates, ca] } : {}),
        },
        headersTimeout: this.timeouts.headersMs,
        bodyTimeout: this.timeouts.bodyMs,
        keepAliveTimeout: 30_000,
        connections: 16,
      });
      this.ownsDispatcher = true;
    }
  }

  async request(init: HttpRequestInit): Promise<HttpResponse> {
    const method = init.method.toUpperCase();
    const idempotent = init.idempotent ?? IDEMPOTENT_METHODS.has(method);
    for (let attempt = 0; ; attempt++) {
      if (init.signal?.aborted) throw transportErrorFrom(init.signal.reason ?? abortError(), method, init.url);
      let response: HttpResponse;
      try {
        response = await this.once(method, init);
      } catch (raw) {
        const error = transportErrorFrom(raw, method, init.url, init.timeoutMs ?? this.timeouts.headersMs);
        // Not retried: cancellation, TLS/DNS/URL problems (they will not go away), and a store
        // that did not answer in time (a retry only adds load to a slow store and multiplies
        // the wait). A write is retried only when it cannot have reached the store.
        const permanent = error.kind === 'aborted' || error.kind === 'tls' || error.kind === 'dns' || error.kind === 'bad-url'
          || (error.kind === 'timeout' && error.requestMayHaveBeenSent);
        const retryable = !permanent && (idempotent || !error.requestMayHaveBeenSent);
        if (!retryable || attempt >= this.retry.maxRetries) throw error;
        const delay = this.backoff(attempt);
        this.logger.debug(`${method} ${redactText(init.url)} failed (${error.code ?? error.kind}); retry ${attempt + 1}/${this.retry.maxRetries} in ${delay} ms`);
        await this.sleep(delay, init.signal, method, init.url);
        continue;
      }
      response.attempts = attempt + 1;
      if (idempotent && this.retry.retryStatuses.includes(response.status) && attempt < this.retry.maxRetries) {
        const retryAfter = parseRetryAfter(response.headers['retry-after'], this.scheduler.now());
        if (retryAfter !== undefined && retryAfter > this.retry.maxRetryAfterMs) return response;
        const delay = retryAfter ?? this.backoff(attempt);
        this.logger.debug(`${method} ${redactText(init.url)} → ${response.status}; retry ${attempt + 1}/${this.retry.maxRetries} in ${delay} ms`);
        await this.sleep(delay, init.signal, method, init.url);
        continue;
      }
      return response;
    }
  }

  /** Exponential back-off with full jitter: uniform in [0, min(max, base·2^attempt)]. */
  private backoff(attempt: number): number {
    const cap = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** attempt);
    return Math.round(this.random() * cap);
  }

  private sleep(ms: number, signal: AbortSignal | undefined, method: string, url: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        timer.cancel();
        reject(transportErrorFrom(signal?.reason ?? abortError(), method, url));
      };
      const timer = this.scheduler.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private async once(method: string, init: HttpRequestInit): Promise<HttpResponse> {
    const started = performance.now();
    const headers: Record<string, string> = { 'accept-encoding': ACCEPT_ENCODING, ...lowerKeys(init.headers ?? {}) };
    if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
    const options: Parameters<typeof undiciRequest>[1] = {
      method: method as Dispatcher.HttpMethod,
      headers,
      dispatcher: this.dispatcher,
    };
    if (init.body !== undefined) options.body = init.body;
    if (init.signal) options.signal = init.signal;
    if (init.timeoutMs !== undefined) {
      options.headersTimeout = init.timeoutMs;
      options.bodyTimeout = init.timeoutMs;
    }
    const res = await undiciRequest(init.url, options);
    const headersMs = performance.now() - started;
    const raw = Buffer.from(await res.body.arrayBuffer());
    const responseHeaders = flattenHeaders(res.headers);
    let decoded: Buffer;
    try {
      decoded = decodeBody(raw, responseHeaders['content-encoding']);
    } catch (error) {
      throw new MagentoTransportError({ kind: 'network', url: init.url, method, message: `Cannot decode the response body: ${(error as Error).message}`, requestMayHaveBeenSent: true, cause: error });
    }
    return {
      status: res.statusCode,
      headers: responseHeaders,
      text: decoded.toString('utf8'),
      timings: { headersMs: round(headersMs), totalMs: round(performance.now() - started) },
      bytes: { wire: raw.length, decoded: decoded.length },
      url: init.url,
      attempts: 1,
    };
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function abortError(): Error {
  const error = new Error('The operation was aborted');
  error.name = 'AbortError';
  return error;
}
