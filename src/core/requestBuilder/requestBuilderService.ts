// Everything the request builder panel does that is not VS Code: schema loading and caching,
// sending a draft, paging, fetching every page to a file, exports and history. The host panel
// only translates protocol messages into calls here, so all of it runs in plain-Node tests.
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { type Clock, type Logger, silentLogger } from '../ports';
import { type MagentoResponse, type MagentoTransport } from '../http/types';
import { redactText } from '../http/redactor';
import { toCurl } from '../export/curlExport';
import { toHttpFileRequest, type HttpFileRequest } from '../export/httpFileExport';
import { type RequestHistory } from '../history/requestHistory';
import {
  type OperationDetail,
  type OperationSummary,
  type ProfileSummary,
  type RequestDraft,
  type SendResult,
  type ResponseBody,
} from '../../protocol/requestBuilderProtocol';
import { buildDraftRequest, draftForPage, toMagentoRequest, type BuiltDraft, type DraftTarget } from './draftRequest';
import { DEFAULT_LARGE_BODY_BYTES, pagingFromTail, spoolResponseBody } from './responseSpool';
import { supportsAuthorizationExport, supportsStreaming } from './streamingTransport';
import { type SchemaView } from './schemaView';

export interface BuilderProfileSource {
  list(): ProfileSummary[];
  /** The transport (MagentoClient) for a profile; throws a clear error for an unknown profile. */
  transport(profileId: string): Promise<MagentoTransport>;
}

/**
 * Persistent schema cache (a globalStorage file per profile in VS Code). `scope` says which
 * store and account the schema was read for: the document lists only what that account's ACL
 * allows, so a profile pointed elsewhere must not reuse it.
 */
export interface SchemaStore {
  read(profileId: string): Promise<{ json: unknown; fetchedAt: number; scope?: string } | undefined>;
  write(profileId: string, json: unknown, fetchedAt: number, scope: string): Promise<void>;
}

function schemaScope(profile: ProfileSummary): string {
  return [profile.baseUrl.replace(/\/+$/, ''), profile.storeCode, profile.authKind].join('|');
}

/** Where large bodies and fetch-all outputs are written. */
export interface OutputLocations {
  /** A new file path for a response body too large for the panel. */
  largeBodyFile(extension: string): string;
  /** A new file path for a fetch-all export. */
  fetchAllFile(extension: string): string;
}

export interface RequestBuilderServiceDeps {
  profiles: BuilderProfileSource;
  schemaStore: SchemaStore;
  parseSchema: (json: unknown) => SchemaView;
  history: RequestHistory;
  outputs: OutputLocations;
  clock: Clock;
  logger?: Logger;
  largeBodyThresholdBytes?: number;
}

export class RequestBuilderError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'RequestBuilderError';
  }
}

/** Fetch-all never runs away: at most this many pages whatever total_count says. */
const MAX_FETCH_ALL_PAGES = 10_000;
const FETCH_ALL_DEFAULT_PAGE_SIZE = 100;

export class RequestBuilderService {
  private readonly schemas = new Map<string, { view: SchemaView; fetchedAt: number; source: string; scope: string }>();
  private readonly logger: Logger;
  readonly largeBodyThresholdBytes: number;

  constructor(private readonly deps: RequestBuilderServiceDeps) {
    this.logger = (deps.logger ?? silentLogger).child('requestBuilder');
    this.largeBodyThresholdBytes = deps.largeBodyThresholdBytes ?? DEFAULT_LARGE_BODY_BYTES;
  }

  profiles(): ProfileSummary[] {
    return this.deps.profiles.list();
  }

  private profile(profileId: string | undefined): ProfileSummary {
    if (!profileId) throw new RequestBuilderError('No profile selected.', 'Pick a profile at the top of the panel, or add one with "Magento: Add Profile".');
    const profile = this.deps.profiles.list().find((p) => p.id === profileId);
    if (!profile) throw new RequestBuilderError(`Profile "${profileId}" does not exist any more.`, 'Pick another profile.');
    return profile;
  }

  private target(profile: ProfileSummary): DraftTarget {
    return { baseUrl: profile.baseUrl, storeCode: profile.storeCode };
  }

  // --- schema ------------------------------------------------------------------------------

  /** The store's schema: memory, then the persisted copy, then the store (with the profile's auth). */
  async loadSchema(profileId: string, refresh = false): Promise<{ operations: OperationSummary[]; fetchedAt: number; source: string }> {
    const cached = refresh ? undefined : await this.cachedSchema(profileId);
    const entry = cached ?? (await this.fetchSchema(profileId));
    return { operations: entry.view.operations(), fetchedAt: entry.fetchedAt, source: entry.source };
  }

