import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MagentoSchema } from '../../../src/core/schema/swaggerSchema';
import { schemaRouteCatalog } from '../../../src/core/convert/schemaRouteCatalog';
import { bulkTemplateOf, convertRequest, ConversionError, hasBlockingIssues, resolveRoute } from '../../../src/core/convert/asyncConversion';
import { joinRestUrl, splitRestUrl } from '../../../src/core/convert/restUrl';
import { type LintIssue } from '../../../src/core/convert/payloadLint';

const schemaFile = resolve(__dirname, '../../../../shared/fixtures/magento-schema/admin-2.4.9.json');
const schema = MagentoSchema.parse(JSON.parse(readFileSync(schemaFile, 'utf8')));
const catalog = schemaRouteCatalog(schema);

function sampleValue(name: string, type: string | undefined): string {
  return type === 'integer' ? '7' : `v${name}-1`;
}

function codes(issues: readonly LintIssue[]): string[] {
  return issues.map((i) => i.code);
}

describe('async/bulk conversion of every write route of the admin 2.4.9 schema', () => {
  const writes = schema.operations().filter((o) => o.method !== 'GET');
  const byParamCount = new Map<number, number>();

  test('the fixture has write routes with 0 to 4 path parameters', () => {
    for (const o of writes) byParamCount.set(o.pathParams.length, (byParamCount.get(o.pathParams.length) ?? 0) + 1);
    assert.ok(writes.length > 300, `only ${writes.length} write routes`);
    for (const n of [2, 3, 4]) assert.ok((byParamCount.get(n) ?? 0) > 0, `no write route with ${n} path params`);
  });

  for (const operation of writes) {
    const values = Object.fromEntries(operation.pathParams.map((p) => [p.name, sampleValue(p.name, p.type)]));
    const concrete = operation.pathTemplate.replace(/\{([^}]+)\}/g, (_m, n: string) => encodeURIComponent(values[n] ?? ''));
    test(`${operation.method} ${operation.pathTemplate}`, () => {
      const body = { marker: operation.operationId };
      // Async: same body, /async prefix, store code kept.
      const asyncResult = convertRequest(catalog, { method: operation.method, path: concrete, storeCode: 'fr', body }, 'async', { lint: false });
      assert.equal(asyncResult.requests.length, 1);
      assert.deepEqual(asyncResult.requests[0], { method: operation.method, path: `/async${concrete}`, storeCode: 'fr', body, firstItemIndex: 0, itemCount: 1 });
      assert.equal(asyncResult.route.pathTemplate, operation.pathTemplate);

      // Bulk: by<Param> segments, values moved into the item, body a list.
      const bulk = convertRequest(catalog, { method: operation.method, path: concrete, storeCode: 'fr', body }, 'bulk', { lint: false });
      const expectedPath = '/async/bulk' + operation.pathTemplate.replace(/\{([^}]+)\}/g, (_m, n: string) => `by${n[0]!.toUpperCase()}${n.slice(1)}`);
      assert.equal(bulk.requests.length, 1);
      assert.equal(bulk.requests[0]?.path, expectedPath);
      assert.equal(bulk.requests[0]?.storeCode, 'fr');
      assert.deepEqual(bulk.requests[0]?.body, [{ ...values, ...body }]);
      assert.deepEqual(bulk.route.pathValues, values);

      // The bulk path maps back to the same route; placeholders resolve too.
      assert.equal(resolveRoute(catalog, operation.method, expectedPath).pathTemplate, operation.pathTemplate);
      assert.equal(resolveRoute(catalog, operation.method, operation.pathTemplate).pathTemplate, operation.pathTemplate);
    });
  }

  test('GET is refused with an explanation', () => {
    assert.throws(() => convertRequest(catalog, { method: 'GET', path: '/V1/products/24-MB01' }, 'bulk'),
      (e: unknown) => e instanceof ConversionError && e.code === 'get-not-async' && /no asynchronous reads/.test(e.message));
  });
});

