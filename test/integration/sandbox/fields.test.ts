// `fields` partial responses (contract §5), incl. the FieldsFilter test table F1–F10 adapted to
// the sandbox's customer (GET /V1/customers/1).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SandboxClient } from './sandboxTestHelpers';

interface Address { id: number; region: { region_code: string; region: string; region_id: number }; postcode: string; city: string }
interface Customer { id: number; email: string; firstname: string; addresses: Address[] }

let sb: SandboxClient;
let token: string;
let full: Customer;

before(async () => {
  sb = await SandboxClient.start();
  token = await sb.adminToken();
  full = (await sb.request('GET', '/rest/default/V1/customers/1', { token })).json as Customer;
});
after(() => sb.close());

async function get(path: string, fields: string | undefined): Promise<{ status: number; json: unknown; text: string }> {
  const sep = path.includes('?') ? '&' : '?';
  return sb.request('GET', fields === undefined ? path : `${path}${sep}fields=${encodeURIComponent(fields)}`, { token });
}

describe('FieldsFilter table F1–F10 on GET /V1/customers/1', () => {
  test('F1: a name without brackets keeps the whole value', async () => {
    const r = await get('/rest/default/V1/customers/1', 'addresses');
    assert.deepEqual(r.json, { addresses: full.addresses });
  });

  test('F2: keys follow the response order, not the filter order', async () => {
    const r = await get('/rest/default/V1/customers/1', 'email,id');
    assert.equal(r.text, JSON.stringify({ id: 1, email: full.email }));
  });

  test('F3: nested brackets and list broadcast over addresses', async () => {
    const r = await get('/rest/default/V1/customers/1', 'id,email,addresses[city,postcode,region[region_code,region]]');
    const expected = {
      id: 1,
      email: full.email,
      addresses: full.addresses.map((a) => ({ region: { region_code: a.region.region_code, region: a.region.region }, postcode: a.postcode, city: a.city })),
    };
    assert.equal(r.text, JSON.stringify(expected));
    assert.equal(full.addresses.length, 2, 'the seeded customer has two addresses');
  });

  test('F4: unknown names are ignored', async () => {
    const r = await get('/rest/default/V1/customers/1', 'id,email,addresses[invalid,postcode,region[region_code,region]]');
    assert.deepEqual(r.json, { id: 1, email: full.email, addresses: full.addresses.map((a) => ({ region: { region_code: a.region.region_code, region: a.region.region }, postcode: a.postcode })) });
  });

  for (const [label, spec] of [['F5 two spaces', '  '], ['F7 parentheses', 'addresses(email)'], ['F8 leading space', ' email'], ['F9 dash', '-'], ['F10 unclosed bracket', 'id,email,addresses[city,postcode,region[region_code,region]']] as const) {
    test(`${label}: an invalid filter gives [] with 200`, async () => {
      const r = await get('/rest/default/V1/customers/1', spec);
      assert.equal(r.status, 200);
      assert.equal(r.text, '[]');
    });
  }

  test('F6: no fields parameter → the full response; empty and "0" are falsy too', async () => {
    assert.deepEqual((await get('/rest/default/V1/customers/1', undefined)).json, full);
    assert.deepEqual((await get('/rest/default/V1/customers/1', '')).json, full);
    assert.deepEqual((await get('/rest/default/V1/customers/1', '0')).json, full);
  });
});

describe('fields on other responses', () => {
  test('search results: items broadcast; search_criteria and total_count only when listed', async () => {
    const r = await get('/rest/default/V1/products?searchCriteria[pageSize]=2', 'items[sku,extension_attributes[stock_item[qty]]],total_count');
    const body = r.json as { items: Array<{ sku: string; extension_attributes: { stock_item: { qty: number } } }>; total_count: number };
    assert.deepEqual(Object.keys(body), ['items', 'total_count']);
    assert.deepEqual(Object.keys(body.items[0] as object), ['sku', 'extension_attributes']);
    assert.deepEqual(Object.keys((body.items[0] as { extension_attributes: object }).extension_attributes), ['stock_item']);
    assert.equal(body.total_count, 3000);
  });

  test('custom_attributes[...] matches attribute codes; attribute_code/value project every entry', async () => {
    const product = (await get('/rest/default/V1/products/MB-00001', undefined)).json as { custom_attributes: Array<{ attribute_code: string; value: unknown }> };
    const pick = await get('/rest/default/V1/products/MB-00001', 'sku,custom_attributes[url_key,color]');
    const wanted = product.custom_attributes.filter((c) => c.attribute_code === 'url_key' || c.attribute_code === 'color');
    // The matching entries keep their original list indices, so PHP renders them as an object.
    const indices = wanted.map((w) => String(product.custom_attributes.indexOf(w)));
    assert.deepEqual((pick.json as { custom_attributes: Record<string, unknown> }).custom_attributes, Object.fromEntries(indices.map((k, i) => [k, wanted[i]])));
    const codes = await get('/rest/default/V1/products/MB-00001', 'custom_attributes[attribute_code]');
    assert.deepEqual((codes.json as { custom_attributes: unknown[] }).custom_attributes, product.custom_attributes.map((c) => ({ attribute_code: c.attribute_code })));
  });

  test('a bracketed filter over an empty list gives null', async () => {
    const r = await get('/rest/default/V1/products?searchCriteria[filter_groups][0][filters][0][field]=sku&searchCriteria[filter_groups][0][filters][0][value]=none', 'items[sku],total_count');
    assert.deepEqual(r.json, { items: null, total_count: 0 });
  });

  test('nothing matching → []', async () => {
    const r = await get('/rest/default/V1/customers/1', 'nothing_here');
    assert.equal(r.text, '[]');
  });

  test('top-level list responses are filtered element by element', async () => {
    const r = await get('/rest/default/V1/store/storeViews', 'code,id');
    assert.deepEqual(r.json, [{ id: 0, code: 'admin' }, { id: 1, code: 'default' }, { id: 2, code: 'de' }]);
  });

  test('scalar results ignore fields (a token stays a string)', async () => {
    const r = await sb.request('POST', '/rest/V1/integration/admin/token?fields=items', { body: { username: 'admin', password: sb.handle.credentials.admin.password } });
    assert.equal(r.status, 200);
    assert.match(r.text, /^"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"$/, 'the whole JWT, not a fields projection');
  });

  test('fields also applies to POST and PUT responses', async () => {
    const r = await sb.request('PUT', '/rest/default/V1/products/MB-00008?fields=sku,price', { token, body: { product: { price: 12.5 } } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { sku: 'MB-00008', price: 12.5 });
  });
});
