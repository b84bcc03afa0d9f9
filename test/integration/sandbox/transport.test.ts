// Transport rules (contract §1, §3): store codes, processor order, Magento's error bodies,
// content negotiation, Content-Type errors, compression, control endpoints.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { request as httpRequest } from 'node:http';
import { SandboxClient } from './sandboxTestHelpers';

let sb: SandboxClient;
let admin: string;

before(async () => {
  sb = await SandboxClient.start({ seed: 7 });
  admin = await sb.adminToken();
});
after(() => sb.close());

/** Raw request with exact headers (fetch always adds Accept/Accept-Encoding). */
function raw(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const url = new URL(sb.baseUrl + path);
    const allHeaders = body === undefined ? headers : { ...headers, 'Content-Length': String(Buffer.byteLength(body)) };
    const req = httpRequest({ method, host: url.hostname, port: url.port, path: url.pathname + url.search, headers: allHeaders }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

describe('store codes and processor order', () => {
  test('default, de, all and no store code all reach the sync router', async () => {
    for (const prefix of ['/rest/default', '/rest/de', '/rest/all', '/rest', '/index.php/rest/default']) {
      const r = await sb.request('GET', `${prefix}/V1/products/MB-00001`, { token: admin });
      assert.equal(r.status, 200, prefix);
      assert.equal((r.json as { sku: string }).sku, 'MB-00001');
    }
  });

  test('an unknown store code is not stripped → 400 Specified request cannot be processed.', async () => {
    const r = await sb.request('GET', '/rest/nosuchstore/V1/products/MB-00001', { token: admin });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, { message: 'Specified request cannot be processed.' });
  });

  test('GET under /async and /async/bulk → 400 Specified request cannot be processed.', async () => {
    for (const path of ['/rest/default/async/V1/products/MB-00001', '/rest/default/async/bulk/V1/products/bySku']) {
      const r = await sb.request('GET', path, { token: admin });
      assert.equal(r.status, 400, path);
      assert.deepEqual(r.json, { message: 'Specified request cannot be processed.' });
    }
  });

  test('unknown route → 404 Request does not match any route.', async () => {
    const r = await sb.request('GET', '/rest/default/V1/no-such-thing', { token: admin });
    assert.equal(r.status, 404);
    assert.deepEqual(r.json, { message: 'Request does not match any route.' });
    const wrongMethod = await sb.request('PATCH', '/rest/default/V1/products', { token: admin });
    assert.equal(wrongMethod.status, 404, 'a known path with another method is still "no route", not 405');
  });

  test('schema prefix is handled before the sync processor, also for /rest/schema and /rest/all/schema', async () => {
    for (const path of ['/rest/default/schema', '/rest/schema', '/rest/all/schema']) {
      const r = await sb.request('GET', path);
      assert.equal(r.status, 200, path);
      assert.equal((r.json as { swagger: string }).swagger, '2.0');
    }
  });
});

describe('Magento error bodies', () => {
  test('405 for a method the REST request does not support, with %1 and a list parameter', async () => {
    const r = await raw('OPTIONS', '/rest/default/V1/products', { Accept: 'application/json' });
    assert.equal(r.status, 405);
    assert.deepEqual(JSON.parse(r.body.toString()), { message: 'The %1 HTTP method is not supported.', parameters: ['OPTIONS'] });
  });

  test('404 entity errors keep the raw phrase', async () => {
    const r = await sb.request('GET', '/rest/default/V1/products/does-not-exist', { token: admin });
    assert.equal(r.status, 404);
    assert.deepEqual(r.json, { message: "The product that was requested doesn't exist. Verify the product and try again." });
  });

  test('%fieldName phrases carry an object of parameters; several missing params give an aggregate', async () => {
    const one = await sb.request('POST', '/rest/default/V1/products', { token: admin, body: {} });
    assert.equal(one.status, 400);
    assert.deepEqual(one.json, { message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: 'product' } });
    const two = await sb.request('POST', '/rest/V1/integration/admin/token', { body: {} });
    assert.equal(two.status, 400);
    assert.deepEqual(two.json, {
      message: 'One or more input exceptions have occurred.',
      errors: [
        { message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: 'username' } },
        { message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: 'password' } },
      ],
    });
  });

  test('a scalar body value for an object parameter is a 400, not a 500 (MalformedRequestErrorHandlingTest)', async () => {
    const r = await sb.request('PUT', '/rest/default/V1/customers/1', { token: admin, body: { customer: '' } });
    assert.equal(r.status, 400);
  });

  test('a wrong scalar type in the path → 400 with %value/%type', async () => {
    const r = await sb.request('GET', '/rest/default/V1/customers/abc', { token: admin });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, { message: 'The "%value" value\'s type is invalid. The "%type" type was expected. Verify and try again.', parameters: { value: 'abc', type: 'int' } });
  });

  test('an unknown product property is masked as a 500 Internal Error with a report id', async () => {
    const r = await sb.request('POST', '/rest/default/V1/products', { token: admin, body: { product: { sku: 'x-1', name: 'X', price: 1, qty: 5 } } });
    assert.equal(r.status, 500);
    const body = r.json as { message: string; parameters: string[] };
    assert.equal(body.message, 'Internal Error. Details are available in Magento log file. Report ID: %1');
    assert.match(body.parameters[0] as string, /^webapi-\w+$/);
  });
});

