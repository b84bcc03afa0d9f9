import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ManualScheduler, type KeyValueStore } from '../../../src/core/ports';
import { type MagentoRequest, type MagentoResponse, type MagentoTransport } from '../../../src/core/http/types';
import { RequestHistory } from '../../../src/core/history/requestHistory';
import { RequestBuilderService, type SchemaStore } from '../../../src/core/requestBuilder/requestBuilderService';
import { type SchemaView } from '../../../src/core/requestBuilder/schemaView';
import { type MagentoStreamResponse, type StreamingMagentoTransport } from '../../../src/core/requestBuilder/streamingTransport';
import { emptyDraft, type RequestDraft } from '../../../src/protocol/requestBuilderProtocol';

class MapStore implements KeyValueStore {
  readonly map = new Map<string, unknown>();
  get<T>(key: string): T | undefined { return this.map.get(key) as T | undefined; }
  async update(key: string, value: unknown): Promise<void> { this.map.set(key, value); }
}

function response(status: number, body: unknown, headers: Record<string, string> = {}): MagentoResponse {
  const text = body === undefined ? '' : JSON.stringify(body);
  return { status, headers: { 'content-type': 'application/json', ...headers }, body, text, timings: { headersMs: 1, totalMs: 2 }, bytes: { wire: text.length, decoded: text.length }, url: 'http://store.test/rest/default/x' };
}

/** A store of `total` products answering searchCriteria pages (repeating the last page past the end, like old Magento). */
class FakeStore implements MagentoTransport {
  readonly requests: MagentoRequest[] = [];
  constructor(private readonly total: number) {}
  async send<T>(request: MagentoRequest): Promise<MagentoResponse<T>> {
    this.requests.push(request);
    if (request.path === '/schema') return response(200, { swagger: '2.0' }) as MagentoResponse<T>;
    const query = new URLSearchParams(typeof request.query === 'string' ? request.query : '');
    const pageSize = Number(query.get('searchCriteria[page_size]') ?? this.total);
    const lastPage = Math.max(1, Math.ceil(this.total / pageSize));
    const page = Math.min(Number(query.get('searchCriteria[current_page]') ?? 1), lastPage);
    const items = Array.from({ length: Math.max(0, Math.min(pageSize, this.total - (page - 1) * pageSize)) }, (_, i) => ({ id: (page - 1) * pageSize + i + 1, sku: `SKU-${(page - 1) * pageSize + i + 1}` }));
    return response(200, { items, search_criteria: { filter_groups: [], page_size: pageSize, current_page: page }, total_count: this.total }) as MagentoResponse<T>;
  }
}

const fakeSchema: SchemaView = {
  operations: () => [{ method: 'GET', pathTemplate: '/V1/products', pathParams: [], tag: 'catalogProductRepositoryV1', summary: 'Get product list', operationId: 'catalogProductRepositoryV1GetListGet', hasBody: false, isList: true }],
  describe: (method, path) => (method === 'GET' && path === '/V1/products'
    ? { operation: fakeSchema.operations()[0]!, responseFields: [], itemFields: [{ name: 'sku' }], bodySkeleton: '', queryParams: [] }
    : undefined),
};

