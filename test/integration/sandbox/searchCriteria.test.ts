// searchCriteria on list routes (contract §4). Expectations are computed in the test from the
// unfiltered collection, independently of the sandbox's evaluator.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SandboxClient, q } from './sandboxTestHelpers';

interface Customer { id: number; email: string; firstname: string; lastname: string; group_id: number; store_id: number; gender: number; dob: string; created_at: string; default_billing?: string }
interface Product { id: number; sku: string; price: number; status: number; name: string; custom_attributes: Array<{ attribute_code: string; value: unknown }> }
interface Results<T> { items: T[]; search_criteria: Record<string, unknown>; total_count: number }

let sb: SandboxClient;
let token: string;
let customers: Customer[];
let products: Product[];

before(async () => {
  sb = await SandboxClient.start();
  token = await sb.adminToken();
  customers = ((await sb.request('GET', '/rest/default/V1/customers/search?searchCriteria=', { token })).json as Results<Customer>).items;
  products = ((await sb.request('GET', '/rest/default/V1/products?searchCriteria=', { token })).json as Results<Product>).items;
});
after(() => sb.close());

async function search<T>(path: string, query: string): Promise<Results<T>> {
  const r = await sb.request('GET', `${path}?${query}`, { token });
  assert.equal(r.status, 200, r.text);
  return r.json as Results<T>;
}

const f = (g: number, i: number, field: string, value: string, type?: string, style: 'snake' | 'camel' = 'snake'): Array<[string, string]> => {
  const groups = style === 'snake' ? 'filter_groups' : 'filterGroups';
  const ct = style === 'snake' ? 'condition_type' : 'conditionType';
  const out: Array<[string, string]> = [[`searchCriteria[${groups}][${g}][filters][${i}][field]`, field], [`searchCriteria[${groups}][${g}][filters][${i}][value]`, value]];
  if (type !== undefined) out.push([`searchCriteria[${groups}][${g}][filters][${i}][${ct}]`, type]);
  return out;
};

const ids = (items: Array<{ id: number }>): number[] => items.map((x) => x.id);

describe('searchCriteria grammar and combination', () => {
  test('seeded collections are complete without filters, and total_count matches', () => {
    assert.equal(customers.length, 60);
    assert.equal(products.length, 3000);
  });

  test('searchCriteria is required (CustomerRepositoryTest::testSearchCustomersUsingGETEmptyFilter)', async () => {
    const r = await sb.request('GET', '/rest/default/V1/customers/search', { token });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, { message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: 'searchCriteria' } });
  });

  test('snake_case, camelCase and search_criteria spellings give the same result', async () => {
    const lastname = customers[3]?.lastname as string;
    const expected = ids(customers.filter((c) => c.lastname === lastname));
    const snake = await search<Customer>('/rest/default/V1/customers/search', q(f(0, 0, 'lastname', lastname, 'eq')));
    const camel = await search<Customer>('/rest/default/V1/customers/search', q(f(0, 0, 'lastname', lastname, 'eq', 'camel')));
    const top = await search<Customer>('/rest/default/V1/customers/search', q(f(0, 0, 'lastname', lastname).map(([k, v]) => [k.replace('searchCriteria', 'search_criteria'), v])));
    assert.deepEqual(ids(snake.items), expected);
    assert.deepEqual(ids(camel.items), expected);
    assert.deepEqual(ids(top.items), expected);
  });

  test('filters in one group are ORed, groups are ANDed (testSearchCustomersMultipleFiltersWithSort)', async () => {
    const c1 = customers[5] as Customer;
    const c2 = customers[9] as Customer;
    const query = q([...f(0, 0, 'email', c1.email), ...f(0, 1, 'email', c2.email), ...f(1, 0, 'lastname', c1.lastname), ['searchCriteria[sortOrders][0][field]', 'email'], ['searchCriteria[sortOrders][0][direction]', 'ASC']]);
    const r = await search<Customer>('/rest/default/V1/customers/search', query);
    const expected = customers.filter((c) => (c.email === c1.email || c.email === c2.email) && c.lastname === c1.lastname);
    assert.equal(r.total_count, expected.length);
    assert.equal(r.items[0]?.id, c1.id);
    const none = await search<Customer>('/rest/default/V1/customers/search', q([...f(0, 0, 'email', c1.email), ...f(1, 0, 'email', c2.email)]));
    assert.equal(none.total_count, 0, 'two groups with different e-mails cannot both hold');
    assert.deepEqual(none.items, []);
  });

  test('non-contiguous indices are fine', async () => {
    const c = customers[7] as Customer;
    const r = await search<Customer>('/rest/default/V1/customers/search', q([...f(5, 3, 'email', c.email), ...f(9, 1, 'firstname', c.firstname)]));
    assert.deepEqual(ids(r.items), [c.id]);
  });
});

