// Authentication (contract §2): admin/customer tokens (JWT by default, opaque when pinned), lockout,
// lifetimes on the sandbox clock, guest semantics, integration tokens as Bearer, two-factor auth,
// token revocation.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SandboxClient, base32ToBuffer, totpAt } from './sandboxTestHelpers';

const SIGN_IN = 'The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later.';
const NOT_AUTHORIZED = "The consumer isn't authorized to access %resources.";
/** base64url of {"kid":"1","alg":"HS256"}, the header Magento_JwtUserToken writes. */
const JWT_TOKEN = /^"eyJraWQiOiIxIiwiYWxnIjoiSFMyNTYifQ\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}"$/;

describe('tokens, lockout, lifetimes, guests', () => {
  let sb: SandboxClient;
  before(async () => {
    sb = await SandboxClient.start();
  });
  after(() => sb.close());
  beforeEach(() => sb.control('POST', 'reset'));

  const adminLogin = (password: string): ReturnType<SandboxClient['request']> =>
    sb.request('POST', '/rest/V1/integration/admin/token', { body: { username: 'admin', password } });

  test('admin token: a bare JSON string (a 2.4.4+ JWT) that authorizes admin routes', async () => {
    const r = await adminLogin(sb.handle.credentials.admin.password);
    assert.equal(r.status, 200);
    assert.match(r.text, JWT_TOKEN);
    const product = await sb.request('GET', '/rest/default/V1/products/MB-00001', { token: r.json as string });
    assert.equal(product.status, 200);
  });

  test('wrong credentials → 401 generic sign-in message; one empty field → 400 %fieldName', async () => {
    const wrong = await adminLogin('nope');
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.json, { message: SIGN_IN });
    const empty = await sb.request('POST', '/rest/V1/integration/admin/token', { body: { username: 'admin', password: '' } });
    assert.equal(empty.status, 400);
    assert.deepEqual(empty.json, { message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: 'password' } });
  });

  test('lockout after 6 failures: even the right password gets the generic 401 until 1800 s pass', async () => {
    for (let i = 0; i < 6; i++) assert.equal((await adminLogin('wrong')).status, 401);
    const locked = await adminLogin(sb.handle.credentials.admin.password);
    assert.equal(locked.status, 401);
    assert.deepEqual(locked.json, { message: SIGN_IN });
    await sb.control('POST', 'clock', { advanceSeconds: 1799 });
    assert.equal((await adminLogin(sb.handle.credentials.admin.password)).status, 401, 'still locked just before the timeout');
    await sb.control('POST', 'clock', { advanceSeconds: 2 });
    assert.equal((await adminLogin(sb.handle.credentials.admin.password)).status, 200);
  });

  test('a success resets the failure counter', async () => {
    for (let i = 0; i < 5; i++) await adminLogin('wrong');
    assert.equal((await adminLogin(sb.handle.credentials.admin.password)).status, 200);
    for (let i = 0; i < 5; i++) await adminLogin('wrong');
    assert.equal((await adminLogin(sb.handle.credentials.admin.password)).status, 200);
  });

  test('customer lockout is separate from the admin one', async () => {
    for (let i = 0; i < 6; i++) {
      await sb.request('POST', '/rest/V1/integration/customer/token', { body: { username: sb.handle.credentials.customer.email, password: 'bad' } });
    }
    const locked = await sb.request('POST', '/rest/V1/integration/customer/token', { body: { username: sb.handle.credentials.customer.email, password: sb.handle.credentials.customer.password } });
    assert.equal(locked.status, 401);
    assert.equal((await adminLogin(sb.handle.credentials.admin.password)).status, 200);
  });

  test('admin JWT lives 1 h (webapi/jwtauth/admin_expiration): expired tokens make the caller a guest (401 with %resources)', async () => {
    const token = await sb.adminToken();
    await sb.control('POST', 'clock', { advanceSeconds: 3600 - 60 });
    assert.equal((await sb.request('GET', '/rest/default/V1/products/MB-00001', { token })).status, 200);
    await sb.control('POST', 'clock', { advanceSeconds: 120 });
    const expired = await sb.request('GET', '/rest/default/V1/products/MB-00001', { token });
    assert.equal(expired.status, 401);
    assert.deepEqual(expired.json, { message: NOT_AUTHORIZED, parameters: { resources: 'Magento_Catalog::products' } });
    // Anonymous routes still work with the expired token.
    const anonymous = await sb.request('POST', '/rest/V1/integration/customer/token', { token, body: { username: sb.handle.credentials.customer.email, password: sb.handle.credentials.customer.password } });
    assert.equal(anonymous.status, 200);
  });

  test('customer token lives 1 h', async () => {
    const token = await sb.customerToken();
    await sb.control('POST', 'clock', { advanceSeconds: 3540 });
    assert.equal((await sb.request('GET', '/rest/default/V1/customers/me', { token })).status, 200);
    await sb.control('POST', 'clock', { advanceSeconds: 120 });
    const expired = await sb.request('GET', '/rest/default/V1/customers/me', { token });
    assert.equal(expired.status, 401);
    assert.deepEqual(expired.json, { message: NOT_AUTHORIZED, parameters: { resources: 'self' } });
  });

  test('lifetimes are configurable; 0 means JwtUserToken\'s 30 minutes (a JWT always expires)', async () => {
    await sb.control('POST', 'config', { adminTokenLifetimeMinutes: 1, customerTokenLifetimeMinutes: 0 });
    try {
      const admin = await sb.adminToken();
      const customer = await sb.customerToken();
      await sb.control('POST', 'clock', { advanceSeconds: 61 });
      assert.equal((await sb.request('GET', '/rest/default/V1/products/MB-00001', { token: admin })).status, 401);
      assert.equal((await sb.request('GET', '/rest/default/V1/customers/me', { token: customer })).status, 200);
      await sb.control('POST', 'clock', { advanceSeconds: 30 * 60 });
      assert.equal((await sb.request('GET', '/rest/default/V1/customers/me', { token: customer })).status, 401);
    } finally {
      await sb.control('POST', 'config', { adminTokenLifetimeMinutes: 60, customerTokenLifetimeMinutes: 60 });
    }
  });

  test('bad or malformed Bearer headers are guests, never errors of their own', async () => {
    const token = await sb.adminToken();
    for (const header of ['Bearer not-a-token', `Bearer  ${token}`, `Token ${token}`, `Bearer ${token} extra`]) {
      const r = await sb.request('GET', '/rest/default/V1/products/MB-00001', { headers: { Authorization: header } });
      assert.equal(r.status, 401, header);
      assert.deepEqual(r.json, { message: NOT_AUTHORIZED, parameters: { resources: 'Magento_Catalog::products' } });
    }
    const lower = await sb.request('GET', '/rest/default/V1/products/MB-00001', { headers: { Authorization: `bearer ${token}` } });
    assert.equal(lower.status, 200, 'the scheme is case-insensitive');
  });

  test('ACL: customers cannot use admin routes, admins cannot use self routes', async () => {
    const customer = await sb.customerToken();
    const admin = await sb.adminToken();
    const c = await sb.request('GET', '/rest/default/V1/customers/2', { token: customer });
    assert.equal(c.status, 401);
    assert.deepEqual(c.json, { message: NOT_AUTHORIZED, parameters: { resources: 'Magento_Customer::customer' } });
    const a = await sb.request('GET', '/rest/default/V1/customers/me', { token: admin });
    assert.equal(a.status, 401);
    assert.deepEqual(a.json, { message: NOT_AUTHORIZED, parameters: { resources: 'self' } });
  });

  test('customer /me, then revoke-customer-token → true and the token stops working (AccountManagementRevokeCustomerTokenTest)', async () => {
    const token = await sb.customerToken();
    const other = await sb.customerToken();
    const me = await sb.request('GET', '/rest/default/V1/customers/me', { token });
    assert.equal(me.status, 200);
    assert.equal((me.json as { email: string }).email, sb.handle.credentials.customer.email);
    // JwtUserToken revokes tokens issued before "now − 1 s"; one from the same second would survive.
    await sb.control('POST', 'clock', { advanceSeconds: 1 });
    const revoke = await sb.request('POST', '/rest/V1/integration/customer/revoke-customer-token', { token });
    assert.equal(revoke.status, 200);
    assert.equal(revoke.text, 'true');
    assert.equal((await sb.request('GET', '/rest/default/V1/customers/me', { token })).status, 401);
    assert.equal((await sb.request('GET', '/rest/default/V1/customers/me', { token: other })).status, 401, 'revocation covers all tokens of the customer');
    const guestRevoke = await sb.request('POST', '/rest/V1/integration/customer/revoke-customer-token');
    assert.equal(guestRevoke.status, 401);
    const fresh = await sb.customerToken();
    assert.equal((await sb.request('GET', '/rest/default/V1/customers/me', { token: fresh })).status, 200, 'a token issued after the revocation works');
  });

  test('customer token errors: wrong password 401, unknown e-mail 401 (same message)', async () => {
    for (const body of [{ username: sb.handle.credentials.customer.email, password: 'x' }, { username: 'nobody@example.com', password: 'x' }]) {
      const r = await sb.request('POST', '/rest/V1/integration/customer/token', { body });
      assert.equal(r.status, 401);
      assert.deepEqual(r.json, { message: SIGN_IN });
    }
  });

  test('integration access token as Bearer only while enable_integration_as_bearer is on', async () => {
    const token = sb.handle.credentials.integration.accessToken;
    assert.equal((await sb.request('GET', '/rest/default/V1/products/MB-00001', { token })).status, 200);
    await sb.control('POST', 'config', { enableIntegrationAsBearer: false });
    try {
      const off = await sb.request('GET', '/rest/default/V1/products/MB-00001', { token });
      assert.equal(off.status, 401);
      assert.deepEqual(off.json, { message: NOT_AUTHORIZED, parameters: { resources: 'Magento_Catalog::products' } });
    } finally {
      await sb.control('POST', 'config', { enableIntegrationAsBearer: true });
    }
  });

  test('Allow Anonymous Guest Access: catalog/CMS/store GETs open to guests only when switched on', async () => {
    assert.equal((await sb.request('GET', '/rest/default/V1/products/MB-00001')).status, 401);
    await sb.control('POST', 'config', { allowAnonymousGuestAccess: true });
    try {
      assert.equal((await sb.request('GET', '/rest/default/V1/products/MB-00001')).status, 200);
      assert.equal((await sb.request('GET', '/rest/default/V1/cmsPage/1')).status, 200);
      assert.equal((await sb.request('GET', '/rest/default/V1/customers/1')).status, 401, 'customer data stays protected');
      const schema = (await sb.request('GET', '/rest/default/schema')).json as { paths: Record<string, unknown> };
      assert.ok(schema.paths['/V1/products/{sku}']);
    } finally {
      await sb.control('POST', 'config', { allowAnonymousGuestAccess: false });
    }
  });

  test('POST /__sandbox/tokens/revoke drops issued tokens', async () => {
    const admin = await sb.adminToken();
    const customer = await sb.customerToken();
    const res = await sb.control('POST', 'tokens/revoke', { kind: 'admin' });
    assert.equal(res.revoked, 1);
    assert.equal((await sb.request('GET', '/rest/default/V1/products/MB-00001', { token: admin })).status, 401);
    assert.equal((await sb.request('GET', '/rest/default/V1/customers/me', { token: customer })).status, 200);
    await sb.control('POST', 'tokens/revoke', {});
    assert.equal((await sb.request('GET', '/rest/default/V1/customers/me', { token: customer })).status, 401);
    // Same user, same second: the new JWT can be byte-identical to the revoked one, and still works.
    const again = await sb.adminToken();
    assert.equal((await sb.request('GET', '/rest/default/V1/products/MB-00001', { token: again })).status, 200);
  });

  test('a tampered, foreign or reset-invalidated JWT is a guest with the usual 401', async () => {
    const token = await sb.adminToken();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, number>;
    const later = Buffer.from(JSON.stringify({ ...claims, exp: (claims.exp ?? 0) + 3600 })).toString('base64url');
    const other = await SandboxClient.start();
    let foreign: string;
    try {
      foreign = await other.adminToken();
    } finally {
      await other.close();
    }
    await sb.control('POST', 'reset');
    const fresh = await sb.adminToken();
    for (const bad of [`${header}.${later}.${signature}`, foreign, token]) {
      const r = await sb.request('GET', '/rest/default/V1/products/MB-00001', { token: bad });
      assert.equal(r.status, 401, bad);
      assert.deepEqual(r.json, { message: NOT_AUTHORIZED, parameters: { resources: 'Magento_Catalog::products' } });
    }
    assert.equal((await sb.request('GET', '/rest/default/V1/products/MB-00001', { token: fresh })).status, 200);
  });

  test('the Google provider route does not exist while two-factor auth is off', async () => {
    const r = await sb.request('POST', '/rest/V1/tfa/provider/google/authenticate', { body: { username: 'admin', password: 'x', otp: '123456' } });
    assert.equal(r.status, 404);
  });
});

