import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactText } from '../../../src/core/http/redactor';
import { signOAuth1 } from '../../../src/core/auth/oauth1Signer';

test('a full OAuth 1.0a Authorization header loses its signature, token and consumer key', () => {
  const signed = signOAuth1(
    { consumerKey: 'consumerkey0123456789abcdefghijk', consumerSecret: 'cs', accessToken: 'accesstoken0123456789abcdefghij', accessTokenSecret: 'ts' },
    { method: 'GET', url: 'https://s.example.com/rest/V1/x' },
  );
  const out = redactText(`authorization: ${signed.authorization}`);
  assert.ok(!out.includes('consumerkey0123456789'));
  assert.ok(!out.includes('accesstoken0123456789'));
  assert.ok(!out.includes(encodeURIComponent(signed.signature)));
  const inline = redactText(signed.authorization);
  assert.ok(!inline.includes('accesstoken0123456789'));
  assert.ok(!inline.includes(encodeURIComponent(signed.signature)));
});

test('OAuth handshake form bodies: token secret and verifier', () => {
  const out = redactText('oauth_token=abcd1234abcd1234&oauth_token_secret=sekrit5678sekrit&oauth_verifier=verif999');
  assert.ok(!out.includes('abcd1234abcd1234'));
  assert.ok(!out.includes('sekrit5678sekrit'));
  assert.ok(!out.includes('verif999'));
});

test('JWT tokens anywhere, and unquoted password/otp assignments', () => {
  const jwt = 'eyJraWQiOiIxIiwiYWxnIjoiSFMyNTYifQ.eyJ1aWQiOjEsInV0eXBpZCI6Mn0.c2lnbmF0dXJlLXZhbHVl';
  const out = redactText(`token was ${jwt} ; MAGENTO_PASSWORD=hunter2hunter otp=123456 password=pw%21x&user=admin`);
  assert.ok(!out.includes(jwt.split('.')[1]!));
  assert.ok(!out.includes('hunter2hunter'));
  assert.ok(!out.includes('123456'));
  assert.ok(!out.includes('pw%21x'));
  assert.ok(out.includes('user=admin'));
});

test('the 2FA request body loses password and otp but keeps the user name', () => {
  const out = redactText(JSON.stringify({ username: 'admin', password: 'Adm1nPass!', otp: '654321' }));
  assert.equal(out, '{"username":"admin","password":"***","otp":"***"}');
});

test('an encoded signature base string keeps its structure but loses token, consumer key and nonce', () => {
  const signed = signOAuth1(
    { consumerKey: 'consumerkey0123456789abcdefghijk', consumerSecret: 'cs', accessToken: 'accesstoken0123456789abcdefghij', accessTokenSecret: 'ts' },
    { method: 'GET', url: 'https://s.example.com/rest/V1/products?searchCriteria[pageSize]=1' },
    { nonce: 'nonce0123456789' },
  );
  const out = redactText(signed.baseString);
  assert.ok(!out.includes('accesstoken0123456789'));
  assert.ok(!out.includes('consumerkey0123456789'));
  assert.ok(!out.includes('nonce0123456789'));
  assert.ok(out.startsWith('GET&https%3A%2F%2Fs.example.com%2Frest%2FV1%2Fproducts&'));
  assert.ok(out.includes('oauth_signature_method%3DHMAC-SHA256'));
  assert.ok(out.includes('searchCriteria%255BpageSize%255D%3D1'));
});
