// Bulk polling cost (issue 6): 200 tracked bulks (150 finished, 50 running, 100 operations each)
// polled through the real BulkPoller with a ManualScheduler and an in-memory fake store.
// Finished bulks must cost 0 requests; running ones at most one per interval. Plus the tree
// refresh time of a 10,000-operation bulk (bulk node + children + first page), target ≤ 50 ms.
import { type BenchResult } from '../benchTypes';
import { BulkPoller, DEFAULT_POLLER_OPTIONS } from '../../src/core/bulk/bulkPoller';
import { type OperationSummary } from '../../src/core/bulk/bulkState';
import { type BulkShortStatus } from '../../src/core/bulk/bulkStatusApi';
import { BulkTracker } from '../../src/core/bulk/bulkTracker';
import { ManualScheduler, type KeyValueStore } from '../../src/core/ports';
import { createBulkStatusApi } from '../../src/core/bulk/bulkStatusApi';
import { createMagentoClient } from '../../src/core/http/magentoClient';
import { parseProfile, secretKey } from '../../src/core/profiles/profile';
import { startSandbox } from '../../src/sandbox/sandboxServer';
import {
  buildBulkNode, buildGroupNode, buildMoreNode, buildNoticeNode, buildOperationNode, bulkChildren, groupChildren, operationById,
} from '../../src/host/bulk/bulkTreeNodes';

const MINUTE = 60_000;

class NullStore implements KeyValueStore {
  private value: unknown;
  writes = 0;
  get<T>(): T | undefined { return this.value as T | undefined; }
  async update(_key: string, value: unknown): Promise<void> { this.writes++; this.value = value; }
}

