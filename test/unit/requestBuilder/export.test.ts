import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { toCurl, shellQuote, maskHeaderValue } from '../../../src/core/export/curlExport';
import { toHttpFileRequest, appendHttpRequest, requestName } from '../../../src/core/export/httpFileExport';

const request = {
  method: 'GET',
  url: 'http://127.0.0.1:8080/rest/default/V1/products?searchCriteria%5BpageSize%5D=5&fields=items%5Bsku%5D',
  headers: { Accept: 'application/json', Authorization: 'Bearer abcdefghijklmnop' },
};

describe('cURL export', () => {
  test('masks the Authorization header by default and keeps the scheme', () => {
    const curl = toCurl(request);
    assert.ok(!curl.includes('abcdefghijklmnop'));
    assert.match(curl, /Authorization: Bearer \*\*\*/);
    assert.match(curl, /--compressed/);
  });

  test('reveals secrets only when asked', () => {
    assert.ok(toCurl(request, { revealSecrets: true }).includes('Bearer abcdefghijklmnop'));
  });

  test('masks OAuth headers and password-looking body values', () => {
    assert.equal(maskHeaderValue('authorization', 'OAuth oauth_consumer_key="k", oauth_signature="s"'), 'OAuth ***');
    const curl = toCurl({ method: 'POST', url: 'http://x/rest/V1/integration/admin/token', headers: {}, body: '{"username":"admin","password":"hunter22"}' });
    assert.ok(!curl.includes('hunter22'));
    assert.match(curl, /-X POST/);
  });

  test('quotes values so a POSIX shell reads them back exactly', () => {
    const nasty = `it's "quoted" $HOME \`id\` & ; | <x> ü %25 [0]`;
    const quoted = shellQuote(nasty);
    const echoed = execFileSync('sh', ['-c', `printf %s ${quoted}`], { encoding: 'utf8' });
    assert.equal(echoed, nasty);
  });

  test('the generated command is valid shell (parsed by sh -n)', () => {
    const curl = toCurl({ method: 'PUT', url: "http://x/rest/V1/products/it's", headers: { 'Content-Type': 'application/json' }, body: `{"name":"O'Brien & Sons"}` });
    execFileSync('sh', ['-n', '-c', curl]);
  });
});

describe('.http export', () => {
  const base = { method: 'GET', baseUrl: 'https://shop.example.com/', pathAndQuery: '/rest/default/V1/products?searchCriteria=', headers: { Accept: 'application/json', Authorization: 'Bearer secret-token-123' }, authKind: 'admin' };

  test('writes a REST Client / httpYac request with a variable instead of the token', () => {
    const text = toHttpFileRequest(base);
    assert.ok(!text.includes('secret-token-123'));
    const lines = text.split('\n');
    assert.equal(lines[0], '@baseUrl = https://shop.example.com');
    assert.ok(lines.includes('### GET /rest/default/V1/products'));
    assert.ok(lines.includes('# @name get_products'));
    assert.ok(lines.includes('GET {{baseUrl}}/rest/default/V1/products?searchCriteria='));
    assert.ok(lines.includes('Authorization: Bearer {{adminToken}}'));
  });

  test('a body follows a blank line', () => {
    const text = toHttpFileRequest({ ...base, method: 'POST', pathAndQuery: '/rest/default/V1/products', body: '{"product":{}}' });
    assert.match(text, /\n\n\{"product":\{\}\}\n$/);
  });

  test('appending reuses the same @baseUrl and inlines a different one', () => {
    const first = toHttpFileRequest(base);
    const same = appendHttpRequest(first, { ...base, pathAndQuery: '/rest/default/V1/orders' });
    assert.equal(same.match(/@baseUrl/g)?.length, 1);
    assert.match(same, /GET \{\{baseUrl\}\}\/rest\/default\/V1\/orders/);
    const other = appendHttpRequest(first, { ...base, baseUrl: 'https://other.example.com' });
    assert.equal(other.match(/@baseUrl =/g)?.length, 1);
    assert.match(other, /GET https:\/\/other\.example\.com\/rest\/default\/V1\/products/);
  });

  test('request names come from the path', () => {
    assert.equal(requestName('GET', '/rest/default/V1/products/{sku}'), 'get_products_sku');
    assert.equal(requestName('POST', '/rest/all/async/bulk/V1/products'), 'post_async_bulk_products');
  });
});
