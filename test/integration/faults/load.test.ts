// Load: 50 concurrent request streams against the sandbox through one MagentoClient while 200
// tracked bulks are polled — no request fails, the heap does not grow without bound (sampled after
// a forced GC at the start and at the end), and once everything is disposed no timer, socket or
// server handle is left behind. 6 s in `npm test`, 60 s in `npm run test:faults`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BulkPoller } from '../../../src/core/bulk/bulkPoller';
import { createBulkStatusApi } from '../../../src/core/bulk/bulkStatusApi';
import { BulkTracker } from '../../../src/core/bulk/bulkTracker';
import { realScheduler } from '../../../src/core/ports';
import { LONG, openFaultStore, reportRun } from './faultHarness';
import { MemoryKeyValueStore } from '../../support/memoryKeyValueStore';

const STREAMS = 50;
const DURATION_MS = LONG ? 60_000 : 6_000;
const BULKS = 200;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function handles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

describe(`load: ${STREAMS} request streams for ${DURATION_MS / 1000} s with ${BULKS} tracked bulks`, () => {
  test('no failures, bounded heap, nothing left running after dispose', async () => {
    await new Promise((r) => setTimeout(r, 50));
    const before = handles();
    const store = await openFaultStore({ consumers: false });
    const client = store.adminClient();
    const list = await client.send<{ items: Array<{ sku: string }> }>({ method: 'GET', path: '/V1/products', query: 'searchCriteria[pageSize]=50' });
    const skus = list.body.items.map((p) => p.sku);
    const uuids: string[] = [];
    for (let i = 0; i < BULKS; i++) {
      uuids.push((await client.send<{ bulk_uuid: string }>({ method: 'POST', path: '/async/bulk/V1/products', body: [{ product: { sku: `LOAD-${i}`, name: `Load ${i}`, attribute_set_id: 4, price: 1, type_id: 'simple' } }] })).body.bulk_uuid);
    }
    const tracker = new BulkTracker({ store: new MemoryKeyValueStore(), clock: realScheduler, scheduler: realScheduler, persistDelayMs: 500 });
    const api = createBulkStatusApi(client);
    const poller = new BulkPoller({ tracker, scheduler: realScheduler, options: { initialIntervalMs: 200, maxIntervalMs: 1000, maxErrorIntervalMs: 2000 }, fetchStatus: (b, signal) => api.shortStatus(b.uuid, b.storeCode, signal) });
    poller.start();
    for (const uuid of uuids) tracker.track({ uuid, profileId: 'faults', storeCode: 'default', description: 'load' });

    let requests = 0;
    const failures: string[] = [];
    const stream = async (n: number, until: number): Promise<void> => {
      for (let i = 0; Date.now() < until; i++) {
        const sku = skus[(n * 7 + i) % skus.length]!;
        try {
          if (i % 2 === 0) await client.send({ method: 'GET', path: `/V1/products/${encodeURIComponent(sku)}` });
          else await client.send({ method: 'GET', path: '/V1/products', query: `searchCriteria[pageSize]=5&searchCriteria[currentPage]=${1 + (i % 5)}` });
          requests++;
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    };
    // Warm-up (JIT, pools, caches), then the measured run.
    await Promise.all(Array.from({ length: STREAMS }, (_v, n) => stream(n, Date.now() + 1500)));
    const heapStart = heapAfterGc();
    const requestsStart = requests;
    const pollsStart = poller.requestCount;
    await Promise.all(Array.from({ length: STREAMS }, (_v, n) => stream(n, Date.now() + DURATION_MS)));
    const heapEnd = heapAfterGc();
    const measured = requests - requestsStart;
    const polls = poller.requestCount - pollsStart;

    poller.dispose();
    tracker.dispose();
    await tracker.flush();
    await store.close();
    await new Promise((r) => setTimeout(r, 100));
    const left = handles();

    const growthMb = (heapEnd - heapStart) / 1024 / 1024;
    reportRun({ fault: `load: ${measured} requests + ${polls} polls in ${DURATION_MS / 1000} s, heap ${(heapStart / 1048576).toFixed(1)} → ${(heapEnd / 1048576).toFixed(1)} MB`, injected: 0, operations: 0 });
    assert.deepEqual(failures.slice(0, 5), [], `${failures.length} requests failed`);
    assert.ok(measured > STREAMS * 5, `the streams made progress (${measured} requests)`);
    assert.ok(polls >= BULKS, `every tracked bulk was polled (${polls} polls)`);
    assert.ok(growthMb < 25, `heap grew ${growthMb.toFixed(1)} MB over the run`);
    for (const kind of ['Timeout', 'TCPSocketWrap', 'TCPServerWrap']) {
      assert.ok((left[kind] ?? 0) <= (before[kind] ?? 0), `${kind} handles left after dispose: ${left[kind] ?? 0} (before: ${before[kind] ?? 0}) — ${JSON.stringify(left)}`);
    }
  });
});
