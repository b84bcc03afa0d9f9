// Async/bulk schemas and `--schema FILE` routes over real HTTP: the async documents (contract §8.1),
// bulk routes with two by<Param> segments (from the real 2.4.9 admin schema), validation of
// schema-file bodies and synthesized responses, the consumer replaying schema-file routes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openStore, type Accepted, type TestStore } from './asyncTestClient';

const ADMIN_SCHEMA = path.resolve(__dirname, '../../../../shared/fixtures/magento-schema/admin-2.4.9.json');

interface SwaggerDoc {
  basePath: string;
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, { schema?: { $ref?: string } }>; parameters: { name: string; in: string }[] }>>;
  definitions: Record<string, unknown>;
}

describe('async schemas', () => {
  let store: TestStore;
  before(async () => {
    store = await openStore({ consumers: false });
  });
  after(async () => {
    await store.close();
  });

  test('async schema: no GET methods, 202 async responses, basePath /rest/<store>/async', async () => {
    const reply = await store.call('GET', '/rest/default/async/schema?services=all');
    assert.equal(reply.status, 200, reply.text.slice(0, 300));
    const doc = reply.body as SwaggerDoc;
    assert.equal(doc.basePath, '/rest/default/async');
    const save = doc.paths['/V1/products']?.post;
    assert.ok(save, 'POST /V1/products offered');
    // Success responses become the async response; @throws-derived error responses stay.
    assert.deepEqual(Object.keys(save.responses).filter((c) => /^2\d\d$/.test(c)), ['202']);
    assert.equal(save.responses['202']!.schema!.$ref, '#/definitions/asynchronous-operations-data-async-response-interface');
    for (const [p, methods] of Object.entries(doc.paths)) assert.equal(methods.get, undefined, `GET ${p} must not be offered async`);
    assert.ok(doc.definitions['asynchronous-operations-data-async-response-interface']);
    assert.ok(doc.definitions['asynchronous-operations-data-item-status-interface']);
  });

  test('bulk schema: by<Param> paths with the values in the body, basePath /async/bulk', async () => {
    const reply = await store.call('GET', '/rest/all/async/bulk/schema');
    assert.equal(reply.status, 200);
    const doc = reply.body as SwaggerDoc;
    assert.equal(doc.basePath, '/rest/all/async/bulk');
    const put = doc.paths['/V1/products/bySku']?.put;
    assert.ok(put, 'PUT /V1/products/bySku offered');
    assert.equal(put.parameters.some((p) => p.in === 'path'), false);
  });

  test('the sync schema documents the bulk status routes', async () => {
    const doc = (await store.call('GET', '/rest/default/schema?services=asynchronousOperationsBulkStatusV1')).body as SwaggerDoc;
    assert.equal(doc.paths['/V1/bulk/{bulkUuid}/status']?.get?.operationId, 'asynchronousOperationsBulkStatusV1GetBulkShortStatusGet');
    assert.ok(doc.definitions['asynchronous-operations-data-bulk-operations-status-interface']);
  });
});

describe('--schema FILE', () => {
  let store: TestStore;
  before(async () => {
    store = await openStore({ schemaFile: ADMIN_SCHEMA, consumers: true });
  });
  after(async () => {
    await store.close();
  });

  test('a route the sandbox does not implement answers from the file: validated body, synthesized response', async () => {
    const ok = await store.call('PUT', '/rest/default/V1/products/24-MB01/media/3', { entry: { media_type: 'image', label: 'Front', position: 1, disabled: false, types: ['image'] } });
    assert.equal(ok.status, 200, ok.text);
    const missing = await store.call('PUT', '/rest/default/V1/products/24-MB01/media/3', {});
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body, { message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: 'entry' } });
    const wrongType = await store.call('PUT', '/rest/default/V1/products/24-MB01/media/3', { entry: { position: 'first' } });
    assert.equal(wrongType.status, 400, wrongType.text);
    assert.deepEqual(wrongType.body, { message: 'The "%value" value\'s type is invalid. The "%type" type was expected. Verify and try again.', parameters: { value: 'first', type: 'int' } });
    const guest = await store.call('PUT', '/rest/default/V1/products/24-MB01/media/3', { entry: {} }, { token: null });
    assert.equal(guest.status, 401);
  });

  test('the store\'s own schema documents the file\'s routes with the file\'s definitions', async () => {
    const doc = (await store.call('GET', '/rest/default/schema?services=all')).body as SwaggerDoc;
    assert.ok(doc.paths['/V1/products/{sku}/media/{entryId}']?.put, 'schema-file route documented');
    assert.ok(doc.paths['/V1/creditmemo']?.post, 'schema-file route documented');
    const memo = doc.definitions['sales-data-creditmemo-interface'] as { required?: string[] };
    assert.deepEqual(memo.required, ['order_id', 'items']);
  });

  test('native routes keep their real behaviour', async () => {
    const missing = await store.call('GET', '/rest/default/V1/products/NO-SUCH-SKU-HERE');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { message: "The product that was requested doesn't exist. Verify the product and try again." });
  });

  test('bulk route with two by<Param> segments: values from each item, replayed by the consumer', async () => {
    const entry = (label: string): Record<string, unknown> => ({ media_type: 'image', label, position: 1, disabled: false, types: ['image'] });
    const reply = await store.call('PUT', '/rest/default/async/bulk/V1/products/bySku/media/byEntryId', [
      { sku: '24-MB01', entryId: 1, entry: entry('one') },
      { sku: '24-MB02', entry_id: 2, entry: entry('two') },
    ]);
    assert.equal(reply.status, 202, reply.text);
    const accepted = reply.body as Accepted;
    assert.deepEqual(accepted.request_items.map((i) => i.id), [0, 1]);
    const done = await store.waitForBulk(accepted.bulk_uuid);
    const message = 'Service execution success Magento\\SchemaFile\\Model\\PutV1ProductsSkuMediaEntryId\\Interceptor::put';
    assert.deepEqual(done.operations_list.map((o) => [o.status, o.result_message, o.result_serialized_data]), [[1, message, 'true'], [1, message, 'true']]);
    assert.equal(done.description, 'Topic async.magento.schemafile.api.putv1productsskumediaentryidinterface.put.put');
    // Nested structure is checked at submit: one bad item rejects the whole bulk.
    const nested = await store.call('PUT', '/rest/default/async/bulk/V1/products/bySku/media/byEntryId', [
      { sku: '24-MB01', entryId: 1, entry: entry('ok') },
      { sku: '24-MB01', entryId: 2, entry: { label: 'no type' } },
    ]);
    assert.equal(nested.status, 400, nested.text);
    assert.equal((nested.body as { message: string }).message, 'One or more input exceptions have occurred.');
    const missingParam = await store.call('PUT', '/rest/default/async/bulk/V1/products/bySku/media/byEntryId', [{ sku: '24-MB01', entry: {} }]);
    assert.equal(missingParam.status, 400);
    assert.deepEqual(missingParam.body, { message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: 'entryId' } });
  });
});