function uuid(i: number): string {
  const hex = i.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

function operations(count: number, status: number): OperationSummary[] {
  return Array.from({ length: count }, (_, id) => ({ id, status, resultMessage: status === 1 ? 'Service execution success Magento\\Catalog\\Model\\ProductRepository\\Interceptor::save' : null, errorCode: null }));
}

async function polling(): Promise<BenchResult> {
  const scheduler = new ManualScheduler(Date.UTC(2026, 0, 1));
  const store = new NullStore();
  const tracker = new BulkTracker({ store, clock: scheduler, scheduler });
  const requests = new Map<string, number[]>();
  // 150 bulks finished before this window opened (restored from storage), 50 just submitted and
  // still running: their operations move a little every 20 s, so the poller keeps resetting to fast.
  for (let i = 0; i < 200; i++) {
    const id = uuid(i);
    tracker.track({ uuid: id, profileId: 'bench', storeCode: 'default', description: 'Topic async.magento.catalog.api.productrepositoryinterface.save.put' });
    if (i < 150) tracker.applyStatus(id, { bulkUuid: id, description: '', operationCount: 100, operations: operations(100, 1) });
  }
  const fetchStatus = async (bulk: { uuid: string }): Promise<BulkShortStatus> => {
    const times = requests.get(bulk.uuid) ?? [];
    times.push(scheduler.now());
    requests.set(bulk.uuid, times);
    const done = Math.min(99, Math.floor((scheduler.now() - Date.UTC(2026, 0, 1)) / 20_000));
    const ops = operations(100, 4);
    for (let k = 0; k < done; k++) ops[k]!.status = 1;
    return { bulkUuid: bulk.uuid, description: '', operationCount: 100, operations: ops };
  };
  const poller = new BulkPoller({ tracker, scheduler, fetchStatus, random: Math.random });
  poller.start();
  const started = performance.now();
  const windowMinutes = 10;
  for (let t = 0; t < windowMinutes * MINUTE; t += 100) {
    scheduler.advance(100);
    await new Promise<void>((r) => setImmediate(r));
  }
  const wallMs = performance.now() - started;
  poller.dispose();
  let finishedRequests = 0;
  let runningRequests = 0;
  let minGapMs = Infinity;
  for (const [id, times] of requests) {
    const index = Number.parseInt(id.slice(-12), 16);
    if (index < 150) finishedRequests += times.length;
    else runningRequests += times.length;
    for (let k = 1; k < times.length; k++) minGapMs = Math.min(minGapMs, times[k]! - times[k - 1]!);
  }
  const perMinute = runningRequests / windowMinutes;
  // "At most one per interval": no bulk polled twice within the fast interval minus jitter.
  const floorMs = DEFAULT_POLLER_OPTIONS.initialIntervalMs * (1 - DEFAULT_POLLER_OPTIONS.jitterRatio);
  const ceiling = 50 * (MINUTE / floorMs);
  return {
    name: 'bulk polling: 200 tracked (150 finished, 50 running)',
    metrics: {
      finishedBulkRequests: finishedRequests,
      requestsPerMinute: Math.round(perMinute),
      requestsPerRunningBulkPerMinute: Math.round((perMinute / 50) * 10) / 10,
      minGapBetweenPollsOfOneBulkMs: minGapMs,
      simulatedMinutes: windowMinutes,
      wallMs: Math.round(wallMs),
      storeWrites: store.writes,
    },
    targets: {
      finishedBulkRequests: '= 0',
      requestsPerMinute: `≤ ${Math.round(ceiling)} (one per ${floorMs} ms per running bulk)`,
      minGapBetweenPollsOfOneBulkMs: `≥ ${floorMs}`,
    },
    pass: finishedRequests === 0 && perMinute <= ceiling && minGapMs >= floorMs,
  };
}

function treeRefresh(): BenchResult {
  const scheduler = new ManualScheduler(Date.UTC(2026, 0, 1));
  const tracker = new BulkTracker({ store: new NullStore(), clock: scheduler });
  const id = uuid(1);
  tracker.track({ uuid: id, profileId: 'bench', storeCode: 'default', description: 'Topic async.magento.catalog.api.productrepositoryinterface.save.put' });
  const ctx = { now: scheduler.now() + 5_000, stuckThresholdMs: 120_000 };
  const samples: number[] = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  let nodes = 0;
  for (let run = 0; run < 30; run++) {
    // Each refresh follows a poll: a new operations array (caches start cold), 9,500 done, 300 failed, 200 open.
    const ops = operations(10_000, 1);
    for (let k = 9_500; k < 9_800; k++) { ops[k]!.status = k % 2 === 0 ? 2 : 3; ops[k]!.resultMessage = 'The product with the SKU "%1" does not exist.'; ops[k]!.errorCode = 0; }
    for (let k = 9_800; k < 10_000; k++) ops[k]!.status = 4;
    tracker.applyStatus(id, { bulkUuid: id, description: '', operationCount: 10_000, operations: ops });
    // A copy with a fresh array: nothing counted or grouped yet (the worst case for a refresh).
    const bulk = { ...tracker.get(id)!, operations: ops.slice() };
    gc?.(); // garbage of the previous sample is not this sample's cost
    const t0 = performance.now();
    let built = 0;
    buildBulkNode(bulk, ctx); built++;
    const retried = new Set(bulk.retriedOperationIds);
    for (const child of bulkChildren(bulk, ctx)) {
      if (child.kind === 'notice') { buildNoticeNode(bulk, child.notice, ctx); built++; continue; }
      if (child.kind !== 'group') continue;
      buildGroupNode(bulk, child.group); built++;
      // Every group expanded, first page of each.
      for (const element of groupChildren(bulk, child.group)) {
        if (element.kind === 'operation') buildOperationNode(bulk, operationById(bulk, element.operationId)!, retried);
        else if (element.kind === 'more') buildMoreNode(bulk, element.group, element.shown);
        built++;
      }
    }
    samples.push(performance.now() - t0);
    nodes = built;
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)]!;
  const p95 = samples[Math.floor(samples.length * 0.95)]!;
  return {
    name: 'bulk tree refresh: 10,000-operation bulk, every group expanded',
    metrics: { medianMs: Math.round(median * 100) / 100, p95Ms: Math.round(p95 * 100) / 100, nodesBuilt: nodes },
    targets: { medianMs: '≤ 50', p95Ms: '≤ 50' },
    pass: median <= 50 && p95 <= 50,
  };
}

/**
 * The same 200 bulks on the sandbox store over real HTTP (simulated time, real requests): 150
 * finished ones restored from a previous session, 50 whose operations stay open (no consumer).
 */
