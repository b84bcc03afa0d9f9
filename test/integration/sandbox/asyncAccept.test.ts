// Async and bulk acceptance over real HTTP (contract §6.1–§6.4): 202 bodies, data_hash, by-param
// routes, body validation that rejects whole requests, GET under /async, store scope, ACL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { openStore, type Accepted, type DetailedStatus, type TestStore } from './asyncTestClient';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function product(sku: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { sku, name: `Product ${sku}`, attribute_set_id: 4, price: 10, type_id: 'simple', ...extra };
}

describe('async/bulk accept (consumer stopped)', () => {
  let store: TestStore;
  before(async () => {
    store = await openStore({ consumers: false });
  });
  after(async () => {
    await store.close();
  });

  test('async single POST answers 202 with the exact accepted body', async () => {
    const reply = await store.call('POST', '/rest/default/async/V1/products', { product: product('ASYNC-1') });
    assert.equal(reply.status, 202, reply.text);
    const body = reply.body as Accepted;
    assert.deepEqual(Object.keys(body), ['bulk_uuid', 'request_items', 'errors']);
    assert.match(body.bulk_uuid, UUID_V4);
    assert.equal(body.errors, false);
    assert.equal(body.request_items.length, 1);
    assert.deepEqual(Object.keys(body.request_items[0]!), ['id', 'data_hash', 'status']);
    assert.equal(body.request_items[0]!.id, 0);
    assert.equal(body.request_items[0]!.status, 'accepted');
    assert.match(body.request_items[0]!.data_hash, /^[0-9a-f]{64}$/);
  });

  test('data_hash is the sha256 of the stored serialized_data, which wraps the item as §6.4 says', async () => {
    const item = { product: product('HASH/1', { name: 'Größe' }) };
    const reply = await store.call('POST', '/rest/default/async/V1/products', item);
    const accepted = reply.body as Accepted;
    const status = await store.call('GET', `/rest/V1/bulk/${accepted.bulk_uuid}/detailed-status`);
    assert.equal(status.status, 200, status.text);
    const op = (status.body as DetailedStatus).operations_list[0]!;
    assert.equal(op.status, 4);
    assert.equal(op.topic_name, 'async.magento.catalog.api.productrepositoryinterface.save.post');
    const serialized = op.serialized_data!;
    assert.equal(createHash('sha256').update(serialized).digest('hex'), accepted.request_items[0]!.data_hash);
    // PHP json_encode: slashes and non-ASCII escaped, meta_information an escaped JSON string.
    assert.ok(serialized.startsWith('{"entity_id":null,"entity_link":"","meta_information":"{'), serialized);
    assert.ok(serialized.endsWith(',"store_id":1}'), serialized);
    assert.ok(serialized.includes('HASH\\\\\\/1'), serialized);
    assert.ok(serialized.includes('Gr\\\\u00f6\\\\u00dfe'), serialized);
    const outer = JSON.parse(serialized) as { meta_information: string };
    assert.deepEqual(JSON.parse(outer.meta_information), item);
  });

  test('async PUT with a path value keeps it in the stored item', async () => {
    const reply = await store.call('PUT', '/rest/default/async/V1/products/24-MB01', { product: { price: 29 } });
    assert.equal(reply.status, 202, reply.text);
    const accepted = reply.body as Accepted;
    const status = (await store.call('GET', `/rest/V1/bulk/${accepted.bulk_uuid}/detailed-status`)).body as DetailedStatus;
    const op = status.operations_list[0]!;
    assert.equal(op.topic_name, 'async.magento.catalog.api.productrepositoryinterface.save.put');
    const meta = JSON.parse((JSON.parse(op.serialized_data!) as { meta_information: string }).meta_information) as Record<string, unknown>;
    assert.deepEqual(meta.product, { price: 29, sku: '24-MB01' });
    assert.equal(status.description, 'Topic async.magento.catalog.api.productrepositoryinterface.save.put');
  });

  test('GET under /async and /async/bulk is "Specified request cannot be processed."', async () => {
    for (const path of ['/rest/default/async/V1/products/24-MB01', '/rest/default/async/bulk/V1/products/bySku']) {
      const reply = await store.call('GET', path);
      assert.equal(reply.status, 400, path);
      assert.deepEqual(reply.body, { message: 'Specified request cannot be processed.' });
    }
  });

  test('unknown async and bulk routes are 404 "Request does not match any route."', async () => {
    const single = await store.call('POST', '/rest/default/async/V1/nothing-here', {});
    assert.equal(single.status, 404);
    assert.deepEqual(single.body, { message: 'Request does not match any route.' });
    // Bulk paths use literal by<Param> segments: a concrete value is not a route.
    const bulk = await store.call('PUT', '/rest/default/async/bulk/V1/products/24-MB01', [{ product: { sku: '24-MB01' } }]);
    assert.equal(bulk.status, 404);
    assert.deepEqual(bulk.body, { message: 'Request does not match any route.' });
  });

  test('bulk POST: one operation per item, ids 0..n-1, each with its own hash', async () => {
    const items = [0, 1, 2].map((i) => ({ product: product(`BULK-${i}`) }));
    const reply = await store.call('POST', '/rest/default/async/bulk/V1/products', items);
    assert.equal(reply.status, 202, reply.text);
    const body = reply.body as Accepted;
    assert.deepEqual(body.request_items.map((r) => [r.id, r.status]), [[0, 'accepted'], [1, 'accepted'], [2, 'accepted']]);
    const status = (await store.call('GET', `/rest/V1/bulk/${body.bulk_uuid}/detailed-status`)).body as DetailedStatus;
    assert.equal(status.operation_count, 3);
    for (const op of status.operations_list) {
      assert.equal(createHash('sha256').update(op.serialized_data!).digest('hex'), body.request_items[op.id]!.data_hash);
      const meta = JSON.parse((JSON.parse(op.serialized_data!) as { meta_information: string }).meta_information) as unknown;
      assert.deepEqual(meta, items[op.id]);
    }
  });

  test('bulk PUT bySku takes the sku from the entity or from a top-level key', async () => {
    const reply = await store.call('PUT', '/rest/default/async/bulk/V1/products/bySku', [
      { product: { sku: '24-MB01', price: 31 } },
      { sku: '24-MB04', product: { price: 32 } },
    ]);
    assert.equal(reply.status, 202, reply.text);
    assert.equal((reply.body as Accepted).request_items.length, 2);
  });

  test('bulk DELETE bySku reads the body (snake_case or camelCase keys)', async () => {
    const reply = await store.call('DELETE', '/rest/default/async/bulk/V1/products/bySku', [{ sku: '24-MB01' }, { sku: '24-MB04' }]);
    assert.equal(reply.status, 202, reply.text);
    const status = (await store.call('GET', `/rest/V1/bulk/${(reply.body as Accepted).bulk_uuid}/detailed-status`)).body as DetailedStatus;
    assert.equal(status.description, 'Topic async.magento.catalog.api.productrepositoryinterface.deletebyid.delete');
  });

  test('a body that is not a list is rejected with "Request body must be an array"', async () => {
    for (const body of [{ product: product('X') }, { a: 1, b: 2 }, { 1: { product: product('Y') } }]) {
      const reply = await store.call('POST', '/rest/default/async/bulk/V1/products', body);
      assert.equal(reply.status, 400, JSON.stringify(body));
      assert.deepEqual(reply.body, { message: 'Request body must be an array' });
    }
    // PHP's (array) cast turns a scalar body into a one-item list, whose item then lacks `product`.
    const scalar = await store.call('POST', '/rest/default/async/bulk/V1/products', 'text');
    assert.equal(scalar.status, 400);
    assert.deepEqual(scalar.body, { message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: 'product' } });
    // An object keyed "0".."n-1" decodes to the same PHP array as a list, so it is accepted.
    const keyed = await store.call('POST', '/rest/default/async/bulk/V1/products', { 0: { product: product('K-0') }, 1: { product: product('K-1') } });
    assert.equal(keyed.status, 202, keyed.text);
    assert.equal((keyed.body as Accepted).request_items.length, 2);
  });

  test('a structurally bad item fails the whole request with the normal 400 and creates nothing', async () => {
    const before = (await store.control('stats')).body as { operations_by_status: Record<string, number> };
    const missing = await store.call('POST', '/rest/default/async/bulk/V1/products', [{ product: product('OK-1') }, { produkt: {} }]);
    assert.equal(missing.status, 400, missing.text);
    assert.deepEqual(missing.body, { message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: 'product' } });
    const wrongType = await store.call('POST', '/rest/default/async/bulk/V1/products', [{ product: product('OK-2') }, { product: 'a string' }]);
    assert.equal(wrongType.status, 400, wrongType.text);
    const noSku = await store.call('DELETE', '/rest/default/async/bulk/V1/products/bySku', [{ sku: 'A' }, { name: 'no sku' }]);
    assert.equal(noSku.status, 400, noSku.text);
    assert.deepEqual(noSku.body, { message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: 'sku' } });
    const afterStats = (await store.control('stats')).body as { operations_by_status: Record<string, number> };
    assert.deepEqual(afterStats.operations_by_status, before.operations_by_status);
  });

  test('store scope is kept per operation: default 1, de 2, all 0, none = default', async () => {
    const cases: [string, number][] = [['/rest/default', 1], ['/rest/de', 2], ['/rest/all', 0], ['/rest', 1]];
    for (const [prefix, storeId] of cases) {
      const reply = await store.call('POST', `${prefix}/async/bulk/V1/products`, [{ product: product(`SCOPE-${storeId}`) }]);
      assert.equal(reply.status, 202, `${prefix}: ${reply.text}`);
      const status = (await store.call('GET', `/rest/V1/bulk/${(reply.body as Accepted).bulk_uuid}/detailed-status`)).body as DetailedStatus;
      assert.equal((JSON.parse(status.operations_list[0]!.serialized_data!) as { store_id: number }).store_id, storeId, prefix);
    }
  });

  test('ACL is the sync route\'s: a guest cannot queue product saves', async () => {
    const reply = await store.call('POST', '/rest/default/async/V1/products', { product: product('GUEST') }, { token: null });
    assert.equal(reply.status, 401);
    assert.deepEqual(reply.body, { message: "The consumer isn't authorized to access %resources.", parameters: { resources: 'Magento_Catalog::products' } });
  });

  test('bulk user is the caller (integration = user_type 1, admin = 2)', async () => {
    const reply = await store.call('POST', '/rest/default/async/V1/products', { product: product('WHO') });
    const status = (await store.call('GET', `/rest/V1/bulk/${(reply.body as Accepted).bulk_uuid}/status`)).body as DetailedStatus;
    assert.equal(status.user_type, 1);

    const { username, password } = store.handle.credentials.admin;
    const token = await store.call('POST', '/rest/V1/integration/admin/token', { username, password }, { token: null });
    assert.equal(token.status, 200, token.text);
    const byAdmin = await store.call('POST', '/rest/default/async/V1/products', { product: product('WHO-ADMIN') }, { token: token.body as string });
    assert.equal(byAdmin.status, 202, byAdmin.text);
    const adminStatus = (await store.call('GET', `/rest/V1/bulk/${(byAdmin.body as Accepted).bulk_uuid}/status`)).body as DetailedStatus;
    assert.equal(adminStatus.user_type, 2);
    assert.equal(typeof adminStatus.user_id, 'number');
  });
});
