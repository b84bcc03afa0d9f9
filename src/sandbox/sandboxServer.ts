// The sandbox store's public API: a Node `http` server on loopback around a SandboxApp.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { SandboxApp, headerValue, type SandboxSettings } from './app';
import type { TokenFormat } from './auth/authService';
import { chooseEncoding, compress, COMPRESSION_THRESHOLD_BYTES, phpJsonEncode, renderBody } from './http/render';
import { sandboxPlugins } from './plugins';
import { silentLogger, type Logger } from '../core/ports';
import { httpFaultsOf } from './faults/faultControls';
import { applyFaultBeforeHandling, faultShapesResponse, writeFaultyResponse } from './faults/httpFaults';

export interface SandboxOptions {
  /** 0 = any free port. */
  port?: number;
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  latency?: 'none' | 'realistic';
  /** Whether the async consumer runs (default true). */
  consumers?: boolean;
  twoFactor?: boolean;
  seed?: number;
  schemaFile?: string;
  /** oauth/consumer/enable_integration_as_bearer (default true). */
  enableIntegrationAsBearer?: boolean;
  /** webapi/validation/input_limit_enabled (default false). */
  inputLimits?: boolean;
  adminTokenLifetimeMinutes?: number;
  customerTokenLifetimeMinutes?: number;
  /** Admin/customer tokens as JWTs (default, Magento 2.4.4+) or 32-char opaque strings (before 2.4.4). */
  tokenFormat?: TokenFormat;
  /** Where the sandbox reports its own failures (a bug answered with a 500); silent by default. */
  logger?: Logger;
  /** Serve HTTPS with this PEM key and certificate (e.g. self-signed, for TLS verification tests). */
  https?: { key: string | Buffer; cert: string | Buffer };
}

export interface SandboxCredentials {
  admin: { username: string; password: string; totpSecret?: string };
  customer: { email: string; password: string };
  integration: { consumerKey: string; consumerSecret: string; accessToken: string; accessTokenSecret: string };
}

export interface SandboxHandle {
  /** e.g. http://127.0.0.1:41234 — REST calls go to `${baseUrl}/rest/<store>/V1/...`. */
  baseUrl: string;
  storeCode: 'default';
  credentials: SandboxCredentials;
  /** The running store, for in-process tests and plugins. */
  app: SandboxApp;
  close(): Promise<void>;
}

/** Thrown when the port is taken, so the CLI can print a clear message. */
export class SandboxPortInUseError extends Error {
  constructor(readonly host: string, readonly port: number) {
    super(`port ${port} on ${host} is already in use; pick another with --port (0 = any free port)`);
    this.name = 'SandboxPortInUseError';
  }
}

function settingsFrom(options: SandboxOptions): Partial<SandboxSettings> {
  const s: Partial<SandboxSettings> = {};
  if (options.latency !== undefined) s.latency = options.latency;
  if (options.consumers !== undefined) s.consumers = options.consumers;
  if (options.twoFactor !== undefined) s.twoFactor = options.twoFactor;
  if (options.seed !== undefined) s.seed = options.seed;
  if (options.schemaFile !== undefined) s.schemaFile = options.schemaFile;
  if (options.enableIntegrationAsBearer !== undefined) s.enableIntegrationAsBearer = options.enableIntegrationAsBearer;
  if (options.inputLimits !== undefined) s.inputLimits = options.inputLimits;
  if (options.adminTokenLifetimeMinutes !== undefined) s.adminTokenLifetimeMinutes = options.adminTokenLifetimeMinutes;
  if (options.customerTokenLifetimeMinutes !== undefined) s.customerTokenLifetimeMinutes = options.customerTokenLifetimeMinutes;
  if (options.tokenFormat !== undefined) s.tokenFormat = options.tokenFormat;
  return s;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const app = new SandboxApp(settingsFrom(options));
  for (const plugin of sandboxPlugins) await plugin(app);
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  const logger = options.logger ?? silentLogger;
  const scheme = options.https ? 'https' : 'http';
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    void serve(app, req, res, logger, scheme);
  };
  const server: Server = options.https ? createHttpsServer({ key: options.https.key, cert: options.https.cert }, handler) : createServer(handler);
  server.keepAliveTimeout = 5000;
  await listen(server, host, port);
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const creds = app.data.credentials;
  const credentials: SandboxCredentials = {
    admin: { username: creds.adminAccount.username, password: creds.adminAccount.password, ...(app.settings.twoFactor ? { totpSecret: creds.adminAccount.totpSecret } : {}) },
    customer: { ...creds.customer },
    integration: {
      consumerKey: creds.integration.consumerKey,
      consumerSecret: creds.integration.consumerSecret,
      accessToken: creds.integration.accessToken,
      accessTokenSecret: creds.integration.accessTokenSecret,
    },
  };
  let closing: Promise<void> | undefined;
  return {
    baseUrl: `${scheme}://${urlHost}:${address.port}`,
    storeCode: 'default',
    credentials,
    app,
    close: () =>
      (closing ??= (async () => {
        await app.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })()),
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      reject(error.code === 'EADDRINUSE' ? new SandboxPortInUseError(host, port) : error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

async function serve(app: SandboxApp, req: IncomingMessage, res: ServerResponse, logger: Logger, scheme: 'http' | 'https'): Promise<void> {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const faults = httpFaultsOf(app);
    const fault = faults?.injector.decide(req.method ?? 'GET', (req.url ?? '/').split('?', 1)[0] ?? '/');
    if (fault && faults && (await applyFaultBeforeHandling(fault, req, res, faults.actions))) return;
    const origin = `${scheme}://${req.headers.host ?? '127.0.0.1'}`;
    const result = await app.handle({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks), origin });
    const rendered = result.format === 'json'
      ? { text: phpJsonEncode(result.body, result.escapeSlashes), contentType: 'application/json; charset=utf-8' }
      : renderBody(result.body, result.format);
    let payload: Buffer = Buffer.from(rendered.text, 'utf8');
    const headers: Record<string, string | number> = { 'Content-Type': rendered.contentType, ...result.headers };
    if (faultShapesResponse(fault)) {
      await writeFaultyResponse(fault, req, res, result.status, headers, payload);
      return;
    }
    const encoding = payload.length >= COMPRESSION_THRESHOLD_BYTES ? chooseEncoding(headerValue(req.headers['accept-encoding'])) : undefined;
    if (encoding) {
      payload = compress(payload, encoding);
      headers['Content-Encoding'] = encoding;
      headers.Vary = 'Accept-Encoding';
    }
    headers['Content-Length'] = payload.length;
    res.writeHead(result.status, headers);
    res.end(payload);
  } catch (error) {
    // Only reached on a bug in the sandbox itself (or a client that went away mid-request):
    // answer like Magento's fatal error renderer and report it.
    const reportId = app.nextReportId();
    logger.error(`sandbox: report api/${reportId} for ${req.method ?? '?'} ${req.url ?? '?'}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (res.destroyed) return;
    if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ messages: { error: [{ code: 500, message: `Server internal error. See details in report api/${reportId}` }] } }));
  }
}
