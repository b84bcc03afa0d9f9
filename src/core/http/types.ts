// The contract between the HTTP client and everything that sends requests (CLI, request
// builder, async/bulk submission, bulk polling). Paths are relative to `/rest/<store>`.

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

export interface MagentoRequest {
  method: HttpMethod;
  /** Path after `/rest/<store>`, e.g. `/V1/products`, `/async/bulk/V1/products/bySku`. */
  path: string;
  /** Store code; the profile's store code when absent. `all` is the admin scope. */
  storeCode?: string;
  /** Query string without the leading `?` (already encoded), or key/value pairs to encode. */
  query?: string | ReadonlyArray<readonly [string, string]>;
  /** JSON-serialisable body, or a pre-serialised JSON string. */
  body?: unknown;
  headers?: Readonly<Record<string, string>>;
  signal?: AbortSignal;
  /** Overrides the client's default timeouts for this call. */
  timeoutMs?: number;
  /** Whether the request needs authentication (default true); token/schema calls may set false. */
  authenticated?: boolean;
}

export interface ResponseTimings {
  /** Milliseconds from dispatch to response headers. */
  headersMs: number;
  /** Milliseconds from dispatch to the end of the body. */
  totalMs: number;
}

export interface MagentoResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON body (`undefined` for an empty body). */
  body: T;
  /** The decoded body text, as received. */
  text: string;
  timings: ResponseTimings;
  bytes: { wire: number; decoded: number };
  /** The absolute URL that was requested (never carries secrets: auth goes in headers). */
  url: string;
}

/** What every feature uses to talk to a store through a profile. */
export interface MagentoTransport {
  send<T = unknown>(request: MagentoRequest): Promise<MagentoResponse<T>>;
}
