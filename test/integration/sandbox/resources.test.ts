// Resources with state (issue 3): products CRUD with store scope, customers, inventory, orders and
// shipping, CMS pages/blocks, categories, store routes, and the deterministic seed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { SandboxClient } from './sandboxTestHelpers';

let sb: SandboxClient;
let token: string;

before(async () => {
  sb = await SandboxClient.start();
  token = await sb.adminToken();
});
after(() => sb.close());

const PRODUCT_404 = { message: "The product that was requested doesn't exist. Verify the product and try again." };

describe('seed', () => {
  test('products carry ~80 fields incl. custom and extension attributes', async () => {
    const p = (await sb.request('GET', '/rest/default/V1/products/MB-00001', { token })).json as Record<string, unknown>;
    const ext = p.extension_attributes as { stock_item: Record<string, unknown>; category_links: unknown[]; website_ids: number[] };
    const count = Object.keys(p).length + Object.keys(ext.stock_item).length + (p.custom_attributes as unknown[]).length;
    assert.ok(count >= 75, `only ${count} fields`);
    assert.deepEqual(ext.website_ids, [1]);
    assert.ok(ext.category_links.length >= 1);
  });

  test('the same seed gives the same store; another seed another catalog', async () => {
    const other = await SandboxClient.start({ seed: 2 });
    const again = await SandboxClient.start({ seed: 1 });
    try {
      const a = (await sb.request('GET', '/rest/default/V1/products/WP-00007', { token })).json as { name: string; price: number };
      const b = (await again.request('GET', '/rest/default/V1/products/WP-00007', { token: await again.adminToken() })).json as { name: string; price: number };
      const c = (await other.request('GET', '/rest/default/V1/products/WP-00007', { token: await other.adminToken() })).json as { name: string; price: number };
      assert.deepEqual(a, b);
      assert.notDeepEqual(a, c);
      assert.deepEqual(again.handle.credentials, sb.handle.credentials);
    } finally {
      await other.close();
      await again.close();
    }
  });
});

describe('products', () => {
  test('create, read, update through PUT (URL sku wins), delete', async () => {
    const created = await sb.request('POST', '/rest/default/V1/products', { token, body: { product: { sku: 'test-sku-1', name: 'Test One', price: 19.99, attribute_set_id: 4, extension_attributes: { stock_item: { qty: 7, is_in_stock: true } }, custom_attributes: [{ attribute_code: 'color', value: '49' }] } } });
    assert.equal(created.status, 200, created.text);
    const p = created.json as { id: number; sku: string; extension_attributes: { stock_item: { qty: number } } };
    assert.equal(p.sku, 'test-sku-1');
    assert.equal(p.extension_attributes.stock_item.qty, 7);
    const put = await sb.request('PUT', '/rest/default/V1/products/test-sku-1', { token, body: { product: { sku: 'ignored-other-sku', price: 25 } } });
    assert.equal(put.status, 200);
    assert.equal((put.json as { sku: string; price: number }).sku, 'test-sku-1');
    assert.equal((await sb.request('GET', '/rest/all/V1/products/test-sku-1', { token })).status, 200);
    assert.equal((await sb.request('GET', '/rest/default/V1/products/ignored-other-sku', { token })).status, 404);
    const del = await sb.request('DELETE', '/rest/default/V1/products/test-sku-1', { token });
    assert.equal(del.text, 'true');
    const gone = await sb.request('DELETE', '/rest/default/V1/products/test-sku-1', { token });
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.json, PRODUCT_404);
  });

  test('a SKU with reserved characters in the path, plus query params (ProductSkuTest)', async () => {
    const sku = 'SKU:@&=$\\,;1234';
    const created = await sb.request('POST', '/rest/default/V1/products', { token, body: { product: { sku, name: 'Test product 1', price: 5 } } });
    assert.equal(created.status, 200, created.text);
    // Sent as the Magento test framework sends it: the raw SKU in the path, then a query string.
    const url = new URL(sb.baseUrl);
    const rawPath = `/rest/default/V1/products/${sku}?assetId=${encodeURIComponent(`urn:aaid:aeme47fc635-c87e-4a7e-8eb1-f74b4b77866c${sku}`)}`;
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, path: rawPath, headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(`${res.statusCode} ${text}`));
      });
      req.on('error', reject);
      req.end();
    });
    assert.match(body, /^200 /);
    const product = JSON.parse(body.slice(4)) as { id: number; sku: string };
    assert.equal(product.sku, sku);
    assert.ok(product.id > 3000);
    const encoded = await sb.request('GET', `/rest/default/V1/products/${encodeURIComponent(sku)}`, { token });
    assert.equal((encoded.json as { sku: string }).sku, sku);
  });

  test('POST with an existing sku updates it (ProductRepository::save)', async () => {
    const r = await sb.request('POST', '/rest/default/V1/products', { token, body: { product: { sku: 'UG-00002', price: 3.5 } } });
    assert.equal(r.status, 200);
    assert.equal((r.json as { id: number; price: number }).id, 2);
    assert.equal((r.json as { price: number }).price, 3.5);
  });

  test('a new product without name/price or sku is a 400', async () => {
    const noName = await sb.request('POST', '/rest/default/V1/products', { token, body: { product: { sku: 'new-without-name' } } });
    assert.equal(noName.status, 400);
    assert.equal((noName.json as { message: string }).message, 'One or more input exceptions have occurred.');
    const noSku = await sb.request('POST', '/rest/default/V1/products', { token, body: { product: { name: 'x', price: 1 } } });
    assert.equal(noSku.status, 400);
  });

  test('store-view scope: a name saved through /rest/de shows only in de; /rest/all saves globally', async () => {
    await sb.request('PUT', '/rest/de/V1/products/MH-00004', { token, body: { product: { name: 'Kapuzenpullover' } } });
    const de = (await sb.request('GET', '/rest/de/V1/products/MH-00004', { token })).json as { name: string };
    const def = (await sb.request('GET', '/rest/default/V1/products/MH-00004', { token })).json as { name: string };
    assert.equal(de.name, 'Kapuzenpullover');
    assert.notEqual(def.name, 'Kapuzenpullover');
    await sb.request('PUT', '/rest/all/V1/products/MH-00004', { token, body: { product: { name: 'Global Hoodie' } } });
    assert.equal(((await sb.request('GET', '/rest/default/V1/products/MH-00004', { token })).json as { name: string }).name, 'Global Hoodie');
    assert.equal(((await sb.request('GET', '/rest/de/V1/products/MH-00004', { token })).json as { name: string }).name, 'Kapuzenpullover', 'the store-view value still overrides');
  });
});

