// Reads and bulk polling under HTTP faults: reads retry within the client's limits and then fail
// with a clear error; the poller keeps the last known state (stale) through errors, recovers
// (fresh) when the store answers again, and sees a bulk through a consumer that stopped mid-way.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BulkPoller } from '../../../src/core/bulk/bulkPoller';
import { createBulkStatusApi } from '../../../src/core/bulk/bulkStatusApi';
import { BulkTracker } from '../../../src/core/bulk/bulkTracker';
import { MagentoApiError } from '../../../src/core/http/magentoError';
import { MagentoTransportError } from '../../../src/core/http/transportError';
import { realScheduler } from '../../../src/core/ports';
import { LONG, openFaultStore, reportRun, type FaultStore } from './faultHarness';
import { MemoryKeyValueStore } from '../../support/memoryKeyValueStore';

const PRODUCT = '/rest/*/V1/products/*';
let store: FaultStore;

async function injected(): Promise<number> {
  const faults = await store.control<{ http: { counters: Array<{ injected: number; matched: number }> } }>('faults');
  return faults.http.counters.reduce((n, c) => n + c.injected, 0);
}

async function matched(): Promise<number> {
  const faults = await store.control<{ http: { counters: Array<{ matched: number }> } }>('faults');
  return faults.http.counters.reduce((n, c) => n + c.matched, 0);
}

