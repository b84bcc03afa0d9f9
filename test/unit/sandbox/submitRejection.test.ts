// Items rejected at submit time (`rejectOnSubmit` fault rules): the AsyncRequestProcessor answers
// 202 with `errors: true`, stores no operation for a rejected item, and keeps the accepted items'
// request indexes as operation keys (contract §6.3, §6.4).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AsyncRequestProcessor, type OperationPayload } from '../../../src/sandbox/async/asyncRequestProcessor';
import { OperationFaultInjector, operationFaultsSchema, rejectedOnSubmitMessage } from '../../../src/sandbox/queue/operationFaults';
import { OperationStore } from '../../../src/sandbox/queue/operationStore';
import { RouteTable } from '../../../src/sandbox/routing/routeTable';
import type { SyncRoute } from '../../../src/sandbox/routing/routeTypes';
import { T, bodyParam, pathParam } from '../../../src/sandbox/routing/types';
import { DEFAULT_STORE } from '../../../src/sandbox/stores';
import { adminCaller } from '../../../src/sandbox/auth/caller';
import { dataHash, buildSerializedData } from '../../../src/sandbox/async/serializedData';

const PRODUCT = 'Magento\\Catalog\\Api\\ProductRepositoryInterface';
const TOPIC = 'async.magento.catalog.api.productrepositoryinterface.save.put';

function productRoutes(): RouteTable {
  const routes = new RouteTable();
  const save: SyncRoute = {
    method: 'PUT', path: '/V1/products/:sku', service: { className: PRODUCT, name: 'catalogProductRepositoryV1', method: 'save' },
    acl: ['Magento_Catalog::products'], params: [pathParam('sku'), bodyParam('product', T.mixed)],
    pathOverrides: { sku: { param: 'product', field: 'sku' } }, response: T.mixed, summary: '', handler: () => ({}),
  };
  routes.add(save);
  return routes;
}

function setup(faults: unknown): { processor: AsyncRequestProcessor; operations: OperationStore<OperationPayload>; injector: OperationFaultInjector } {
  const operations = new OperationStore<OperationPayload>();
  const injector = new OperationFaultInjector(operationFaultsSchema.parse(faults));
  const processor = new AsyncRequestProcessor({ routes: productRoutes(), operations, now: () => 0, rejections: injector });
  return { processor, operations, injector };
}

const request = (path: string, body: unknown) => ({ method: 'PUT', path, body, store: DEFAULT_STORE, authorize: () => adminCaller(1) });