describe('condition types', () => {
  const price = (p: Product): number => p.price;
  const cases: Array<[string, string, string, (p: Product) => boolean]> = [
    ['eq', 'price', '', () => true],
    ['gt', 'price', '100', (p) => price(p) > 100],
    ['gteq', 'price', '100', (p) => price(p) >= 100],
    ['lt', 'price', '20', (p) => price(p) < 20],
    ['lteq', 'price', '20', (p) => price(p) <= 20],
    ['from', 'price', '240', (p) => price(p) >= 240],
    ['to', 'price', '10', (p) => price(p) <= 10],
    ['neq', 'status', '1', (p) => p.status !== 1],
    ['in', 'sku', 'MB-00001,UG-00002,NOPE', (p) => ['MB-00001', 'UG-00002'].includes(p.sku)],
    ['nin', 'status', '1', (p) => p.status !== 1],
    ['like', 'sku', 'MB-0001%', (p) => p.sku.startsWith('MB-0001')],
    ['like', 'sku', 'MB-0000_', (p) => /^MB-0000.$/.test(p.sku)],
    ['nlike', 'sku', '%-0%', (p) => !p.sku.includes('-0')],
    ['moreq', 'sku', 'MB-00008', (p) => p.sku === 'MB-00008'],
    ['no-such-type', 'sku', 'UG-00002', (p) => p.sku === 'UG-00002'],
  ];
  for (const [type, field, value, predicate] of cases) {
    if (value === '') continue;
    test(`${type} on ${field} = ${value}`, async () => {
      const r = await search<Product>('/rest/default/V1/products', q(f(0, 0, field, value, type)));
      const expected = products.filter(predicate);
      assert.equal(r.total_count, expected.length);
      assert.deepEqual(ids(r.items), ids(expected));
    });
  }

  test('a missing condition_type means eq; like is case-insensitive like MySQL', async () => {
    const r = await search<Product>('/rest/default/V1/products', q(f(0, 0, 'sku', 'mb-00001')));
    assert.deepEqual(ids(r.items), [1]);
    const like = await search<Product>('/rest/default/V1/products', q(f(0, 0, 'sku', 'mb-0000%', 'like')));
    assert.deepEqual(ids(like.items), ids(products.filter((p) => p.sku.startsWith('MB-0000'))));
  });

  test('from and to in separate groups give a range; in one group they are ORed', async () => {
    const range = await search<Product>('/rest/default/V1/products', q([...f(0, 0, 'price', '50', 'from'), ...f(1, 0, 'price', '60', 'to')]));
    assert.deepEqual(ids(range.items), ids(products.filter((p) => p.price >= 50 && p.price <= 60)));
    const or = await search<Product>('/rest/default/V1/products', q([...f(0, 0, 'price', '240', 'from'), ...f(0, 1, 'price', '10', 'to')]));
    assert.deepEqual(ids(or.items), ids(products.filter((p) => p.price >= 240 || p.price <= 10)));
  });

  test('null / notnull ignore the value (customers without a default billing address)', async () => {
    const without = customers.filter((c) => c.default_billing === undefined);
    const n = await search<Customer>('/rest/default/V1/customers/search', q([['searchCriteria[filter_groups][0][filters][0][field]', 'default_billing'], ['searchCriteria[filter_groups][0][filters][0][condition_type]', 'null']]));
    assert.deepEqual(ids(n.items), ids(without));
    const nn = await search<Customer>('/rest/default/V1/customers/search', q(f(0, 0, 'default_billing', 'ignored', 'notnull')));
    assert.equal(nn.total_count, customers.length - without.length);
  });

  test('finset / nfinset on a multiselect attribute (activity) and on category_ids', async () => {
    const activity = (p: Product): string => String(p.custom_attributes.find((c) => c.attribute_code === 'activity')?.value ?? '');
    const sample = activity(products[0] as Product).split(',')[0] as string;
    const r = await search<Product>('/rest/default/V1/products', q(f(0, 0, 'activity', sample, 'finset')));
    assert.deepEqual(ids(r.items), ids(products.filter((p) => activity(p).split(',').includes(sample))));
    const nr = await search<Product>('/rest/default/V1/products', q(f(0, 0, 'activity', sample, 'nfinset')));
    assert.equal(nr.total_count, products.length - r.total_count);
    const sale = await search<Product>('/rest/default/V1/products', q(f(0, 0, 'category_ids', '13', 'finset')));
    const inSale = products.filter((p) => (p.custom_attributes.find((c) => c.attribute_code === 'category_ids')?.value as string[]).includes('13'));
    assert.equal(sale.total_count, inSale.length);
    assert.ok(sale.total_count > 0);
  });
});

