import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFilterArg, parseSortArg } from '../../../src/cli/commands/request';
import { CliUsageError } from '../../../src/cli/cliTypes';
import { EnvSecretStore, profileFromArgs } from '../../../src/cli/profileFromArgs';
import { normalizeBaseUrl, parseProfile, profileFingerprint, secretKey, tokenLifetimeMinutes } from '../../../src/core/profiles/profile';

describe('profile schema', () => {
  test('defaults: store default, TLS verified, not production; lifetimes admin 4 h, customer 1 h', () => {
    const admin = parseProfile({ id: 'a', label: 'A', baseUrl: 'https://shop.example.com/', auth: { kind: 'admin', username: 'admin' } });
    assert.equal(admin.baseUrl, 'https://shop.example.com');
    assert.equal(admin.storeCode, 'default');
    assert.deepEqual(admin.tls, { verify: true });
    assert.equal(admin.production, false);
    assert.equal(tokenLifetimeMinutes(admin), 240);
    const customer = parseProfile({ id: 'c', label: 'C', baseUrl: 'https://shop.example.com', auth: { kind: 'customer', email: 'a@b.c' }, tokenLifetimeMinutes: 15 });
    assert.equal(tokenLifetimeMinutes(customer), 15);
    assert.equal(tokenLifetimeMinutes(parseProfile({ id: 'i', label: 'I', baseUrl: 'https://s', auth: { kind: 'oauth1' } })), undefined);
  });

  test('every problem is reported by field', () => {
    assert.throws(() => parseProfile({ id: 'bad id!', label: '', baseUrl: 'ftp://x', storeCode: 'en-US', auth: { kind: 'admin', username: '' } }), (e: unknown) => {
      const message = (e as Error).message;
      return ['id:', 'label:', 'baseUrl:', 'storeCode:', 'auth.username:'].every((field) => message.includes(field));
    });
    assert.throws(() => parseProfile({ id: 'x', label: 'x', baseUrl: 'https://s', auth: { kind: 'password-grant' } }), /auth/);
  });

  test('base URL normalisation keeps sub-folders and refuses credentials, queries and the REST path', () => {
    assert.equal(normalizeBaseUrl(' https://Shop.example.com/magento2/ '), 'https://shop.example.com/magento2');
    assert.throws(() => normalizeBaseUrl('https://user:pw@shop.example.com'), /must not contain a user name or password/);
    assert.throws(() => normalizeBaseUrl('https://shop.example.com/?a=1'), /query string/);
    assert.throws(() => normalizeBaseUrl('https://shop.example.com/magento2/index.php/rest/default'), /use 'https:\/\/shop\.example\.com\/magento2'/);
  });

  test('fingerprint: same account on the same store → same key; never derived from secrets', () => {
    const base = { id: 'a', label: 'A', baseUrl: 'https://shop.example.com', auth: { kind: 'admin', username: 'admin' } };
    const a = profileFingerprint(parseProfile(base));
    assert.equal(a, profileFingerprint(parseProfile({ ...base, id: 'other-id', label: 'Other', baseUrl: 'https://SHOP.example.com/' })));
    assert.notEqual(a, profileFingerprint(parseProfile({ ...base, auth: { kind: 'admin', username: 'other' } })));
    assert.notEqual(a, profileFingerprint(parseProfile({ ...base, storeCode: 'fr' })));
    assert.notEqual(a, profileFingerprint(parseProfile({ ...base, baseUrl: 'https://staging.example.com' })));
    assert.match(a, /^[0-9a-f]{32}$/);
    assert.equal(secretKey('a', 'consumerSecret'), 'magentoWorkbench.profile.a.consumerSecret');
  });
});

describe('CLI arguments', () => {
  test('--filter "field op value"', () => {
    assert.deepEqual(parseFilterArg('sku like MB%'), { field: 'sku', value: 'MB%', conditionType: 'like' });
    assert.deepEqual(parseFilterArg('name eq Joust Duffle Bag'), { field: 'name', value: 'Joust Duffle Bag', conditionType: 'eq' });
    assert.deepEqual(parseFilterArg('special_price NOTNULL'), { field: 'special_price', value: '', conditionType: 'notnull', valueAbsent: true });
    assert.throws(() => parseFilterArg('sku'), CliUsageError);
    assert.throws(() => parseFilterArg('price gteq'), /needs a value/);
    assert.throws(() => parseFilterArg('price bigger 3'), /unknown condition "bigger"; use one of eq, neq/);
  });

  test('--sort field:dir', () => {
    assert.deepEqual(parseSortArg('created_at:desc'), { field: 'created_at', direction: 'DESC' });
    assert.deepEqual(parseSortArg('sku'), { field: 'sku', direction: 'DESC', directionImplicit: true });
    assert.throws(() => parseSortArg('sku:up'), /asc or desc/);
    assert.throws(() => parseSortArg('a:asc:b'), CliUsageError);
  });

  test('profile from flags and env; flags win; customer e-mail from --username', async () => {
    const io = { stdout: () => undefined, stderr: () => undefined, cwd: '/tmp', isTty: false, env: { MAGENTO_BASE_URL: 'https://env.example.com', MAGENTO_USERNAME: 'env-user', MAGENTO_STORE: 'fr' } };
    const fromEnv = await profileFromArgs({}, io);
    assert.equal(fromEnv.baseUrl, 'https://env.example.com');
    assert.deepEqual(fromEnv.auth, { kind: 'admin', username: 'env-user' });
    assert.equal(fromEnv.storeCode, 'fr');
    const customer = await profileFromArgs({ 'base-url': 'https://flag.example.com', auth: 'customer', username: 'roni@example.com', insecure: true }, io);
    assert.equal(customer.baseUrl, 'https://flag.example.com');
    assert.deepEqual(customer.auth, { kind: 'customer', email: 'roni@example.com' });
    assert.equal(customer.tls.verify, false);
    await assert.rejects(profileFromArgs({ auth: 'basic' }, io), /--auth must be one of/);
  });

  test('secrets come from the environment by name, and are asked for only when interactive', async () => {
    const env = { MAGENTO_PASSWORD: 'pw', MAGENTO_CONSUMER_SECRET: 'cs' };
    const store = new EnvSecretStore(env, false);
    assert.equal(await store.get(secretKey('cli', 'password')), 'pw');
    assert.equal(await store.get(secretKey('cli', 'consumerSecret')), 'cs');
    assert.equal(await store.get(secretKey('cli', 'accessToken')), undefined);
    const asked: string[] = [];
    const interactive = new EnvSecretStore({}, true, (question) => { asked.push(question); return Promise.resolve('typed'); });
    assert.equal(await interactive.get(secretKey('cli', 'accessToken')), 'typed');
    assert.equal(await interactive.get(secretKey('cli', 'accessToken')), 'typed');
    assert.deepEqual(asked, ['access token: ']);
  });
});
