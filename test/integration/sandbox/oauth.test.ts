// OAuth 1.0a signed requests (contract §2.7), signed by an independent helper in the test.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { SandboxClient, oauthBaseString, oauthHeader, pct, type OAuthKeys } from './sandboxTestHelpers';

let sb: SandboxClient;
let keys: OAuthKeys;

before(async () => {
  sb = await SandboxClient.start({ enableIntegrationAsBearer: false });
  keys = sb.handle.credentials.integration;
});
after(() => sb.close());

const nonce = (): string => randomBytes(12).toString('hex');
const now = async (): Promise<number> => Math.floor(Date.parse((await sb.control('GET', 'clock')).now as string) / 1000);

async function signed(method: string, path: string, opts: { body?: unknown; formBody?: string; formFields?: Array<[string, string]>; signatureMethod?: string; version?: string | null; override?: Record<string, string>; timestamp?: number; nonce?: string; sign?: { method?: string; url?: string } } = {}) {
  const url = sb.baseUrl + path;
  const header = oauthHeader(
    { method: opts.sign?.method ?? method, url: opts.sign?.url ?? url, keys, nonce: opts.nonce ?? nonce(), timestamp: opts.timestamp ?? (await now()), signatureMethod: opts.signatureMethod, version: opts.version, formFields: opts.formFields },
    opts.override,
  );
  const headers: Record<string, string> = { Authorization: header };
  if (opts.formBody !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  return sb.request(method, path, { headers, body: opts.body, rawBody: opts.formBody });
}

describe('the test signer', () => {
  test('matches the HMAC-SHA1 example of the OAuth 1.0 spec (photos.example.net)', () => {
    const params: Array<[string, string]> = [
      ['oauth_consumer_key', 'dpf43f3p2l4k3l03'], ['oauth_token', 'nnch734d00sl2jdk'], ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '1191242096'], ['oauth_nonce', 'kllo9940pd9333jh'], ['oauth_version', '1.0'], ['file', 'vacation.jpg'], ['size', 'original'],
    ];
    const base = oauthBaseString('GET', 'http://photos.example.net/photos?file=vacation.jpg&size=original', params);
    assert.equal(base, 'GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal');
    assert.equal(createHmac('sha1', 'kd94hf93k423kf44&pfkkdhi9sl3r4s00').update(base).digest('base64'), 'tR3+Ty81lMeYAr/Fid0kMTYa/WM=');
  });

  test('a hand-written base string for a bracketed searchCriteria query', () => {
    const base = oauthBaseString('get', 'http://127.0.0.1:8080/rest/default/V1/products?searchCriteria[pageSize]=2', [['oauth_nonce', 'n'], ['searchCriteria[pageSize]', '2'], ['oauth_consumer_key', 'ck']]);
    assert.equal(base, 'GET&http%3A%2F%2F127.0.0.1%3A8080%2Frest%2Fdefault%2FV1%2Fproducts&oauth_consumer_key%3Dck%26oauth_nonce%3Dn%26searchCriteria%255BpageSize%255D%3D2');
    assert.equal(pct('a b~*'), 'a%20b~%2A');
  });
});