async function pollingAgainstSandbox(): Promise<BenchResult> {
  const handle = await startSandbox({ port: 0, latency: 'none', consumers: true });
  const token = handle.credentials.integration.accessToken;
  const client = createMagentoClient({
    profile: parseProfile({ id: 'bench', label: 'bench', baseUrl: handle.baseUrl, storeCode: 'default', auth: { kind: 'integration-bearer' } }),
    secrets: { get: async (k) => (k === secretKey('bench', 'accessToken') ? token : undefined), store: async () => undefined, delete: async () => undefined },
  });
  const control = async (path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${handle.baseUrl}/__sandbox/${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return res.json();
  };
  try {
    const items = (prefix: string) => Array.from({ length: 100 }, (_, k) => ({ product: { sku: `${prefix}-${k}`, name: `P ${k}`, attribute_set_id: 4, price: 10, type_id: 'simple' } }));
    const submit = async (prefix: string): Promise<string> =>
      (await client.send<{ bulk_uuid: string }>({ method: 'POST', path: '/async/bulk/V1/products', body: items(prefix) })).body.bulk_uuid;
    const finished: string[] = [];
    for (let i = 0; i < 150; i++) finished.push(await submit(`F${i}`));
    while (((await control('stats')) as { operations_by_status: Record<string, number> }).operations_by_status['4'] !== 0) await new Promise((r) => setTimeout(r, 20));
    await control('consumers', { running: false });
    const running: string[] = [];
    for (let i = 0; i < 50; i++) running.push(await submit(`R${i}`));

    const scheduler = new ManualScheduler(Date.now());
    const tracker = new BulkTracker({ store: new NullStore(), clock: scheduler, scheduler });
    const api = createBulkStatusApi(client);
    for (const uuid of finished) {
      tracker.track({ uuid, profileId: 'bench', storeCode: 'default', description: '' });
      tracker.applyStatus(uuid, await api.shortStatus(uuid, 'default')); // the state a previous session saved
    }
    for (const uuid of running) tracker.track({ uuid, profileId: 'bench', storeCode: 'default', description: '' });
    const requests = new Map<string, number>();
    const poller = new BulkPoller({
      tracker, scheduler, random: Math.random,
      fetchStatus: (bulk, signal) => {
        requests.set(bulk.uuid, (requests.get(bulk.uuid) ?? 0) + 1);
        return api.shortStatus(bulk.uuid, bulk.storeCode, signal);
      },
    });
    poller.start();
    const minutes = 5;
    const started = performance.now();
    for (let t = 0; t < minutes * MINUTE; t += 250) {
      scheduler.advance(250);
      // Real HTTP: let every answer land before simulated time moves on.
      do await new Promise((r) => setTimeout(r, 0)); while (poller.inFlightCount > 0);
    }
    const wallMs = performance.now() - started;
    poller.dispose();
    const finishedRequests = finished.reduce((n, u) => n + (requests.get(u) ?? 0), 0);
    const runningRequests = running.reduce((n, u) => n + (requests.get(u) ?? 0), 0);
    const perMinute = runningRequests / minutes;
    const ceiling = 50 * (MINUTE / (DEFAULT_POLLER_OPTIONS.initialIntervalMs * (1 - DEFAULT_POLLER_OPTIONS.jitterRatio)));
    const stuck = running.filter((u) => tracker.state(u)?.verdict === 'stuck').length;
    return {
      name: 'bulk polling against the sandbox: 200 tracked (150 finished, 50 open)',
      metrics: { finishedBulkRequests: finishedRequests, requestsPerMinute: Math.round(perMinute), simulatedMinutes: minutes, stuckAfterRun: stuck, wallMs: Math.round(wallMs) },
      targets: { finishedBulkRequests: '= 0', requestsPerMinute: `≤ ${Math.round(ceiling)}`, stuckAfterRun: '= 50 (all open > 2 min)' },
      pass: finishedRequests === 0 && perMinute <= ceiling && stuck === 50,
    };
  } finally {
    await client.close();
    await handle.close();
  }
}

export async function run(): Promise<BenchResult[]> {
  return [await polling(), treeRefresh(), await pollingAgainstSandbox()];
}