describe('conversion rules', () => {
  test('a route with 2 params: PUT /V1/products/{sku}/media/{entryId}', () => {
    const r = convertRequest(catalog, { method: 'PUT', path: '/V1/products/24%2FMB01/media/5', body: { entry: { id: 5, media_type: 'image' } } }, 'bulk');
    assert.equal(r.requests[0]?.path, '/async/bulk/V1/products/bySku/media/byEntryId');
    assert.deepEqual(r.requests[0]?.body, [{ sku: '24/MB01', entryId: '5', entry: { id: 5, media_type: 'image' } }]);
    assert.deepEqual(r.issues, []);
  });

  test('a bodiless DELETE becomes a list of one item holding the path values', () => {
    const r = convertRequest(catalog, { method: 'DELETE', path: '/V1/cmsPage/12' }, 'bulk');
    assert.equal(r.requests[0]?.path, '/async/bulk/V1/cmsPage/byPageId');
    assert.deepEqual(r.requests[0]?.body, [{ pageId: '12' }]);
  });

  test('many items are chunked (default 100, configurable)', () => {
    const items = Array.from({ length: 250 }, (_v, i) => ({ product: { sku: `s${i}`, price: i } }));
    const r = convertRequest(catalog, { method: 'PUT', path: '/V1/products/{sku}', items }, 'bulk');
    assert.deepEqual(r.requests.map((q) => [q.firstItemIndex, q.itemCount]), [[0, 100], [100, 100], [200, 50]]);
    assert.equal(r.requests[0]?.path, '/async/bulk/V1/products/bySku');
    assert.deepEqual(r.issues, [], JSON.stringify(r.issues.slice(0, 3)));
    const small = convertRequest(catalog, { method: 'POST', path: '/V1/products', items }, 'bulk', { batchSize: 60 });
    assert.equal(small.requests.length, 5);
    assert.throws(() => convertRequest(catalog, { method: 'POST', path: '/V1/products', items }, 'bulk', { batchSize: 0 }), /positive integer/);
  });

  test('a batch above the async input limit is flagged only when limits are on', () => {
    const items = Array.from({ length: 5001 }, (_v, i) => ({ product: { sku: `s${i}` } }));
    const on = convertRequest(catalog, { method: 'POST', path: '/V1/products', items }, 'bulk', { batchSize: 6000, asyncInputLimit: 5000, lint: false });
    assert.deepEqual(codes(on.issues), ['batch-over-limit']);
    const off = convertRequest(catalog, { method: 'POST', path: '/V1/products', items }, 'bulk', { batchSize: 6000, lint: false });
    assert.deepEqual(off.issues, []);
  });

  test('async from several items: one request per item, path values taken from each item', () => {
    const r = convertRequest(catalog, { method: 'PUT', path: '/V1/products/{sku}', items: [{ product: { sku: 'a', price: 1 } }, { sku: 'b', product: { price: 2 } }, { product: { price: 3 } }] }, 'async');
    assert.deepEqual(r.requests.map((q) => q.path), ['/async/V1/products/a', '/async/V1/products/b', '/async/V1/products/']);
    assert.ok(r.issues.some((i) => i.code === 'missing-path-value' && i.itemIndex === 2));
  });

  test('unknown routes are reported with the segment that did not resolve', () => {
    assert.throws(() => convertRequest(catalog, { method: 'POST', path: '/V1/prodcts/x' }, 'bulk'),
      (e: unknown) => e instanceof ConversionError && e.code === 'unknown-route' && /segment 2 \("prodcts"\) after \/V1/.test(e.message));
    assert.throws(() => convertRequest(catalog, { method: 'POST', path: '/async/V1/products' }, 'bulk'), (e: unknown) => e instanceof ConversionError && e.code === 'already-async');
    assert.throws(() => convertRequest(catalog, { method: 'OPTIONS', path: '/V1/products' }, 'bulk'), (e: unknown) => e instanceof ConversionError && e.code === 'unsupported-method');
  });

  test('a literal route wins over a parameter route, as in Magento', () => {
    const r = resolveRoute(catalog, 'POST', '/V1/products/attributes');
    assert.equal(r.pathTemplate, '/V1/products/attributes');
  });

  test('bulkTemplateOf', () => {
    assert.equal(bulkTemplateOf('/V1/carts/{quoteId}/items'), '/V1/carts/byQuoteId/items');
  });
});

