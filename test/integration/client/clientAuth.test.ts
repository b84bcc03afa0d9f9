// The client against the sandbox store over real HTTP: every auth kind, 2FA, OAuth 1.0a
// signing (including bracketed searchCriteria keys), the 2.4.4 bearer setting, token expiry, and
// the clear errors for wrong credentials and broken transports.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenCache } from '../../../src/core/auth/tokenCache';
import { totp } from '../../../src/core/auth/totp';
import { createMagentoClient, type MagentoClientDeps } from '../../../src/core/http/magentoClient';
import { MagentoApiError } from '../../../src/core/http/magentoError';
import { MagentoTransportError } from '../../../src/core/http/transportError';
import { parseProfile, secretKey, type Profile } from '../../../src/core/profiles/profile';
import { startSandbox, type SandboxHandle } from '../../../src/sandbox/sandboxServer';
import { MapSecretStore, RecordingLogger } from '../../unit/client/clientFakes';

async function control(sandbox: SandboxHandle, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${sandbox.baseUrl}/__sandbox/${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await response.json()) as Record<string, unknown>;
}

async function tokensIssued(sandbox: SandboxHandle): Promise<{ admin: number; customer: number; tfa: number; total: number }> {
  return (await control(sandbox, 'stats')).tokens_issued as { admin: number; customer: number; tfa: number; total: number };
}

function profileFor(sandbox: SandboxHandle, auth: Profile['auth'], extra: Partial<Profile> = {}): Profile {
  return parseProfile({ id: 'it', label: 'sandbox', baseUrl: sandbox.baseUrl, auth, ...extra });
}

async function secretsWith(values: Partial<Record<'password' | 'accessToken' | 'consumerKey' | 'consumerSecret' | 'accessTokenSecret', string>>): Promise<MapSecretStore> {
  const store = new MapSecretStore();
  for (const [name, value] of Object.entries(values)) await store.store(secretKey('it', name as 'password'), value);
  return store;
}

const PRODUCTS_QUERY = 'searchCriteria[filter_groups][0][filters][0][field]=sku&searchCriteria[filter_groups][0][filters][0][value]=%25&searchCriteria[filter_groups][0][filters][0][condition_type]=like&searchCriteria[pageSize]=2';

