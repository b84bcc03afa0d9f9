import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ManualScheduler } from '../../../src/core/ports';
import {
  buildRetryPlan, payloadFromSerializedData, retryRequest, routeForTopic, selectForRetry, selectForRetryFromBulk,
  type RetryPayloadSource, type TopicRouteCandidate,
} from '../../../src/core/bulk/retrySelection';
import { submitRetry } from '../../../src/core/bulk/bulkRetry';
import { BulkTracker } from '../../../src/core/bulk/bulkTracker';
import { type BulkDetailedStatus } from '../../../src/core/bulk/bulkStatusApi';
import { type MagentoRequest, type MagentoTransport } from '../../../src/core/http/types';
import { bulk, MemoryStore, ops, shortStatus, UUID_A } from './bulkFixtures';

function serialized(item: unknown): string {
  return JSON.stringify({ entity_id: null, entity_link: '', meta_information: JSON.stringify(item), store_id: 1 });
}

function detailed(statuses: number[]): BulkDetailedStatus {
  return {
    bulkUuid: UUID_A, description: 'Topic async.magento.catalog.api.productrepositoryinterface.save.put',
    operations: statuses.map((status, id) => ({
      id, status, resultMessage: null, errorCode: null,
      topicName: 'async.magento.catalog.api.productrepositoryinterface.save.put',
      serializedData: status === 1 ? null : serialized({ product: { sku: `sku-${id}`, price: id } }),
      resultSerializedData: null,
    })),
  };
}

