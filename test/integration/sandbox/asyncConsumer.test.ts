// The consumer over real HTTP (contract §6.4, §6.5): stopped → 4 forever, started → 1 with the
// sync result; business rules fail later with 3; injected faults give 2/3 deterministically.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, type Accepted, type DetailedStatus, type TestStore } from './asyncTestClient';

function product(sku: string): Record<string, unknown> {
  return { sku, name: `Product ${sku}`, attribute_set_id: 4, price: 12.5, type_id: 'simple' };
}

async function counts(store: TestStore): Promise<Record<string, number>> {
  return ((await store.control('stats')).body as { operations_by_status: Record<string, number> }).operations_by_status;
}

describe('consumer', () => {
  let store: TestStore;
  before(async () => {
    store = await openStore({ consumers: false });
  });
  after(async () => {
    await store.close();
  });

  test('stopped: operations stay open (4); started: they complete (1) with the sync result', async () => {
    const reply = await store.call('POST', '/rest/default/async/bulk/V1/products', [{ product: product('C-1') }, { product: product('C-2') }]);
    const uuid = (reply.body as Accepted).bulk_uuid;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await store.call('GET', `/rest/V1/bulk/${uuid}/operation-status/4`)).body, 2);
    const stopped = (await store.call('GET', `/rest/V1/bulk/${uuid}/status`)).body as DetailedStatus;
    assert.deepEqual(stopped.operations_list.map((o) => o.status), [4, 4]);
    assert.equal((await counts(store))['4']! >= 2, true);

    const started = await store.control('consumers', { running: true });
    assert.equal(started.status, 200, started.text);
    const done = await store.waitForBulk(uuid);
    for (const op of done.operations_list) {
      assert.equal(op.status, 1);
      assert.equal(op.result_message, 'Service execution success Magento\\Catalog\\Model\\ProductRepository\\Interceptor::save');
      assert.equal(op.serialized_data, null);
      assert.equal(op.error_code, null);
      const result = JSON.parse(op.result_serialized_data!) as { sku: string; price: number };
      assert.equal(result.sku, `C-${op.id + 1}`);
    }
    assert.equal((await store.call('GET', `/rest/V1/bulk/${uuid}/operation-status/1`)).body, 2);
    // The product really exists now, through the sync route.
    const saved = await store.call('GET', '/rest/default/V1/products/C-1');
    assert.equal(saved.status, 200, saved.text);
    await store.control('consumers', { running: false });
  });

  test('business rules fail later with status 3, not at submit (duplicate customer e-mail)', async () => {
    await store.control('consumers', { running: true });
    const email = store.handle.credentials.customer.email;
    const reply = await store.call('POST', '/rest/default/async/V1/customers', { customer: { email, firstname: 'Dup', lastname: 'Licate', website_id: 1 }, password: 'Password123!' });
    assert.equal(reply.status, 202, reply.text);
    const done = await store.waitForBulk((reply.body as Accepted).bulk_uuid);
    const op = done.operations_list[0]!;
    assert.equal(op.status, 3);
    assert.equal(op.result_message, 'A customer with the same email address already exists in an associated website.');
    assert.equal(op.error_code, 0);
    assert.notEqual(op.serialized_data, null);
    assert.equal(op.result_serialized_data, null);
    await store.control('consumers', { running: false });
  });

  test('fault injection: SKU rules and shares, validated input', async () => {
    const bad = await store.control('faults', { operations: { failShare: 2 } });
    assert.equal(bad.status, 400);
    const set = await store.control('faults', { operations: { skuRules: [{ skuPattern: 'BAD-*', status: 3, message: 'Rejected by rule' }, { skuPattern: 'RETRY-*', status: 2 }] } });
    assert.equal(set.status, 200, set.text);
    await store.control('consumers', { running: true, concurrency: 3 });
    const reply = await store.call('POST', '/rest/default/async/bulk/V1/products', [{ product: product('BAD-1') }, { product: product('FINE-1') }, { product: product('RETRY-1') }]);
    const done = await store.waitForBulk((reply.body as Accepted).bulk_uuid);
    assert.deepEqual(done.operations_list.map((o) => [o.id, o.status]), [[0, 3], [1, 1], [2, 2]]);
    assert.equal(done.operations_list[0]!.result_message, 'Rejected by rule');

    await store.control('faults', { operations: { failRetriablyShare: 1 } });
    const all = await store.call('POST', '/rest/default/async/bulk/V1/products', [{ product: product('ANY-1') }, { product: product('ANY-2') }]);
    const failed = await store.waitForBulk((all.body as Accepted).bulk_uuid);
    assert.deepEqual(failed.operations_list.map((o) => o.status), [2, 2]);
    assert.equal(typeof failed.operations_list[0]!.error_code, 'number');
    await store.control('faults', { operations: {} });
    await store.control('consumers', { running: false, concurrency: 1 });
  });

  test('the consumer runs each operation in the store it was submitted to', async () => {
    await store.control('consumers', { running: true });
    const created = await store.call('POST', '/rest/all/V1/products', { product: { ...product('SCOPED-1'), name: 'Travel bag' } });
    assert.equal(created.status, 200, created.text);
    const reply = await store.call('PUT', '/rest/de/async/V1/products/SCOPED-1', { product: { name: 'Reisetasche' } });
    assert.equal(reply.status, 202, reply.text);
    const done = await store.waitForBulk((reply.body as Accepted).bulk_uuid);
    assert.equal(done.operations_list[0]!.status, 1, done.operations_list[0]!.result_message ?? '');
    const de = (await store.call('GET', '/rest/de/V1/products/SCOPED-1')).body as { name: string };
    const def = (await store.call('GET', '/rest/default/V1/products/SCOPED-1')).body as { name: string };
    assert.equal(de.name, 'Reisetasche');
    assert.equal(def.name, 'Travel bag');
    await store.control('consumers', { running: false });
  });

  test('async customer creation with a group needs Magento_Customer::manage (guests get 401)', async () => {
    const customer = { email: 'group-guest@example.com', firstname: 'G', lastname: 'Uest', group_id: 2 };
    const guest = await store.call('POST', '/rest/default/async/V1/customers', { customer, password: 'Password123!' }, { token: null });
    assert.equal(guest.status, 401, guest.text);
    assert.deepEqual(guest.body, { message: "The consumer isn't authorized to access %resources.", parameters: { resources: 'Magento_Customer::manage' } });
    const { group_id: _group, ...withoutGroup } = customer;
    const allowed = await store.call('POST', '/rest/default/async/V1/customers', { customer: withoutGroup, password: 'Password123!' }, { token: null });
    assert.equal(allowed.status, 202, allowed.text);
    const status = (await store.call('GET', `/rest/V1/bulk/${(allowed.body as Accepted).bulk_uuid}/status`)).body as DetailedStatus;
    assert.equal(status.user_type, 4);
    assert.equal(status.user_id, null);
  });

  test('consumer control validates its input', async () => {
    assert.equal((await store.control('consumers', { running: 'yes' })).status, 400);
    assert.equal((await store.control('consumers', { concurrency: 0 })).status, 400);
    assert.equal((await store.control('consumers', { latencyMs: -1 })).status, 400);
    assert.equal((await store.control('consumers', { speed: 1 })).status, 400);
  });

  test('reset clears bulks and counts', async () => {
    await store.call('POST', '/rest/default/async/V1/products', { product: product('RESET-1') });
    await store.control('reset', {});
    const c = await counts(store);
    assert.deepEqual(c, { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 });
  });
});