describe('two-factor auth (GoogleAuthenticateTest / AdminIntegrationTokenTest)', () => {
  let sb: SandboxClient;
  before(async () => {
    sb = await SandboxClient.start({ twoFactor: true });
  });
  after(() => sb.close());

  test('the test TOTP matches the RFC 6238 SHA-1 vectors', () => {
    const key = Buffer.from('12345678901234567890');
    assert.equal(totpAt(key, 59, 8), '94287082');
    assert.equal(totpAt(key, 1111111109, 8), '07081804');
    assert.equal(totpAt(key, 20000000000, 8), '65353130');
  });

  test('the admin token route answers 401 with the active providers', async () => {
    assert.ok(sb.handle.credentials.admin.totpSecret, 'credentials carry the TOTP secret');
    const r = await sb.request('POST', '/rest/V1/integration/admin/token', { body: { username: 'admin', password: sb.handle.credentials.admin.password } });
    assert.equal(r.status, 401);
    assert.deepEqual(r.json, { message: 'Please use the 2fa provider-specific endpoints to obtain a token.', parameters: { active_providers: ['google'] } });
    const wrong = await sb.request('POST', '/rest/V1/integration/admin/token', { body: { username: 'admin', password: 'nope' } });
    assert.deepEqual(wrong.json, { message: SIGN_IN });
  });

  test('google/authenticate: wrong OTP → Invalid code., bad credentials → sign-in message, right OTP → token', async () => {
    const secret = base32ToBuffer(sb.handle.credentials.admin.totpSecret as string);
    const clock = await sb.control('GET', 'clock');
    const now = Date.parse(clock.now as string) / 1000;
    const good = totpAt(secret, now);
    const bad = String((Number(good) + 500000) % 1000000).padStart(6, '0');
    const wrong = await sb.request('POST', '/rest/V1/tfa/provider/google/authenticate', { body: { username: 'admin', password: sb.handle.credentials.admin.password, otp: bad } });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.json, { message: 'Invalid code.' });
    const creds = await sb.request('POST', '/rest/V1/tfa/provider/google/authenticate', { body: { username: 'admin', password: 'nope', otp: good } });
    assert.equal(creds.status, 401);
    assert.deepEqual(creds.json, { message: SIGN_IN });
    const ok = await sb.request('POST', '/rest/V1/tfa/provider/google/authenticate', { body: { username: 'admin', password: sb.handle.credentials.admin.password, otp: good } });
    assert.equal(ok.status, 200);
    const token = ok.json as string;
    assert.equal((await sb.request('GET', '/rest/default/V1/products/MB-00001', { token })).status, 200);
    const stats = await sb.control('GET', 'stats');
    assert.equal((stats.tokens_issued as { tfa: number }).tfa, 1);
  });

  test('the OTP follows the sandbox clock (an old code stops working after the clock moves)', async () => {
    const secret = base32ToBuffer(sb.handle.credentials.admin.totpSecret as string);
    const before = Date.parse((await sb.control('GET', 'clock')).now as string) / 1000;
    const code = totpAt(secret, before);
    await sb.control('POST', 'clock', { advanceSeconds: 600 });
    const stale = await sb.request('POST', '/rest/V1/tfa/provider/google/authenticate', { body: { username: 'admin', password: sb.handle.credentials.admin.password, otp: code } });
    assert.equal(stale.status, 401);
    const nowSeconds = Date.parse((await sb.control('GET', 'clock')).now as string) / 1000;
    const fresh = await sb.request('POST', '/rest/V1/tfa/provider/google/authenticate', { body: { username: 'admin', password: sb.handle.credentials.admin.password, otp: totpAt(secret, nowSeconds) } });
    assert.equal(fresh.status, 200);
  });

  test('an expired 2FA admin token gives the same 401 as a missing ACL grant (testAdminTokenLifetime)', async () => {
    const secret = base32ToBuffer(sb.handle.credentials.admin.totpSecret as string);
    const now = Date.parse((await sb.control('GET', 'clock')).now as string) / 1000;
    const ok = await sb.request('POST', '/rest/V1/tfa/provider/google/authenticate', { body: { username: 'admin', password: sb.handle.credentials.admin.password, otp: totpAt(secret, now) } });
    await sb.control('POST', 'clock', { advanceSeconds: 4 * 3600 + 1 });
    const r = await sb.request('GET', '/rest/default/V1/products/MB-00001', { token: ok.json as string });
    assert.equal(r.status, 401);
    assert.deepEqual(r.json, { message: NOT_AUTHORIZED, parameters: { resources: 'Magento_Catalog::products' } });
  });
});

