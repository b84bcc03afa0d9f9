import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { MockAgent } from 'undici';
import { TokenCache } from '../../../src/core/auth/tokenCache';
import { HttpClient, parseRetryAfter } from '../../../src/core/http/httpClient';
import { createMagentoClient } from '../../../src/core/http/magentoClient';
import { MagentoApiError } from '../../../src/core/http/magentoError';
import { MagentoTransportError } from '../../../src/core/http/transportError';
import { type Scheduler } from '../../../src/core/ports';
import { parseProfile, secretKey, type Profile } from '../../../src/core/profiles/profile';
import { MapSecretStore, RecordingLogger } from './clientFakes';

const ORIGIN = 'http://store.test';

function mock(): MockAgent {
  const agent = new MockAgent();
  agent.disableNetConnect();
  return agent;
}

/** Fires timers at once but records the delays asked for. */
function instantScheduler(): Scheduler & { delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    now: () => Date.now(),
    setTimeout(callback, delayMs) {
      delays.push(delayMs);
      const handle = setImmediate(callback);
      return { cancel: () => clearImmediate(handle) };
    },
  };
}

function profile(auth: Profile['auth'] = { kind: 'integration-bearer' }, extra: Partial<Profile> = {}): Profile {
  return parseProfile({ id: 'p1', label: 'Test', baseUrl: ORIGIN, auth, ...extra });
}

async function secrets(values: Record<string, string>): Promise<MapSecretStore> {
  const store = new MapSecretStore();
  for (const [k, v] of Object.entries(values)) await store.store(secretKey('p1', k as 'password'), v);
  return store;
}

