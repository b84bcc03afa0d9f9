// Gives a MagentoClient the two abilities the request builder needs beyond `send`: the body as
// a stream (large answers are spooled to a file off the event loop instead of being buffered
// and parsed), and the Authorization header it would send (for an explicitly unmasked cURL).
// Authentication stays the client's: URLs come from `restUrl`, headers from its AuthProvider.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { rootCertificates } from 'node:tls';
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import { type Disposable } from '../ports';
import { type MagentoRequest, type MagentoTransport } from '../http/types';
import { type AuthorizingTransport, type MagentoStreamResponse, type StreamingMagentoTransport } from './streamingTransport';

/** The parts of MagentoClient used here (structural, so tests can pass a small fake). */
export interface StreamableClient extends MagentoTransport {
  readonly profile: { tls: { verify: boolean; caFile?: string } };
  readonly auth: {
    authorize(request: { method: string; url: string; contentType?: string; body?: string }): Promise<Record<string, string>>;
    handleUnauthorized(headers: Record<string, string>): Promise<boolean>;
  };
  restUrl(path: string, storeCode?: string, query?: MagentoRequest['query']): string;
}

export type BuilderTransport = StreamingMagentoTransport & AuthorizingTransport & Disposable;

export function withStreaming(client: StreamableClient, options: { dispatcher?: Dispatcher; headersTimeoutMs?: number } = {}): BuilderTransport {
  let agent: Agent | undefined;
  const dispatcher = (): Dispatcher => {
    if (options.dispatcher) return options.dispatcher;
    if (!agent) {
      const tls = client.profile.tls;
      const ca = tls.caFile ? readFileSync(tls.caFile, 'utf8') : undefined;
      agent = new Agent({
        connect: { rejectUnauthorized: tls.verify, ...(ca ? { ca: [...rootCertificates, ca] } : {}) },
        headersTimeout: options.headersTimeoutMs ?? 60_000,
        bodyTimeout: 60_000,
      });
    }
    return agent;
  };

  const prepare = (request: MagentoRequest): { url: string; method: string; headers: Record<string, string>; body?: string } => {
    const url = client.restUrl(request.path, request.storeCode, request.query);
    const headers: Record<string, string> = { accept: 'application/json', 'accept-encoding': 'gzip, deflate, br', 'user-agent': 'magento-rest-workbench' };
    let body: string | undefined;
    if (request.body !== undefined) {
      body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
      headers['content-type'] = 'application/json';
    }
    for (const [k, v] of Object.entries(request.headers ?? {})) headers[k.toLowerCase()] = v;
    return { url, method: request.method.toUpperCase(), headers, ...(body !== undefined ? { body } : {}) };
  };

  const authorize = (prepared: ReturnType<typeof prepare>): Promise<Record<string, string>> =>
    client.auth.authorize({
      method: prepared.method,
      url: prepared.url,
      ...(prepared.headers['content-type'] ? { contentType: prepared.headers['content-type'] } : {}),
      ...(prepared.body !== undefined ? { body: prepared.body } : {}),
    });

  const transport: BuilderTransport = {
    send: (request) => client.send(request),

    async sendStream(request: MagentoRequest): Promise<MagentoStreamResponse> {
      const prepared = prepare(request);
      const attempt = async (): Promise<{ response: Dispatcher.ResponseData; authHeaders: Record<string, string>; headersMs: number }> => {
        const authHeaders = request.authenticated === false ? {} : await authorize(prepared);
        const started = performance.now();
        const response = await undiciRequest(prepared.url, {
          method: prepared.method as Dispatcher.HttpMethod,
          headers: { ...prepared.headers, ...authHeaders },
          dispatcher: dispatcher(),
          ...(prepared.body !== undefined ? { body: prepared.body } : {}),
          ...(request.signal ? { signal: request.signal } : {}),
        });
        return { response, authHeaders, headersMs: performance.now() - started };
      };
      let { response, authHeaders, headersMs } = await attempt();
      if (response.statusCode === 401 && request.authenticated !== false && (await client.auth.handleUnauthorized(authHeaders))) {
        await response.body.dump();
        ({ response, authHeaders, headersMs } = await attempt());
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(response.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      return { status: response.statusCode, headers, body: response.body, headersMs, url: prepared.url };
    },

    async authorizationHeader(request: MagentoRequest): Promise<string | undefined> {
      const headers = await authorize(prepare(request));
      return headers.authorization ?? headers.Authorization;
    },

    dispose(): void {
      void agent?.close();
      agent = undefined;
    },
  };
  return transport;
}
