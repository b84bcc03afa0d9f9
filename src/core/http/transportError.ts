// Failures that happen before (or instead of) a Magento answer: a bad URL, DNS, a refused
// connection, TLS, timeouts, cancellation, or a 2xx body that is not JSON. Each carries a
// hint that says how to fix it, because "fetch failed" helps nobody.
import { redactText } from './redactor';

export type TransportErrorKind =
  | 'bad-url'
  | 'dns'
  | 'connection-refused'
  | 'connection-reset'
  | 'tls'
  | 'timeout'
  | 'aborted'
  | 'non-json'
  | 'network';

export interface TransportErrorInit {
  kind: TransportErrorKind;
  message: string;
  url: string;
  method?: string;
  hint?: string;
  /** The low-level error code (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT, DEPTH_ZERO_SELF_SIGNED_CERT, ...). */
  code?: string;
  status?: number;
  /** Whether the request may have reached the store (matters for retrying writes). */
  requestMayHaveBeenSent: boolean;
  cause?: unknown;
}

export class MagentoTransportError extends Error {
  override readonly name = 'MagentoTransportError';
  readonly kind: TransportErrorKind;
  readonly url: string;
  readonly method?: string;
  readonly hint?: string;
  readonly code?: string;
  readonly status?: number;
  readonly requestMayHaveBeenSent: boolean;

  constructor(init: TransportErrorInit) {
    super(redactText(init.message), init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.url = init.url;
    if (init.method) this.method = init.method;
    if (init.hint) this.hint = init.hint;
    if (init.code) this.code = init.code;
    if (init.status !== undefined) this.status = init.status;
    this.requestMayHaveBeenSent = init.requestMayHaveBeenSent;
  }

  describe(): string {
    const lines = [`${this.method ? `${this.method} ` : ''}${this.url} → ${this.message}`];
    if (this.hint) lines.push(`Hint: ${this.hint}`);
    return lines.join('\n');
  }
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
  'EPROTO',
]);

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET' && code !== 'ERR_INVALID_STATE') return code;
    e = (e as { cause?: unknown }).cause;
  }
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

function errorMessages(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (e instanceof Error && e.message && !parts.includes(e.message)) parts.push(e.message);
    e = (e as { cause?: unknown }).cause;
  }
  return parts.join(': ');
}

/** Maps an error thrown by undici (or the socket/TLS layer under it) to a MagentoTransportError. */
export function transportErrorFrom(error: unknown, method: string, url: string, timeoutMs?: number): MagentoTransportError {
  if (error instanceof MagentoTransportError) return error;
  const code = errorCode(error);
  const detail = errorMessages(error);
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    // keep the URL as it is
  }
  const base = { url, method, cause: error } as const;
  if ((error as { name?: string })?.name === 'AbortError' || code === 'ABORT_ERR' || code === 'UND_ERR_ABORTED') {
    return new MagentoTransportError({ ...base, kind: 'aborted', code: code ?? 'ABORT_ERR', message: 'The request was cancelled.', requestMayHaveBeenSent: true });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return new MagentoTransportError({ ...base, kind: 'dns', code, message: `Cannot resolve host ${host} (${code}).`, hint: 'Check the base URL\'s host name, your network/VPN and DNS.', requestMayHaveBeenSent: false });
  }
  if (code === 'ECONNREFUSED') {
    return new MagentoTransportError({ ...base, kind: 'connection-refused', code, message: `Connection to ${host} was refused.`, hint: 'Nothing listens on that host and port: check the base URL (scheme and port) and that the store is running.', requestMayHaveBeenSent: false });
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT' && /connect/i.test(detail)) {
    return new MagentoTransportError({ ...base, kind: 'timeout', code, message: `Connecting to ${host} timed out.`, hint: 'The host did not accept a connection in time: check the base URL, firewall or VPN.', requestMayHaveBeenSent: false });
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT') {
    const what = code === 'UND_ERR_BODY_TIMEOUT' ? 'the response body' : 'a response';
    return new MagentoTransportError({ ...base, kind: 'timeout', code, message: `The store did not send ${what} within ${timeoutMs !== undefined ? `${timeoutMs} ms` : 'the timeout'}.`, hint: 'The store is slow or overloaded; raise the timeout for large requests, or narrow the request (pageSize, fields).', requestMayHaveBeenSent: true });
  }
  if ((code && (TLS_CODES.has(code) || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS'))) || /certificate|ssl|tls/i.test(detail)) {
    const selfSigned = code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN' || code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE';
    const hint = code === 'EPROTO' || code?.startsWith('ERR_SSL')
      ? 'The TLS handshake failed; often https:// was used for a plain-http port (or the reverse). Check the base URL\'s scheme and port.'
      : selfSigned
        ? 'The store\'s certificate is not signed by a trusted CA. Put the CA (or self-signed) certificate in a PEM file and set the profile\'s TLS CA file (tls.caFile / --ca-file); only for a local store, allow insecure TLS in the profile.'
        : 'The certificate could not be verified (expired, wrong host name or untrusted chain). Fix the certificate or set the profile\'s TLS CA file.';
    return new MagentoTransportError({ ...base, kind: 'tls', code: code ?? 'TLS', message: `TLS error talking to ${host}: ${detail || code}.`, hint, requestMayHaveBeenSent: false });
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') {
    return new MagentoTransportError({ ...base, kind: 'connection-reset', code, message: `The connection to ${host} was closed unexpectedly (${code}).`, hint: 'A proxy or the store closed the connection; retry, and check the store\'s logs if it persists.', requestMayHaveBeenSent: true });
  }
  if (code === 'ERR_INVALID_URL' || code === 'UND_ERR_INVALID_ARG') {
    return new MagentoTransportError({ ...base, kind: 'bad-url', code, message: `Invalid request URL '${url}': ${detail}`, hint: 'Check the base URL and path.', requestMayHaveBeenSent: false });
  }
  const init: TransportErrorInit = { ...base, kind: 'network', message: `Request to ${host} failed: ${detail || String(error)}`, requestMayHaveBeenSent: true };
  if (code) init.code = code;
  return new MagentoTransportError(init);
}
