import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  FieldsFilterInternalError,
  applyFieldsFilter,
  formatFields,
  parseFields,
  parseFieldsLikeMagento,
  validateFields,
  type FieldsTree,
} from '../../../src/core/search/fieldsFilter';

/** The customer response of Magento's FieldsFilterTest (shape and key order as Magento renders it). */
function customerResponse(): Record<string, unknown> {
  const address = (city: string, region: string, regionCode: string, regionId: string, postcode: string, id: string): Record<string, unknown> => ({
    firstname: 'Jane',
    lastname: 'Doe',
    street: ['7700  Parmer ln'],
    city,
    country_id: 'US',
    region: { region, region_id: regionId, region_code: regionCode },
    postcode,
    telephone: '1111111111',
    default_billing: true,
    default_shipping: true,
    id,
    customer_id: '1',
  });
  return {
    customer: {
      id: '1',
      website_id: '0',
      created_in: 'Default Store View',
      store_id: '1',
      group_id: '1',
      custom_attributes: [{ attribute_code: 'disable_auto_group_change', value: '0' }],
      firstname: 'Jane',
      lastname: 'Doe',
      email: 'jdoe@example.com',
      default_billing: '1',
      default_shipping: '1',
      created_at: '2014-05-27 18:59:43',
      dob: '1983-05-26 00:00:00',
      taxvat: '1212121212',
      gender: '1',
    },
    addresses: [address('Austin', 'Texas', 'TX', '57', '78728', '2'), address('San Jose', 'California', 'CA', '12', '98454', '3')],
  };
}

/** Compares values and key order, as the JSON Magento would send. */
function assertSameJson(actual: unknown, expected: unknown): void {
  assert.equal(JSON.stringify(actual), JSON.stringify(expected));
}

describe('applyFieldsFilter: contract §5 cases F1-F10', () => {
  const R = customerResponse();
  test('F1 `customer` keeps the whole object', () => {
    assertSameJson(applyFieldsFilter(R, 'customer'), { customer: R['customer'] });
  });
  test('F2 `customer[email,id]` keeps response order (id before email)', () => {
    assertSameJson(applyFieldsFilter(R, 'customer[email,id]'), { customer: { id: '1', email: 'jdoe@example.com' } });
  });
  const f3 = {
    customer: { id: '1', email: 'jdoe@example.com' },
    addresses: [
      { city: 'Austin', region: { region: 'Texas', region_code: 'TX' }, postcode: '78728' },
      { city: 'San Jose', region: { region: 'California', region_code: 'CA' }, postcode: '98454' },
    ],
  };
  test('F3 nested lists and objects', () => {
    assertSameJson(applyFieldsFilter(R, 'customer[id,email],addresses[city,postcode,region[region_code,region]]'), f3);
  });
  test('F4 an unknown name is ignored', () => {
    const expected = { customer: f3.customer, addresses: f3.addresses.map(({ region, postcode }) => ({ region, postcode })) };
    assertSameJson(applyFieldsFilter(R, 'customer[id,email],addresses[invalid,postcode,region[region_code,region]]'), expected);
  });
  test('F5 two spaces → []', () => {
    assert.deepEqual(applyFieldsFilter(R, '  '), []);
  });
  test('F6 a non-string parameter → []', () => {
    assert.deepEqual(applyFieldsFilter(R, ['customer']), []);
    assert.deepEqual(applyFieldsFilter(R, { a: 'b' }), []);
  });
  test('F7 `customer(email)` → []', () => {
    assert.deepEqual(applyFieldsFilter(R, 'customer(email)'), []);
  });
  test('F8 a leading space → []', () => {
    assert.deepEqual(applyFieldsFilter(R, ' customer[email]'), []);
  });
  test('F9 `-` → []', () => {
    assert.deepEqual(applyFieldsFilter(R, '-'), []);
  });
  test('F10 a missing final `]` → []', () => {
    assert.deepEqual(applyFieldsFilter(R, 'customer[id,email],addresses[city,postcode,region[region_code,region]'), []);
  });
});