describe('client against the sandbox store', () => {
  let sandbox: SandboxHandle;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(async () => {
    await sandbox.close();
  });

  test('admin token, then an authenticated search; the token is reused', async () => {
    const before = await tokensIssued(sandbox);
    const client = createMagentoClient({ profile: profileFor(sandbox, { kind: 'admin', username: sandbox.credentials.admin.username }), secrets: await secretsWith({ password: sandbox.credentials.admin.password }) });
    const first = await client.send<{ items: unknown[]; total_count: number }>({ method: 'GET', path: '/V1/products', query: PRODUCTS_QUERY });
    assert.equal(first.status, 200);
    assert.equal(first.body.items.length, 2);
    await client.send({ method: 'GET', path: '/V1/products', query: PRODUCTS_QUERY });
    assert.equal((await tokensIssued(sandbox)).admin - before.admin, 1);
    assert.equal((await client.token()).source, 'memory');
    await client.close();
  });

  test('customer token reaches /V1/customers/me; forget revokes it on the store', async () => {
    const client = createMagentoClient({ profile: profileFor(sandbox, { kind: 'customer', email: sandbox.credentials.customer.email }), secrets: await secretsWith({ password: sandbox.credentials.customer.password }) });
    const me = await client.send<{ email: string }>({ method: 'GET', path: '/V1/customers/me' });
    assert.equal(me.body.email, sandbox.credentials.customer.email);
    const forgotten = await client.forgetToken();
    assert.equal(forgotten.revokedOnStore, true);
    await client.close();
  });

  test('OAuth 1.0a (HMAC-SHA256) signs bracketed searchCriteria keys as Magento verifies them', async () => {
    const { consumerKey, consumerSecret, accessToken, accessTokenSecret } = sandbox.credentials.integration;
    const client = createMagentoClient({ profile: profileFor(sandbox, { kind: 'oauth1' }), secrets: await secretsWith({ consumerKey, consumerSecret, accessToken, accessTokenSecret }) });
    const list = await client.send<{ items: unknown[] }>({ method: 'GET', path: '/V1/products', query: PRODUCTS_QUERY });
    assert.equal(list.body.items.length, 2);
    const created = await client.send<{ sku: string }>({ method: 'POST', path: '/V1/products', body: { product: { sku: 'IT-OAUTH-1', name: 'Signed', attribute_set_id: 4, price: 1, type_id: 'simple' } } });
    assert.equal(created.body.sku, 'IT-OAUTH-1');
    await client.close();
  });

  test('an HMAC-SHA1 signature is refused with the 2.4.4 explanation', async () => {
    const { consumerKey, consumerSecret, accessToken, accessTokenSecret } = sandbox.credentials.integration;
    const client = createMagentoClient({ profile: profileFor(sandbox, { kind: 'oauth1' }), secrets: await secretsWith({ consumerKey, consumerSecret, accessToken, accessTokenSecret }), oauthSignatureMethod: 'HMAC-SHA1' });
    await assert.rejects(client.send({ method: 'GET', path: '/V1/products', query: PRODUCTS_QUERY }), (e: unknown) =>
      e instanceof MagentoApiError && e.status === 400 && e.displayMessage === 'Signature method HMAC-SHA1 is not supported' && /HMAC-SHA256/.test(e.hint ?? ''));
    await client.close();
  });

  test('a wrong consumer secret: "The signature is invalid" with a hint, base string available', async () => {
    const { consumerKey, accessToken, accessTokenSecret } = sandbox.credentials.integration;
    let base = '';
    const client = createMagentoClient({ profile: profileFor(sandbox, { kind: 'oauth1' }), secrets: await secretsWith({ consumerKey, consumerSecret: 'x'.repeat(32), accessToken, accessTokenSecret }), onOAuthSigned: (s) => { base = s.baseString; } });
    await assert.rejects(client.send({ method: 'GET', path: '/V1/products', query: PRODUCTS_QUERY }), (e: unknown) =>
      e instanceof MagentoApiError && e.status === 401 && /signature is invalid/.test(e.message) && /consumer secret/.test(e.hint ?? ''));
    assert.match(base, /^GET&http%3A%2F%2F127\.0\.0\.1%3A\d+%2Frest%2Fdefault%2FV1%2Fproducts&/);
    await client.close();
  });

  test('integration bearer: works when allowed; with the 2.4.4 setting off the 401 explains it', async () => {
    const profile = profileFor(sandbox, { kind: 'integration-bearer' });
    const secrets = await secretsWith({ accessToken: sandbox.credentials.integration.accessToken });
    const client = createMagentoClient({ profile, secrets });
    assert.equal((await client.send({ method: 'GET', path: '/V1/products', query: PRODUCTS_QUERY })).status, 200);
    await control(sandbox, 'config', { enableIntegrationAsBearer: false });
    try {
      await assert.rejects(client.send({ method: 'GET', path: '/V1/products', query: PRODUCTS_QUERY }), (e: unknown) =>
        e instanceof MagentoApiError && e.status === 401 && /enable_integration_as_bearer/.test(e.hint ?? '') && /OAuth 1\.0a/.test(e.hint ?? ''));
    } finally {
      await control(sandbox, 'config', { enableIntegrationAsBearer: true });
      await client.close();
    }
  });

  test('an expired token (store clock advanced) is refreshed exactly once', async () => {
    const client = createMagentoClient({ profile: profileFor(sandbox, { kind: 'admin', username: sandbox.credentials.admin.username }), secrets: await secretsWith({ password: sandbox.credentials.admin.password }) });
    await client.send({ method: 'GET', path: '/V1/products', query: PRODUCTS_QUERY });
    const before = await tokensIssued(sandbox);
    await control(sandbox, 'clock', { advanceSeconds: 5 * 3600 });
    const response = await client.send({ method: 'GET', path: '/V1/products', query: PRODUCTS_QUERY });
    assert.equal(response.status, 200);
    assert.equal((await tokensIssued(sandbox)).admin - before.admin, 1);
    await client.close();
  });

  test('a wrong password gives the sign-in error with the lockout explanation', async () => {
    const client = createMagentoClient({ profile: profileFor(sandbox, { kind: 'admin', username: 'someone-else' }), secrets: await secretsWith({ password: 'wrong-password' }) });
    await assert.rejects(client.token(), (e: unknown) => e instanceof MagentoApiError && e.status === 401 && /sign-in was incorrect/.test(e.message) && /locked/.test(e.hint ?? ''));
    await client.close();
  });
});

describe('client against a 2FA sandbox', () => {
  let sandbox: SandboxHandle;
  before(async () => {
    sandbox = await startSandbox({ twoFactor: true });
  });
  after(async () => {
    await sandbox.close();
  });

  const deps = async (promptOtp?: () => Promise<string | undefined>): Promise<MagentoClientDeps> => ({
    profile: profileFor(sandbox, { kind: 'admin', username: sandbox.credentials.admin.username }),
    secrets: await secretsWith({ password: sandbox.credentials.admin.password }),
    tokenCache: new TokenCache(),
    ...(promptOtp ? { promptOtp } : {}),
  });

  test('the OTP path: 401 with active_providers → code → /V1/tfa/provider/google/authenticate', async () => {
    let asked = 0;
    const client = createMagentoClient(await deps(() => { asked++; return Promise.resolve(totp(sandbox.credentials.admin.totpSecret!)); }));
    const response = await client.send({ method: 'GET', path: '/V1/products', query: PRODUCTS_QUERY });
    assert.equal(response.status, 200);
    assert.equal(asked, 1);
    assert.equal((await tokensIssued(sandbox)).tfa, 1);
    await client.close();
  });

  test('a wrong OTP is a clear error', async () => {
    const client = createMagentoClient(await deps(() => Promise.resolve('000000')));
    await assert.rejects(client.token(), (e: unknown) => e instanceof MagentoApiError && e.status === 401 && e.displayMessage === 'Invalid code.' && /30 seconds/.test(e.hint ?? ''));
    await client.close();
  });

  test('no way to get a code: the 2FA error explains the OTP path', async () => {
    const client = createMagentoClient(await deps());
    await assert.rejects(client.token(), (e: unknown) => e instanceof MagentoApiError && /2fa provider-specific/.test(e.message) && /MAGENTO_OTP/.test(e.hint ?? ''));
    await client.close();
  });
});

