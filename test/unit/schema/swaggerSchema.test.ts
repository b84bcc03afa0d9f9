import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MagentoSchema, SchemaError, normalizeRequestPath } from '../../../src/core/schema/swaggerSchema';
import { buildFieldTree, customAttributeCodes, expandFieldNode, findFieldNode } from '../../../src/core/schema/fieldTree';
import { buildBodySkeleton } from '../../../src/core/schema/bodySkeleton';
import { validateFields } from '../../../src/core/search/fieldsFilter';

// The real Magento 2.4.9 schemas live outside the repository (never copied in).
const fixtures = path.resolve(__dirname, '../../../../shared/fixtures/magento-schema');
const cache = new Map<string, MagentoSchema>();
function load(kind: 'admin' | 'customer' | 'guest'): MagentoSchema {
  let schema = cache.get(kind);
  if (!schema) {
    schema = MagentoSchema.parse(JSON.parse(readFileSync(path.join(fixtures, `${kind}-2.4.9.json`), 'utf8')) as unknown);
    cache.set(kind, schema);
  }
  return schema;
}

function schemaError(fn: () => unknown): SchemaError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof SchemaError, `expected SchemaError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a SchemaError');
}

describe('MagentoSchema.parse with the real 2.4.9 schemas', () => {
  test('counts every operation (method × path)', () => {
    assert.equal(load('admin').operations().length, 614);
    assert.equal(load('customer').operations().length, 117);
    assert.equal(load('guest').operations().length, 78);
  });
  test('an operation carries method, template, params, body, response refs, id, tag, summary', () => {
    const admin = load('admin');
    const getList = admin.operation('GET', '/V1/products')!;
    assert.equal(getList.operationId, 'GetV1Products'); // AdobeDocs' dumps rename catalogProductRepositoryV1GetListGet
    assert.equal(getList.tag, 'products');
    assert.equal(getList.description, 'Get product list');
    assert.equal(getList.responseDefinitionRef, '#/definitions/catalog-data-product-search-results-interface');
    assert.ok(getList.queryParams.some((param) => param.name === 'searchCriteria[filterGroups][0][filters][0][conditionType]'));
    assert.equal(getList.requiresAuth, true);
    const create = admin.operation('post', '/V1/products')!;
    assert.equal(create.bodyParam?.in, 'body');
    assert.deepEqual(create.bodyParam?.schema?.required, ['product']);
    assert.deepEqual(create.bodyEntity, { property: 'product', ref: '#/definitions/catalog-data-product-interface', isArray: false });
    assert.deepEqual(admin.operation('POST', '/V1/inventory/source-items')?.bodyEntity, { property: 'sourceItems', ref: '#/definitions/inventory-api-data-source-item-interface', isArray: true });
    const get = admin.operation('GET', '/V1/products/{sku}')!;
    assert.deepEqual(get.pathParams.map((param) => [param.name, param.type, param.required]), [['sku', 'string', true]]);
    assert.deepEqual(get.queryParams.map((param) => param.name), ['editMode', 'storeId', 'forceReload']);
  });
  test('search by path, tag or summary words', () => {
    const hits = load('admin').search('GET products media');
    assert.ok(hits.some((operation) => operation.pathTemplate === '/V1/products/{sku}/media'));
    assert.ok(hits.every((operation) => operation.method === 'GET' || /get/i.test(operation.summary + operation.description + operation.operationId)));
  });
});

describe('matchPath (Magento router rules)', () => {
  test('/V1/products/24-MB01 → /V1/products/{sku}, also with /rest/<store> and a full URL', () => {
    const admin = load('admin');
    for (const input of ['/V1/products/24-MB01', '/rest/default/V1/products/24-MB01', '/rest/V1/products/24-MB01', 'https://shop.test/index.php/rest/all/V1/products/24-MB01?fields=sku']) {
      const match = admin.matchPath('GET', input);
      assert.equal(match?.operation.pathTemplate, '/V1/products/{sku}', input);
      assert.deepEqual(match?.pathParams, { sku: '24-MB01' });
    }
  });
  test('path parameters are urldecoded like Route::match', () => {
    const match = load('admin').matchPath('GET', '/V1/products/MH01%2FXS+Black');
    assert.deepEqual(match?.pathParams, { sku: 'MH01/XS Black' });
  });
  test('routes with 2, 3 and 4 path parameters', () => {
    const admin = load('admin');
    assert.deepEqual(admin.matchPath('GET', '/V1/inventory/is-product-salable/24-MB01/1')?.pathParams, { sku: '24-MB01', stockId: '1' });
    assert.deepEqual(admin.matchPath('GET', '/V1/inventory/is-product-salable-for-requested-qty/24-MB01/1/5')?.pathParams, { sku: '24-MB01', stockId: '1', requestedQty: '5' });
    const four = admin.matchPath('POST', '/V1/products/24-MB01/group-prices/1/tiers/10/price/9.5');
    assert.equal(four?.operation.pathTemplate, '/V1/products/{sku}/group-prices/{customerGroupId}/tiers/{qty}/price/{price}');
    assert.deepEqual(four?.pathParams, { sku: '24-MB01', customerGroupId: '1', qty: '10', price: '9.5' });
  });
  test('an exact literal route wins outright', () => {
    const match = load('admin').matchPath('GET', '/V1/products/attributes/types');
    assert.equal(match?.operation.pathTemplate, '/V1/products/attributes/types');
    assert.deepEqual(match?.pathParams, {});
  });
  test('several matches: a literal segment beats a parameter (`:` sorts before letters, last wins)', () => {
    // Both /V1/products/{sku}/options and /V1/products/attributes/{attributeCode} match.
    const match = load('admin').matchPath('GET', '/V1/products/attributes/options');
    assert.equal(match?.operation.pathTemplate, '/V1/products/attributes/{attributeCode}');
    assert.deepEqual(match?.pathParams, { attributeCode: 'options' });
  });
  const synthetic = MagentoSchema.parse({
    swagger: '2.0',
    paths: {
      '/V1/foo/{id}/bar': { get: { operationId: 'param' } },
      '/V1/foo/1x/{name}': { get: { operationId: 'digitLiteral' } },
      '/V1/foo/ax/{name}': { get: { operationId: 'letterLiteral' } },
    },
  });
  test('…but a literal starting with a digit sorts before `:` and loses, exactly as in Magento', () => {
    assert.equal(synthetic.matchPath('GET', '/V1/foo/ax/bar')?.operation.operationId, 'letterLiteral');
    assert.equal(synthetic.matchPath('GET', '/V1/foo/1x/bar')?.operation.operationId, 'param');
  });
  test('no route, wrong method or wrong segment count → undefined', () => {
    const admin = load('admin');
    assert.equal(admin.matchPath('GET', '/V1/nosuch/thing'), undefined);
    assert.equal(admin.matchPath('PATCH', '/V1/products/x'), undefined);
    assert.equal(admin.matchPath('GET', '/V1/products/a/b/c/d/e/f'), undefined);
  });
  test('normalizeRequestPath strips host, query, /rest/<store>, async prefixes', () => {
    assert.equal(normalizeRequestPath('http://h:8080/rest/default/V1/products?x=1#f'), '/V1/products');
    assert.equal(normalizeRequestPath('/rest/default/async/bulk/V1/products'), '/V1/products');
    assert.equal(normalizeRequestPath('/rest/async/V1/products'), '/V1/products');
    assert.equal(normalizeRequestPath('V1/products'), '/V1/products');
  });
});

describe('definitions and errors', () => {
  test('definition() resolves by ref or bare name', () => {
    const admin = load('admin');
    assert.equal(admin.definition('#/definitions/catalog-data-product-interface').properties?.['sku']?.type, 'string');
    assert.deepEqual(admin.definition('framework-attribute-interface').required, ['attribute_code', 'value']);
  });
  test('$ref cycles and dangling refs give SchemaError, not a hang', () => {
    const schema = MagentoSchema.parse({ swagger: '2.0', paths: {}, definitions: { a: { $ref: '#/definitions/b' }, b: { $ref: '#/definitions/a' } } });
    assert.match(schemaError(() => schema.definition('a')).message, /cycle/);
    assert.match(schemaError(() => schema.definition('nope')).message, /points to no definition/);
  });
  test('broken documents are rejected with what is wrong', () => {
    assert.match(schemaError(() => MagentoSchema.parse('{not json')).message, /not valid JSON/);
    assert.match(schemaError(() => MagentoSchema.parse([])).message, /JSON object/);
    assert.match(schemaError(() => MagentoSchema.parse({ openapi: '3.0.0', paths: {} })).message, /OpenAPI 3/);
    assert.match(schemaError(() => MagentoSchema.parse({ swagger: '1.2', paths: {} })).message, /swagger/);
    assert.match(schemaError(() => MagentoSchema.parse({ swagger: '2.0' })).message, /paths/);
    assert.match(
      schemaError(() => MagentoSchema.parse({ swagger: '2.0', paths: { '/V1/x': { get: { parameters: [{ name: 'a', in: 'cookie' }] } } } })).message,
      /paths\."\/V1\/x"\.get: parameters\[0\]\.in/,
    );
    assert.match(schemaError(() => MagentoSchema.parse({ swagger: '2.0', paths: { 'V1/x': {} } })).message, /must start with/);
  });
});

describe('fieldTree', () => {
  test('GET /V1/products response: items (list of objects), extension_attributes, custom_attributes, search_criteria', () => {
    const admin = load('admin');
    const operation = admin.operation('GET', '/V1/products')!;
    const tree = buildFieldTree(admin, operation.responseDefinitionRef!);
    assert.deepEqual(tree.map((node) => [node.name, node.kind]), [['items', 'objectArray'], ['search_criteria', 'object'], ['total_count', 'scalar']]);
    const items = findFieldNode(tree, 'items')!;
    assert.equal(items.definitionRef, '#/definitions/catalog-data-product-interface');
    assert.ok(items.children!.some((node) => node.name === 'sku' && node.type === 'string'));
    const extension = findFieldNode(tree, 'items.extension_attributes')!;
    assert.equal(extension.isExtensionAttributes, true);
    const stockQty = findFieldNode(tree, 'items.extension_attributes.stock_item.qty');
    assert.equal(stockQty?.type, 'number');
    assert.equal(findFieldNode(tree, 'items.extension_attributes.website_ids')?.kind, 'array');
    const custom = findFieldNode(tree, 'items.custom_attributes')!;
    assert.equal(custom.isCustomAttributes, true);
    assert.deepEqual(custom.children?.map((node) => node.name), ['attribute_code', 'value']);
    assert.equal(findFieldNode(tree, 'search_criteria.filter_groups')?.kind, 'objectArray');
    // The picker's tree validates the example selection without warnings.
    const validation = validateFields('items[sku,price,extension_attributes[stock_item[qty]],custom_attributes[color]],total_count', tree);
    assert.deepEqual(validation.warnings, []);
  });
  test('depth limit leaves expandable nodes; expanding continues from there', () => {
    const admin = load('admin');
    const tree = buildFieldTree(admin, 'catalog-data-product-search-results-interface', { maxDepth: 2 });
    const extension = findFieldNode(tree, 'items.extension_attributes')!;
    assert.equal(extension.expandable, true);
    assert.equal(extension.children, undefined);
    const children = expandFieldNode(admin, extension);
    assert.ok(children.some((node) => node.name === 'stock_item' && node.path === 'items.extension_attributes.stock_item'));
  });
  test('recursive definitions are cut and marked', () => {
    const schema = MagentoSchema.parse({
      swagger: '2.0',
      paths: {},
      definitions: { category: { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/definitions/category' } } } } },
    });
    const tree = buildFieldTree(schema, 'category', { maxDepth: 10 });
    assert.equal(findFieldNode(tree, 'children')?.recursive, true);
  });
  test('customAttributeCodes gathers codes from a response', () => {
    const response = { items: [{ custom_attributes: [{ attribute_code: 'size', value: '1' }, { attribute_code: 'color', value: '2' }] }, { custom_attributes: [{ attribute_code: 'size', value: '3' }] }] };
    assert.deepEqual(customAttributeCodes(response, 'items.custom_attributes'), ['color', 'size']);
  });
});

describe('bodySkeleton', () => {
  test('POST /V1/products: required fields only', () => {
    const admin = load('admin');
    const operation = admin.operation('POST', '/V1/products')!;
    assert.deepEqual(buildBodySkeleton(admin, operation.bodyParam!.schema!), { product: { sku: 'string' } });
  });
  test('with optional fields: typed example values, lists with one element, finite for recursive definitions', () => {
    const admin = load('admin');
    const full = buildBodySkeleton(admin, admin.operation('POST', '/V1/products')!.bodyParam!.schema!, { includeOptional: true }) as { product: Record<string, unknown>; saveOptions: unknown };
    assert.equal(full.saveOptions, false);
    assert.equal(full.product['price'], 0);
    assert.equal(full.product['name'], 'string');
    assert.deepEqual(full.product['custom_attributes'], [{ attribute_code: 'string', value: 'string' }]);
    assert.ok(JSON.stringify(full).length < 2_000_000);
    const schema = MagentoSchema.parse({
      swagger: '2.0',
      paths: {},
      definitions: { node: { type: 'object', required: ['child', 'kind'], properties: { kind: { type: 'string', enum: ['a', 'b'] }, child: { $ref: '#/definitions/node' } } } },
    });
    assert.deepEqual(buildBodySkeleton(schema, 'node'), { kind: 'a', child: {} });
  });
});