  async describeOperation(profileId: string, method: string, pathTemplate: string): Promise<OperationDetail> {
    const entry = (await this.cachedSchema(profileId)) ?? (await this.fetchSchema(profileId));
    const detail = entry.view.describe(method, pathTemplate);
    if (!detail) throw new RequestBuilderError(`${method} ${pathTemplate} is not in this store's schema.`, 'Refresh the schema, or check that the profile\'s user may call it (the schema lists only what the caller\'s ACL allows).');
    return detail;
  }

  private async cachedSchema(profileId: string): Promise<{ view: SchemaView; fetchedAt: number; source: string } | undefined> {
    const scope = schemaScope(this.profile(profileId));
    const inMemory = this.schemas.get(profileId);
    if (inMemory && inMemory.scope === scope) return inMemory;
    const stored = await this.deps.schemaStore.read(profileId).catch(() => undefined);
    if (!stored || stored.scope !== scope) return undefined;
    try {
      const entry = { view: this.deps.parseSchema(stored.json), fetchedAt: stored.fetchedAt, source: 'cache', scope };
      this.schemas.set(profileId, entry);
      return entry;
    } catch (error) {
      this.logger.warn(`ignoring the cached schema of ${profileId}: ${(error as Error).message}`);
      return undefined;
    }
  }

  private async fetchSchema(profileId: string): Promise<{ view: SchemaView; fetchedAt: number; source: string }> {
    const profile = this.profile(profileId);
    const transport = await this.deps.profiles.transport(profileId);
    const response = await transport.send({ method: 'GET', path: '/schema', storeCode: profile.storeCode, query: 'services=all', headers: { Accept: 'application/json' } });
    if (response.status !== 200) {
      throw new RequestBuilderError(`The store answered ${response.status} to GET /rest/${profile.storeCode}/schema?services=all.`, 'Check the profile\'s base URL and credentials.');
    }
    let view: SchemaView;
    try {
      view = this.deps.parseSchema(response.body);
    } catch (error) {
      throw new RequestBuilderError(`The store's schema could not be read: ${(error as Error).message}`);
    }
    const fetchedAt = this.deps.clock.now();
    const scope = schemaScope(profile);
    const entry = { view, fetchedAt, source: 'store', scope };
    this.schemas.set(profileId, entry);
    await this.deps.schemaStore.write(profileId, response.body, fetchedAt, scope).catch((error: unknown) => {
      this.logger.warn(`could not persist the schema of ${profileId}: ${(error as Error).message}`);
    });
    this.logger.info(`schema of ${profileId}: ${view.operations().length} operations`);
    return entry;
  }

  // --- sending -----------------------------------------------------------------------------

  build(draft: RequestDraft): { profile: ProfileSummary; built: BuiltDraft } {
    const profile = this.profile(draft.profileId);
    const built = buildDraftRequest(draft, this.target(profile));
    return { profile, built };
  }

  async send(draft: RequestDraft, signal?: AbortSignal): Promise<SendResult> {
    const { profile, built } = this.build(draft);
    if (built.errors.length > 0) throw new RequestBuilderError(built.errors.join(' '));
    const transport = await this.deps.profiles.transport(profile.id);
    const request = toMagentoRequest(built, signal);
    const requestHeaders = { ...(request.headers ?? {}), Authorization: authPlaceholder(profile.authKind) };
    const started = performance.now();

    let result: SendResult;
    // Writes go through `send` so the client's production write confirmation always applies.
    if (supportsStreaming(transport) && request.method === 'GET') {
      const response = await transport.sendStream(request);
      const spooled = await spoolResponseBody(response.body, {
        contentEncoding: response.headers['content-encoding'],
        thresholdBytes: this.largeBodyThresholdBytes,
        fileForLargeBody: () => this.deps.outputs.largeBodyFile(bodyExtension(response.headers)),
        ...(signal ? { signal } : {}),
      });
      const body: ResponseBody = spooled.kind === 'file'
        ? { kind: 'file', path: spooled.path, bytes: spooled.decodedBytes, reason: `The body (${formatMb(spooled.decodedBytes)}) is larger than the panel's limit (${formatMb(this.largeBodyThresholdBytes)}).` }
        : bodyFromText(spooled.data.toString('utf8'));
      const paging = spooled.kind === 'file' ? pagingFromTail(spooled.tail) : pagingFromBody(body);
      result = {
        status: response.status,
        timeMs: round(performance.now() - started),
        headersMs: round(response.headersMs),
        bytes: { wire: spooled.wireBytes, decoded: spooled.decodedBytes },
        headers: redactHeaders(response.headers),
        requestHeaders,
        url: response.url,
        body,
        ...(paging ? { paging } : {}),
      };
    } else {
      const response = await sendAllowingErrors(transport, request);
      let body: ResponseBody;
      if (response.bytes.decoded > this.largeBodyThresholdBytes) {
        const path = this.deps.outputs.largeBodyFile(bodyExtension(response.headers));
        await writeFile(path, response.text);
        body = { kind: 'file', path, bytes: response.bytes.decoded, reason: `The body (${formatMb(response.bytes.decoded)}) is larger than the panel's limit (${formatMb(this.largeBodyThresholdBytes)}).` };
      } else {
        body = bodyFromText(response.text);
      }
      const paging = body.kind === 'file' ? pagingFromTail(response.text.slice(-8192)) : pagingFromBody(body);
      result = {
        status: response.status,
        timeMs: round(response.timings.totalMs),
        headersMs: round(response.timings.headersMs),
        bytes: { wire: response.bytes.wire, decoded: response.bytes.decoded },
        headers: redactHeaders(response.headers),
        requestHeaders,
        url: response.url,
        body,
        ...(paging ? { paging } : {}),
      };
    }
    await this.deps.history.add(profile.id, draft, { status: result.status, timeMs: result.timeMs }).catch((error: unknown) => {
      this.logger.warn(`history not saved: ${(error as Error).message}`);
    });
    return result;
  }