async function until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('reads and polling under HTTP faults', () => {
  let sku: string;
  before(async () => {
    store = await openFaultStore({ consumers: true });
    const list = await store.adminClient().send<{ items: Array<{ sku: string }> }>({ method: 'GET', path: '/V1/products', query: 'searchCriteria[pageSize]=1' });
    sku = list.body.items[0]!.sku;
  });
  after(async () => {
    await store.close();
  });

  test('the control endpoint validates rules and reports them with counters', async () => {
    const bad = await fetch(`${store.baseUrl}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ http: { rules: [{ fault: 'status' }] } }) });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /"status" fault needs "status"/);
    await store.setHttpFaults([{ fault: 'status', status: 503, method: 'GET', path: PRODUCT, times: 1 }]);
    const current = await store.control<{ operations: unknown; http: { rules: Array<{ fault: string; times: number }>; counters: unknown[] } }>('faults');
    assert.ok(current.operations, 'the operations section is still there');
    assert.equal(current.http.rules[0]?.times, 1);
    assert.equal(current.http.counters.length, 1);
    await store.clearHttpFaults();
  });

  for (const status of [502, 503, 429] as const) {
    test(`GET answered ${status} twice: retried (Retry-After honoured) and succeeds`, async () => {
      const client = store.adminClient();
      await store.setHttpFaults([{ fault: 'status', status, method: 'GET', path: PRODUCT, times: 2, retryAfterSeconds: 0 }]);
      const res = await client.send<{ sku: string }>({ method: 'GET', path: `/V1/products/${encodeURIComponent(sku)}` });
      assert.equal(res.body.sku, sku);
      assert.equal(await injected(), 2);
      reportRun({ fault: `read ${status}`, injected: 2, operations: 0 });
    });
  }

  test('GET answered 503 every time: 1 + 3 retries, then a clear MagentoApiError', async () => {
    const client = store.adminClient();
    await store.setHttpFaults([{ fault: 'status', status: 503, method: 'GET', path: PRODUCT, retryAfterSeconds: 0 }]);
    const error = await client.send({ method: 'GET', path: `/V1/products/${encodeURIComponent(sku)}` }).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof MagentoApiError, String(error));
    assert.equal(error.status, 503);
    assert.match(error.message, /503/);
    assert.equal(await matched(), 4, 'exactly maxRetries + 1 attempts');
    reportRun({ fault: 'read 503 persistent', injected: 4, operations: 0 });
  });

  test('GET answered 500: not retried (Magento\'s masked exception), the Report ID is shown', async () => {
    const client = store.adminClient();
    await store.setHttpFaults([{ fault: 'status', status: 500, method: 'GET', path: PRODUCT }]);
    const error = await client.send({ method: 'GET', path: `/V1/products/${encodeURIComponent(sku)}` }).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof MagentoApiError);
    assert.match(error.message, /Report ID: webapi-/);
    assert.equal(await matched(), 1);
    reportRun({ fault: 'read 500', injected: 1, operations: 0 });
  });

  test('GET reset before headers or mid-body: retried, succeeds', async () => {
    const client = store.adminClient();
    await store.setHttpFaults([{ fault: 'reset-before-headers', method: 'GET', path: PRODUCT, times: 1 }, { fault: 'reset-mid-body', method: 'GET', path: PRODUCT, times: 1 }]);
    const res = await client.send<{ sku: string }>({ method: 'GET', path: `/V1/products/${encodeURIComponent(sku)}` });
    assert.equal(res.body.sku, sku);
    assert.equal(await injected(), 2);
    reportRun({ fault: 'read resets', injected: 2, operations: 0 });
  });

  test('GET resets on every attempt: a clear connection-reset error after the retries', async () => {
    const client = store.adminClient();
    await store.setHttpFaults([{ fault: 'reset-mid-body', method: 'GET', path: PRODUCT }]);
    const error = await client.send({ method: 'GET', path: `/V1/products/${encodeURIComponent(sku)}` }).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof MagentoTransportError, String(error));
    assert.equal(error.kind, 'connection-reset');
    assert.match(error.describe(), /closed unexpectedly[\s\S]*Hint:/);
    assert.equal(await injected(), 4);
    reportRun({ fault: 'read resets persistent', injected: 4, operations: 0 });
  });

  test('GET with a truncated or PHP-notice JSON body: a clear "not JSON" error naming the content', async () => {
    const client = store.adminClient();
    for (const fault of ['truncated-json', 'malformed-json'] as const) {
      await store.setHttpFaults([{ fault, method: 'GET', path: PRODUCT, times: 1 }]);
      const error = await client.send({ method: 'GET', path: `/V1/products/${encodeURIComponent(sku)}` }).then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof MagentoTransportError, String(error));
      assert.equal(error.kind, 'non-json');
      assert.match(error.message, /not JSON/);
      if (fault === 'malformed-json') assert.match(error.message, /Deprecated/);
    }
    reportRun({ fault: 'read truncated/malformed JSON', injected: 2, operations: 0 });
  });

  test('GET with a body trickling slower than the body timeout: a clear timeout error at once (the client does not retry timeouts)', async () => {
    // undici's body timer has a 1 s resolution, so the gap must be well past a 1 s timeout.
    const client = store.adminClient({ timeouts: { bodyMs: 1000 }, retry: { maxRetries: 1, baseDelayMs: 5, maxDelayMs: 5 } });
    await store.setHttpFaults([{ fault: 'slow-body', method: 'GET', path: PRODUCT, delayMs: 2500, chunkBytes: 1024 }]);
    const error = await client.send({ method: 'GET', path: `/V1/products/${encodeURIComponent(sku)}` }).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof MagentoTransportError, String(error));
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /response body/);
    assert.equal(await injected(), 1, 'timeouts are not retried: a slow store is not hit again');
    await store.clearHttpFaults();
    // Within the timeout the same trickle is fine.
    await store.setHttpFaults([{ fault: 'slow-body', method: 'GET', path: PRODUCT, delayMs: 5, chunkBytes: 64, times: 1 }]);
    const ok = await store.adminClient().send<{ sku: string }>({ method: 'GET', path: `/V1/products/${encodeURIComponent(sku)}` });
    assert.equal(ok.body.sku, sku);
    reportRun({ fault: 'read slow body', injected: 2, operations: 0 });
  });

  test('polling: consumer stops mid-bulk, status polls fail for a while (stale), then recover (fresh) and finish', async () => {
    await store.clearHttpFaults();
    const client = store.adminClient();
    const count = LONG ? 1000 : 200;
    await store.control('consumers', { running: true, latencyMs: 1, concurrency: 1 });
    const skus = Array.from({ length: count }, (_v, i) => `POLL-${i}`);
    const accepted = await client.send<{ bulk_uuid: string }>({ method: 'POST', path: '/async/bulk/V1/products', body: skus.map((s) => ({ product: { sku: s, name: s, attribute_set_id: 4, price: 1, type_id: 'simple' } })) });
    const uuid = accepted.body.bulk_uuid;
    // The third status poll stops the consumer (mid-bulk); polls 5..12 get 503s and resets.
    await store.setHttpFaults([
      { fault: 'stop-consumer', method: 'GET', path: '/rest/*/V1/bulk/*/status', after: 2, times: 1 },
      { fault: 'status', status: 503, method: 'GET', path: '/rest/*/V1/bulk/*/status', after: 4, times: 4, retryAfterSeconds: 0 },
      { fault: 'reset-before-headers', method: 'GET', path: '/rest/*/V1/bulk/*/status', after: 8, times: 8 },
    ]);
    const tracker = new BulkTracker({ store: new MemoryKeyValueStore(), clock: realScheduler, stuckThresholdMs: 60_000 });
    const api = createBulkStatusApi(client);
    const poller = new BulkPoller({ tracker, scheduler: realScheduler, options: { initialIntervalMs: 20, maxIntervalMs: 60, maxErrorIntervalMs: 60, jitterRatio: 0 }, fetchStatus: (b, signal) => api.shortStatus(b.uuid, b.storeCode, signal) });
    const staleSeen: string[] = [];
    tracker.onDidChange((e) => {
      if (e.kind === 'updated' && tracker.get(uuid)?.stale) staleSeen.push(tracker.get(uuid)?.staleReason ?? '');
    });
    poller.start();
    tracker.track({ uuid, profileId: 'faults', storeCode: 'default', description: '' });
    try {
      await until(() => staleSeen.length > 0, 10_000, 'a stale state');
      assert.match(staleSeen[0]!, /503|closed unexpectedly|Service/);
      // The consumer was stopped: the bulk stays open while polls recover.
      await until(() => tracker.get(uuid)?.stale === false && store !== undefined, 10_000, 'fresh again');
      const consumer = await store.control<{ running: boolean }>('consumers');
      assert.equal(consumer.running, false, 'the fault stopped the consumer mid-bulk');
      assert.equal(tracker.state(uuid)?.terminal, false);
      await store.control('consumers', { running: true, latencyMs: 0 });
      await until(() => tracker.state(uuid)?.terminal === true, 20_000, 'the bulk to finish');
      assert.equal(tracker.state(uuid)?.counts.complete, count);
      assert.equal(tracker.get(uuid)?.stale, false);
    } finally {
      poller.dispose();
    }
    reportRun({ fault: 'polling: consumer stop + 503 + resets', injected: await injected(), operations: count });
  });
});
