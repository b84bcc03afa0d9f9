// Bulk status routes over real HTTP (contract §7): exact key sets and null rules, 404 bodies,
// the count endpoint's 0 for unknown UUIDs, GET /V1/bulk search, ACL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, type Accepted, type TestStore } from './asyncTestClient';

function product(sku: string): Record<string, unknown> {
  return { sku, name: `Product ${sku}`, attribute_set_id: 4, price: 10, type_id: 'simple' };
}

describe('bulk status routes', () => {
  let store: TestStore;
  let openUuid: string;
  before(async () => {
    store = await openStore({ consumers: false });
    const reply = await store.call('POST', '/rest/default/async/bulk/V1/products', [{ product: product('ST-1') }, { product: product('ST-2') }]);
    openUuid = (reply.body as Accepted).bulk_uuid;
  });
  after(async () => {
    await store.close();
  });

  test('short status: envelope and operation keys in Magento\'s order, nulls printed', async () => {
    const reply = await store.call('GET', `/rest/V1/bulk/${openUuid}/status`);
    assert.equal(reply.status, 200, reply.text);
    const body = reply.body as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ['operations_list', 'user_type', 'bulk_id', 'description', 'start_time', 'user_id', 'operation_count']);
    assert.equal(body.bulk_id, openUuid);
    assert.equal(body.operation_count, 2);
    assert.match(body.start_time as string, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    assert.deepEqual(body.operations_list, [
      { id: 0, status: 4, result_message: null, error_code: null },
      { id: 1, status: 4, result_message: null, error_code: null },
    ]);
    assert.ok(reply.text.includes('"result_message":null,"error_code":null'));
  });

  test('detailed status: full operation keys', async () => {
    const reply = await store.call('GET', `/rest/V1/bulk/${openUuid}/detailed-status`);
    assert.equal(reply.status, 200, reply.text);
    const body = reply.body as { operations_list: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(body), ['operations_list', 'user_type', 'bulk_id', 'description', 'start_time', 'user_id', 'operation_count']);
    const op = body.operations_list[0]!;
    assert.deepEqual(Object.keys(op), ['id', 'bulk_uuid', 'topic_name', 'serialized_data', 'result_serialized_data', 'status', 'result_message', 'error_code']);
    assert.equal(op.bulk_uuid, openUuid);
    assert.equal(op.result_serialized_data, null);
    assert.equal(typeof op.serialized_data, 'string');
  });

  test('unknown uuid: 404 with a named parameter on status and detailed-status', async () => {
    const uuid = '00000000-0000-4000-8000-000000000000';
    for (const suffix of ['status', 'detailed-status']) {
      const reply = await store.call('GET', `/rest/V1/bulk/${uuid}/${suffix}`);
      assert.equal(reply.status, 404, suffix);
      assert.deepEqual(reply.body, { message: 'Bulk uuid %bulkUuid not exist', parameters: { bulkUuid: uuid } });
    }
  });

  test('operation-status count: integer per status, 0 for unknown uuid, type-checked status', async () => {
    assert.deepEqual((await store.call('GET', `/rest/V1/bulk/${openUuid}/operation-status/4`)).body, 2);
    assert.deepEqual((await store.call('GET', `/rest/V1/bulk/${openUuid}/operation-status/1`)).body, 0);
    const unknown = await store.call('GET', '/rest/V1/bulk/no-such-bulk/operation-status/4');
    assert.equal(unknown.status, 200);
    assert.equal(unknown.text, '0');
    const notInt = await store.call('GET', `/rest/V1/bulk/${openUuid}/operation-status/open`);
    assert.equal(notInt.status, 400);
  });

  test('status routes need Magento_Logging::system_magento_logging_bulk_operations', async () => {
    const reply = await store.call('GET', `/rest/V1/bulk/${openUuid}/status`, undefined, { token: null });
    assert.equal(reply.status, 401);
    assert.deepEqual(reply.body, { message: "The consumer isn't authorized to access %resources.", parameters: { resources: 'Magento_Logging::system_magento_logging_bulk_operations' } });
  });

  test('GET /V1/bulk searches operations with the bulk start time as extension attribute', async () => {
    const query = `searchCriteria[filterGroups][0][filters][0][field]=bulk_uuid&searchCriteria[filterGroups][0][filters][0][value]=${openUuid}`;
    const reply = await store.call('GET', `/rest/V1/bulk?${query}`);
    assert.equal(reply.status, 200, reply.text);
    const body = reply.body as { items: Record<string, unknown>[]; search_criteria: unknown; total_count: number };
    assert.deepEqual(Object.keys(body), ['items', 'search_criteria', 'total_count']);
    assert.equal(body.total_count, 2);
    const item = body.items[0]!;
    assert.deepEqual(Object.keys(item), ['extension_attributes', 'id', 'bulk_uuid', 'topic_name', 'serialized_data', 'result_serialized_data', 'status', 'result_message', 'error_code']);
    assert.match((item.extension_attributes as { start_time: string }).start_time, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

    const byStatus = await store.call('GET', `/rest/V1/bulk?${query}&searchCriteria[filterGroups][1][filters][0][field]=status&searchCriteria[filterGroups][1][filters][0][value]=1`);
    assert.equal((byStatus.body as { total_count: number }).total_count, 0);
  });

  test('GET /V1/bulk across bulks repeats operation ids and fails like 2.4 does (#29579)', async () => {
    await store.call('POST', '/rest/default/async/V1/products', { product: product('ST-3') });
    const reply = await store.call('GET', '/rest/V1/bulk?searchCriteria[pageSize]=50');
    assert.equal(reply.status, 500, reply.text);
    const body = reply.body as { message: string; parameters: string[] };
    assert.equal(body.message, 'Internal Error. Details are available in Magento log file. Report ID: %1');
    assert.match(body.parameters[0]!, /^webapi-/);
    // Filtering by bulk_uuid stays inside one bulk and works.
    const filtered = await store.call('GET', `/rest/V1/bulk?searchCriteria[filterGroups][0][filters][0][field]=bulk_uuid&searchCriteria[filterGroups][0][filters][0][value]=${openUuid}&searchCriteria[pageSize]=50`);
    assert.equal(filtered.status, 200, filtered.text);
  });
});