describe('applyFieldsFilter: other semantics (§5.2)', () => {
  const list = {
    items: [
      { id: 1, sku: '24-MB01', name: 'Joust Duffle Bag', price: 34, extension_attributes: { website_ids: [1], stock_item: { item_id: 1, qty: 100, is_in_stock: true } },
        custom_attributes: [{ attribute_code: 'color', value: '49' }, { attribute_code: 'size', value: '167' }, { attribute_code: 'description', value: '<p>Bag</p>' }] },
      { id: 2, sku: '24-MB04', name: 'Strive Shoulder Pack', price: 32, extension_attributes: { website_ids: [1], stock_item: { item_id: 2, qty: 0, is_in_stock: false } },
        custom_attributes: [{ attribute_code: 'size', value: '168' }] },
    ],
    search_criteria: { filter_groups: [] },
    total_count: 2,
  };
  test('falsy parameter (absent, "", "0") → no filtering', () => {
    assert.equal(applyFieldsFilter(list, undefined), list);
    assert.equal(applyFieldsFilter(list, ''), list);
    assert.equal(applyFieldsFilter(list, '0'), list);
  });
  test('scalar responses ignore fields', () => {
    assert.equal(applyFieldsFilter(true, 'items'), true);
    assert.equal(applyFieldsFilter('token', 'items'), 'token');
    assert.equal(applyFieldsFilter(42, 'x'), 42);
  });
  test('list broadcast, nested objects, search_criteria dropped unless listed', () => {
    assertSameJson(applyFieldsFilter(list, 'items[sku,extension_attributes[stock_item[qty]]],total_count'), {
      items: [{ sku: '24-MB01', extension_attributes: { stock_item: { qty: 100 } } }, { sku: '24-MB04', extension_attributes: { stock_item: { qty: 0 } } }],
      total_count: 2,
    });
  });
  test('a bracketed filter over a scalar keeps the scalar', () => {
    assertSameJson(applyFieldsFilter(list, 'total_count[x]'), { total_count: 2 });
  });
  test('nothing matches → []; an object filtered to nothing renders []', () => {
    assert.deepEqual(applyFieldsFilter(list, 'nosuch'), []);
    assertSameJson(applyFieldsFilter({ a: { b: 1 } }, 'a[zz]'), { a: [] });
  });
  test('a bracketed filter over an empty list → null', () => {
    assertSameJson(applyFieldsFilter({ items: [], total_count: 0 }, 'items[sku],total_count'), { items: null, total_count: 0 });
    assertSameJson(applyFieldsFilter({ items: [], total_count: 0 }, 'items,total_count'), { items: [], total_count: 0 });
  });
  test('top-level list responses are filtered per element', () => {
    assertSameJson(applyFieldsFilter([{ id: 1, code: 'a' }, { id: 2, code: 'b' }], 'code'), [{ code: 'a' }, { code: 'b' }]);
    assert.equal(applyFieldsFilter([], 'code'), null);
  });
  test('custom_attributes: names are attribute codes; kept entries are {attribute_code, value}; sparse indices become an object', () => {
    assertSameJson(applyFieldsFilter(list, 'items[sku,custom_attributes[size]]'), {
      items: [
        { sku: '24-MB01', custom_attributes: { '1': { attribute_code: 'size', value: '167' } } },
        { sku: '24-MB04', custom_attributes: [{ attribute_code: 'size', value: '168' }] },
      ],
    });
  });
  test('custom_attributes[attribute_code] projects the code of every entry', () => {
    assertSameJson(applyFieldsFilter(list, 'items[custom_attributes[attribute_code]]'), {
      items: [
        { custom_attributes: [{ attribute_code: 'color' }, { attribute_code: 'size' }, { attribute_code: 'description' }] },
        { custom_attributes: [{ attribute_code: 'size' }] },
      ],
    });
  });
  test('a stray `]` files the part before it under "" (dropped), the rest still applies', () => {
    assertSameJson(applyFieldsFilter(list, 'sku],total_count'), { total_count: 2 });
  });
  test('a `[` after a comma attaches to the previous name, as Magento parses it', () => {
    assertSameJson(applyFieldsFilter({ a: { b: 1, c: 2 } }, 'a,[b]'), { a: { b: 1 } });
  });
  test('a bracketed filter over a list of scalars is a PHP TypeError (500)', () => {
    assert.throws(() => applyFieldsFilter(list, 'items[extension_attributes[website_ids[x]]]'), FieldsFilterInternalError);
  });
  test('a repeated name: the last selection wins at the first position', () => {
    assertSameJson(applyFieldsFilter({ a: { b: 1, c: 2 }, d: 3 }, 'a[b],d,a'), { a: { b: 1, c: 2 }, d: 3 });
  });
});