describe('customers', () => {
  test('create (anonymous), duplicate e-mail in the same website → 400, get, update, search', async () => {
    const body = { customer: { email: 'new.person@example.com', firstname: 'New', lastname: 'Person', addresses: [{ firstname: 'New', lastname: 'Person', street: ['1 Road'], city: 'Austin', postcode: '78728', country_id: 'US', telephone: '555' }] }, password: 'Secret-123' };
    const created = await sb.request('POST', '/rest/default/V1/customers', { body });
    assert.equal(created.status, 200, created.text);
    const c = created.json as { id: number; addresses: Array<{ id: number; customer_id: number }> };
    assert.equal(c.addresses[0]?.customer_id, c.id);
    const dup = await sb.request('POST', '/rest/default/V1/customers', { body: { customer: { ...body.customer, email: 'NEW.person@example.com' } } });
    assert.equal(dup.status, 400);
    assert.deepEqual(dup.json, { message: 'A customer with the same email address already exists in an associated website.' });
    const got = await sb.request('GET', `/rest/default/V1/customers/${c.id}`, { token });
    assert.equal((got.json as { email: string }).email, 'new.person@example.com');
    const login = await sb.request('POST', '/rest/V1/integration/customer/token', { body: { username: 'new.person@example.com', password: 'Secret-123' } });
    assert.equal(login.status, 200);
    const upd = await sb.request('PUT', `/rest/default/V1/customers/${c.id}`, { token, body: { customer: { id: 9999, firstname: 'Renamed', lastname: 'Person', email: 'new.person@example.com' } } });
    assert.equal(upd.status, 200, upd.text);
    assert.equal((upd.json as { id: number; firstname: string }).id, c.id);
    assert.equal((upd.json as { firstname: string }).firstname, 'Renamed');
    const taken = await sb.request('PUT', `/rest/default/V1/customers/${c.id}`, { token, body: { customer: { firstname: 'R', lastname: 'P', email: sb.handle.credentials.customer.email } } });
    assert.equal(taken.status, 400);
  });

  test('PUT /V1/customers/me updates the token owner; a scalar customer is a 400; DELETE frees the e-mail', async () => {
    const created = await sb.request('POST', '/rest/default/V1/customers', { body: { customer: { email: 'me.test@example.com', firstname: 'Me', lastname: 'Test' }, password: 'Me-test-123' } });
    const id = (created.json as { id: number }).id;
    const login = await sb.request('POST', '/rest/V1/integration/customer/token', { body: { username: 'me.test@example.com', password: 'Me-test-123' } });
    const customerToken = login.json as string;
    const me = await sb.request('PUT', '/rest/default/V1/customers/me', { token: customerToken, body: { customer: { id: 1, firstname: 'Changed', lastname: 'Test', email: 'me.test@example.com' } } });
    assert.equal(me.status, 200, me.text);
    assert.equal((me.json as { id: number }).id, id, 'the id comes from the token, not the body');
    assert.equal(((await sb.request('GET', '/rest/default/V1/customers/1', { token })).json as { firstname: string }).firstname, 'Veronica');
    const scalar = await sb.request('PUT', '/rest/default/V1/customers/me', { token: customerToken, body: { customer: '' } });
    assert.equal(scalar.status, 400);
    // Deleting revokes the customer's JWTs issued before "now − 1 s" (JwtUserToken's Revoker).
    await sb.control('POST', 'clock', { advanceSeconds: 1 });
    assert.equal((await sb.request('DELETE', `/rest/default/V1/customers/${id}`, { token })).text, 'true');
    assert.equal((await sb.request('DELETE', `/rest/default/V1/customers/${id}`, { token })).status, 404);
    assert.equal((await sb.request('GET', '/rest/default/V1/customers/me', { token: customerToken })).status, 401);
    const again = await sb.request('POST', '/rest/default/V1/customers', { body: { customer: { email: 'me.test@example.com', firstname: 'Me', lastname: 'Again' } } });
    assert.equal(again.status, 200);
  });

  test('missing names/e-mail → aggregate 400; unknown id → 404 with %fieldName/%fieldValue', async () => {
    const bad = await sb.request('POST', '/rest/default/V1/customers', { body: { customer: { email: 'x@example.com' } } });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json, {
      message: 'One or more input exceptions have occurred.',
      errors: [
        { message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: 'firstname' } },
        { message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: 'lastname' } },
      ],
    });
    const customer = { email: 'pw@example.com', firstname: 'P', lastname: 'W' };
    const short = await sb.request('POST', '/rest/default/V1/customers', { body: { customer, password: 'Ab1!' } });
    assert.equal(short.status, 400);
    assert.deepEqual(short.json, { message: 'The password needs at least %1 characters. Create a new password and try again.', parameters: [8] });
    const weak = await sb.request('POST', '/rest/default/V1/customers', { body: { customer, password: 'alllowercase' } });
    assert.deepEqual(weak.json, { message: 'Minimum of different classes of characters in password is %1. Classes of characters: Lower Case, Upper Case, Digits, Special Characters.', parameters: [3] });
    const unknownKey = await sb.request('POST', '/rest/default/V1/customers', { body: { customer: { email: 'u@example.com', firstname: 'U', lastname: 'K', nickname: 'x' } } });
    assert.equal(unknownKey.status, 500, 'a property without accessor is masked like production mode');
    assert.equal((unknownKey.json as { message: string }).message, 'Internal Error. Details are available in Magento log file. Report ID: %1');
    const missing = await sb.request('GET', '/rest/default/V1/customers/424242', { token });
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json, { message: 'No such entity with %fieldName = %fieldValue', parameters: { fieldName: 'customerId', fieldValue: 424242 } });
  });
});

