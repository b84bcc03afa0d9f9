import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProfile } from '../../../src/core/profiles/profile';
import { DemoEnvironmentError, grantRefusal, isLoopbackUrl, parseDemoGrant } from '../../../src/host/demo/demoEnvironment';

const profile = (overrides: Record<string, unknown> = {}) => parseProfile({
  id: 'demo-sandbox', label: 'Demo', baseUrl: 'http://127.0.0.1:41234', storeCode: 'default',
  auth: { kind: 'admin', username: 'admin' }, production: false, tls: { verify: true }, ...overrides,
});

describe('demo environment grant', () => {
  test('unset or blank means no demo', () => {
    assert.equal(parseDemoGrant(undefined), undefined);
    assert.equal(parseDemoGrant('  '), undefined);
  });

  test('parses a well-formed grant', () => {
    assert.deepEqual(parseDemoGrant('{"profileId":"demo-sandbox","password":"pw"}'), { profileId: 'demo-sandbox', password: 'pw' });
  });

  test('malformed values are clear errors that name the variable and never echo the value', () => {
    assert.throws(() => parseDemoGrant('not json secret-pw'), (e: unknown) => e instanceof DemoEnvironmentError && /MAGENTO_WORKBENCH_DEMO/.test(e.message) && !e.message.includes('secret-pw'));
    assert.throws(() => parseDemoGrant('{"profileId":"a b","password":"x"}'), /profileId/);
    assert.throws(() => parseDemoGrant('{"profileId":"a","password":""}'), /password/);
  });

  test('loopback addresses only', () => {
    for (const url of ['http://127.0.0.1:1', 'http://localhost:8080', 'http://[::1]:9', 'http://127.4.5.6']) assert.equal(isLoopbackUrl(url), true, url);
    for (const url of ['https://store.example.com', 'http://10.0.0.1', 'http://127.0.0.1.example.com', 'not a url']) assert.equal(isLoopbackUrl(url), false, url);
  });

  test('refuses production, non-loopback, missing and password-less profiles', () => {
    const grant = { profileId: 'demo-sandbox', password: 'pw' };
    assert.equal(grantRefusal(grant, profile()), undefined);
    assert.match(grantRefusal(grant, undefined) ?? '', /no profile/);
    assert.match(grantRefusal(grant, profile({ production: true })) ?? '', /production/);
    assert.match(grantRefusal(grant, profile({ baseUrl: 'https://store.example.com' })) ?? '', /loopback/);
    assert.match(grantRefusal(grant, profile({ auth: { kind: 'integration-bearer' } })) ?? '', /does not use a password/);
  });
});