describe('MagentoClient over undici (MockAgent)', () => {
  test('URL layout, Accept/Accept-Encoding/Content-Type, JSON parsing, gzip decoding and byte counts', async () => {
    const agent = mock();
    const payload = JSON.stringify({ items: Array.from({ length: 50 }, (_, i) => ({ sku: `SKU-${i}` })), total_count: 50 });
    let seen: Record<string, string> = {};
    agent.get(ORIGIN).intercept({ path: '/rest/default/V1/products?searchCriteria%5BpageSize%5D=50', method: 'POST' }).reply((opts) => {
      seen = opts.headers as Record<string, string>;
      return { statusCode: 200, data: gzipSync(payload), responseOptions: { headers: { 'content-encoding': 'gzip', 'content-type': 'application/json' } } };
    });
    const client = createMagentoClient({ profile: profile(), secrets: await secrets({ accessToken: 'a'.repeat(32) }), dispatcher: agent });
    const response = await client.send<{ total_count: number }>({ method: 'POST', path: '/V1/products', query: [['searchCriteria[pageSize]', '50']], body: { x: 1 } });
    assert.equal(response.body.total_count, 50);
    assert.equal(seen.accept, 'application/json');
    assert.equal(seen['accept-encoding'], 'gzip, br');
    assert.equal(seen['content-type'], 'application/json');
    assert.equal(seen.authorization, `Bearer ${'a'.repeat(32)}`);
    assert.equal(response.bytes.decoded, Buffer.byteLength(payload));
    assert.ok(response.bytes.wire < response.bytes.decoded);
    assert.ok(response.timings.totalMs >= response.timings.headersMs);
    await client.close();
  });

  test('brotli bodies are decoded; store code per request; `true` and empty bodies', async () => {
    const agent = mock();
    agent.get(ORIGIN).intercept({ path: '/rest/all/V1/x', method: 'GET' }).reply(200, brotliCompressSync('{"a":1}'), { headers: { 'content-encoding': 'br' } });
    agent.get(ORIGIN).intercept({ path: '/rest/default/V1/y/1', method: 'DELETE' }).reply(200, 'true');
    agent.get(ORIGIN).intercept({ path: '/rest/default/V1/z', method: 'GET' }).reply(200, '');
    const client = createMagentoClient({ profile: profile(), secrets: await secrets({ accessToken: 't'.repeat(32) }), dispatcher: agent });
    assert.deepEqual((await client.send({ method: 'GET', path: '/V1/x', storeCode: 'all' })).body, { a: 1 });
    assert.equal((await client.send({ method: 'DELETE', path: '/V1/y/1' })).body, true);
    assert.equal((await client.send({ method: 'GET', path: '/V1/z' })).body, undefined);
  });

  test('Magento error bodies become MagentoApiError with substituted message and hint', async () => {
    const agent = mock();
    agent.get(ORIGIN).intercept({ path: '/rest/default/V1/products', method: 'GET' }).reply(401, { message: "The consumer isn't authorized to access %resources.", parameters: { resources: 'Magento_Catalog::products' } });
    const client = createMagentoClient({ profile: profile(), secrets: await secrets({ accessToken: 't'.repeat(32) }), dispatcher: agent });
    await assert.rejects(client.send({ method: 'GET', path: '/V1/products' }), (e: unknown) =>
      e instanceof MagentoApiError && e.status === 401 && e.displayMessage === "The consumer isn't authorized to access Magento_Catalog::products." && /enable_integration_as_bearer/.test(e.hint ?? ''));
  });

  test('a 200 HTML page is a clear non-JSON error with a snippet', async () => {
    const agent = mock();
    agent.get(ORIGIN).intercept({ path: '/rest/default/V1/store/storeViews', method: 'GET' }).reply(200, '<!doctype html><html><title>Maintenance</title></html>', { headers: { 'content-type': 'text/html' } });
    const client = createMagentoClient({ profile: profile(), secrets: await secrets({ accessToken: 't'.repeat(32) }), dispatcher: agent });
    await assert.rejects(client.send({ method: 'GET', path: '/V1/store/storeViews' }), (e: unknown) =>
      e instanceof MagentoTransportError && e.kind === 'non-json' && /Maintenance/.test(e.message) && /HTML page/.test(e.hint ?? ''));
  });

  test('admin: a 401 drops the token, fetches one new token, retries once; a second 401 surfaces', async () => {
    const agent = mock();
    const pool = agent.get(ORIGIN);
    let issued = 0;
    pool.intercept({ path: '/rest/default/V1/integration/admin/token', method: 'POST' }).reply(() => ({ statusCode: 200, data: JSON.stringify(`tok-${++issued}`) })).persist();
    pool.intercept({ path: '/rest/default/V1/orders/1', method: 'GET', headers: { authorization: 'Bearer tok-1' } }).reply(401, { message: "The consumer isn't authorized to access %resources.", parameters: { resources: 'Magento_Sales::actions_view' } });
    pool.intercept({ path: '/rest/default/V1/orders/1', method: 'GET', headers: { authorization: 'Bearer tok-2' } }).reply(200, { entity_id: 1 });
    pool.intercept({ path: '/rest/default/V1/orders/2', method: 'GET' }).reply(401, { message: "The consumer isn't authorized to access %resources.", parameters: { resources: 'Magento_Sales::actions_view' } }).times(2);
    const cache = new TokenCache();
    const client = createMagentoClient({ profile: profile({ kind: 'admin', username: 'admin' }), secrets: await secrets({ password: 'pw' }), tokenCache: cache, dispatcher: agent });
    assert.deepEqual((await client.send({ method: 'GET', path: '/V1/orders/1' })).body, { entity_id: 1 });
    assert.equal(issued, 2);
    await assert.rejects(client.send({ method: 'GET', path: '/V1/orders/2' }), (e: unknown) => e instanceof MagentoApiError && e.status === 401 && /Magento_Sales::actions_view/.test(e.hint ?? ''));
    assert.equal(issued, 3, 'exactly one more token for the second 401 sequence');
  });

  test('allow-insecure TLS logs a visible warning', async () => {
    const logger = new RecordingLogger();
    const client = createMagentoClient({ profile: profile(undefined, { baseUrl: 'https://store.test', tls: { verify: false } }), secrets: new MapSecretStore(), logger });
    assert.equal(logger.count('warn'), 1);
    assert.match(logger.lines.find((l) => l.level === 'warn')!.text, /verification is OFF/);
    await client.close();
  });

  test('production writes ask for confirmation; a refusal sends nothing', async () => {
    const agent = mock();
    const client = createMagentoClient({ profile: profile(undefined, { production: true }), secrets: await secrets({ accessToken: 't'.repeat(32) }), dispatcher: agent, confirmWrite: () => Promise.resolve(false) });
    await assert.rejects(client.send({ method: 'POST', path: '/V1/products', body: {} }), /not confirmed/);
  });

  test('a bad base URL is a clear error at creation', () => {
    assert.throws(() => createMagentoClient({ profile: { ...profile(), baseUrl: 'store.test/shop' }, secrets: new MapSecretStore() }), /not a valid URL/);
  });
});