  /**
   * Fetches every page of a list into a file (JSON lines: one item per line; or one JSON array).
   * Stops when current_page × page_size ≥ total_count — never on an empty page, because older
   * stores repeat the last page instead of answering [] (#3787, #26986).
   */
  async fetchAllPages(
    draft: RequestDraft,
    format: 'jsonl' | 'json',
    onProgress: (progress: { pages: number; items: number; totalCount?: number }) => void,
    signal?: AbortSignal,
  ): Promise<{ path: string; pages: number; items: number; totalCount: number; cancelled: boolean }> {
    const { profile } = this.build(draft);
    const transport = await this.deps.profiles.transport(profile.id);
    const pageSize = draft.searchCriteria.pageSize && draft.searchCriteria.pageSize > 0 ? draft.searchCriteria.pageSize : FETCH_ALL_DEFAULT_PAGE_SIZE;
    const base: RequestDraft = { ...draft, useSearchCriteria: true, searchCriteria: { ...draft.searchCriteria, pageSize } };
    const path = this.deps.outputs.fetchAllFile(format === 'jsonl' ? 'jsonl' : 'json');
    const out = createWriteStream(path);
    const write = async (text: string): Promise<void> => {
      if (!out.write(text)) await once(out, 'drain');
    };
    let pages = 0;
    let items = 0;
    let totalCount = 0;
    let cancelled = false;
    let page = Math.max(1, draft.searchCriteria.currentPage ?? 1);
    try {
      if (format === 'json') await write('[');
      for (;;) {
        if (signal?.aborted) { cancelled = true; break; }
        const { built } = this.build(draftForPage(base, page));
        if (built.errors.length > 0) throw new RequestBuilderError(built.errors.join(' '));
        let response: MagentoResponse;
        try {
          response = await sendAllowingErrors(transport, toMagentoRequest(built, signal));
        } catch (error) {
          if (signal?.aborted) { cancelled = true; break; }
          throw error;
        }
        if (response.status !== 200) throw new RequestBuilderError(`Page ${page} failed with HTTP ${response.status}: ${magentoMessageOf(response)}`);
        const body = response.body as { items?: unknown; total_count?: unknown } | undefined;
        if (!body || !Array.isArray(body.items) && body.items !== null) {
          throw new RequestBuilderError('The response has no "items" list: fetch all pages works on searchCriteria lists only.', 'If you use `fields`, keep items[...] and total_count in it.');
        }
        if (typeof body.total_count !== 'number') {
          throw new RequestBuilderError('The response has no total_count, so the last page cannot be known.', 'Add total_count to `fields`, e.g. items[sku],total_count.');
        }
        totalCount = body.total_count;
        const pageItems = Array.isArray(body.items) ? body.items : [];
        for (const item of pageItems) {
          const json = JSON.stringify(item);
          await write(format === 'jsonl' ? `${json}\n` : `${items === 0 ? '\n' : ',\n'}${json}`);
          items++;
        }
        pages++;
        onProgress({ pages, items, totalCount });
        if (page * pageSize >= totalCount || pageItems.length === 0 || pages >= MAX_FETCH_ALL_PAGES) break;
        page++;
      }
      if (format === 'json') await write(items === 0 ? ']\n' : '\n]\n');
    } finally {
      out.end();
      await once(out, 'finish').catch(() => undefined);
    }
    return { path, pages, items, totalCount, cancelled };
  }

