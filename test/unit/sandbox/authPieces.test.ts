import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { base32Decode, base32Encode, hotp, totp, verifyTotp } from '../../../src/sandbox/auth/totp';
import { flatPairs, hmacSha256Signature, normaliseBaseUrl, parseOAuthHeader, rawUrlDecode, rawUrlEncode, signatureBaseString } from '../../../src/sandbox/auth/oauth1';
import { bearerToken } from '../../../src/sandbox/auth/authService';
import { GUEST, adminCaller, customerCaller, integrationCaller, isAllowed } from '../../../src/sandbox/auth/caller';

describe('sandbox TOTP', () => {
  test('RFC 4226 HOTP vectors', () => {
    const key = Buffer.from('12345678901234567890');
    assert.deepEqual([0, 1, 2, 9].map((c) => hotp(key, c)), ['755224', '287082', '359152', '520489']);
  });

  test('RFC 6238 SHA-1 vector (8 digits at T=59) and base32 round trip', () => {
    const secret = base32Encode(Buffer.from('12345678901234567890'));
    assert.equal(secret, 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    assert.equal(totp(secret, 59_000, 30, 8), '94287082');
    assert.deepEqual(base32Decode(secret), Buffer.from('12345678901234567890'));
  });

  test('verifyTotp accepts ±1 step and rejects others and non-digits', () => {
    const secret = base32Encode(Buffer.from('sandbox-secret-bytes'));
    const now = 1_700_000_000_000;
    assert.equal(verifyTotp(secret, totp(secret, now), now), true);
    assert.equal(verifyTotp(secret, totp(secret, now - 30_000), now), true);
    assert.equal(verifyTotp(secret, totp(secret, now - 90_000), now), false);
    assert.equal(verifyTotp(secret, 'abcdef', now), false);
  });
});

describe('OAuth pieces', () => {
  test('rawurlencode/rawurldecode as PHP', () => {
    assert.equal(rawUrlEncode("a b+c~*'()!"), 'a%20b%2Bc~%2A%27%28%29%21');
    assert.equal(rawUrlDecode('a+b%20c%ZZ'), 'a+b c%ZZ');
  });

  test('header parsing: case-insensitive prefix, quotes stripped, only oauth_* names', () => {
    assert.deepEqual(parseOAuthHeader('oauth oauth_consumer_key="a%20b", realm="x", oauth_nonce=n'), { oauth_consumer_key: 'a b', oauth_nonce: 'n' });
    assert.equal(parseOAuthHeader('Bearer abc'), undefined);
  });

  test('flat query pairs keep bracketed keys and the last repeated value', () => {
    assert.deepEqual(flatPairs('searchCriteria%5BpageSize%5D=2&a=1&a=2&flag'), { 'searchCriteria[pageSize]': '2', a: '2', flag: '' });
  });

  test('base string sorts decoded keys, drops oauth_signature; URL normalised', () => {
    assert.equal(normaliseBaseUrl('HTTP://Example.COM:80/rest/V1/x'), 'http://example.com/rest/V1/x');
    assert.equal(normaliseBaseUrl('http://127.0.0.1:8080/a'), 'http://127.0.0.1:8080/a');
    const base = signatureBaseString('get', 'http://h/p', { b: '2', a: '1 1', oauth_signature: 'zzz' });
    assert.equal(base, 'GET&http%3A%2F%2Fh%2Fp&a%3D1%25201%26b%3D2');
    assert.equal(hmacSha256Signature('x', 'cs', 'ts').length, 44);
  });

  test('bearer parsing: exactly two pieces, scheme case-insensitive', () => {
    assert.equal(bearerToken('Bearer abc'), 'abc');
    assert.equal(bearerToken('bEaReR abc'), 'abc');
    assert.equal(bearerToken('Bearer  abc'), undefined);
    assert.equal(bearerToken('Bearer'), undefined);
    assert.equal(bearerToken('Basic abc'), undefined);
  });

  test('ACL: anonymous for all, self for customers, resources for admins and integrations', () => {
    assert.equal(isAllowed(GUEST, ['anonymous']), true);
    assert.equal(isAllowed(GUEST, ['Magento_Catalog::products']), false);
    assert.equal(isAllowed(customerCaller(1), ['self']), true);
    assert.equal(isAllowed(adminCaller(1), ['self']), false);
    assert.equal(isAllowed(integrationCaller(1), ['Magento_Catalog::products']), true);
    assert.equal(isAllowed(customerCaller(1), ['Magento_Customer::customer']), false);
  });
});