describe('parseFields (strict, for people)', () => {
  test('parses nested lists; empty items ignored', () => {
    assert.deepEqual(parseFields('items[sku,price,extension_attributes[stock_item[qty]]],,total_count,'), {
      ok: true,
      tree: [
        { name: 'items', children: [{ name: 'sku' }, { name: 'price' }, { name: 'extension_attributes', children: [{ name: 'stock_item', children: [{ name: 'qty' }] }] }] },
        { name: 'total_count' },
      ],
    });
    assert.deepEqual(parseFields(''), { ok: true, tree: [] });
  });
  const failure = (spec: string): { error: string; position?: number } => {
    const result = parseFields(spec);
    assert.equal(result.ok, false, `expected "${spec}" to be rejected`);
    return result as { error: string; position?: number };
  };
  test('bad character: which one and where', () => {
    const space = failure('items[sku, name]');
    assert.equal(space.position, 10);
    assert.match(space.error, /a space at position 10/);
    assert.match(space.error, /empty body/);
    assert.equal(failure('items.sku').position, 5);
    assert.equal(failure('naïve').position, 2);
    assert.match(failure('a%2Cb').error, /"%"/);
  });
  test('unclosed `[`: the position of the bracket never closed', () => {
    const result = failure('customer[id,email],addresses[city,region[region_code,region]');
    assert.equal(result.position, 28);
    assert.match(result.error, /never closed/);
    assert.match(result.error, /addresses/);
  });
  test('stray `]`', () => {
    const result = failure('sku],name');
    assert.equal(result.position, 3);
    assert.match(result.error, /closes nothing/);
  });
  test('empty name before `[`', () => {
    assert.equal(failure('[sku]').position, 0);
    assert.equal(failure('a,[b]').position, 2);
    assert.equal(failure('a[b,[c]]').position, 4);
  });
  test('a name right after `]` is a missing comma', () => {
    assert.equal(failure('a[b]c').position, 4);
  });
});

describe('validateFields', () => {
  test('falsy values: no filtering', () => {
    assert.deepEqual(validateFields('').filtering, false);
    const zero = validateFields('0');
    assert.equal(zero.filtering, false);
    assert.match(zero.warnings[0]!, /falsy/);
  });
  test('invalid for Magento → emptyResponse with the reason; a stray `]` is not an empty body', () => {
    const invalid = validateFields('items[sku');
    assert.equal(invalid.emptyResponse, true);
    assert.equal(invalid.position, 5);
    const stray = validateFields('sku],name');
    assert.equal(stray.emptyResponse, false);
    assert.ok(stray.error);
  });
  test('unknown names warn when the field tree is known', () => {
    const known = [
      { name: 'items', children: [{ name: 'sku' }, { name: 'custom_attributes', isCustomAttributes: true, children: [{ name: 'attribute_code' }, { name: 'value' }] }] },
      { name: 'total_count' },
    ];
    const result = validateFields('items[sku,skew,custom_attributes[color]],total_count', known);
    assert.equal(result.emptyResponse, false);
    assert.deepEqual(result.warnings, ['"skew" is not a field of items: Magento ignores it.']);
    const none = validateFields('nothing', known);
    assert.ok(none.warnings.some((warning) => /would answer \[\]/.test(warning)));
    assert.ok(validateFields('items[]', known).warnings.some((warning) => /selects nothing/.test(warning)));
  });
});

const name = fc.stringMatching(/^[A-Za-z0-9_]{1,8}$/);
const fieldsTree: fc.Arbitrary<FieldsTree> = fc.letrec<{ tree: FieldsTree }>((tie) => ({
  tree: fc.uniqueArray(
    fc.record({ name, children: fc.option(tie('tree'), { nil: undefined, depthSize: 'small' }) }),
    { minLength: 1, maxLength: 4, selector: (node) => node.name },
  ).map((nodes) => nodes.map((node) => (node.children ? { name: node.name, children: node.children } : { name: node.name }))),
})).tree;

function toMagentoShape(tree: FieldsTree): unknown {
  return Object.fromEntries(tree.map((node) => [node.name, node.children ? toMagentoShape(node.children) : 1]));
}
function magentoMapToObject(map: ReturnType<typeof parseFieldsLikeMagento>): unknown {
  if (map === null) return null;
  return Object.fromEntries([...map].map(([key, value]) => [key, value === 1 ? 1 : magentoMapToObject(value)]));
}

describe('round trips (property-based)', () => {
  test('parseFields(formatFields(tree)) == tree', () => {
    fc.assert(fc.property(fieldsTree, (tree) => {
      const parsed = parseFields(formatFields(tree));
      assert.deepEqual(parsed, { ok: true, tree: JSON.parse(JSON.stringify(tree)) as FieldsTree });
    }), { numRuns: 400 });
  });
  test('the strict parser and Magento’s parser agree on valid strings', () => {
    fc.assert(fc.property(fieldsTree, (tree) => {
      const spec = formatFields(tree);
      assert.deepEqual(magentoMapToObject(parseFieldsLikeMagento(spec)), toMagentoShape(tree));
    }), { numRuns: 300 });
  });
  test('whatever parseFields rejects for a bad character, Magento answers [] too', () => {
    fc.assert(fc.property(fc.string({ maxLength: 20 }), (spec) => {
      const strict = parseFields(spec);
      const magento = parseFieldsLikeMagento(spec);
      if (magento === null && spec !== '') assert.equal(strict.ok, false);
      if (strict.ok && spec !== '') assert.notEqual(magento, null);
    }), { numRuns: 500 });
  });
});
