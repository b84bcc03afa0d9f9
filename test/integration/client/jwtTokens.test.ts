// The client against the sandbox's JWT admin/customer tokens (Magento_JwtUserToken, the 2.4.4+
// default) over real HTTP: the token's header and claims, a token cache that expires with `exp`,
// and the standard 401 for tampered and revoked tokens.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenCache } from '../../../src/core/auth/tokenCache';
import { createMagentoClient, type MagentoClient } from '../../../src/core/http/magentoClient';
import { realScheduler, type Scheduler } from '../../../src/core/ports';
import { parseProfile, secretKey, type Profile } from '../../../src/core/profiles/profile';
import { startSandbox, type SandboxHandle } from '../../../src/sandbox/sandboxServer';
import { MapSecretStore } from '../../unit/client/clientFakes';

const JWT_HEADER = 'eyJraWQiOiIxIiwiYWxnIjoiSFMyNTYifQ';
const NOT_AUTHORIZED = "The consumer isn't authorized to access %resources.";
const ADMIN_LIFETIME_MINUTES = 10;

async function control(sandbox: SandboxHandle, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${sandbox.baseUrl}/__sandbox/${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(response.status, 200, `control ${path}`);
  return (await response.json()) as Record<string, unknown>;
}

async function adminTokensIssued(sandbox: SandboxHandle): Promise<number> {
  return ((await control(sandbox, 'stats')).tokens_issued as { admin: number }).admin;
}

async function rest(sandbox: SandboxHandle, method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const headers: Record<string, string> = { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) };
  const response = await fetch(`${sandbox.baseUrl}/rest/default${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : JSON.parse(text) };
}

function decode(segment: string): unknown {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
}

describe('client against the sandbox\'s JWT tokens', () => {
  let sandbox: SandboxHandle;
  // The client reads the store's clock, so moving it through /__sandbox/clock moves both.
  let storeScheduler: Scheduler;
  before(async () => {
    sandbox = await startSandbox({ adminTokenLifetimeMinutes: ADMIN_LIFETIME_MINUTES });
    storeScheduler = { ...realScheduler, now: () => sandbox.app.clock.now() };
  });
  after(async () => {
    await sandbox.close();
  });
  beforeEach(async () => {
    await control(sandbox, 'reset', {});
  });

  function clientFor(auth: Profile['auth'], password: string, tokenCache: TokenCache): Promise<MagentoClient> {
    const secrets = new MapSecretStore();
    return secrets.store(secretKey('it', 'password'), password).then(() =>
      createMagentoClient({ profile: parseProfile({ id: 'it', label: 'sandbox', baseUrl: sandbox.baseUrl, auth }), secrets, tokenCache, clock: storeScheduler }));
  }

  test('admin and customer tokens are HS256 JWTs: {"kid":"1","alg":"HS256"}, claims uid, utypid, iat, exp = iat + lifetime', async () => {
    const nowSeconds = Math.floor(sandbox.app.clock.now() / 1000);
    const admin = (await rest(sandbox, 'POST', '/V1/integration/admin/token', undefined, { username: sandbox.credentials.admin.username, password: sandbox.credentials.admin.password })).json as string;
    const customer = (await rest(sandbox, 'POST', '/V1/integration/customer/token', undefined, { username: sandbox.credentials.customer.email, password: sandbox.credentials.customer.password })).json as string;
    for (const [token, utypid, lifetimeSeconds] of [[admin, 2, ADMIN_LIFETIME_MINUTES * 60], [customer, 3, 60 * 60]] as const) {
      const parts = token.split('.');
      assert.equal(parts.length, 3, token);
      assert.equal(parts[0], JWT_HEADER);
      assert.deepEqual(decode(parts[0]!), { kid: '1', alg: 'HS256' });
      const claims = decode(parts[1]!) as Record<string, number>;
      assert.deepEqual(Object.keys(claims), ['uid', 'utypid', 'iat', 'exp']);
      assert.equal(claims.utypid, utypid);
      assert.ok(Number.isInteger(claims.uid) && claims.uid! > 0);
      assert.ok(Math.abs(claims.iat! - nowSeconds) <= 2, `iat ${claims.iat} near the store clock ${nowSeconds}`);
      assert.equal(claims.exp! - claims.iat!, lifetimeSeconds);
      assert.equal(Buffer.from(parts[2]!, 'base64url').length, 32, 'HMAC-SHA256 signature');
    }
    const me = await rest(sandbox, 'GET', '/V1/customers/me', customer);
    assert.equal((me.json as { email: string }).email, sandbox.credentials.customer.email);
  });

  test('the client\'s token cache expires with exp (not the profile\'s 240 min): one proactive refetch, no 401', async () => {
    const tokenCache = new TokenCache({ scheduler: storeScheduler });
    const client = await clientFor({ kind: 'admin', username: sandbox.credentials.admin.username }, sandbox.credentials.admin.password, tokenCache);
    try {
      const first = await client.token();
      assert.ok(first.token.startsWith(`${JWT_HEADER}.`));
      const issuedBefore = await adminTokensIssued(sandbox);

      // Within the token's life minus the cache's safety margin (half of a 10-min lifetime): reused.
      await control(sandbox, 'clock', { advanceSeconds: 4 * 60 });
      assert.equal((await client.send({ method: 'GET', path: '/V1/products/MB-00001' })).status, 200);
      assert.equal(await adminTokensIssued(sandbox), issuedBefore);

      // Past exp: the client must fetch a new token before calling, not learn it from a 401.
      await control(sandbox, 'clock', { advanceSeconds: ADMIN_LIFETIME_MINUTES * 60 });
      assert.equal((await client.send({ method: 'GET', path: '/V1/products/MB-00001' })).status, 200);
      assert.equal((await client.send({ method: 'GET', path: '/V1/products/MB-00001' })).status, 200);
      assert.equal(await adminTokensIssued(sandbox), issuedBefore + 1, 'exactly one refetch');
      assert.equal(tokenCache.stats.invalidations, 0, 'no 401 made the client drop its token');
      assert.notEqual((await client.token()).token, first.token);
    } finally {
      await client.close();
    }
  });

  test('a tampered token (payload changed, signature kept) gets the same 401 as an unknown token', async () => {
    const customer = (await rest(sandbox, 'POST', '/V1/integration/customer/token', undefined, { username: sandbox.credentials.customer.email, password: sandbox.credentials.customer.password })).json as string;
    const [header, payload, signature] = customer.split('.') as [string, string, string];
    // Another customer's id, and an admin type, each under the original signature.
    const otherUser = Buffer.from(JSON.stringify({ ...(decode(payload) as object), uid: 2 })).toString('base64url');
    const asAdmin = Buffer.from(JSON.stringify({ ...(decode(payload) as object), utypid: 2 })).toString('base64url');
    const unknown = await rest(sandbox, 'GET', '/V1/customers/me', 'x'.repeat(32));
    assert.equal(unknown.status, 401);
    assert.deepEqual(unknown.json, { message: NOT_AUTHORIZED, parameters: { resources: 'self' } });
    assert.deepEqual(await rest(sandbox, 'GET', '/V1/customers/me', `${header}.${otherUser}.${signature}`), unknown);
    assert.deepEqual(await rest(sandbox, 'GET', '/V1/products/MB-00001', `${header}.${asAdmin}.${signature}`), { status: 401, json: { message: NOT_AUTHORIZED, parameters: { resources: 'Magento_Catalog::products' } } });
    assert.equal((await rest(sandbox, 'GET', '/V1/customers/me', customer)).status, 200, 'the untouched token still works');
  });

  test('a revoked customer token gets 401; the client then fetches a new one once', async () => {
    const tokenCache = new TokenCache({ scheduler: storeScheduler });
    const client = await clientFor({ kind: 'customer', email: sandbox.credentials.customer.email }, sandbox.credentials.customer.password, tokenCache);
    try {
      const revoked = (await client.token()).token;
      // Magento revokes tokens issued before "now − 1 s": a token from the same second survives.
      await control(sandbox, 'clock', { advanceSeconds: 1 });
      const revoke = await rest(sandbox, 'POST', '/V1/integration/customer/revoke-customer-token', revoked);
      assert.deepEqual(revoke, { status: 200, json: true });
      assert.deepEqual(await rest(sandbox, 'GET', '/V1/customers/me', revoked), { status: 401, json: { message: NOT_AUTHORIZED, parameters: { resources: 'self' } } });

      const me = await client.send<{ email: string }>({ method: 'GET', path: '/V1/customers/me' });
      assert.equal(me.body.email, sandbox.credentials.customer.email);
      assert.equal(tokenCache.stats.invalidations, 1, 'the 401 dropped the revoked token once');
      assert.notEqual((await client.token()).token, revoked);
    } finally {
      await client.close();
    }
  });
});