  // --- exports -----------------------------------------------------------------------------

  async curl(draft: RequestDraft, revealSecrets: boolean): Promise<string> {
    const { profile, built } = this.build(draft);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (built.body !== undefined) headers['Content-Type'] = 'application/json';
    let authorization = authPlaceholder(profile.authKind);
    if (revealSecrets) {
      const transport = await this.deps.profiles.transport(profile.id);
      if (!supportsAuthorizationExport(transport)) {
        throw new RequestBuilderError('This profile\'s client cannot export its credentials; copy the masked command instead.');
      }
      authorization = (await transport.authorizationHeader(toMagentoRequest(built))) ?? authorization;
    }
    headers.Authorization = authorization;
    return toCurl({ method: built.method, url: built.url, headers, ...(built.body !== undefined ? { body: built.body } : {}) }, { revealSecrets });
  }

  httpRequest(draft: RequestDraft): HttpFileRequest {
    const { profile, built } = this.build(draft);
    const origin = profile.baseUrl.replace(/\/+$/, '');
    const pathAndQuery = built.url.startsWith(origin) ? built.url.slice(origin.length) : built.url;
    return {
      method: built.method,
      baseUrl: origin,
      pathAndQuery,
      headers: { Accept: 'application/json', ...(built.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      ...(built.body !== undefined ? { body: built.body } : {}),
      authKind: profile.authKind,
    };
  }

  httpText(draft: RequestDraft): string {
    return toHttpFileRequest(this.httpRequest(draft));
  }
}

/** Some transports throw for non-2xx answers; the builder shows those answers like any other. */
async function sendAllowingErrors(transport: MagentoTransport, request: Parameters<MagentoTransport['send']>[0]): Promise<MagentoResponse> {
  try {
    return await transport.send(request);
  } catch (error) {
    const e = error as { status?: unknown; url?: unknown; headers?: unknown; bodySnippet?: unknown; text?: unknown };
    if (typeof e.status !== 'number' || e.status < 300) throw error;
    const text = typeof e.text === 'string' ? e.text : typeof e.bodySnippet === 'string' ? e.bodySnippet : '';
    let body: unknown;
    try { body = text ? JSON.parse(text) : undefined; } catch { body = undefined; }
    const bytes = Buffer.byteLength(text);
    return {
      status: e.status,
      headers: (typeof e.headers === 'object' && e.headers !== null ? e.headers : {}) as Record<string, string>,
      body,
      text,
      timings: { headersMs: 0, totalMs: 0 },
      bytes: { wire: bytes, decoded: bytes },
      url: typeof e.url === 'string' ? e.url : '',
    };
  }
}

function magentoMessageOf(response: MagentoResponse): string {
  const body = response.body as { message?: unknown } | undefined;
  return typeof body?.message === 'string' ? body.message : response.text.slice(0, 200);
}

export function authPlaceholder(authKind: string): string {
  return authKind === 'oauth1' ? 'OAuth ***' : 'Bearer ***';
}

function bodyFromText(text: string): ResponseBody {
  if (text.trim() === '') return { kind: 'empty' };
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown };
  } catch {
    return { kind: 'text', text };
  }
}

function pagingFromBody(body: ResponseBody): SendResult['paging'] {
  if (body.kind !== 'json' || typeof body.value !== 'object' || body.value === null) return undefined;
  const value = body.value as { total_count?: unknown; search_criteria?: { page_size?: unknown; current_page?: unknown } };
  if (typeof value.total_count !== 'number') return undefined;
  const sc = value.search_criteria;
  return {
    totalCount: value.total_count,
    ...(typeof sc?.page_size === 'number' ? { pageSize: sc.page_size } : {}),
    ...(typeof sc?.current_page === 'number' ? { currentPage: sc.current_page } : {}),
  };
}

/** Response headers as shown in the panel: cookies and anything credential-like masked. */
function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = /^(set-cookie|authorization|proxy-authorization)$/i.test(name) ? '***' : redactText(value);
  }
  return out;
}

function bodyExtension(headers: Record<string, string>): string {
  const type = headers['content-type'] ?? '';
  return /json/i.test(type) ? 'json' : /xml/i.test(type) ? 'xml' : 'txt';
}

function formatMb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
