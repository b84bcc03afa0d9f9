// The sandbox store as one object: settings, clock, stats, auth, data, routes and the request
// pipeline (PathProcessor → method check → RequestProcessorPool → render). The HTTP server in
// sandboxServer.ts only moves bytes. Sandbox-B's async/bulk code plugs in through
// `setProcessor()`, `routes.add()`, `control.add()`, `stats.addContributor()`, `onReset()` and
// `onClose()` — see plugins.ts.
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { parsePhpQuery } from '../core/search/phpQuery';
import { GUEST, type Caller } from './auth/caller';
import { AuthService, type TokenFormat } from './auth/authService';
import type { OAuthRequestParts } from './auth/oauth1';
import { SandboxClock } from './clock';
import { ControlRouter } from './control/controlRouter';
import { MESSAGES, WebapiError, toWebapiError } from './errors';
import { chooseRenderer, type RenderFormat } from './http/negotiation';
import { bindRouteInput } from './routing/inputBinding';
import { RouteTable } from './routing/routeTable';
import type { RouteCall, SyncRoute } from './routing/routeTypes';
import { SandboxStats } from './stats';
import { resolveStore, storeByCode, type StoreView } from './stores';
import { SandboxData } from './resources/sandboxData';
import { registerResourceRoutes } from './resources/registerRoutes';
import { createSyncProcessor } from './routing/syncProcessor';
import { registerControlEndpoints } from './control/controlEndpoints';
import { createSchemaProcessor } from './schema/schemaProcessor';

export interface SandboxSettings {
  latency: 'none' | 'realistic';
  /** Admin/customer token shape: JWT (2.4.4+ default) or the 32-char opaque pre-2.4.4 one. */
  tokenFormat: TokenFormat;
  consumers: boolean;
  twoFactor: boolean;
  seed: number;
  enableIntegrationAsBearer: boolean;
  /** webapi/validation/input_limit_enabled */
  inputLimits: boolean;
  /** webapi/webapisecurity/allow_insecure: catalog/CMS/store GET routes become anonymous. */
  allowAnonymousGuestAccess: boolean;
  /** webapi/validation/maximum_page_size */
  maximumPageSize: number;
  /** webapi/validation/default_page_size */
  defaultPageSize: number;
  /** webapi/validation/complex_array_limit (max items in an array of objects, with input limits on) */
  complexArrayLimit: number;
  adminTokenLifetimeMinutes: number;
  customerTokenLifetimeMinutes: number;
  schemaFile?: string;
}

/** `webapi/jwtauth/admin_expiration` default (customers: 60 in both formats). */
export const JWT_ADMIN_LIFETIME_MINUTES = 60;

export const DEFAULT_SETTINGS: SandboxSettings = {
  latency: 'none',
  tokenFormat: 'jwt',
  consumers: true,
  twoFactor: false,
  seed: 1,
  enableIntegrationAsBearer: true,
  inputLimits: false,
  allowAnonymousGuestAccess: false,
  maximumPageSize: 300,
  defaultPageSize: 20,
  complexArrayLimit: 20,
  adminTokenLifetimeMinutes: 240,
  customerTokenLifetimeMinutes: 60,
};

/** One HTTP request as the server received it. */
export interface SandboxHttpRequest {
  method: string;
  /** Request target: path + optional `?query`, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** `http://127.0.0.1:port` — what the client addressed (OAuth base URLs use it). */
  origin: string;
}

/** A request after `/rest` and the store segment were resolved; what processors see. */
export interface ProcessorRequest {
  method: string;
  /** Path after `/rest/<store>`, e.g. `/V1/products/abc`, `/async/bulk/V1/products`. */
  path: string;
  /** Raw query string without `?`. */
  rawQuery: string;
  /** PHP-parsed query (`searchCriteria[...]` nested). */
  query: Record<string, unknown>;
  store: StoreView;
  /** Store code as written in the URL (`all`, `de`, ...) or undefined when none was given. */
  urlStoreCode: string | undefined;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** `/rest/<store>` part of the URL as requested (schema basePath). */
  restBase: string;
  origin: string;
  format: RenderFormat;
  /** Resolves the caller (cached). Throws OAuth verification errors. */
  caller(): Caller;
  /** The caller, or guest when OAuth verification failed (for ACL-filtered views such as the schema). */
  callerOrGuest(): Caller;
  /** Processors set this (e.g. `GET /V1/products/:sku`) so `requests_by_route` counts routes, also on errors. */
  statsKey?: string;
}