describe('opaque tokens (tokenFormat: opaque, the pre-2.4.4 format)', () => {
  let sb: SandboxClient;
  before(async () => {
    sb = await SandboxClient.start({ tokenFormat: 'opaque' });
  });
  after(() => sb.close());
  beforeEach(() => sb.control('POST', 'reset'));

  test('admin token lives 4 h (oauth/access_token_lifetime/admin)', async () => {
    const token = await sb.adminToken();
    await sb.control('POST', 'clock', { advanceSeconds: 4 * 3600 - 60 });
    assert.equal((await sb.request('GET', '/rest/default/V1/products/MB-00001', { token })).status, 200);
    await sb.control('POST', 'clock', { advanceSeconds: 120 });
    assert.equal((await sb.request('GET', '/rest/default/V1/products/MB-00001', { token })).status, 401);
  });

  test('admin and customer tokens are 32 chars [a-z0-9] (Webapi Authentication RestTest, token length)', async () => {
    for (const token of [await sb.adminToken(), await sb.customerToken()]) assert.match(token, /^[a-z0-9]{32}$/);
  });

  test('lifetimes are configurable; 0 disables expiry', async () => {
    await sb.control('POST', 'config', { adminTokenLifetimeMinutes: 1, customerTokenLifetimeMinutes: 0 });
    try {
      const admin = await sb.adminToken();
      const customer = await sb.customerToken();
      await sb.control('POST', 'clock', { advanceSeconds: 61 });
      assert.equal((await sb.request('GET', '/rest/default/V1/products/MB-00001', { token: admin })).status, 401);
      await sb.control('POST', 'clock', { advanceSeconds: 365 * 24 * 3600 });
      assert.equal((await sb.request('GET', '/rest/default/V1/customers/me', { token: customer })).status, 200);
    } finally {
      await sb.control('POST', 'config', { adminTokenLifetimeMinutes: 240, customerTokenLifetimeMinutes: 60 });
    }
  });

  test('revoke-customer-token deletes the tokens at once (no one-second grace as with JWTs)', async () => {
    const token = await sb.customerToken();
    assert.equal((await sb.request('POST', '/rest/V1/integration/customer/revoke-customer-token', { token })).text, 'true');
    assert.equal((await sb.request('GET', '/rest/default/V1/customers/me', { token })).status, 401);
  });
});