describe('retry selection', () => {
  test('retriable failures by default; never complete or open; non-retriable only when asked', () => {
    const list = ops(1, 2, 3, 4, 5, 2);
    const def = selectForRetry(list, []);
    assert.deepEqual(def.selected.map((o) => o.id), [1, 5]);
    assert.deepEqual(def.skipped, [{ id: 2, reason: 'not-retriable' }, { id: 3, reason: 'open' }, { id: 4, reason: 'not-retriable' }]);
    const all = selectForRetry(list, [], { includeNonRetriable: true });
    assert.deepEqual(all.selected.map((o) => o.id), [1, 2, 4, 5]);
    assert.equal(all.nonRetriableSelected, 2);
  });

  test('already retried operations are not selected again', () => {
    const sel = selectForRetryFromBulk(bulk({ operations: ops(2, 2, 3), retriedOperationIds: [0] }), { includeNonRetriable: true });
    assert.deepEqual(sel.selected.map((o) => o.id), [1, 2]);
    assert.deepEqual(sel.skipped, [{ id: 0, reason: 'already-retried' }]);
  });

  test('a selection of operations explains the ones it cannot retry', () => {
    const sel = selectForRetry(ops(1, 2, 3), [], { operationIds: [0, 1, 7] });
    assert.deepEqual(sel.selected.map((o) => o.id), [1]);
    assert.deepEqual(sel.skipped, [{ id: 0, reason: 'complete' }, { id: 7, reason: 'not-in-bulk' }]);
  });

  test('payloads from serialized_data.meta_information; complete ones have none', () => {
    assert.deepEqual(payloadFromSerializedData(serialized({ a: '1/2' })), { ok: true, payload: { a: '1/2' }, storeId: 1 });
    assert.match((payloadFromSerializedData(null) as { reason: string }).reason, /serialized_data is null/);
    assert.equal(payloadFromSerializedData('{').ok, false);
  });

  test('topic → route through a live store schema (operationId = service + method + verb)', () => {
    // What /rest/<store>/schema serves (Webapi\Model\Rest\Swagger\Generator).
    const live: TopicRouteCandidate[] = [
      { method: 'get', pathTemplate: '/V1/products/{sku}', operationId: 'catalogProductRepositoryV1GetGet' },
      { method: 'put', pathTemplate: '/V1/products/{sku}', operationId: 'catalogProductRepositoryV1SavePut' },
      { method: 'post', pathTemplate: '/V1/products', operationId: 'catalogProductRepositoryV1SavePost' },
      { method: 'post', pathTemplate: '/V1/customers', operationId: 'customerAccountManagementV1CreateAccountPost' },
      { method: 'put', pathTemplate: '/V1/products/{sku}/media/{entryId}', operationId: 'catalogProductAttributeMediaGalleryManagementV1UpdatePut' },
    ];
    assert.deepEqual(routeForTopic('async.magento.catalog.api.productrepositoryinterface.save.put', live), { method: 'PUT', bulkPath: '/async/bulk/V1/products/bySku' });
    assert.deepEqual(routeForTopic('async.magento.catalog.api.productrepositoryinterface.save.post', live), { method: 'POST', bulkPath: '/async/bulk/V1/products' });
    assert.deepEqual(routeForTopic('async.magento.customer.api.accountmanagementinterface.createaccount.post', live), { method: 'POST', bulkPath: '/async/bulk/V1/customers' });
    assert.deepEqual(routeForTopic('async.magento.catalog.api.productattributemediagallerymanagementinterface.update.put', live), { method: 'PUT', bulkPath: '/async/bulk/V1/products/bySku/media/byEntryId' });
    assert.equal(routeForTopic('async.nothing.here.api.nopeinterface.save.put', live), undefined);
  });

  test('the post-processed AdobeDocs dump has no service names: topic → route is not guessed', () => {
    const schemaPath = resolve(__dirname, '../../../../shared/fixtures/magento-schema/admin-2.4.9.json');
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as { paths: Record<string, Record<string, { operationId: string }>> };
    const routes: TopicRouteCandidate[] = [];
    for (const [path, methods] of Object.entries(schema.paths)) {
      for (const [method, op] of Object.entries(methods)) routes.push({ method, pathTemplate: path, operationId: op.operationId });
    }
    assert.ok(routes.some((r) => r.operationId === 'PutV1ProductsSku'));
    assert.equal(routeForTopic('async.magento.catalog.api.productrepositoryinterface.save.put', routes), undefined);
  });

  test('plan: journal first, detailed-status for the rest, route from the journal', async () => {
    const journal: RetryPayloadSource = {
      async payloadsFor(_uuid, ids) {
        return { route: { method: 'PUT', bulkPath: '/async/bulk/V1/products/bySku' }, payloads: new Map(ids.filter((id) => id === 1).map((id) => [id, { from: 'journal' }])) };
      },
    };
    let detailedCalls = 0;
    const b = bulk({ operations: ops(1, 2, 3, 2) });
    const plan = await buildRetryPlan({
      bulk: b, selection: selectForRetryFromBulk(b), journal,
      detailedStatus: async () => { detailedCalls++; return detailed([1, 2, 3, 2]); },
    });
    assert.equal(detailedCalls, 1);
    assert.deepEqual(plan.items, [
      { operationId: 1, payload: { from: 'journal' }, source: 'journal' },
      { operationId: 3, payload: { product: { sku: 'sku-3', price: 3 } }, source: 'detailed-status' },
    ]);
    assert.deepEqual(retryRequest(plan), { method: 'PUT', path: '/async/bulk/V1/products/bySku', storeCode: 'default', body: [{ from: 'journal' }, { product: { sku: 'sku-3', price: 3 } }] });
  });

  test('plan without journal: route from topic via schema routes; detailed-status never needed with a full journal', async () => {
    const b = bulk({ operations: ops(2, 1) });
    const plan = await buildRetryPlan({
      bulk: b, selection: selectForRetryFromBulk(b),
      detailedStatus: async () => detailed([2, 1]),
      routes: async () => [{ method: 'put', pathTemplate: '/V1/products/{sku}', operationId: 'catalogProductRepositoryV1SavePut' }],
    });
    assert.deepEqual(plan.route, { method: 'PUT', bulkPath: '/async/bulk/V1/products/bySku' });
    const full = await buildRetryPlan({
      bulk: b, selection: selectForRetryFromBulk(b),
      journal: { payloadsFor: async () => ({ route: plan.route, payloads: new Map([[0, { x: 1 }]]) }) },
      detailedStatus: async () => { throw new Error('must not be called'); },
    });
    assert.equal(full.items.length, 1);
  });

  test('submitting links the new bulk to its parent and marks only accepted operations retried', async () => {
    const scheduler = new ManualScheduler(0);
    const tracker = new BulkTracker({ store: new MemoryStore(), clock: scheduler });
    tracker.track({ uuid: UUID_A, profileId: 'p', storeCode: 'default', description: 'Topic async.magento.catalog.api.productrepositoryinterface.save.put' });
    tracker.applyStatus(UUID_A, shortStatus(UUID_A, ops(2, 2, 1)));
    const sent: MagentoRequest[] = [];
    const childUuid = '11111111-2222-4333-8444-555555555555';
    const transport: MagentoTransport = {
      async send<T>(request: MagentoRequest) {
        sent.push(request);
        const body = { bulk_uuid: childUuid, request_items: [{ id: 0, data_hash: 'h', status: 'accepted' }, { id: 1, data_hash: null, status: 'rejected', error_message: 'bad' }], errors: true };
        return { status: 202, headers: {}, body: body as T, text: JSON.stringify(body), timings: { headersMs: 1, totalMs: 1 }, bytes: { wire: 0, decoded: 0 }, url: 'http://x' };
      },
    };
    const parent = tracker.get(UUID_A)!;
    const plan = await buildRetryPlan({ bulk: parent, selection: selectForRetryFromBulk(parent), detailedStatus: async () => detailed([2, 2, 1]), routes: async () => [{ method: 'put', pathTemplate: '/V1/products/{sku}', operationId: 'catalogProductRepositoryV1SavePut' }] });
    const outcome = await submitRetry({ transport, tracker, plan, profileId: 'p' });
    assert.equal(sent.length, 1);
    assert.deepEqual(outcome, { childUuid, retriedOperationIds: [0], rejected: [{ id: 1, message: 'bad' }] });
    assert.equal(tracker.get(childUuid)!.parentUuid, UUID_A);
    assert.deepEqual(tracker.get(UUID_A)!.retriedOperationIds, [0]);
    assert.deepEqual(tracker.get(UUID_A)!.childUuids, [childUuid]);
    // A second retry only takes what was not accepted before.
    assert.deepEqual(selectForRetryFromBulk(tracker.get(UUID_A)!).selected.map((o) => o.id), [1]);
  });
});