export interface SandboxReply {
  status: number;
  /** The value to render. */
  body: unknown;
  /** Key for `requests_by_route`, e.g. `GET /V1/products/:sku`. */
  statsKey?: string;
  /** Render with escaped slashes (PHP json_encode default) — the schema document turns this off. */
  escapeSlashes?: boolean;
  headers?: Record<string, string>;
}

export interface RequestProcessor {
  readonly name: string;
  canProcess(request: ProcessorRequest): boolean;
  process(request: ProcessorRequest): Promise<SandboxReply>;
}

/** RequestProcessorPool order (contract §1.1). */
export const PROCESSOR_SLOTS = ['schema', 'asyncSchema', 'async', 'bulkSchema', 'bulk', 'sync'] as const;
export type ProcessorSlot = (typeof PROCESSOR_SLOTS)[number];

export class SandboxApp {
  readonly settings: SandboxSettings;
  readonly clock = new SandboxClock();
  readonly stats = new SandboxStats();
  readonly routes = new RouteTable();
  readonly control = new ControlRouter();
  /** Swagger definitions contributed by plugins for their routes' types (lower-dash names). */
  readonly schemaDefinitions = new Map<string, Record<string, unknown>>();
  readonly auth: AuthService;
  data: SandboxData;
  /** Optional delay before sync route handlers run (the realistic latency model hooks in here). */
  syncDelay: ((route: SyncRoute, call: RouteCall) => Promise<void>) | undefined;
  private readonly processors = new Map<ProcessorSlot, RequestProcessor>();
  private readonly resetHooks: Array<() => void> = [];
  private readonly closeHooks: Array<() => Promise<void> | void> = [];
  private reportCounter = 0;

  constructor(settings: Partial<SandboxSettings> = {}) {
    this.settings = { ...DEFAULT_SETTINGS, ...settings };
    // A 2.4.4+ store signs admin JWTs for `webapi/jwtauth/admin_expiration` (60 min by default),
    // not `oauth/access_token_lifetime/admin` (4 h), which only opaque tokens use.
    if (this.settings.tokenFormat === 'jwt' && settings.adminTokenLifetimeMinutes === undefined) this.settings.adminTokenLifetimeMinutes = JWT_ADMIN_LIFETIME_MINUTES;
    this.data = new SandboxData(this.settings.seed, this.clock);
    this.auth = new AuthService(
      this.clock,
      this.stats,
      () => this.settings,
      this.data.credentials.adminAccount,
      this.data.credentials.integration,
      (email) => this.data.customerLogin(email),
    );
    registerResourceRoutes(this);
    this.setProcessor('schema', createSchemaProcessor(this));
    this.setProcessor('sync', createSyncProcessor(this));
    registerControlEndpoints(this);
  }

  setProcessor(slot: ProcessorSlot, processor: RequestProcessor): void {
    this.processors.set(slot, processor);
  }

  onReset(hook: () => void): void {
    this.resetHooks.push(hook);
  }

  onClose(hook: () => Promise<void> | void): void {
    this.closeHooks.push(hook);
  }

  /** Back to the seeded state: data, tokens, lockouts, nonces, stats, clock. Settings are kept. */
  reset(): void {
    this.data = new SandboxData(this.settings.seed, this.clock);
    this.auth.reset();
    this.stats.reset();
    this.clock.reset();
    for (const hook of this.resetHooks) hook();
  }

  async close(): Promise<void> {
    for (const hook of this.closeHooks) await hook();
  }

  nextReportId(): string {
    this.reportCounter++;
    return `${this.reportCounter}${randomBytes(4).toString('hex')}`;
  }

