import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MissingSecretError } from '../../../src/core/auth/authProvider';
import { IntegrationBearerAuthProvider, OAuth1AuthProvider } from '../../../src/core/auth/integrationAuth';
import { signOAuth1 } from '../../../src/core/auth/oauth1Signer';
import { requestAdminToken, requestCustomerToken, TokenAuthProvider } from '../../../src/core/auth/tokenAuth';
import { TokenCache } from '../../../src/core/auth/tokenCache';
import { magentoErrorFromResponse, MagentoApiError } from '../../../src/core/http/magentoError';
import { type MagentoRequest, type MagentoResponse, type MagentoTransport } from '../../../src/core/http/types';
import { ManualScheduler } from '../../../src/core/ports';
import { parseProfile, secretKey, type Profile } from '../../../src/core/profiles/profile';
import { MapSecretStore } from './clientFakes';

type Handler = (request: MagentoRequest) => { status: number; body: unknown };

/** A transport that answers like a store: 2xx bodies returned, others thrown as MagentoApiError. */
class FakeTransport implements MagentoTransport {
  readonly requests: MagentoRequest[] = [];
  constructor(private readonly handler: Handler) {}
  send<T>(request: MagentoRequest): Promise<MagentoResponse<T>> {
    this.requests.push(request);
    const { status, body } = this.handler(request);
    const url = `http://store.test/rest/default${request.path}`;
    const text = JSON.stringify(body);
    if (status >= 300) return Promise.reject(magentoErrorFromResponse({ status, method: request.method, url, text }));
    return Promise.resolve({ status, headers: {}, body: body as T, text, timings: { headersMs: 1, totalMs: 1 }, bytes: { wire: text.length, decoded: text.length }, url });
  }
}

const TFA_REQUIRED = { message: 'Please use the 2fa provider-specific endpoints to obtain a token.', parameters: { active_providers: ['google'] } };
const SIGN_IN = { message: 'The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later.' };

function profile(auth: Profile['auth'], extra: Partial<Profile> = {}): Profile {
  return parseProfile({ id: 'p1', label: 'Test', baseUrl: 'http://store.test', auth, ...extra });
}

describe('admin token provider', () => {
  test('posts username/password to /V1/integration/admin/token', async () => {
    const transport = new FakeTransport(() => ({ status: 200, body: 'admin-token-1' }));
    assert.equal(await requestAdminToken(transport, { username: 'admin', password: 'pw' }), 'admin-token-1');
    assert.deepEqual(transport.requests[0], { method: 'POST', path: '/V1/integration/admin/token', body: { username: 'admin', password: 'pw' }, authenticated: false });
  });

  test('2FA: the 401 listing google leads to the OTP prompt and /V1/tfa/provider/google/authenticate', async () => {
    const transport = new FakeTransport((r) => r.path === '/V1/integration/admin/token' ? { status: 401, body: TFA_REQUIRED } : { status: 200, body: 'tfa-token' });
    let prompts = 0;
    const token = await requestAdminToken(transport, { username: 'admin', password: 'pw' }, () => { prompts++; return Promise.resolve(' 123 456 '); });
    assert.equal(token, 'tfa-token');
    assert.equal(prompts, 1);
    assert.deepEqual(transport.requests[1], { method: 'POST', path: '/V1/tfa/provider/google/authenticate', body: { username: 'admin', password: 'pw', otp: '123456' }, authenticated: false });
  });

  test('2FA without a code (no prompt, or cancelled) surfaces the 2FA error with its hint', async () => {
    const transport = new FakeTransport(() => ({ status: 401, body: TFA_REQUIRED }));
    await assert.rejects(requestAdminToken(transport, { username: 'a', password: 'b' }), (e: unknown) => e instanceof MagentoApiError && /google\/authenticate/.test(e.hint ?? ''));
    await assert.rejects(requestAdminToken(transport, { username: 'a', password: 'b' }, () => Promise.resolve(undefined)), MagentoApiError);
    assert.equal(transport.requests.length, 2);
  });

  test('a wrong OTP gives "Invalid code." with a hint; other 2FA providers are not attempted', async () => {
    const wrong = new FakeTransport((r) => r.path.includes('tfa') ? { status: 401, body: { message: 'Invalid code.' } } : { status: 401, body: TFA_REQUIRED });
    await assert.rejects(requestAdminToken(wrong, { username: 'a', password: 'b' }, () => Promise.resolve('000000')), (e: unknown) => e instanceof MagentoApiError && e.displayMessage === 'Invalid code.' && /30 seconds/.test(e.hint ?? ''));
    const duo = new FakeTransport(() => ({ status: 401, body: { ...TFA_REQUIRED, parameters: { active_providers: ['duo_security'] } } }));
    let asked = false;
    await assert.rejects(requestAdminToken(duo, { username: 'a', password: 'b' }, () => { asked = true; return Promise.resolve('1'); }), /2fa provider-specific/);
    assert.equal(asked, false);
  });

  test('wrong password surfaces the sign-in error with the lockout hint', async () => {
    const transport = new FakeTransport(() => ({ status: 401, body: SIGN_IN }));
    await assert.rejects(requestAdminToken(transport, { username: 'a', password: 'b' }), (e: unknown) => e instanceof MagentoApiError && e.status === 401 && /locked account/.test(e.hint ?? ''));
  });

  test('a non-string body is refused clearly', async () => {
    const transport = new FakeTransport(() => ({ status: 200, body: { html: true } }));
    await assert.rejects(requestAdminToken(transport, { username: 'a', password: 'b' }), /did not return a token string/);
  });
});

