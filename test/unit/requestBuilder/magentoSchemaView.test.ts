import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MagentoSchemaView } from '../../../src/core/requestBuilder/magentoSchemaView';
import { type FieldNode } from '../../../src/protocol/requestBuilderProtocol';

const fixture = (name: string): unknown => JSON.parse(readFileSync(resolve(__dirname, '../../../../shared/fixtures/magento-schema', name), 'utf8'));

describe('schema view for the request builder (admin 2.4.9 schema)', () => {
  const view = MagentoSchemaView.parse(fixture('admin-2.4.9.json'));

  test('lists operations with list/body flags', () => {
    const ops = view.operations();
    assert.ok(ops.length > 300);
    const list = ops.find((o) => o.method === 'GET' && o.pathTemplate === '/V1/products');
    assert.equal(list?.isList, true);
    assert.equal(list?.hasBody, false);
    const save = ops.find((o) => o.method === 'PUT' && o.pathTemplate === '/V1/products/{sku}');
    assert.equal(save?.hasBody, true);
    assert.deepEqual(save?.pathParams, ['sku']);
  });

  test('GET /V1/products: items tree with extension_attributes and custom_attributes, item fields for filters', () => {
    const detail = view.describe('GET', '/V1/products');
    assert.ok(detail);
    const names = detail.responseFields.map((f) => f.name);
    assert.deepEqual([...names].sort(), ['items', 'search_criteria', 'total_count']);
    const items = detail.responseFields.find((f) => f.name === 'items')!;
    assert.equal(items.kind, 'array');
    const child = (node: FieldNode, name: string): FieldNode | undefined => node.children?.find((c) => c.name === name);
    assert.equal(child(items, 'sku')?.kind, 'scalar');
    assert.equal(child(items, 'custom_attributes')?.kind, 'custom_attributes');
    const stock = child(child(items, 'extension_attributes')!, 'stock_item');
    assert.equal(stock?.kind, 'object');
    assert.ok(child(stock!, 'qty'));
    assert.ok(detail.itemFields.some((f) => f.name === 'sku'));
    assert.ok(!detail.itemFields.some((f) => f.name === 'extension_attributes'));
    assert.equal(detail.bodySkeleton, '');
  });

  test('writes get a JSON body skeleton', () => {
    const detail = view.describe('POST', '/V1/products');
    assert.ok(detail);
    const body = JSON.parse(detail.bodySkeleton) as { product?: unknown };
    assert.ok(body.product && typeof body.product === 'object');
  });

  test('unknown operations are undefined', () => {
    assert.equal(view.describe('GET', '/V1/nothing'), undefined);
  });
});