  /** Binds and runs a sync route's service method, returning its output value (throws WebapiError). */
  async executeRoute(route: SyncRoute, input: Record<string, unknown>, storeCode: string, caller: Caller, pathParams?: Record<string, string>): Promise<unknown> {
    const store = storeByCode(storeCode);
    if (!store) throw new WebapiError(404, 'The store that was requested wasn\'t found. Verify the store and try again.');
    const params = bindRouteInput(route, input, { method: route.method, caller, pathParams: pathParams ?? {} });
    const call: RouteCall = { params, store, caller };
    return route.handler(call);
  }

  /** The whole pipeline for one HTTP request. */
  async handle(request: SandboxHttpRequest): Promise<{ status: number; body: unknown; format: RenderFormat; escapeSlashes: boolean; headers: Record<string, string> }> {
    const q = request.url.indexOf('?');
    const pathname = q < 0 ? request.url : request.url.slice(0, q);
    const rawQuery = q < 0 ? '' : request.url.slice(q + 1);
    if (pathname.startsWith('/__sandbox/')) {
      const reply = await this.control.dispatch(request.method, pathname, request.body);
      return { status: reply.status, body: reply.body, format: 'json', escapeSlashes: false, headers: {} };
    }
    let format: RenderFormat = 'json';
    let statsKey = `${request.method} ${pathname}`;
    let current: ProcessorRequest | undefined;
    try {
      format = chooseRenderer(headerValue(request.headers.accept));
      const restMatch = /^(\/index\.php)?\/rest(\/.*)?$/.exec(pathname);
      if (!restMatch) throw new WebapiError(404, MESSAGES.noRoute);
      if (!['GET', 'POST', 'PUT', 'DELETE', 'PATCH'].includes(request.method)) {
        throw new WebapiError(405, MESSAGES.methodNotSupported, [request.method]);
      }
      const resolution = resolveStore(restMatch[2] ?? '/');
      const restBase = `${restMatch[1] ?? ''}/rest${resolution.urlCode !== undefined ? `/${resolution.urlCode}` : ''}`;
      let cachedCaller: Caller | undefined;
      const oauthParts: OAuthRequestParts = {
        method: request.method,
        baseUrl: request.origin + pathname,
        rawQuery,
        authorization: headerValue(request.headers.authorization),
        contentType: headerValue(request.headers['content-type']),
        rawBody: request.body,
      };
      const preq: ProcessorRequest = {
        method: request.method,
        path: resolution.path,
        rawQuery,
        query: rawQuery ? parsePhpQuery(rawQuery) : {},
        store: resolution.store,
        urlStoreCode: resolution.urlCode,
        headers: request.headers,
        body: request.body,
        restBase,
        origin: request.origin,
        format,
        caller: () => (cachedCaller ??= this.auth.resolveCaller(oauthParts)),
        callerOrGuest: () => {
          try {
            return preq.caller();
          } catch {
            return GUEST;
          }
        },
      };
      statsKey = `${request.method} ${resolution.path}`;
      current = preq;
      for (const slot of PROCESSOR_SLOTS) {
        const processor = this.processors.get(slot);
        if (processor && processor.canProcess(preq)) {
          const reply = await processor.process(preq);
          this.stats.countRequest(reply.statsKey ?? preq.statsKey ?? statsKey);
          return { status: reply.status, body: reply.body, format, escapeSlashes: reply.escapeSlashes ?? true, headers: reply.headers ?? {} };
        }
      }
      throw new WebapiError(400, MESSAGES.cannotProcess);
    } catch (error) {
      const webapiError = toWebapiError(error, () => this.nextReportId());
      this.stats.countRequest(current?.statsKey ?? statsKey);
      // A 406 cannot be rendered in an accepted type; Magento's fallback is JSON-like, so use JSON.
      return { status: webapiError.status, body: webapiError.toBody(), format: webapiError.status === 406 ? 'json' : format, escapeSlashes: true, headers: {} };
    }
  }
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