describe('transport failures give clear errors', () => {
  const secrets = new MapSecretStore();
  const bearer = (baseUrl: string, extra: Partial<Profile> = {}): Profile => parseProfile({ id: 'it', label: 't', baseUrl, auth: { kind: 'integration-bearer' }, ...extra });
  before(async () => {
    await secrets.store(secretKey('it', 'accessToken'), 'a'.repeat(32));
  });

  test('bad base URL', () => {
    assert.throws(() => createMagentoClient({ profile: { ...bearer('http://x'), baseUrl: 'htp:/store' }, secrets }), (e: unknown) => e instanceof MagentoTransportError && e.kind === 'bad-url');
    assert.throws(() => parseProfile({ id: 'a', label: 'a', baseUrl: 'https://s.example.com/rest/default/V1', auth: { kind: 'oauth1' } }), /includes the REST path; use 'https:\/\/s\.example\.com'/);
  });

  test('connection refused', async () => {
    const server = createHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const client = createMagentoClient({ profile: bearer(`http://127.0.0.1:${port}`), secrets, retry: { maxRetries: 1, baseDelayMs: 1 } });
    await assert.rejects(client.send({ method: 'GET', path: '/V1/products' }), (e: unknown) => e instanceof MagentoTransportError && e.kind === 'connection-refused' && /check the base URL/.test(e.hint ?? ''));
    await client.close();
  });

  test('a timeout', async () => {
    const server = createHttpServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = createMagentoClient({ profile: bearer(`http://127.0.0.1:${(server.address() as AddressInfo).port}`), secrets, timeouts: { headersMs: 300 }, retry: { maxRetries: 0 } });
    try {
      await assert.rejects(client.send({ method: 'GET', path: '/V1/products' }), (e: unknown) => e instanceof MagentoTransportError && e.kind === 'timeout' && /within 300 ms/.test(e.message));
    } finally {
      await client.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('an HTML error page from a proxy', async () => {
    const server = createHttpServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body><h1>502 Bad Gateway</h1>nginx</body></html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = createMagentoClient({ profile: bearer(`http://127.0.0.1:${(server.address() as AddressInfo).port}`), secrets, retry: { maxRetries: 1, baseDelayMs: 1 } });
    try {
      await assert.rejects(client.send({ method: 'GET', path: '/V1/products' }), (e: unknown) => e instanceof MagentoApiError && e.status === 502 && /proxy/.test(e.hint ?? '') && /Bad Gateway/.test(e.bodySnippet));
    } finally {
      await client.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  describe('TLS', () => {
    let dir: string;
    let server: Server;
    let baseUrl: string;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'mrw-tls-'));
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
      server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    });

    test('a self-signed certificate is refused with the CA-file advice', async () => {
      const client = createMagentoClient({ profile: bearer(baseUrl), secrets });
      await assert.rejects(client.send({ method: 'GET', path: '/V1/x' }), (e: unknown) => e instanceof MagentoTransportError && e.kind === 'tls' && /CA file/.test(e.hint ?? ''));
      await client.close();
    });

    test('the CA file makes it work; allow-insecure works with a warning', async () => {
      const withCa = createMagentoClient({ profile: bearer(baseUrl, { tls: { verify: true, caFile: join(dir, 'cert.pem') } }), secrets });
      assert.deepEqual((await withCa.send({ method: 'GET', path: '/V1/x' })).body, { ok: true });
      await withCa.close();
      const logger = new RecordingLogger();
      const insecure = createMagentoClient({ profile: bearer(baseUrl, { tls: { verify: false } }), secrets, logger });
      assert.deepEqual((await insecure.send({ method: 'GET', path: '/V1/x' })).body, { ok: true });
      assert.equal(logger.count('warn'), 1);
      await insecure.close();
    });

    test('a CA file that cannot be read is a clear error', () => {
      assert.throws(() => createMagentoClient({ profile: bearer(baseUrl, { tls: { verify: true, caFile: join(dir, 'missing.pem') } }), secrets }), /Cannot read the TLS CA file/);
    });
  });
});
