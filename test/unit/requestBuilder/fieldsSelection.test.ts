import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkState, customAttributeCodes, selectPath, selectionOf, setCustomAttributeCodes, toFieldsString, unselectPath } from '../../../src/core/requestBuilder/fieldsSelection';

describe('fields picker selection', () => {
  test('checking boxes produces Magento fields strings', () => {
    let tree = selectionOf('')!;
    tree = selectPath(tree, ['items', 'sku']);
    tree = selectPath(tree, ['items', 'price']);
    tree = selectPath(tree, ['items', 'extension_attributes', 'stock_item', 'qty']);
    tree = selectPath(tree, ['total_count']);
    assert.equal(toFieldsString(tree), 'items[sku,price,extension_attributes[stock_item[qty]]],total_count');
    assert.equal(checkState(tree, ['items']), 'partial');
    assert.equal(checkState(tree, ['items', 'sku']), 'checked');
    assert.equal(checkState(tree, ['items', 'name']), 'unchecked');
  });

  test('a whole selection implies its descendants; unchecking prunes empty parents', () => {
    let tree = selectionOf('items[extension_attributes],total_count')!;
    assert.equal(checkState(tree, ['items', 'extension_attributes', 'stock_item']), 'implied');
    assert.equal(toFieldsString(selectPath(tree, ['items', 'extension_attributes', 'stock_item'])), 'items[extension_attributes],total_count');
    tree = unselectPath(tree, ['items', 'extension_attributes']);
    assert.equal(toFieldsString(tree), 'total_count');
    assert.equal(toFieldsString(selectPath(selectionOf('items[sku]')!, ['items'])), 'items');
  });

  test('custom_attributes take attribute codes', () => {
    let tree = selectionOf('items[sku]')!;
    tree = setCustomAttributeCodes(tree, ['items', 'custom_attributes'], ['color', ' size ', 'bad code', '']);
    assert.equal(toFieldsString(tree), 'items[sku,custom_attributes[color,size]]');
    assert.deepEqual(customAttributeCodes(tree, ['items', 'custom_attributes']), ['color', 'size']);
    assert.equal(toFieldsString(setCustomAttributeCodes(tree, ['items', 'custom_attributes'], [])), 'items[sku]');
  });

  test('invalid text is not a selection', () => {
    assert.equal(selectionOf('items[sku'), undefined);
    assert.equal(selectionOf('items sku'), undefined);
  });
});
