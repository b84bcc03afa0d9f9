// The sandbox's JWT admin/customer tokens (Magento_JwtUserToken): signing, verification, expiry and
// revocation rules, on a manual clock so second boundaries are exact.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { JwtSigner } from '../../../src/sandbox/auth/jwtTokens';
import { AuthService, type AuthSettings } from '../../../src/sandbox/auth/authService';
import { SandboxClock } from '../../../src/sandbox/clock';
import { SandboxStats } from '../../../src/sandbox/stats';
import type { Caller } from '../../../src/sandbox/auth/caller';

const CUSTOMER = { email: 'roni_cost@example.com', id: 7, password: 'customer-pw' };

function decodeSegment(segment: string): unknown {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
}

function reencode(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function setup(settings: Partial<AuthSettings> = {}): { auth: AuthService; clock: SandboxClock; caller: (token: string) => Caller } {
  // A whole second plus 500 ms, so "same second" and "next second" are unambiguous.
  const clock = new SandboxClock({ now: () => 1_700_000_000_500 });
  const all: AuthSettings = { tokenFormat: 'jwt', twoFactor: false, enableIntegrationAsBearer: true, adminTokenLifetimeMinutes: 240, customerTokenLifetimeMinutes: 60, ...settings };
  const auth = new AuthService(
    clock,
    new SandboxStats(),
    () => all,
    { id: 1, username: 'admin', password: 'admin-pw', totpSecret: 'JBSWY3DPEHPK3PXP' },
    { id: 1, consumerId: 1, consumerKey: 'k'.repeat(32), consumerSecret: 's'.repeat(32), accessToken: 'a'.repeat(32), accessTokenSecret: 't'.repeat(32) },
    (email) => (email === CUSTOMER.email ? { id: CUSTOMER.id, password: CUSTOMER.password, confirmation: null } : undefined),
  );
  const caller = (token: string): Caller =>
    auth.resolveCaller({ method: 'GET', baseUrl: 'http://127.0.0.1/rest/V1/customers/me', rawQuery: '', authorization: `Bearer ${token}`, contentType: undefined, rawBody: Buffer.alloc(0) });
  return { auth, clock, caller };
}

describe('sandbox JwtSigner', () => {
  const claims = { uid: 1, utypid: 2, iat: 1_700_000_000, exp: 1_700_014_400 } as const;

  test('HS256 JWS with the {"kid":"1","alg":"HS256"} header and the uid, utypid, iat, exp claims in Magento order', () => {
    const token = new JwtSigner().sign(claims);
    assert.ok(token.startsWith('eyJraWQiOiIxIiwiYWxnIjoiSFMyNTYifQ.'), token);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    assert.equal(Buffer.from(header, 'base64url').toString('utf8'), '{"kid":"1","alg":"HS256"}');
    assert.equal(Buffer.from(payload, 'base64url').toString('utf8'), '{"uid":1,"utypid":2,"iat":1700000000,"exp":1700014400}');
    assert.equal(Buffer.from(signature, 'base64url').length, 32, 'an HMAC-SHA256 is 32 bytes');
  });

  test('verify returns the claims of its own tokens only', () => {
    const signer = new JwtSigner();
    const token = signer.sign(claims);
    assert.deepEqual(signer.verify(token), claims);
    assert.equal(new JwtSigner().verify(token), undefined, 'another sandbox key');
    signer.rotate();
    assert.equal(signer.verify(token), undefined, 'after a key rotation');
  });

  test('tampered payload, alg/kid changes, alg none and malformed strings are refused', () => {
    const signer = new JwtSigner();
    const [header, payload, signature] = signer.sign(claims).split('.') as [string, string, string];
    const raised = reencode({ ...(decodeSegment(payload) as object), uid: 2 });
    assert.equal(signer.verify(`${header}.${raised}.${signature}`), undefined, 'uid changed');
    assert.equal(signer.verify(`${reencode({ kid: '1', alg: 'HS512' })}.${payload}.${signature}`), undefined, 'alg changed');
    assert.equal(signer.verify(`${reencode({ kid: '2', alg: 'HS256' })}.${payload}.${signature}`), undefined, 'kid changed');
    assert.equal(signer.verify(`${reencode({ alg: 'none' })}.${payload}.`), undefined, 'alg none');
    assert.equal(signer.verify(`${header}.${payload}.${signature.slice(0, -2)}`), undefined, 'short signature');
    for (const junk of ['', 'a.b', 'a.b.c.d', `${header}.${payload}.${signature}=`, `${header}.${payload}`]) assert.equal(signer.verify(junk), undefined, junk);
  });

  test('claims must be the ones Magento reads: missing or mistyped ones are refused even when signed', () => {
    const signer = new JwtSigner();
    for (const bad of [{ ...claims, utypid: 1 }, { ...claims, uid: 0 }, { ...claims, iat: 1.5 }]) {
      assert.equal(signer.verify(signer.sign(bad as never)), undefined, JSON.stringify(bad));
    }
  });
});

describe('sandbox AuthService with JWT tokens', () => {
  test('admin and customer tokens carry uid, utypid 2/3, iat = now (s) and exp = iat + the configured lifetime', () => {
    const { auth, caller } = setup({ adminTokenLifetimeMinutes: 240, customerTokenLifetimeMinutes: 60 });
    const admin = auth.createAdminToken('admin', 'admin-pw');
    const customer = auth.createCustomerToken(CUSTOMER.email, CUSTOMER.password);
    assert.deepEqual(decodeSegment(admin.split('.')[1]!), { uid: 1, utypid: 2, iat: 1_700_000_000, exp: 1_700_000_000 + 240 * 60 });
    assert.deepEqual(decodeSegment(customer.split('.')[1]!), { uid: 7, utypid: 3, iat: 1_700_000_000, exp: 1_700_000_000 + 60 * 60 });
    assert.deepEqual(caller(admin), { kind: 'admin', userType: 2, userId: 1 });
    assert.deepEqual(caller(customer), { kind: 'customer', userType: 3, userId: 7 });
  });

  test('a token is a guest from the second its exp is reached (exp <= now), not before', () => {
    const { auth, clock, caller } = setup({ adminTokenLifetimeMinutes: 1 });
    const token = auth.createAdminToken('admin', 'admin-pw');
    clock.advance(59);
    assert.equal(caller(token).kind, 'admin');
    clock.advance(0.5);
    assert.equal(caller(token).kind, 'guest');
  });

  test('a lifetime of 0 gives JwtUserToken\'s 30-minute fallback (a JWT always expires)', () => {
    const { auth, caller, clock } = setup({ customerTokenLifetimeMinutes: 0 });
    const token = auth.createCustomerToken(CUSTOMER.email, CUSTOMER.password);
    const { iat, exp } = decodeSegment(token.split('.')[1]!) as { iat: number; exp: number };
    assert.equal(exp - iat, 30 * 60);
    clock.advance(30 * 60);
    assert.equal(caller(token).kind, 'guest');
  });

  test('customer revocation refuses tokens issued before the revocation second; same-second tokens survive, as in Magento', () => {
    const { auth, clock, caller } = setup();
    const sameSecond = auth.createCustomerToken(CUSTOMER.email, CUSTOMER.password);
    auth.revokeCustomerTokens(CUSTOMER.id);
    assert.equal(caller(sameSecond).kind, 'customer', 'Revoker records now − 1 s');

    clock.advance(1);
    auth.revokeCustomerTokens(CUSTOMER.id);
    assert.equal(caller(sameSecond).kind, 'guest', 'iat is now before the revocation');
    const fresh = auth.createCustomerToken(CUSTOMER.email, CUSTOMER.password);
    assert.equal(caller(fresh).kind, 'customer', 'a token issued after the revocation works at once');
    assert.equal(caller(auth.createAdminToken('admin', 'admin-pw')).kind, 'admin', 'revocation is per user type and id');
  });

  test('the control endpoint revokes every live token of a kind; a new one in the same second works', () => {
    const { auth, caller } = setup();
    const admin = auth.createAdminToken('admin', 'admin-pw');
    const customer = auth.createCustomerToken(CUSTOMER.email, CUSTOMER.password);
    assert.equal(auth.revokeTokens('admin'), 1);
    assert.equal(caller(admin).kind, 'guest');
    assert.equal(caller(customer).kind, 'customer');
    const again = auth.createAdminToken('admin', 'admin-pw');
    assert.equal(caller(again).kind, 'admin');
    assert.equal(auth.revokeTokens('all'), 2);
    assert.equal(caller(again).kind, 'guest');
    assert.equal(caller(customer).kind, 'guest');
    assert.equal(auth.revokeTokens('all'), 0, 'nothing left to revoke');
  });

  test('reset rotates the key: tokens from before are guests', () => {
    const { auth, caller } = setup();
    const token = auth.createAdminToken('admin', 'admin-pw');
    auth.reset();
    assert.equal(caller(token).kind, 'guest');
  });

  test('opaque format: 32 chars [a-z0-9], as before 2.4.4', () => {
    const { auth, caller } = setup({ tokenFormat: 'opaque' });
    const token = auth.createAdminToken('admin', 'admin-pw');
    assert.match(token, /^[a-z0-9]{32}$/);
    assert.equal(caller(token).kind, 'admin');
  });
});