describe('inventory, orders, CMS, categories, stores', () => {
  test('source items: save (returns []) and read back; validation errors aggregate', async () => {
    const save = await sb.request('POST', '/rest/default/V1/inventory/source-items', { token, body: { sourceItems: [{ sku: 'MB-00001', source_code: 'eu_warehouse', quantity: 42, status: 1 }] } });
    assert.equal(save.status, 200);
    assert.equal(save.text, '[]');
    const read = await sb.request('GET', '/rest/default/V1/inventory/source-items?searchCriteria[filter_groups][0][filters][0][field]=sku&searchCriteria[filter_groups][0][filters][0][value]=MB-00001', { token });
    const stockQty = ((await sb.request('GET', '/rest/default/V1/products/MB-00001', { token })).json as { extension_attributes: { stock_item: { qty: number } } }).extension_attributes.stock_item.qty;
    const items = (read.json as { items: Array<{ source_code: string; quantity: number; status: number }> }).items;
    assert.deepEqual(items.map((i) => i.source_code), ['default', 'eu_warehouse']);
    assert.equal(items[0]?.quantity, stockQty);
    assert.deepEqual(items[1], { sku: 'MB-00001', source_code: 'eu_warehouse', quantity: 42, status: 1 });
    const bad = await sb.request('POST', '/rest/default/V1/inventory/source-items', { token, body: { sourceItems: [{ sku: '', source_code: 'nowhere', quantity: 'x' }] } });
    assert.equal(bad.status, 400);
    assert.equal((bad.json as { message: string }).message, 'Validation Failed');
    assert.ok(((bad.json as { errors: unknown[] }).errors).length >= 3);
  });

  test('orders: get, 404, ship → shipment id; shipping again → 400', async () => {
    const list = (await sb.request('GET', '/rest/default/V1/orders?searchCriteria[filter_groups][0][filters][0][field]=state&searchCriteria[filter_groups][0][filters][0][value]=processing&searchCriteria[pageSize]=1', { token })).json as { items: Array<{ entity_id: number; items: Array<{ qty_shipped: number }> }> };
    const order = list.items[0];
    assert.ok(order);
    const ship = await sb.request('POST', `/rest/default/V1/order/${order.entity_id}/ship`, { token, body: { notify: false } });
    assert.equal(ship.status, 200, ship.text);
    assert.match(ship.text, /^\d+$/);
    const after = (await sb.request('GET', `/rest/default/V1/orders/${order.entity_id}`, { token })).json as { state: string };
    assert.equal(after.state, 'complete');
    const again = await sb.request('POST', `/rest/default/V1/order/${order.entity_id}/ship`, { token, body: {} });
    assert.equal(again.status, 400);
    assert.equal((again.json as { message: string }).message, 'Shipment Document Validation Error(s):\n%1');
    const missing = await sb.request('GET', '/rest/default/V1/orders/99999', { token });
    assert.equal(missing.status, 404);
  });

  test('CMS pages: create, get, update through PUT /:id, duplicate identifier, delete, 404 with %1', async () => {
    const made = await sb.request('POST', '/rest/default/V1/cmsPage', { token, body: { page: { identifier: 'new-page', title: 'New', content: '<p>hi</p>' } } });
    assert.equal(made.status, 200, made.text);
    const id = (made.json as { id: number }).id;
    const upd = await sb.request('PUT', `/rest/default/V1/cmsPage/${id}`, { token, body: { page: { title: 'Renamed' } } });
    assert.equal((upd.json as { title: string; identifier: string }).title, 'Renamed');
    const dup = await sb.request('POST', '/rest/default/V1/cmsPage', { token, body: { page: { identifier: 'home', title: 'Dup' } } });
    assert.equal(dup.status, 400);
    assert.equal((await sb.request('DELETE', `/rest/default/V1/cmsPage/${id}`, { token })).text, 'true');
    const gone = await sb.request('GET', `/rest/default/V1/cmsPage/${id}`, { token });
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.json, { message: 'The CMS page with the "%1" ID doesn\'t exist.', parameters: [id] });
    const block = await sb.request('GET', '/rest/default/V1/cmsBlock/1', { token });
    assert.equal((block.json as { identifier: string }).identifier, 'footer_links_block');
  });

  test('categories: tree and single category; unknown id → 404', async () => {
    const tree = (await sb.request('GET', '/rest/default/V1/categories', { token })).json as { id: number; children_data: Array<{ name: string }> };
    assert.equal(tree.id, 2);
    assert.deepEqual(tree.children_data.map((c) => c.name), ['Gear', 'Men', 'Women', 'Sale', "What's New", 'Collections']);
    const bags = (await sb.request('GET', '/rest/default/V1/categories/4', { token })).json as { name: string; path: string };
    assert.equal(bags.name, 'Bags');
    assert.equal(bags.path, '1/2/3/4');
    const missing = await sb.request('GET', '/rest/default/V1/categories/999', { token });
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json, { message: 'No such entity with %fieldName = %fieldValue', parameters: { fieldName: 'id', fieldValue: 999 } });
  });

  test('stores: storeViews include admin; storeConfigs cover the two views', async () => {
    const views = (await sb.request('GET', '/rest/default/V1/store/storeViews', { token })).json as Array<{ code: string }>;
    assert.deepEqual(views.map((v) => v.code), ['admin', 'default', 'de']);
    const configs = (await sb.request('GET', '/rest/default/V1/store/storeConfigs', { token })).json as Array<{ code: string; locale: string }>;
    assert.deepEqual(configs.map((c) => [c.code, c.locale]), [['default', 'en_US'], ['de', 'de_DE']]);
    const onlyDe = (await sb.request('GET', '/rest/default/V1/store/storeConfigs?storeCodes[]=de', { token })).json as Array<{ code: string }>;
    assert.deepEqual(onlyDe.map((c) => c.code), ['de']);
  });
});