function setup(transport: MagentoTransport, options: { threshold?: number; stored?: Map<string, { json: unknown; fetchedAt: number; scope?: string }> } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'rb-service-'));
  const stored = options.stored ?? new Map<string, { json: unknown; fetchedAt: number; scope?: string }>();
  const schemaStore: SchemaStore = { read: async (id) => stored.get(id), write: async (id, json, fetchedAt, scope) => { stored.set(id, { json, fetchedAt, scope }); } };
  let parses = 0;
  let n = 0;
  const history = new RequestHistory(new MapStore(), new ManualScheduler());
  const profile = { id: 'p1', label: 'Local', baseUrl: 'http://store.test', storeCode: 'default', authKind: 'admin', production: false };
  const service = new RequestBuilderService({
    profiles: { list: () => [profile], transport: async () => transport },
    schemaStore,
    parseSchema: () => { parses++; return fakeSchema; },
    history,
    outputs: { largeBodyFile: (ext) => join(dir, `body-${n++}.${ext}`), fetchAllFile: (ext) => join(dir, `all-${n++}.${ext}`) },
    clock: new ManualScheduler(),
    ...(options.threshold !== undefined ? { largeBodyThresholdBytes: options.threshold } : {}),
  });
  return { service, history, stored, profile, parses: () => parses, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const listDraft = (sc: Partial<RequestDraft['searchCriteria']> = {}): RequestDraft => ({
  ...emptyDraft(), profileId: 'p1', pathTemplate: '/V1/products', useSearchCriteria: true,
  searchCriteria: { filterGroups: [], sortOrders: [], ...sc },
});

describe('request builder service', () => {
  test('schema: fetched once with the profile, then served from memory and from the persisted copy', async () => {
    const store = new FakeStore(3);
    const { service, stored, parses, cleanup } = setup(store);
    const first = await service.loadSchema('p1');
    assert.equal(first.source, 'store');
    assert.equal(first.operations.length, 1);
    assert.equal(store.requests[0]?.path, '/schema');
    assert.equal(store.requests[0]?.query, 'services=all');
    assert.equal((await service.loadSchema('p1')).source, 'store', 'memory copy keeps its origin');
    assert.equal(store.requests.length, 1);
    assert.ok(stored.has('p1'));
    await service.loadSchema('p1', true);
    assert.equal(store.requests.length, 2, 'refresh refetches');
    assert.equal(parses(), 2);
    assert.equal((await service.describeOperation('p1', 'GET', '/V1/products')).itemFields[0]?.name, 'sku');
    cleanup();
  });

  test('schema: a profile pointed at another store does not reuse the cached schema', async () => {
    const store = new FakeStore(3);
    const { service, profile, cleanup } = setup(store);
    await service.loadSchema('p1');
    profile.storeCode = 'fr';
    assert.equal((await service.loadSchema('p1')).source, 'store');
    assert.equal(store.requests.filter((r) => r.path === '/schema').length, 2);
    assert.equal(store.requests.at(-1)?.storeCode, 'fr');
    cleanup();
  });

  test('schema: the persisted copy is used after a restart; unknown operations are refused clearly', async () => {
    const first = setup(new FakeStore(3));
    await first.service.loadSchema('p1');
    const store = new FakeStore(3);
    const second = setup(store, { stored: first.stored });
    assert.equal((await second.service.loadSchema('p1')).source, 'cache');
    assert.equal(store.requests.length, 0);
    await assert.rejects(second.service.describeOperation('p1', 'GET', '/V1/nothing'), /not in this store's schema/);
    first.cleanup();
    second.cleanup();
  });

  test('send: builds the query from the draft, reports paging and records history without secrets', async () => {
    const store = new FakeStore(45);
    const { service, history, cleanup } = setup(store);
    const result = await service.send({ ...listDraft({ pageSize: 20, currentPage: 2 }), fields: 'items[sku],total_count' });
    assert.equal(result.status, 200);
    assert.deepEqual(result.paging, { totalCount: 45, pageSize: 20, currentPage: 2 });
    assert.equal(result.requestHeaders.Authorization, 'Bearer ***');
    assert.equal(result.body.kind, 'json');
    const sent = store.requests.at(-1)!;
    assert.equal(sent.path, '/V1/products');
    assert.match(String(sent.query), /^searchCriteria%5Bpage_size%5D=20&searchCriteria%5Bcurrent_page%5D=2&fields=items%5Bsku%5D%2Ctotal_count$/);
    assert.equal(history.list('p1').length, 1);
    cleanup();
  });

  test('send refuses a draft with a missing path parameter or invalid JSON body, with the reason', async () => {
    const { service, cleanup } = setup(new FakeStore(1));
    await assert.rejects(service.send({ ...emptyDraft(), profileId: 'p1', pathTemplate: '/V1/products/{sku}' }), /\{sku\} is empty/);
    await assert.rejects(service.send({ ...emptyDraft(), profileId: 'p1', method: 'POST', pathTemplate: '/V1/products', body: '{"product":' }), /not valid JSON/);
    await assert.rejects(service.send({ ...emptyDraft(), pathTemplate: '/V1/products' }), /No profile selected/);
    cleanup();
  });

  test('fetch all pages stops at current_page × page_size ≥ total_count even when the store repeats the last page', async () => {
    const store = new FakeStore(45);
    const { service, cleanup } = setup(store);
    const progress: number[] = [];
    const out = await service.fetchAllPages(listDraft({ pageSize: 20 }), 'jsonl', (p) => progress.push(p.items));
    assert.deepEqual({ pages: out.pages, items: out.items, totalCount: out.totalCount, cancelled: out.cancelled }, { pages: 3, items: 45, totalCount: 45, cancelled: false });
    assert.deepEqual(progress, [20, 40, 45]);
    const lines = readFileSync(out.path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: number });
    assert.deepEqual(lines.map((l) => l.id), Array.from({ length: 45 }, (_, i) => i + 1));
    const json = await service.fetchAllPages(listDraft({ pageSize: 50 }), 'json', () => undefined);
    assert.equal((JSON.parse(readFileSync(json.path, 'utf8')) as unknown[]).length, 45);
    cleanup();
  });

  test('fetch all pages can be cancelled between pages', async () => {
    const store = new FakeStore(1000);
    const { service, cleanup } = setup(store);
    const controller = new AbortController();
    const out = await service.fetchAllPages(listDraft({ pageSize: 10 }), 'jsonl', (p) => { if (p.pages === 2) controller.abort(); }, controller.signal);
    assert.equal(out.cancelled, true);
    assert.equal(out.pages, 2);
    assert.equal(readFileSync(out.path, 'utf8').trim().split('\n').length, 20);
    cleanup();
  });

  test('a large streamed body goes to a file; wire and decoded sizes are reported', async () => {
    const items = Array.from({ length: 3000 }, (_, i) => ({ id: i, sku: `S${i}`, description: 'lorem ipsum '.repeat(5) }));
    const text = JSON.stringify({ items, search_criteria: { page_size: 3000, current_page: 1 }, total_count: 9000 });
    const gz = gzipSync(text);
    const streaming: StreamingMagentoTransport = {
      send: async () => { throw new Error('not used'); },
      sendStream: async (): Promise<MagentoStreamResponse> => ({
        status: 200, headers: { 'content-encoding': 'gzip', 'content-type': 'application/json' }, headersMs: 1, url: 'http://store.test/rest/default/V1/products',
        body: (async function* () { for (let i = 0; i < gz.length; i += 1000) yield gz.subarray(i, i + 1000); })(),
      }),
    };
    const { service, cleanup } = setup(streaming, { threshold: 50_000 });
    const result = await service.send(listDraft({ pageSize: 3000 }));
    assert.equal(result.body.kind, 'file');
    if (result.body.kind === 'file') assert.equal(readFileSync(result.body.path, 'utf8'), text);
    assert.deepEqual(result.bytes, { wire: gz.length, decoded: Buffer.byteLength(text) });
    assert.deepEqual(result.paging, { totalCount: 9000, pageSize: 3000, currentPage: 1 });
    cleanup();
  });

  test('cURL export is masked by default; revealing needs a transport that can say its Authorization', async () => {
    const { service, cleanup } = setup(new FakeStore(1));
    const curl = await service.curl(listDraft({ pageSize: 5 }), false);
    assert.match(curl, /Authorization: Bearer \*\*\*/);
    assert.match(curl, /http:\/\/store\.test\/rest\/default\/V1\/products\?searchCriteria%5Bpage_size%5D=5/);
    await assert.rejects(service.curl(listDraft(), true), /cannot export its credentials/);
    assert.match(service.httpText(listDraft()), /GET \{\{baseUrl\}\}\/rest\/default\/V1\/products\?searchCriteria=/);
    cleanup();
  });
});