describe('rejectOnSubmit fault rules', () => {
  test('schema: defaults to no rules, validates like skuRules, round-trips message and code', () => {
    assert.deepEqual(operationFaultsSchema.parse({}).rejectOnSubmit, []);
    assert.equal(operationFaultsSchema.safeParse({ rejectOnSubmit: [{ skuPattern: '' }] }).success, false);
    assert.equal(operationFaultsSchema.safeParse({ rejectOnSubmit: [{ skuPattern: 'A', errorCode: 1.5 }] }).success, false);
    const parsed = operationFaultsSchema.parse({ rejectOnSubmit: [{ skuPattern: 'A*', message: 'no', errorCode: 9 }] });
    assert.deepEqual(new OperationFaultInjector(parsed).current().rejectOnSubmit, [{ skuPattern: 'A*', message: 'no', errorCode: 9 }]);
  });

  test('injector: glob match, first rule wins, default message names the topic, code 0', () => {
    const injector = new OperationFaultInjector(operationFaultsSchema.parse({ rejectOnSubmit: [{ skuPattern: 'BAD-?', message: 'first', errorCode: 5 }, { skuPattern: 'BAD-*' }] }));
    assert.deepEqual(injector.rejectOnSubmit(['ok', 'BAD-1'], TOPIC), { message: 'first', errorCode: 5 });
    assert.deepEqual(injector.rejectOnSubmit(['BAD-12'], TOPIC), { message: rejectedOnSubmitMessage(TOPIC), errorCode: 0 });
    assert.equal(rejectedOnSubmitMessage(TOPIC), `Specified topic "${TOPIC}" is not declared.`);
    assert.equal(injector.rejectOnSubmit(['GOOD'], TOPIC), undefined);
  });

  test('rejection rules do not draw from the consumer PRNG', () => {
    const plain = new OperationFaultInjector(operationFaultsSchema.parse({ failShare: 0.5, seed: 3 }));
    const withRules = new OperationFaultInjector(operationFaultsSchema.parse({ failShare: 0.5, seed: 3, rejectOnSubmit: [{ skuPattern: '*' }] }));
    for (let i = 0; i < 5; i++) withRules.rejectOnSubmit([`S${i}`], TOPIC);
    assert.deepEqual(Array.from({ length: 20 }, () => withRules.decide(['x'])?.status), Array.from({ length: 20 }, () => plain.decide(['x'])?.status));
  });

  test('bulk: rejected items are reported with data_hash null and get no operation; accepted keep their index', () => {
    const { processor, operations } = setup({ rejectOnSubmit: [{ skuPattern: 'BAD-*', message: 'Could not save operation', errorCode: 7 }] });
    const items = [{ product: { sku: 'A', price: 1 } }, { product: { sku: 'BAD-1', price: 2 } }, { product: { sku: 'B', price: 3 } }, { product: { sku: 'BAD-2' } }];
    const reply = processor.bulk(request('/V1/products/bySku', items));
    assert.equal(reply.status, 202);
    assert.equal(reply.body.errors, true);
    assert.deepEqual(reply.body.request_items.map((i) => Object.keys(i)), [
      ['id', 'data_hash', 'status'],
      ['id', 'data_hash', 'status', 'error_message', 'error_code'],
      ['id', 'data_hash', 'status'],
      ['id', 'data_hash', 'status', 'error_message', 'error_code'],
    ]);
    assert.deepEqual(reply.body.request_items[1], { id: 1, data_hash: null, status: 'rejected', error_message: 'Could not save operation', error_code: 7 });
    assert.deepEqual(reply.body.request_items[2], { id: 2, data_hash: dataHash(buildSerializedData(items[2], DEFAULT_STORE.id)), status: 'accepted' });
    const bulk = operations.getBulk(reply.body.bulk_uuid);
    assert.deepEqual(bulk?.operations.map((o) => o.id), [0, 2]);
    assert.deepEqual(operations.countsByStatus(), { 1: 0, 2: 0, 3: 0, 4: 2, 5: 0 });
    assert.equal(operations.pendingCount(), 2);
  });

  test('every item rejected: the bulk exists with zero operations; single async is rejected the same way', () => {
    const { processor, operations } = setup({ rejectOnSubmit: [{ skuPattern: '*' }] });
    const reply = processor.bulk(request('/V1/products/bySku', [{ product: { sku: 'A' } }, { product: { sku: 'B' } }]));
    assert.equal(reply.body.errors, true);
    assert.deepEqual(reply.body.request_items.map((i) => i.status), ['rejected', 'rejected']);
    assert.deepEqual(operations.getBulk(reply.body.bulk_uuid)?.operations, []);
    const single = processor.single(request('/V1/products/X-1', { product: { price: 3 } }));
    assert.deepEqual(single.body.request_items, [{ id: 0, data_hash: null, status: 'rejected', error_message: rejectedOnSubmitMessage(TOPIC), error_code: 0 }]);
    assert.equal(single.body.errors, true);
    assert.equal(operations.pendingCount(), 0);
  });

  test('no rule matching: errors false, every item an operation', () => {
    const { processor, operations } = setup({ rejectOnSubmit: [{ skuPattern: 'NONE' }] });
    const reply = processor.bulk(request('/V1/products/bySku', [{ product: { sku: 'A' } }, { product: { sku: 'B' } }]));
    assert.equal(reply.body.errors, false);
    assert.deepEqual(operations.getBulk(reply.body.bulk_uuid)?.operations.map((o) => o.id), [0, 1]);
  });

  test('store: an operation with a gap in its ids is still completed by the consumer path', () => {
    const { processor, operations } = setup({ rejectOnSubmit: [{ skuPattern: 'BAD' }] });
    const reply = processor.bulk(request('/V1/products/bySku', [{ product: { sku: 'BAD' } }, { product: { sku: 'A' } }]));
    const op = operations.takeNext();
    assert.equal(op?.id, 1);
    operations.complete(op!, { status: 1, resultMessage: 'ok', errorCode: null, resultSerializedData: '{}' });
    assert.equal(operations.getBulk(reply.body.bulk_uuid)?.operations[0]?.status, 1);
    // After a reset the old operation belongs to data that no longer exists.
    operations.clear();
    operations.complete(op!, { status: 3, resultMessage: 'late', errorCode: 0 });
    assert.deepEqual(operations.countsByStatus(), { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 });
  });
});
