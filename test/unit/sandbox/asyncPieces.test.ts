import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { phpJsonEncode, phpJsonNumber } from '../../../src/sandbox/async/phpJson';
import { bulkDescription, serviceSuccessMessage } from '../../../src/sandbox/async/topicName';
import { topicName, type SyncRoute } from '../../../src/sandbox/routing/routeTypes';
import { bulkItemParams, matchBulkRoute, routeParamNames, snakeCase, toBulkPath } from '../../../src/sandbox/async/bulkRoutes';
import { buildSerializedData, dataHash, newBulkUuid } from '../../../src/sandbox/async/serializedData';

describe('phpJsonEncode', () => {
  test('escapes slashes and non-ASCII like PHP json_encode', () => {
    assert.equal(phpJsonEncode({ url: 'a/b', name: 'Größe €' }), '{"url":"a\\/b","name":"Gr\\u00f6\\u00dfe \\u20ac"}');
  });
  test('escapes control characters with short forms or lower-case \\u', () => {
    assert.equal(phpJsonEncode('a\nb\t"c"\\\u0001'), '"a\\nb\\t\\"c\\"\\\\\\u0001"');
  });
  test('DEL stays raw; plain ASCII is copied', () => {
    assert.equal(phpJsonEncode('a\u007fb'), '"a\u007fb"');
    assert.equal(phpJsonEncode('Plain text, 100% [ok] {x}'), '"Plain text, 100% [ok] {x}"');
  });
  test('astral characters become surrogate pairs', () => {
    assert.equal(phpJsonEncode('😀'), '"\\ud83d\\ude00"');
  });
  test('objects decoded as PHP arrays: {} → [], sequential keys → list', () => {
    assert.equal(phpJsonEncode({}), '[]');
    assert.equal(phpJsonEncode({ 0: 'a', 1: 'b' }), '["a","b"]');
    assert.equal(phpJsonEncode({ 1: 'a' }), '{"1":"a"}');
    assert.equal(phpJsonEncode([1, null, true, false]), '[1,null,true,false]');
  });
  test('floats as PHP prints them', () => {
    assert.equal(phpJsonNumber(29.5), '29.5');
    assert.equal(phpJsonNumber(1e25), '1.0e+25');
    assert.equal(phpJsonNumber(1.5e-7), '1.5e-7');
    assert.equal(phpJsonNumber(-3), '-3');
    assert.throws(() => phpJsonNumber(Number.NaN));
  });
});

describe('topic names', () => {
  test('contract examples', () => {
    const route = (className: string, method: string, verb: SyncRoute['method']): SyncRoute =>
      ({ method: verb, path: '/V1/x', service: { className, name: 'x', method } }) as SyncRoute;
    assert.equal(topicName(route('Magento\\Catalog\\Api\\ProductRepositoryInterface', 'save', 'POST')), 'async.magento.catalog.api.productrepositoryinterface.save.post');
    assert.equal(topicName(route('Magento\\Catalog\\Api\\ProductRepositoryInterface', 'save', 'PUT')), 'async.magento.catalog.api.productrepositoryinterface.save.put');
    assert.equal(topicName(route('Magento\\Customer\\Api\\AccountManagementInterface', 'createAccount', 'POST')), 'async.magento.customer.api.accountmanagementinterface.createaccount.post');
    assert.equal(bulkDescription('async.x.y.post'), 'Topic async.x.y.post');
  });
  test('success message names the implementation class interceptor', () => {
    assert.equal(serviceSuccessMessage('Magento\\Catalog\\Api\\ProductRepositoryInterface', 'save'), 'Service execution success Magento\\Catalog\\Model\\ProductRepository\\Interceptor::save');
    assert.equal(serviceSuccessMessage('Vendor\\Foo\\Api\\BarRepositoryInterface', 'save'), 'Service execution success Vendor\\Foo\\Model\\BarRepository\\Interceptor::save');
  });
});

describe('bulk routes', () => {
  test('rewrites :param segments to by + ucfirst(param)', () => {
    assert.equal(toBulkPath('/V1/products/:sku/media/:entryId'), '/V1/products/bySku/media/byEntryId');
    assert.equal(toBulkPath('/V1/carts/:quoteId/items'), '/V1/carts/byQuoteId/items');
    assert.equal(toBulkPath('/V1/products'), '/V1/products');
    assert.deepEqual(routeParamNames('/V1/products/:sku/media/:entryId'), ['sku', 'entryId']);
  });
  test('matches a bulk path back to its sync route, last match wins', () => {
    const routes = [
      { method: 'PUT', path: '/V1/products/:sku', id: 1 },
      { method: 'DELETE', path: '/V1/products/:sku', id: 2 },
      { method: 'PUT', path: '/V1/products/:sku/media/:entryId', id: 3 },
      { method: 'PUT', path: '/V1/products/:sku', id: 4 },
    ];
    assert.equal(matchBulkRoute('PUT', '/V1/products/bySku', routes)?.id, 4);
    assert.equal(matchBulkRoute('DELETE', '/V1/products/bySku', routes)?.id, 2);
    assert.equal(matchBulkRoute('PUT', '/V1/products/bySku/media/byEntryId', routes)?.id, 3);
    assert.equal(matchBulkRoute('PUT', '/V1/products/24-MB01', routes), undefined);
    assert.equal(matchBulkRoute('POST', '/V1/products/bySku', routes), undefined);
  });
  test('item params from top-level camelCase/snake_case keys or from the entity', () => {
    assert.equal(snakeCase('entryId'), 'entry_id');
    assert.deepEqual(bulkItemParams({ sku: 'a', entry_id: 5 }, ['sku', 'entryId']), { ok: true, params: { sku: 'a', entryId: '5' } });
    assert.deepEqual(bulkItemParams({ product: { sku: 'x', price: 1 } }, ['sku']), { ok: true, params: { sku: 'x' } });
    assert.deepEqual(bulkItemParams({ pageId: '1' }, ['pageId']), { ok: true, params: { pageId: '1' } });
    assert.deepEqual(bulkItemParams({ product: { price: 1 } }, ['sku']), { ok: false, missing: ['sku'] });
    assert.deepEqual(bulkItemParams('nope', ['sku']), { ok: false, missing: ['sku'] });
  });
});

describe('serialized data', () => {
  test('exact §6.4 layout with the item JSON escaped inside', () => {
    const s = buildSerializedData({ product: { sku: 'a/b', price: 29 } }, 1);
    assert.equal(s, '{"entity_id":null,"entity_link":"","meta_information":"{\\"product\\":{\\"sku\\":\\"a\\\\\\/b\\",\\"price\\":29}}","store_id":1}');
    const parsed = JSON.parse(s) as { meta_information: string; store_id: number };
    assert.deepEqual(JSON.parse(parsed.meta_information), { product: { sku: 'a/b', price: 29 } });
    assert.equal(parsed.store_id, 1);
  });
  test('data_hash is the plain sha256 hex of the string', () => {
    const s = buildSerializedData({ a: 1 }, 0);
    assert.equal(dataHash(s), createHash('sha256').update(s).digest('hex'));
    assert.match(dataHash(s), /^[0-9a-f]{64}$/);
  });
  test('bulk uuids are v4', () => {
    assert.match(newBulkUuid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