describe('content negotiation and body decoding', () => {
  test('missing Accept means */* → JSON; application/json → JSON', async () => {
    for (const headers of [{}, { Accept: 'application/json' }, { Accept: '*/*' }, { Accept: 'application/*' }] as Array<Record<string, string>>) {
      const r = await raw('GET', '/rest/default/V1/products/MB-00001', { ...headers, Authorization: `Bearer ${admin}` });
      assert.equal(r.status, 200);
      assert.match(String(r.headers['content-type']), /^application\/json/);
    }
  });

  test('XML Accept types (browser default order) get XML', async () => {
    const r = await raw('GET', '/rest/default/V1/products/MB-00001', { Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', Authorization: `Bearer ${admin}` });
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /xml/);
    assert.match(r.body.toString(), /^<\?xml version="1.0"\?>\n<response><id>1<\/id><sku>MB-00001<\/sku>/);
  });

  test('nothing acceptable → 406 with the Accept header as %1', async () => {
    const r = await raw('GET', '/rest/default/V1/products/MB-00001', { Accept: 'text/html', Authorization: `Bearer ${admin}` });
    assert.equal(r.status, 406);
    assert.deepEqual(JSON.parse(r.body.toString()), {
      message: 'Server cannot match any of the given Accept HTTP header media type(s) from the request: "%1" with media types from the config of response renderer.',
      parameters: ['text/html'],
    });
  });

  test('Content-Type errors: empty, invalid, non-utf-8 charset, unknown media type; invalid JSON → Decoding error.', async () => {
    const body = JSON.stringify({ username: 'a', password: 'b' });
    const cases: Array<[Record<string, string>, string, unknown]> = [
      [{}, body, { message: 'Content-Type header is empty.' }],
      [{ 'Content-Type': 'application json' }, body, { message: 'Content-Type header is invalid.' }],
      [{ 'Content-Type': 'application/json; charset=iso-8859-1' }, body, { message: 'UTF-8 is the only supported charset.' }],
      [{ 'Content-Type': 'text/plain' }, body, { message: 'Server cannot understand Content-Type HTTP header media type %1', parameters: ['text/plain'] }],
      [{ 'Content-Type': 'application/json' }, '{"username": ', { message: 'Decoding error.' }],
    ];
    for (const [headers, payload, expected] of cases) {
      const r = await raw('POST', '/rest/V1/integration/admin/token', { Accept: 'application/json', ...headers }, payload);
      assert.equal(r.status, 400, JSON.stringify(headers));
      assert.deepEqual(JSON.parse(r.body.toString()), expected);
    }
    const utf8 = await raw('POST', '/rest/V1/integration/admin/token', { 'Content-Type': 'application/json; charset=UTF-8' }, JSON.stringify({ username: 'admin', password: sb.handle.credentials.admin.password }));
    assert.equal(utf8.status, 200);
  });

  test('GET never reads the body and sync DELETE ignores it', async () => {
    const r = await raw('GET', '/rest/default/V1/products/UG-00002', { Authorization: `Bearer ${admin}`, 'Content-Type': 'text/plain' }, 'not json');
    assert.equal(r.status, 200, r.body.toString());
    const del = await raw('DELETE', '/rest/default/V1/cmsBlock/5', { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' }, '{broken');
    assert.equal(del.status, 200, del.body.toString());
    assert.equal(del.body.toString(), 'true');
  });

  test('JSON is encoded like PHP json_encode: escaped slashes and \\u escapes', async () => {
    const r = await raw('GET', '/rest/default/V1/products/MB-00001', { Authorization: `Bearer ${admin}` });
    const text = r.body.toString();
    assert.match(text, /"image","value":"\\\/m\\\/b\\\/mb-00001-main.jpg"/);
  });

  test('gzip and br when the client accepts them; identity otherwise', async () => {
    const path = '/rest/default/V1/products?searchCriteria[pageSize]=5';
    const auth = { Authorization: `Bearer ${admin}`, Accept: 'application/json' };
    const gz = await raw('GET', path, { ...auth, 'Accept-Encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal((JSON.parse(gunzipSync(gz.body).toString()) as { items: unknown[] }).items.length, 5);
    const br = await raw('GET', path, { ...auth, 'Accept-Encoding': 'gzip;q=0.5, br' });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal((JSON.parse(brotliDecompressSync(br.body).toString()) as { total_count: number }).total_count, 3000);
    const plain = await raw('GET', path, { ...auth, 'Accept-Encoding': 'identity' });
    assert.equal(plain.headers['content-encoding'], undefined);
    const refused = await raw('GET', path, { ...auth, 'Accept-Encoding': 'br;q=0, gzip;q=0' });
    assert.equal(refused.headers['content-encoding'], undefined);
  });

  test('status 200 for sync creates; scalar returns are bare JSON', async () => {
    const r = await sb.request('POST', '/rest/default/V1/cmsBlock', { token: admin, body: { block: { identifier: 'transport-block', title: 'T' } } });
    assert.equal(r.status, 200);
    const del = await sb.request('DELETE', `/rest/default/V1/cmsBlock/${(r.json as { id: number }).id}`, { token: admin });
    assert.equal(del.text, 'true');
  });
});

describe('control endpoints', () => {
  test('stats count requests by route template and tokens issued', async () => {
    await sb.control('POST', 'reset');
    const token = await sb.adminToken();
    await sb.request('GET', '/rest/default/V1/products/MB-00001', { token });
    await sb.request('GET', '/rest/default/V1/products/UG-00002', { token });
    await sb.request('GET', '/rest/default/V1/nope', { token });
    const stats = await sb.control('GET', 'stats');
    assert.equal(stats.requests_total, 4);
    assert.deepEqual(stats.requests_by_route, { 'POST /V1/integration/admin/token': 1, 'GET /V1/products/:sku': 2, 'GET /V1/nope': 1 });
    assert.deepEqual(stats.tokens_issued, { admin: 1, customer: 0, tfa: 0, total: 1 });
    assert.ok(stats.operations_by_status && typeof stats.operations_by_status === 'object');
  });

  test('reset restores the seeded data', async () => {
    const token = await sb.adminToken();
    await sb.request('DELETE', '/rest/default/V1/products/MB-00001', { token });
    assert.equal((await sb.request('GET', '/rest/default/V1/products/MB-00001', { token })).status, 404);
    await sb.control('POST', 'reset');
    const fresh = await sb.adminToken();
    assert.equal((await sb.request('GET', '/rest/default/V1/products/MB-00001', { token: fresh })).status, 200);
  });

  test('config rejects unknown settings and bad types with a clear message', async () => {
    const res = await fetch(`${sb.baseUrl}/__sandbox/config`, { method: 'POST', body: JSON.stringify({ nope: true }) });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { error: string }).error, /unknown or read-only setting 'nope'/);
    const bad = await fetch(`${sb.baseUrl}/__sandbox/config`, { method: 'POST', body: JSON.stringify({ inputLimits: 'yes' }) });
    assert.equal(bad.status, 400);
    const unknown = await fetch(`${sb.baseUrl}/__sandbox/nothing`);
    assert.equal(unknown.status, 404);
  });
});