describe('OAuth 1.0a verification', () => {
  test('a signed GET with bracketed query keys is accepted as the integration', async () => {
    const r = await signed('GET', '/rest/default/V1/products?searchCriteria[filter_groups][0][filters][0][field]=sku&searchCriteria[filter_groups][0][filters][0][value]=MB-00001&searchCriteria[pageSize]=1');
    assert.equal(r.status, 200, r.text);
    assert.equal((r.json as { items: Array<{ sku: string }> }).items[0]?.sku, 'MB-00001');
  });

  test('JSON bodies are not signed; the header prefix is case-insensitive', async () => {
    const header = oauthHeader({ method: 'POST', url: `${sb.baseUrl}/rest/default/V1/cmsBlock`, keys, nonce: nonce(), timestamp: await now() });
    const r = await sb.request('POST', '/rest/default/V1/cmsBlock', { headers: { Authorization: header.replace(/^OAuth /, 'oauth ') }, body: { block: { identifier: 'oauth-block', title: 'Signed' } } });
    assert.equal(r.status, 200, r.text);
  });

  test('query parameters are signed: changing one after signing breaks the signature', async () => {
    const r = await signed('GET', '/rest/default/V1/products?searchCriteria[pageSize]=3', { sign: { url: `${sb.baseUrl}/rest/default/V1/products?searchCriteria[pageSize]=2` } });
    assert.equal(r.status, 401);
    assert.deepEqual(r.json, { message: 'The signature is invalid. Verify and try again.' });
  });

  test('form bodies are signed (DELETE with a form body)', async () => {
    const created = await signed('POST', '/rest/default/V1/cmsBlock', { body: { block: { identifier: 'oauth-form', title: 'F' } } });
    const id = (created.json as { id: number }).id;
    const ok = await signed('DELETE', `/rest/default/V1/cmsBlock/${id}`, { formBody: 'note=hello%20world', formFields: [['note', 'hello world']] });
    assert.equal(ok.status, 200, ok.text);
    const unsignedForm = await signed('DELETE', `/rest/default/V1/cmsBlock/${id}`, { formBody: 'note=changed' , formFields: [['note', 'hello world']] });
    assert.equal(unsignedForm.status, 401);
    assert.deepEqual(unsignedForm.json, { message: 'The signature is invalid. Verify and try again.' });
  });

  test('HMAC-SHA1 is rejected with Magento message and the method as %1', async () => {
    const r = await signed('GET', '/rest/default/V1/products/MB-00001', { signatureMethod: 'HMAC-SHA1' });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, { message: 'Signature method %1 is not supported', parameters: ['HMAC-SHA1'] });
  });

  test('a token of the wrong length → 400 (Webapi Authentication RestTest)', async () => {
    const r = await signed('GET', '/rest/default/V1/products/MB-00001', { override: { oauth_token: 'invalid' } });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, { message: 'The token length is invalid. Check the length and try again.' });
  });

  test('a reused nonce → 401 with the consumer id', async () => {
    const n = nonce();
    assert.equal((await signed('GET', '/rest/default/V1/products/MB-00001', { nonce: n })).status, 200);
    const again = await signed('GET', '/rest/default/V1/products/MB-00001', { nonce: n });
    assert.equal(again.status, 401);
    assert.deepEqual(again.json, { message: 'The nonce is already being used by the consumer with ID %1', parameters: [1] });
  });

  test('timestamps more than 600 s ahead (or <= 0) → 401 generic nonce error; old timestamps are fine', async () => {
    const t = await now();
    const ahead = await signed('GET', '/rest/default/V1/products/MB-00001', { timestamp: t + 700 });
    assert.equal(ahead.status, 401);
    assert.deepEqual(ahead.json, { message: 'An error occurred validating the nonce' });
    assert.equal((await signed('GET', '/rest/default/V1/products/MB-00001', { timestamp: t + 500 })).status, 200);
    assert.equal((await signed('GET', '/rest/default/V1/products/MB-00001', { timestamp: t - 86400 * 30 })).status, 200);
    assert.equal((await signed('GET', '/rest/default/V1/products/MB-00001', { timestamp: 0 })).status, 401);
  });

  test('oauth_version other than 1.0 → 400; absent version is fine', async () => {
    const r = await signed('GET', '/rest/default/V1/products/MB-00001', { version: '2.0' });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, { message: 'The "%1" Oauth version isn\'t supported.', parameters: ['2.0'] });
    assert.equal((await signed('GET', '/rest/default/V1/products/MB-00001', { version: null })).status, 200);
  });

  test('a missing required parameter → 400 %fieldName', async () => {
    const header = oauthHeader({ method: 'GET', url: `${sb.baseUrl}/rest/default/V1/products/MB-00001`, keys, nonce: nonce(), timestamp: await now() }).replace(/, oauth_nonce="[^"]*"/, '');
    const r = await sb.request('GET', '/rest/default/V1/products/MB-00001', { headers: { Authorization: header } });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, { message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: 'oauth_nonce' } });
  });

  test('a wrong consumer secret → 401 invalid signature; anonymous routes ignore a broken OAuth header', async () => {
    const saved = keys;
    keys = { ...saved, consumerSecret: 'x'.repeat(32) };
    try {
      const r = await signed('GET', '/rest/default/V1/products/MB-00001');
      assert.equal(r.status, 401);
      assert.deepEqual(r.json, { message: 'The signature is invalid. Verify and try again.' });
      const anon = await signed('POST', '/rest/V1/integration/customer/token', { body: { username: sb.handle.credentials.customer.email, password: sb.handle.credentials.customer.password } });
      assert.equal(anon.status, 200);
    } finally {
      keys = saved;
    }
  });
});