describe('payload lint', () => {
  const put = (items: unknown[]) => convertRequest(catalog, { method: 'PUT', path: '/V1/products/{sku}', items }, 'bulk').issues;

  test('wrong key case at the top level is an error; nested is a warning', () => {
    const issues = put([{ Product: { sku: 'a' } }, { product: { Sku: 'b' } }]);
    assert.ok(issues.some((i) => i.code === 'key-case' && i.severity === 'error' && i.itemIndex === 0 && /"Product" should be "product"/.test(i.message)));
    assert.ok(issues.some((i) => i.code === 'key-case' && i.severity === 'warning' && i.itemIndex === 1 && i.location === 'product.Sku'));
    // camelCase / snake_case spellings are both accepted by Magento: not flagged.
    assert.deepEqual(put([{ product: { sku: 'a', attribute_set_id: 4, typeId: 'simple' }, save_options: true }]), []);
  });

  test('a missing wrapper key is recognised', () => {
    const issues = put([{ sku: 'a', price: 5, name: 'A' }]);
    assert.deepEqual(codes(issues), ['missing-wrapper']);
    assert.match(issues[0]!.message, /\{"product": \{\.\.\.\}\}/);
    assert.deepEqual(codes(put([{ sku: 'a', foo: 1, bar: 2 }])), ['unknown-key', 'unknown-key', 'missing-required']);
  });

  test('unknown nested keys and wrong types', () => {
    const issues = put([{ product: { sku: 'a', colour: 'red', price: 'cheap', status: 'on', extension_attributes: 5, custom_attributes: [{ attribute_code: 'x', value: ['1', '2'] }] } }]);
    assert.deepEqual(issues.map((i) => [i.code, i.location, i.severity]), [
      ['unknown-key', 'product.colour', 'error'],
      ['wrong-type', 'product.price', 'warning'],
      ['wrong-type', 'product.status', 'warning'],
      ['wrong-type', 'product.extension_attributes', 'error'],
    ]);
    assert.ok(hasBlockingIssues(issues));
    // Numeric strings cast fine.
    assert.deepEqual(put([{ product: { sku: 'a', price: '9.5', status: '1', weight: 2 } }]), []);
  });

  test('duplicates, non-objects and missing path values', () => {
    const issues = put([{ product: { sku: 'a' } }, { product: { sku: 'a' } }, 5, { product: { price: 1 } }]);
    assert.deepEqual(issues.map((i) => [i.code, i.itemIndex]), [['duplicate-item', 1], ['not-an-object', 2], ['missing-path-value', 3]]);
  });

  test('a path value that conflicts with the item is reported', () => {
    const r = convertRequest(catalog, { method: 'PUT', path: '/V1/products/a', body: { sku: 'b', product: { sku: 'b' } } }, 'bulk');
    assert.deepEqual(codes(r.issues), ['path-value-conflict']);
    assert.deepEqual(r.requests[0]?.body, [{ sku: 'b', product: { sku: 'b' } }]);
  });

  test('issues are capped', () => {
    const issues = put(Array.from({ length: 500 }, () => ({ product: { nope: 1 } })));
    assert.equal(issues.length, 201);
    assert.equal(issues.at(-1)?.code, 'too-many-issues');
  });
});

describe('restUrl', () => {
  const cases: Array<[string, ReturnType<typeof splitRestUrl>]> = [
    ['{{host}}/rest/default/V1/products/x?a=1', { base: '{{host}}/rest', storeCode: 'default', path: '/V1/products/x', query: 'a=1' }],
    ['https://s.test/index.php/rest/V1/products', { base: 'https://s.test/index.php/rest', path: '/V1/products' }],
    ['https://s.test/rest/all/async/bulk/V1/products/bySku', { base: 'https://s.test/rest', storeCode: 'all', path: '/async/bulk/V1/products/bySku' }],
    ['https://s.test/rest/async/V1/products', { base: 'https://s.test/rest', path: '/async/V1/products' }],
    ['{{baseUrl}}/V1/products', { base: '{{baseUrl}}', path: '/V1/products' }],
    ['/V1/products', { base: '', path: '/V1/products' }],
  ];
  for (const [url, parts] of cases) {
    test(url, () => {
      assert.deepEqual(splitRestUrl(url), parts);
      assert.equal(joinRestUrl(parts), url);
    });
  }
});