describe('TokenAuthProvider', () => {
  test('admin: Bearer header from the cache, expiry from the profile lifetime, 401 drops the token', async () => {
    const scheduler = new ManualScheduler();
    const secrets = new MapSecretStore();
    await secrets.store(secretKey('p1', 'password'), 'pw');
    let issued = 0;
    const transport = new FakeTransport(() => ({ status: 200, body: `tok-${++issued}` }));
    const provider = new TokenAuthProvider({ profile: profile({ kind: 'admin', username: 'admin' }, { tokenLifetimeMinutes: 30 }), secrets, transport, cache: new TokenCache({ scheduler }), clock: scheduler });
    const headers = await provider.authorize({ method: 'GET', url: 'http://store.test/rest/default/V1/x' });
    assert.deepEqual(headers, { authorization: 'Bearer tok-1' });
    const info = await provider.token();
    assert.equal(info.source, 'memory');
    assert.equal(info.expiresAt, scheduler.now() + 30 * 60_000);
    assert.equal(await provider.handleUnauthorized(headers), true);
    assert.deepEqual(await provider.authorize({ method: 'GET', url: 'http://store.test/rest/default/V1/x' }), { authorization: 'Bearer tok-2' });
  });

  test('JWT tokens: the shorter of exp−iat and the configured lifetime', async () => {
    const scheduler = new ManualScheduler();
    const secrets = new MapSecretStore();
    await secrets.store(secretKey('p1', 'password'), 'pw');
    const payload = Buffer.from(JSON.stringify({ uid: 1, utypid: 2, iat: 1000, exp: 1000 + 1800 })).toString('base64url');
    const jwt = `eyJhbGciOiJIUzI1NiJ9.${payload}.sig`;
    const provider = new TokenAuthProvider({ profile: profile({ kind: 'admin', username: 'admin' }), secrets, transport: new FakeTransport(() => ({ status: 200, body: jwt })), cache: new TokenCache({ scheduler }), clock: scheduler });
    assert.equal((await provider.token()).expiresAt, scheduler.now() + 1800_000);
  });

  test('customer: e-mail sent as username; forget revokes on the store, admin forget explains', async () => {
    const scheduler = new ManualScheduler();
    const secrets = new MapSecretStore();
    await secrets.store(secretKey('p1', 'password'), 'pw');
    const transport = new FakeTransport((r) => ({ status: 200, body: r.path.endsWith('revoke-customer-token') ? true : 'cust-token' }));
    const provider = new TokenAuthProvider({ profile: profile({ kind: 'customer', email: 'Roni@Example.com' }), secrets, transport, cache: new TokenCache({ scheduler }), clock: scheduler });
    const info = await provider.token();
    assert.equal(info.expiresAt, scheduler.now() + 60 * 60_000, 'customer tokens default to 1 h');
    assert.deepEqual(transport.requests[0]?.body, { username: 'Roni@Example.com', password: 'pw' });
    const forgotten = await provider.forget();
    assert.equal(forgotten.revokedOnStore, true);
    assert.deepEqual(transport.requests[1], { method: 'POST', path: '/V1/integration/customer/revoke-customer-token', headers: { authorization: 'Bearer cust-token' }, authenticated: false });
    const admin = new TokenAuthProvider({ profile: profile({ kind: 'admin', username: 'a' }), secrets, transport, cache: new TokenCache({ scheduler }), clock: scheduler });
    const adminForget = await admin.forget();
    assert.equal(adminForget.revokedOnStore, false);
    assert.match(adminForget.message, /no REST route to revoke admin tokens/);
  });

  test('customer forget with nothing cached still revokes (any valid token revokes them all)', async () => {
    const scheduler = new ManualScheduler();
    const secrets = new MapSecretStore();
    await secrets.store(secretKey('p1', 'password'), 'pw');
    const transport = new FakeTransport((r) => ({ status: 200, body: r.path.endsWith('revoke-customer-token') ? true : 'fresh-token' }));
    const provider = new TokenAuthProvider({ profile: profile({ kind: 'customer', email: 'a@b.c' }), secrets, transport, cache: new TokenCache({ scheduler }), clock: scheduler });
    const result = await provider.forget();
    assert.equal(result.revokedOnStore, true);
    assert.deepEqual(transport.requests.map((r) => r.path), ['/V1/integration/customer/token', '/V1/integration/customer/revoke-customer-token']);
    assert.equal(transport.requests[1]?.headers?.authorization, 'Bearer fresh-token');
  });

  test('customer token call body', async () => {
    const transport = new FakeTransport(() => ({ status: 200, body: 'c' }));
    await requestCustomerToken(transport, { email: 'a@b.c', password: 'x' });
    assert.equal(transport.requests[0]?.path, '/V1/integration/customer/token');
  });

  test('a missing password names the secret', async () => {
    const scheduler = new ManualScheduler();
    const provider = new TokenAuthProvider({ profile: profile({ kind: 'admin', username: 'a' }), secrets: new MapSecretStore(), transport: new FakeTransport(() => ({ status: 200, body: 't' })), cache: new TokenCache({ scheduler }), clock: scheduler });
    await assert.rejects(provider.token(), (e: unknown) => e instanceof MissingSecretError && e.secretName === 'password');
  });
});

