import { test } from 'node:test';
import assert from 'node:assert/strict';
import { transportErrorFrom } from '../../../src/core/http/transportError';

const URL = 'https://shop.example.com/rest/default/V1/products';

function codeError(code: string, message = code): Error {
  // undici wraps socket errors: TypeError('fetch failed') / SocketError with the system error as cause.
  return Object.assign(new Error('request failed'), { cause: Object.assign(new Error(message), { code }) });
}

test('DNS failures say which host could not be resolved, and are not "sent"', () => {
  const e = transportErrorFrom(codeError('ENOTFOUND', 'getaddrinfo ENOTFOUND shop.example.com'), 'GET', URL);
  assert.equal(e.kind, 'dns');
  assert.match(e.message, /Cannot resolve host shop\.example\.com/);
  assert.equal(e.requestMayHaveBeenSent, false);
});

test('certificate problems explain the CA file; a plain-http port behind https:// explains the scheme', () => {
  const selfSigned = transportErrorFrom(codeError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), 'GET', URL);
  assert.equal(selfSigned.kind, 'tls');
  assert.match(selfSigned.hint ?? '', /CA file/);
  const expired = transportErrorFrom(codeError('CERT_HAS_EXPIRED', 'certificate has expired'), 'GET', URL);
  assert.match(expired.hint ?? '', /expired, wrong host name/);
  const wrongScheme = transportErrorFrom(codeError('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number'), 'GET', URL);
  assert.equal(wrongScheme.kind, 'tls');
  assert.match(wrongScheme.hint ?? '', /scheme and port/);
});

test('timeouts name the phase; a connect timeout was not sent, a headers timeout may have been', () => {
  const connect = transportErrorFrom(codeError('UND_ERR_CONNECT_TIMEOUT'), 'POST', URL);
  assert.equal(connect.kind, 'timeout');
  assert.equal(connect.requestMayHaveBeenSent, false);
  const headers = transportErrorFrom(codeError('UND_ERR_HEADERS_TIMEOUT'), 'POST', URL, 1500);
  assert.equal(headers.kind, 'timeout');
  assert.match(headers.message, /did not send a response within 1500 ms/);
  assert.equal(headers.requestMayHaveBeenSent, true);
  assert.match(transportErrorFrom(codeError('UND_ERR_BODY_TIMEOUT'), 'GET', URL).message, /the response body/);
});

test('resets, aborts and unknown failures', () => {
  assert.equal(transportErrorFrom(codeError('ECONNRESET'), 'GET', URL).kind, 'connection-reset');
  const abort = Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
  assert.equal(transportErrorFrom(abort, 'GET', URL).kind, 'aborted');
  const other = transportErrorFrom(new Error('something odd'), 'GET', URL);
  assert.equal(other.kind, 'network');
  assert.match(other.describe(), /^GET https:\/\/shop\.example\.com\/rest\/default\/V1\/products → Request to shop\.example\.com failed: something odd/);
});

test('secrets in low-level messages are redacted', () => {
  const e = transportErrorFrom(new Error('failed with Authorization: Bearer abcdefghijklmnopqrstuvwxyz'), 'GET', URL);
  assert.ok(!e.message.includes('abcdefghijklmnop'));
});
