import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  csvColumns, detectItemFormat, ItemFileError, parseCsvItems, parseFieldPath, parseItemFile, parseJsonArrayItems, parseJsonLinesItems,
} from '../../../src/core/convert/itemFiles';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MagentoSchema } from '../../../src/core/schema/swaggerSchema';
import { schemaRouteCatalog } from '../../../src/core/convert/schemaRouteCatalog';
import { fieldSuggestions, guessField } from '../../../src/core/convert/fieldSuggestions';

describe('itemFiles', () => {
  test('detects the format from the name, then the content', () => {
    assert.equal(detectItemFormat('a.csv', '[1]'), 'csv');
    assert.equal(detectItemFormat('a.jsonl', '[1]'), 'jsonl');
    assert.equal(detectItemFormat('a.json', '\uFEFF  [ {} ]'), 'json');
    assert.equal(detectItemFormat('a.txt', '{"a":1}\n{"a":2}'), 'jsonl');
    assert.equal(detectItemFormat('a.txt', 'sku,price\n'), 'csv');
  });

  test('JSON array: items with their line numbers; BOM tolerated', () => {
    const loaded = parseJsonArrayItems('\uFEFF[\n  {"sku": "a"},\n  {"sku": "b,]"},\n  3\n]');
    assert.deepEqual(loaded.items, [{ sku: 'a' }, { sku: 'b,]' }, 3]);
    assert.deepEqual(loaded.lines, [2, 3, 4]);
  });

  test('JSON array: an error names the item and its line', () => {
    assert.throws(() => parseJsonArrayItems('[\n{"a":1},\n{"a":}\n]'), (e: unknown) => e instanceof ItemFileError && e.line === 3 && /item 2 \(line 3\)/.test(e.message));
    assert.throws(() => parseJsonArrayItems('{"a":1}'), /must hold a list/);
  });

  test('JSON lines: blank lines skipped, errors name the line', () => {
    const loaded = parseJsonLinesItems('{"a":1}\r\n\r\n{"a":2}\n');
    assert.deepEqual(loaded.items, [{ a: 1 }, { a: 2 }]);
    assert.deepEqual(loaded.lines, [1, 3]);
    assert.throws(() => parseJsonLinesItems('{"a":1}\n{oops}\n'), (e: unknown) => e instanceof ItemFileError && e.line === 2);
  });

  test('CSV: BOM, quoted fields with commas, quotes and newlines; mapping to dotted paths with types', () => {
    const csv = '\uFEFFSKU,Price,Active,Name,Color\n"24-MB01","29.5",yes,"Bag, ""big""\nmodel",red\n24-MB02,30,0,Plain,\n';
    assert.deepEqual(csvColumns(csv), ['SKU', 'Price', 'Active', 'Name', 'Color']);
    const loaded = parseCsvItems(csv, {
      mapping: [
        { column: 'SKU', field: 'product.sku' },
        { column: 'Price', field: 'product.price', type: 'number' },
        { column: 'Active', field: 'product.status', type: 'boolean' },
        { column: 'Name', field: 'product.name' },
        { column: 'Color', field: 'product.custom_attributes[0].value' },
      ],
    });
    assert.deepEqual(loaded.items, [
      { product: { sku: '24-MB01', price: 29.5, status: true, name: 'Bag, "big"\nmodel', custom_attributes: [{ value: 'red' }] } },
      { product: { sku: '24-MB02', price: 30, status: false, name: 'Plain' } },
    ]);
    assert.deepEqual(loaded.lines, [2, 4]);
  });

  test('CSV: default mapping is column name → field, strings; semicolon delimiter detected; empty cells options', () => {
    const loaded = parseCsvItems('sku;qty\na;1\nb;\n');
    assert.deepEqual(loaded.items, [{ sku: 'a', qty: '1' }, { sku: 'b' }]);
    assert.deepEqual(parseCsvItems('sku,qty\nb,\n', { empty: 'null' }).items, [{ sku: 'b', qty: null }]);
    assert.deepEqual(parseCsvItems('sku,qty\nb,\n', { empty: 'string' }).items, [{ sku: 'b', qty: '' }]);
  });

  test('CSV errors carry row and line numbers', () => {
    assert.throws(() => parseCsvItems('sku,qty\na,1\nb,x\n', { mapping: [{ column: 'qty', field: 'qty', type: 'integer' }] }),
      (e: unknown) => e instanceof ItemFileError && e.row === 2 && e.line === 3 && /row 2 \(line 3\), column "qty": "x" is not an integer/.test(e.message));
    assert.throws(() => parseCsvItems('sku,qty\na,1,extra\n'), (e: unknown) => e instanceof ItemFileError && e.line === 2);
    assert.throws(() => parseCsvItems('sku\n"open\n'), (e: unknown) => e instanceof ItemFileError && /Quote Not Closed/.test(e.message));
    assert.throws(() => parseCsvItems('sku\na\n', { mapping: [{ column: 'SKU', field: 'sku' }] }), /column "SKU" is not in the CSV header \(sku\)/);
    assert.throws(() => parseCsvItems('', {}), /empty/);
  });

  test('field paths', () => {
    assert.deepEqual(parseFieldPath('product.custom_attributes[2].value'), ['product', 'custom_attributes', 2, 'value']);
    assert.deepEqual(parseFieldPath('a[0][1]'), ['a', 0, 1]);
    assert.throws(() => parseFieldPath('a..b'), ItemFileError);
  });

  test('parseItemFile dispatches on the format', () => {
    assert.equal(parseItemFile('x.csv', 'a\n1\n').items.length, 1);
    assert.equal(parseItemFile('x.json', '[{}, {}]').items.length, 2);
    assert.equal(parseItemFile('x.jsonl', '{}\n{}\n{}').items.length, 3);
  });
});

describe('CSV field suggestions from the schema', () => {
  test('PUT /V1/products/{sku}: path param, product fields typed, guesses by column name', () => {
    const catalog = schemaRouteCatalog(MagentoSchema.parse(readFileSync(resolve(__dirname, '../../../../shared/fixtures/magento-schema/admin-2.4.9.json'), 'utf8')));
    const route = catalog.match('PUT', '/V1/products/x')!.route;
    const suggestions = fieldSuggestions(route, catalog);
    const byField = new Map(suggestions.map((s) => [s.field, s.type]));
    assert.equal(byField.get('sku'), 'string');
    assert.equal(byField.get('product.price'), 'number');
    assert.equal(byField.get('product.status'), 'integer');
    assert.equal(byField.get('product.custom_attributes'), 'json');
    assert.equal(byField.get('saveOptions'), 'boolean');
    assert.equal(guessField('Price', suggestions)?.field, 'product.price');
    assert.equal(guessField('attribute_set_id', suggestions)?.field, 'product.attribute_set_id');
    assert.equal(guessField('SKU', suggestions)?.field, 'sku');
    assert.equal(guessField('nothing like it', suggestions), undefined);
  });
});
