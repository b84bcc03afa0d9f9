import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMagentoMessage, magentoErrorFromResponse, parseMagentoErrorBody } from '../../../src/core/http/magentoError';

describe('formatMagentoMessage', () => {
  test('positional %1 and named %name placeholders', () => {
    assert.equal(formatMagentoMessage('The %1 HTTP method is not supported.', ['OPTIONS']), 'The OPTIONS HTTP method is not supported.');
    assert.equal(formatMagentoMessage('"%fieldName" is required. Enter and try again.', { fieldName: 'username' }), '"username" is required. Enter and try again.');
    assert.equal(formatMagentoMessage('The sort order has to be specified as %1 for ascending order or %2 for descending order.', ['ASC', 'DESC']),
      'The sort order has to be specified as ASC for ascending order or DESC for descending order.');
  });

  test('longest placeholder wins like strtr, unknown ones stay, lists are joined', () => {
    const params = Array.from({ length: 10 }, (_, i) => `v${i + 1}`);
    // %11 has no parameter: strtr takes the longest known placeholder, %1, and keeps the trailing 1.
    assert.equal(formatMagentoMessage('%10 %1 %11', params), 'v10 v1 v11');
    assert.equal(formatMagentoMessage('%10 %1 %11', params.slice(0, 1)), 'v10 v1 v11');
    assert.equal(formatMagentoMessage('%name and %names and %other', { name: 'A', names: 'B' }), 'A and B and %other');
    assert.equal(formatMagentoMessage('providers: %p', { p: ['google', 'authy'] }), 'providers: google, authy');
    assert.equal(formatMagentoMessage('Maximum SearchCriteria pageSize is %max', { max: 300 }), 'Maximum SearchCriteria pageSize is 300');
    assert.equal(formatMagentoMessage('no params %1'), 'no params %1');
  });
});

describe('parseMagentoErrorBody', () => {
  test('aggregate errors are parsed and substituted one by one', () => {
    const body = parseMagentoErrorBody(JSON.stringify({
      message: 'One or more input exceptions have occurred.',
      errors: [
        { message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: 'username' } },
        { message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: 'password' } },
      ],
    }));
    assert.ok(body);
    assert.deepEqual(body.errors?.map((e) => e.text), ['"username" is required. Enter and try again.', '"password" is required. Enter and try again.']);
  });

  test('fatal-error shape, oauth_problem form bodies, and non-Magento bodies', () => {
    assert.equal(parseMagentoErrorBody('{"messages":{"error":[{"code":500,"message":"Server internal error. See details in report api/123"}]}}')?.code, 500);
    assert.equal(parseMagentoErrorBody('oauth_problem=The+signature+is+invalid')?.message, 'The signature is invalid');
    assert.equal(parseMagentoErrorBody('<html><body>502 Bad Gateway</body></html>'), undefined);
    assert.equal(parseMagentoErrorBody('[1,2]'), undefined);
  });
});

describe('MagentoApiError and hints', () => {
  const base = { method: 'GET', url: 'https://s.example.com/rest/default/V1/products' };

  test('ACL 401 names the resource; with integration-bearer explains the 2.4.4 setting', () => {
    const text = JSON.stringify({ message: "The consumer isn't authorized to access %resources.", parameters: { resources: 'Magento_Catalog::products' } });
    const admin = magentoErrorFromResponse({ ...base, status: 401, text, authKind: 'admin' });
    assert.equal(admin.message, "401 The consumer isn't authorized to access Magento_Catalog::products.");
    assert.equal(admin.magentoMessage, "The consumer isn't authorized to access %resources.");
    assert.match(admin.hint ?? '', /Magento_Catalog::products/);
    const bearer = magentoErrorFromResponse({ ...base, status: 401, text, authKind: 'integration-bearer' });
    assert.match(bearer.hint ?? '', /enable_integration_as_bearer/);
    assert.match(bearer.hint ?? '', /OAuth 1\.0a/);
  });

  test('2FA, wrong OTP, lockout ambiguity, signature method', () => {
    const tfa = magentoErrorFromResponse({ ...base, status: 401, text: JSON.stringify({ message: 'Please use the 2fa provider-specific endpoints to obtain a token.', parameters: { active_providers: ['google'] } }) });
    assert.match(tfa.hint ?? '', /\/V1\/tfa\/provider\/google\/authenticate/);
    assert.match(magentoErrorFromResponse({ ...base, status: 401, text: '{"message":"Invalid code."}' }).hint ?? '', /30 seconds/);
    const signIn = magentoErrorFromResponse({ ...base, status: 401, text: '{"message":"The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later."}' });
    assert.match(signIn.hint ?? '', /locked account/);
    const sha1 = magentoErrorFromResponse({ ...base, status: 400, text: '{"message":"Signature method %1 is not supported","parameters":["HMAC-SHA1"]}', authKind: 'oauth1' });
    assert.equal(sha1.displayMessage, 'Signature method HMAC-SHA1 is not supported');
    assert.match(sha1.hint ?? '', /HMAC-SHA256/);
    assert.match(sha1.hint ?? '', /2\.4\.4/);
  });

  test('an HTML page from a proxy keeps a redacted snippet and gets a hint', () => {
    const error = magentoErrorFromResponse({ ...base, status: 502, text: '<html><body>Bad Gateway Authorization: Bearer abcdefghijklmnop</body></html>' });
    assert.equal(error.status, 502);
    assert.match(error.hint ?? '', /proxy/);
    assert.ok(error.bodySnippet.includes('Bad Gateway'));
    assert.ok(!error.bodySnippet.includes('abcdefghijklmnop'));
    assert.match(error.describe(), /^GET https:\/\/s\.example\.com\/rest\/default\/V1\/products → 502/);
  });

  test('aggregate error messages are part of the error message', () => {
    const error = magentoErrorFromResponse({ ...base, status: 400, text: JSON.stringify({ message: 'One or more input exceptions have occurred.', errors: [{ message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: 'username' } }] }) });
    assert.match(error.message, /One or more input exceptions have occurred\. \("username" is required/);
    assert.equal(error.errors?.length, 1);
  });
});
