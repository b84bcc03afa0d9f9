import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LatencyModel, REALISTIC_COSTS_MS, serviceCostMs } from '../../../src/sandbox/latency/latencyModel';
import type { SyncRoute } from '../../../src/sandbox/routing/routeTypes';

const route = (method: SyncRoute['method'], className: string, serviceMethod: string): Pick<SyncRoute, 'method' | 'service'> => ({
  method,
  service: { className, name: 'x', method: serviceMethod },
});

const productSave = route('POST', 'Magento\\Catalog\\Api\\ProductRepositoryInterface', 'save');
const productGet = route('GET', 'Magento\\Catalog\\Api\\ProductRepositoryInterface', 'get');
const productList = route('GET', 'Magento\\Catalog\\Api\\ProductRepositoryInterface', 'getList');
const customerCreate = route('POST', 'Magento\\Customer\\Api\\AccountManagementInterface', 'createAccount');
const pageDelete = route('DELETE', 'Magento\\Cms\\Api\\PageRepositoryInterface', 'deleteById');

describe('latency model', () => {
  test('none costs nothing anywhere', () => {
    const none = new LatencyModel('none');
    assert.equal(none.syncRequestMs(productSave), 0);
    assert.equal(none.asyncAcceptMs(5000), 0);
    assert.equal(none.operationMs(productSave), 0);
  });

  test('realistic: product saves cost ~150-250 ms per call incl. indexers, reads are cheaper', () => {
    const real = new LatencyModel('realistic');
    const save = real.syncRequestMs(productSave);
    assert.ok(save >= 150 && save <= 250, `product save ${save}`);
    assert.ok(real.syncRequestMs(productGet) < save);
    assert.equal(real.syncRequestMs(productList, 100), REALISTIC_COSTS_MS.bootstrap + REALISTIC_COSTS_MS.list + 50);
    assert.ok(real.syncRequestMs(customerCreate) > real.syncRequestMs(pageDelete));
  });

  test('realistic: bulk accept is small per item, the consumer pays the service cost without bootstrap', () => {
    const real = new LatencyModel('realistic');
    assert.ok(real.asyncAcceptMs(100) < 10 * real.syncRequestMs(productSave));
    assert.equal(real.operationMs(productSave), serviceCostMs(productSave));
    assert.equal(real.syncRequestMs(productSave) - real.operationMs(productSave), REALISTIC_COSTS_MS.bootstrap);
  });
});