describe('integration providers', () => {
  test('integration bearer reads the token once, and retries a 401 only when the stored token changed', async () => {
    let reads = 0;
    const store = new MapSecretStore();
    const secrets = { ...store, get: (key: string) => { reads++; return store.get(key); }, store: store.store.bind(store), delete: store.delete.bind(store) };
    await store.store(secretKey('p1', 'accessToken'), 'a'.repeat(32));
    const provider = new IntegrationBearerAuthProvider(profile({ kind: 'integration-bearer' }), secrets);
    const sent = await provider.authorize({ method: 'GET', url: 'http://x' });
    assert.deepEqual(sent, { authorization: `Bearer ${'a'.repeat(32)}` });
    await provider.authorize({ method: 'GET', url: 'http://x' });
    assert.equal(reads, 1, 'one keychain read for many requests');
    // The same token was refused: a retry would be refused too.
    assert.equal(await provider.handleUnauthorized(sent), false);
    // The user stored a new token meanwhile: retry once with it.
    await store.store(secretKey('p1', 'accessToken'), 'b'.repeat(32));
    assert.equal(await provider.handleUnauthorized(sent), true);
    assert.deepEqual(await provider.authorize({ method: 'GET', url: 'http://x' }), { authorization: `Bearer ${'b'.repeat(32)}` });
  });

  test('integration bearer: a missing token is read again next time', async () => {
    const secrets = new MapSecretStore();
    const provider = new IntegrationBearerAuthProvider(profile({ kind: 'integration-bearer' }), secrets);
    await assert.rejects(provider.authorize({ method: 'GET', url: 'http://x' }), (e: unknown) => e instanceof MissingSecretError);
    await secrets.store(secretKey('p1', 'accessToken'), 'c'.repeat(32));
    assert.deepEqual(await provider.authorize({ method: 'GET', url: 'http://x' }), { authorization: `Bearer ${'c'.repeat(32)}` });
  });

  test('oauth1 signs with the clock, HMAC-SHA256, and keeps the base string for diagnosis', async () => {
    const scheduler = new ManualScheduler(Date.UTC(2026, 0, 1));
    const secrets = new MapSecretStore();
    const creds = { consumerKey: 'ck'.repeat(16), consumerSecret: 'cs'.repeat(16), accessToken: 'at'.repeat(16), accessTokenSecret: 'as'.repeat(16) };
    await secrets.store(secretKey('p1', 'consumerKey'), creds.consumerKey);
    await secrets.store(secretKey('p1', 'consumerSecret'), creds.consumerSecret);
    await secrets.store(secretKey('p1', 'accessToken'), creds.accessToken);
    await secrets.store(secretKey('p1', 'accessTokenSecret'), creds.accessTokenSecret);
    const provider = new OAuth1AuthProvider(profile({ kind: 'oauth1' }), secrets, { clock: scheduler });
    const url = 'http://store.test/rest/default/V1/products?searchCriteria[pageSize]=2';
    const headers = await provider.authorize({ method: 'GET', url });
    const nonce = /oauth_nonce="([^"]+)"/.exec(headers.authorization!)?.[1];
    assert.ok(nonce);
    const expected = signOAuth1(creds, { method: 'GET', url }, { nonce, timestamp: Date.UTC(2026, 0, 1) / 1000 });
    assert.equal(headers.authorization, expected.authorization);
    assert.equal(provider.lastBaseString, expected.baseString);
    assert.match(provider.lastBaseString ?? '', /searchCriteria%255BpageSize%255D%3D2/);
  });

  test('oauth1 with a missing secret names it', async () => {
    const provider = new OAuth1AuthProvider(profile({ kind: 'oauth1' }), new MapSecretStore(), { clock: new ManualScheduler() });
    await assert.rejects(provider.authorize({ method: 'GET', url: 'http://x' }), /consumerKey/);
  });
});