describe('HttpClient retries', () => {
  test('GET: 503, 502 then 200 — retried with exponential back-off and jitter', async () => {
    const agent = mock();
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/a', method: 'GET' }).reply(503, 'busy');
    pool.intercept({ path: '/a', method: 'GET' }).reply(502, 'bad gateway');
    pool.intercept({ path: '/a', method: 'GET' }).reply(200, '{}');
    const scheduler = instantScheduler();
    const http = new HttpClient({ dispatcher: agent, scheduler, random: () => 0.5, retry: { baseDelayMs: 100 } });
    const response = await http.request({ method: 'GET', url: `${ORIGIN}/a` });
    assert.equal(response.status, 200);
    assert.equal(response.attempts, 3);
    assert.deepEqual(scheduler.delays, [50, 100]);
  });

  test('Retry-After is honoured (seconds and HTTP date); one beyond the cap is not waited for', async () => {
    const agent = mock();
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/b', method: 'GET' }).reply(429, 'slow down', { headers: { 'retry-after': '2' } });
    pool.intercept({ path: '/b', method: 'GET' }).reply(200, '{}');
    pool.intercept({ path: '/c', method: 'GET' }).reply(503, 'x', { headers: { 'retry-after': '3600' } });
    const scheduler = instantScheduler();
    const http = new HttpClient({ dispatcher: agent, scheduler });
    assert.equal((await http.request({ method: 'GET', url: `${ORIGIN}/b` })).status, 200);
    assert.deepEqual(scheduler.delays, [2000]);
    assert.equal((await http.request({ method: 'GET', url: `${ORIGIN}/c` })).status, 503);
    assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')), 5000);
  });

  test('POST is not retried on 503 or on a reset connection, but is when the connection was refused', async () => {
    const agent = mock();
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/w', method: 'POST' }).reply(503, 'busy');
    pool.intercept({ path: '/reset', method: 'POST' }).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    pool.intercept({ path: '/refused', method: 'POST' }).replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    pool.intercept({ path: '/refused', method: 'POST' }).reply(200, '"ok"');
    const http = new HttpClient({ dispatcher: agent, scheduler: instantScheduler() });
    assert.equal((await http.request({ method: 'POST', url: `${ORIGIN}/w`, body: '{}' })).status, 503);
    await assert.rejects(http.request({ method: 'POST', url: `${ORIGIN}/reset`, body: '{}' }), (e: unknown) => e instanceof MagentoTransportError && e.kind === 'connection-reset');
    const refused = await http.request({ method: 'POST', url: `${ORIGIN}/refused`, body: '{}' });
    assert.equal(refused.status, 200);
    assert.equal(refused.attempts, 2);
  });

  test('a response timeout is not retried (it would only multiply the wait)', async () => {
    const agent = mock();
    agent.get(ORIGIN).intercept({ path: '/slow', method: 'GET' }).replyWithError(Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' }));
    const http = new HttpClient({ dispatcher: agent, scheduler: instantScheduler() });
    await assert.rejects(http.request({ method: 'GET', url: `${ORIGIN}/slow` }), (e: unknown) => e instanceof MagentoTransportError && e.kind === 'timeout');
  });

  test('async/bulk PUT is never retried after sending (each call creates a bulk)', async () => {
    const agent = mock();
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/rest/default/async/bulk/V1/products', method: 'PUT' }).reply(503, '{"message":"busy"}');
    const client = createMagentoClient({ profile: profile(), secrets: await secrets({ accessToken: 't'.repeat(32) }), dispatcher: agent, clock: instantScheduler() });
    await assert.rejects(client.send({ method: 'PUT', path: '/async/bulk/V1/products', body: [] }), (e: unknown) => e instanceof MagentoApiError && e.status === 503);
  });

  test('cancellation with an AbortSignal', async () => {
    const agent = mock();
    agent.get(ORIGIN).intercept({ path: '/slow', method: 'GET' }).reply(200, '{}').delay(5000);
    const http = new HttpClient({ dispatcher: agent });
    const controller = new AbortController();
    const pending = http.request({ method: 'GET', url: `${ORIGIN}/slow`, signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await assert.rejects(pending, (e: unknown) => e instanceof MagentoTransportError && e.kind === 'aborted');
  });
});
