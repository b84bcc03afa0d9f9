import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualScheduler } from '../../../src/core/ports';
import { BULK_STORE_KEY, BulkTracker, normalizeBulkUuid, type BulkTrackerEvent } from '../../../src/core/bulk/bulkTracker';
import { MemoryStore, ops, opsCounts, shortStatus, SUCCESS_MESSAGE, UUID_A, UUID_B, UUID_C } from './bulkFixtures';

function tracker(store = new MemoryStore(), scheduler = new ManualScheduler(0)) {
  return { store, scheduler, tracker: new BulkTracker({ store, clock: scheduler }) };
}

describe('bulk tracker', () => {
  test('tracks, lists newest first, emits events', () => {
    const { tracker: t, scheduler } = tracker();
    const events: BulkTrackerEvent['kind'][] = [];
    t.onDidChange((e) => events.push(e.kind));
    t.track({ uuid: UUID_A, profileId: 'p', storeCode: 'default', description: 'Topic async.magento.catalog.api.productrepositoryinterface.save.put' });
    scheduler.advance(1000);
    t.track({ uuid: ` ${UUID_B.toUpperCase()} `, profileId: 'p', storeCode: 'default', description: 'x' });
    assert.deepEqual(t.list().map((b) => b.uuid), [UUID_B, UUID_A]);
    assert.equal(t.get(UUID_A)!.topic, 'async.magento.catalog.api.productrepositoryinterface.save.put');
    t.applyStatus(UUID_A, shortStatus(UUID_A, ops(1, 1)));
    t.remove(UUID_B);
    assert.deepEqual(events, ['added', 'added', 'updated', 'finished', 'removed']);
  });

  test('rejects something that is not a bulk UUID with a clear message', () => {
    const { tracker: t } = tracker();
    assert.throws(() => t.track({ uuid: 'not-a-uuid', profileId: 'p', storeCode: 'default', description: '' }), /'not-a-uuid' is not a bulk UUID/);
    assert.equal(normalizeBulkUuid(`"${UUID_A}"`), UUID_A);
  });

  test('persists bulks and their last known operations; a new tracker over the same store loses nothing', async () => {
    const { tracker: t, store, scheduler } = tracker();
    t.track({ uuid: UUID_A, profileId: 'p', storeCode: 'default', description: 'd', operationCount: 4 });
    t.track({ uuid: UUID_B, profileId: 'p', storeCode: 'de', description: 'retry', parentUuid: UUID_A });
    t.applyStatus(UUID_A, shortStatus(UUID_A, [...ops(1, 3, 2, 4)]));
    t.markRetried(UUID_A, [1, 2], UUID_B);
    t.markStale(UUID_B, 'HTTP 503');
    await t.flush();
    const again = new BulkTracker({ store, clock: scheduler });
    assert.deepEqual(again.list(), t.list());
    assert.deepEqual(again.loadWarnings, []);
    assert.equal(again.get(UUID_A)!.operations![0]!.resultMessage, SUCCESS_MESSAGE);
    assert.deepEqual(again.get(UUID_A)!.retriedOperationIds, [1, 2]);
    assert.deepEqual(again.get(UUID_A)!.childUuids, [UUID_B]);
  });

  test('stores large bulks compactly (the success message once)', async () => {
    const { tracker: t, store } = tracker();
    t.track({ uuid: UUID_A, profileId: 'p', storeCode: 'default', description: 'd' });
    t.applyStatus(UUID_A, shortStatus(UUID_A, opsCounts(10_000, 9_950, 50)));
    await t.flush();
    const size = JSON.stringify(store.data.get(BULK_STORE_KEY)).length;
    assert.ok(size < 250_000, `stored size ${size}`);
    assert.equal(JSON.stringify(store.data.get(BULK_STORE_KEY)).split('Service execution success').length - 1, 1);
  });

  test('an unreadable stored value is set aside with a warning, tracking starts empty', async () => {
    const store = new MemoryStore();
    store.data.set(BULK_STORE_KEY, 'garbage{');
    const t = new BulkTracker({ store, clock: new ManualScheduler(0) });
    assert.equal(t.list().length, 0);
    await t.flush();
    assert.match(t.loadWarnings[0]!, /unreadable; it was kept under 'magentoWorkbench\.bulk\.tracked\.unreadable'/);
    assert.equal(store.data.get(`${BULK_STORE_KEY}.unreadable`), 'garbage{');
  });

  test('one corrupt entry loses only itself', async () => {
    const { tracker: t, store, scheduler } = tracker();
    t.track({ uuid: UUID_A, profileId: 'p', storeCode: 'default', description: 'd' });
    t.track({ uuid: UUID_C, profileId: 'p', storeCode: 'default', description: 'd' });
    await t.flush();
    const stored = store.data.get(BULK_STORE_KEY) as { version: number; bulks: unknown[] };
    stored.bulks.push({ uuid: UUID_B, submittedAt: 'yesterday' });
    const again = new BulkTracker({ store, clock: scheduler });
    assert.deepEqual(again.list().map((b) => b.uuid).sort(), [UUID_A, UUID_C].sort());
    await again.flush();
    assert.match(again.loadWarnings[0]!, /1 stored tracked bulk\(s\) were unreadable .* the other 2 were restored/);
    assert.deepEqual(store.data.get(`${BULK_STORE_KEY}.unreadable`), [{ uuid: UUID_B, submittedAt: 'yesterday' }]);
  });

  test('clear finished keeps running and stuck bulks', () => {
    const { tracker: t } = tracker();
    t.track({ uuid: UUID_A, profileId: 'p', storeCode: 'default', description: 'd' });
    t.track({ uuid: UUID_B, profileId: 'p', storeCode: 'default', description: 'd' });
    t.track({ uuid: UUID_C, profileId: 'p', storeCode: 'default', description: 'd' });
    t.applyStatus(UUID_A, shortStatus(UUID_A, ops(1, 3)));
    t.applyStatus(UUID_B, shortStatus(UUID_B, ops(1, 4)));
    t.markNotFound(UUID_C);
    assert.deepEqual(t.clearFinished().sort(), [UUID_A, UUID_C].sort());
    assert.deepEqual(t.list().map((b) => b.uuid), [UUID_B]);
  });

  test('"finished" fires once, on the transition', () => {
    const { tracker: t } = tracker();
    let finished = 0;
    t.onDidChange((e) => { if (e.kind === 'finished') finished++; });
    t.track({ uuid: UUID_A, profileId: 'p', storeCode: 'default', description: 'd' });
    t.applyStatus(UUID_A, shortStatus(UUID_A, ops(1, 4)));
    t.applyStatus(UUID_A, shortStatus(UUID_A, ops(1, 2)));
    t.applyStatus(UUID_A, shortStatus(UUID_A, ops(1, 2)));
    assert.equal(finished, 1);
  });

  test('with a scheduler, writes are batched; flush and dispose write what is pending', async () => {
    const scheduler = new ManualScheduler(0);
    const store = new MemoryStore();
    const t = new BulkTracker({ store, clock: scheduler, scheduler, persistDelayMs: 1000 });
    t.track({ uuid: UUID_A, profileId: 'p', storeCode: 'default', description: 'd' });
    for (let i = 0; i < 20; i++) t.applyStatus(UUID_A, shortStatus(UUID_A, opsCounts(10, i % 10)));
    await Promise.resolve();
    assert.equal(store.writes, 0);
    scheduler.advance(1000);
    await t.flush();
    assert.equal(store.writes, 1);
    t.track({ uuid: UUID_B, profileId: 'p', storeCode: 'default', description: 'd' });
    t.dispose();
    await t.flush();
    assert.equal(store.writes, 2);
    assert.equal(new BulkTracker({ store, clock: scheduler }).list().length, 2);
  });
});
