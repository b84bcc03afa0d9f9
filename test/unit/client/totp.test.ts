import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base32Decode, base32Encode, hotp, totp, totpFromKey, type TotpAlgorithm } from '../../../src/core/auth/totp';

// RFC 6238 Appendix B: 8-digit codes, 30 s steps, seeds of 20/32/64 bytes.
const SEEDS: Record<TotpAlgorithm, Buffer> = {
  sha1: Buffer.from('12345678901234567890'),
  sha256: Buffer.from('12345678901234567890123456789012'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
};
const VECTORS: Array<[number, string, string, string]> = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

test('RFC 6238 Appendix B vectors (SHA1, SHA256, SHA512)', () => {
  for (const [seconds, sha1, sha256, sha512] of VECTORS) {
    assert.equal(totpFromKey(SEEDS.sha1, { timeMs: seconds * 1000, digits: 8 }), sha1, `sha1 @${seconds}`);
    assert.equal(totpFromKey(SEEDS.sha256, { timeMs: seconds * 1000, digits: 8, algorithm: 'sha256' }), sha256, `sha256 @${seconds}`);
    assert.equal(totpFromKey(SEEDS.sha512, { timeMs: seconds * 1000, digits: 8, algorithm: 'sha512' }), sha512, `sha512 @${seconds}`);
  }
});

test('RFC 4226 Appendix D HOTP values', () => {
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  expected.forEach((code, counter) => assert.equal(hotp(SEEDS.sha1, counter), code));
});

test('base32 secrets as authenticator apps use them (Google Authenticator defaults: 6 digits, 30 s)', () => {
  const secret = base32Encode(SEEDS.sha1);
  assert.equal(secret, 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  assert.deepEqual(base32Decode(secret.toLowerCase().replace(/(.{4})/g, '$1 ')), SEEDS.sha1);
  assert.equal(totp(secret, { timeMs: 59_000 }), '287082');
  assert.equal(totp(secret, { timeMs: 59_000 }), totp(secret, { timeMs: 31_000 }));
  assert.notEqual(totp(secret, { timeMs: 59_000 }), totp(secret, { timeMs: 61_000 }));
});

test('a non-base32 secret is refused with a clear message', () => {
  assert.throws(() => base32Decode('ABC1'), /not base32: unexpected character '1'/);
});