describe('sorting, paging, limits, echo', () => {
  test('sorting ASC/DESC, direction case-insensitive, secondary order', async () => {
    const r = await search<Customer>('/rest/default/V1/customers/search', q([['searchCriteria[sortOrders][0][field]', 'lastname'], ['searchCriteria[sortOrders][0][direction]', 'asc'], ['searchCriteria[sortOrders][1][field]', 'id'], ['searchCriteria[sortOrders][1][direction]', 'DESC']]));
    const expected = [...customers].sort((a, b) => (a.lastname.toLowerCase() < b.lastname.toLowerCase() ? -1 : a.lastname.toLowerCase() > b.lastname.toLowerCase() ? 1 : b.id - a.id));
    assert.deepEqual(ids(r.items), ids(expected));
    assert.deepEqual((r.search_criteria.sort_orders as unknown[])[0], { field: 'lastname', direction: 'ASC' });
  });

  test('a sort order without direction sorts DESC and echoes no direction', async () => {
    const r = await search<Product>('/rest/default/V1/products', q([['searchCriteria[sortOrders][0][field]', 'price'], ['searchCriteria[pageSize]', 3]]));
    const expected = [...products].sort((a, b) => b.price - a.price).slice(0, 3);
    assert.deepEqual(r.items.map((p) => p.price), expected.map((p) => p.price));
    assert.deepEqual(r.search_criteria.sort_orders, [{ field: 'price' }]);
  });

  test('bad direction and restricted sort field → Magento 400s', async () => {
    const dir = await sb.request('GET', `/rest/default/V1/products?${q([['searchCriteria[sortOrders][0][field]', 'price'], ['searchCriteria[sortOrders][0][direction]', 'up']])}`, { token });
    assert.equal(dir.status, 400);
    assert.deepEqual(dir.json, { message: 'The sort order has to be specified as %1 for ascending order or %2 for descending order.', parameters: ['ASC', 'DESC'] });
    const field = await sb.request('GET', `/rest/default/V1/products?${q([['searchCriteria[sortOrders][0][field]', 'price;drop']])}`, { token });
    assert.equal(field.status, 400);
    assert.deepEqual(field.json, { message: 'Sort order field %1 contains restricted symbols', parameters: ['price;drop'] });
  });

  test('paging: total_count ignores paging; past the end → items []; currentPage < 1 → page 1', async () => {
    const page2 = await search<Customer>('/rest/default/V1/customers/search', q([['searchCriteria[pageSize]', 7], ['searchCriteria[currentPage]', 2]]));
    assert.deepEqual(ids(page2.items), ids(customers.slice(7, 14)));
    assert.equal(page2.total_count, 60);
    const past = await search<Customer>('/rest/default/V1/customers/search', q([['searchCriteria[pageSize]', 7], ['searchCriteria[currentPage]', 99]]));
    assert.deepEqual(past.items, []);
    assert.equal(past.total_count, 60);
    const zero = await search<Customer>('/rest/default/V1/customers/search', q([['searchCriteria[pageSize]', 7], ['searchCriteria[currentPage]', 0]]));
    assert.deepEqual(ids(zero.items), ids(customers.slice(0, 7)));
    assert.equal(zero.search_criteria.current_page, 0, 'the echo shows what was sent');
    const last = await search<Customer>('/rest/default/V1/customers/search', q([['searchCriteria[pageSize]', 7], ['searchCriteria[currentPage]', 9]]));
    assert.deepEqual(ids(last.items), ids(customers.slice(56)));
  });

  test('without input limits an absent pageSize returns everything and is absent from the echo (#35310)', async () => {
    const r = await search<Product>('/rest/default/V1/products', 'searchCriteria=');
    assert.equal(r.items.length, 3000);
    assert.deepEqual(r.search_criteria, { filter_groups: [] });
  });

  test('with input limits: default page size 20 (echoed) and Maximum SearchCriteria pageSize is %max', async () => {
    await sb.control('POST', 'config', { inputLimits: true });
    try {
      const r = await search<Product>('/rest/default/V1/products', 'searchCriteria=');
      assert.equal(r.items.length, 20);
      assert.equal(r.total_count, 3000);
      assert.equal(r.search_criteria.page_size, 20);
      const ok = await search<Product>('/rest/default/V1/products', q([['searchCriteria[pageSize]', 300]]));
      assert.equal(ok.items.length, 300);
      const tooBig = await sb.request('GET', `/rest/default/V1/products?${q([['searchCriteria[pageSize]', 301]])}`, { token });
      assert.equal(tooBig.status, 400);
      assert.deepEqual(tooBig.json, { message: 'Maximum SearchCriteria pageSize is %max', parameters: { max: 300 } });
    } finally {
      await sb.control('POST', 'config', { inputLimits: false });
    }
  });

  test('with input limits: arrays of objects above complex_array_limit → Maximum items of type "%type" is %max', async () => {
    await sb.control('POST', 'config', { inputLimits: true });
    try {
      const many = Array.from({ length: 21 }, (_, i) => ({ sku: 'MB-00001', source_code: i % 2 ? 'default' : 'eu_warehouse', quantity: i, status: 1 }));
      const r = await sb.request('POST', '/rest/default/V1/inventory/source-items', { token, body: { sourceItems: many } });
      assert.equal(r.status, 400);
      assert.deepEqual(r.json, { message: 'Maximum items of type "%type" is %max', parameters: { type: 'Magento\\InventoryApi\\Api\\Data\\SourceItemInterface', max: 20 } });
      // A full product (35 custom attributes) trips the same rule, as on a real store with limits on.
      const product = (await sb.request('GET', '/rest/default/V1/products/MB-00001', { token })).json as Record<string, unknown>;
      const save = await sb.request('PUT', '/rest/default/V1/products/MB-00001', { token, body: { product } });
      assert.equal(save.status, 400);
      assert.deepEqual((save.json as { parameters: unknown }).parameters, { type: 'Magento\\Framework\\Api\\AttributeInterface', max: 20 });
      assert.equal((await sb.request('POST', '/rest/default/V1/inventory/source-items', { token, body: { sourceItems: many.slice(0, 20) } })).status, 200);
    } finally {
      await sb.control('POST', 'config', { inputLimits: false });
    }
    const product = (await sb.request('GET', '/rest/default/V1/products/MB-00001', { token })).json as Record<string, unknown>;
    assert.equal((await sb.request('PUT', '/rest/default/V1/products/MB-00001', { token, body: { product } })).status, 200, 'no limit with input limits off');
    // Back to the seeded data for the tests that count collections.
    await sb.control('POST', 'reset');
    token = await sb.adminToken();
  });

  test('the echo: snake_case, string values, int paging, absent members omitted (OperationRepositoryInterfaceTest style)', async () => {
    const r = await search<Customer>('/rest/default/V1/customers/search', q([...f(0, 0, 'group_id', '1', 'eq', 'camel'), ['searchCriteria[filterGroups][0][filters][1][field]', 'dob'], ['searchCriteria[filterGroups][0][filters][1][conditionType]', 'notnull'], ['searchCriteria[pageSize]', '5'], ['searchCriteria[currentPage]', '1']]));
    assert.deepEqual(r.search_criteria, {
      filter_groups: [{ filters: [{ field: 'group_id', value: '1', condition_type: 'eq' }, { field: 'dob', condition_type: 'notnull' }] }],
      page_size: 5,
      current_page: 1,
    });
    assert.deepEqual(Object.keys(r), ['items', 'search_criteria', 'total_count']);
  });

  test('other list routes: orders, source items, CMS pages/blocks', async () => {
    const orders = await search<{ entity_id: number; status: string }>('/rest/default/V1/orders', q([...f(0, 0, 'status', 'complete'), ['searchCriteria[pageSize]', 5]]));
    assert.ok(orders.total_count > 0);
    assert.ok(orders.items.every((o) => o.status === 'complete'));
    const sources = await search<{ sku: string; source_code: string }>('/rest/default/V1/inventory/source-items', q(f(0, 0, 'source_code', 'eu_warehouse')));
    assert.equal(sources.total_count, 750);
    const pages = await search<{ identifier: string }>('/rest/default/V1/cmsPage/search', q(f(0, 0, 'identifier', '%cookie%', 'like')));
    assert.deepEqual(pages.items.map((p) => p.identifier), ['enable-cookies', 'privacy-policy-cookie-restriction-mode']);
    const blocks = await search<{ id: number }>('/rest/default/V1/cmsBlock/search', 'searchCriteria[pageSize]=2&searchCriteria[currentPage]=3');
    assert.deepEqual(ids(blocks.items), [5]);
  });

  test('PageRepositoryTest::testSearch: (id1 OR id3) AND (title 2 OR is_active), identifier ASC, page 2 of size 1', async () => {
    const suffix = Date.now().toString(36);
    const made: Record<string, string> = {};
    for (const [key, title, active] of [['first', 'Page title 1', true], ['second', 'Page title 2', false], ['third', 'Page title 3', true]] as const) {
      const r = await sb.request('POST', '/rest/default/V1/cmsPage', { token, body: { page: { title, identifier: `page-title-${key === 'first' ? 1 : key === 'second' ? 2 : 3}${suffix}`, is_active: active } } });
      assert.equal(r.status, 200, r.text);
      made[key] = (r.json as { identifier: string }).identifier;
    }
    const query = q([
      ...f(0, 0, 'identifier', made.first as string, 'eq'),
      ...f(0, 1, 'identifier', made.third as string, 'eq'),
      ...f(1, 0, 'title', 'Page title 2', 'eq'),
      ...f(1, 1, 'is_active', '1', 'eq'),
      ['searchCriteria[sort_orders][0][field]', 'identifier'],
      ['searchCriteria[sort_orders][0][direction]', 'ASC'],
      ['searchCriteria[page_size]', 1],
      ['searchCriteria[current_page]', 2],
    ]);
    const r = await search<{ identifier: string }>('/rest/default/V1/cmsPage/search', query);
    assert.equal(r.total_count, 2);
    assert.equal(r.items.length, 1);
    assert.equal(r.items[0]?.identifier, made.third);
  });

  test('PageRepositoryTest::testCreateSamePage: an identifier is free again after delete', async () => {
    const identifier = `page-${Date.now().toString(36)}`;
    const first = await sb.request('POST', '/rest/default/V1/cmsPage', { token, body: { page: { identifier, title: 'Page title' } } });
    assert.equal((await sb.request('DELETE', `/rest/default/V1/cmsPage/${(first.json as { id: number }).id}`, { token })).status, 200);
    assert.equal((await sb.request('POST', '/rest/default/V1/cmsPage', { token, body: { page: { identifier, title: 'Page title' } } })).status, 200);
  });

  test('a numeric field name on customer search is a 400 (MalformedRequestErrorHandlingTest)', async () => {
    const r = await sb.request('GET', '/rest/default/V1/customers/search?searchCriteria[filterGroups][0][filters][0][field]=1', { token });
    assert.equal(r.status, 400);
  });
});
