// Secrets never leak: full CLI flows (2FA admin token, requests, a failing request, a wrong
// password, bulk submit, bulk status, integration bearer and OAuth 1.0a with --show-signature,
// all verbose) against a sandbox, with a shared Redis behind a password — then everything written
// is searched for every secret value: stdout/stderr, every file under the temp HOME (journal,
// bulks.json, anything else), exported cURL and .http text, error messages, and every Redis key
// and value (values must be ciphertext). The count found must be 0.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { toCurl } from '../../src/core/export/curlExport';
import { toHttpFileRequest } from '../../src/core/export/httpFileExport';
import { totp } from '../../src/core/auth/totp';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandboxServer';
import { buildCliBundle, runCliProcess, type CliBundle, type CliRun } from '../support/cliProcess';
import { redisServerAvailable, startRedisProcess, type RedisProcess } from '../support/redisProcess';

interface Written { where: string; text: string }

async function filesUnder(dir: string): Promise<Written[]> {
  const out: Written[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else if ((await stat(full)).size < 50 * 1024 * 1024) out.push({ where: full, text: await readFile(full, 'latin1') });
  }
  return out;
}

/** The tokens the store issued during the run (its own record), so their values can be searched for. */
function issuedTokens(sandbox: SandboxHandle): string[] {
  return sandbox.app.auth.issuedTokens();
}

function reportLeaks(leaks: number, scanned: number): void {
  const file = process.env.FAULTS_REPORT;
  if (!file) return;
  void writeFile(file, JSON.stringify({ fault: 'secrets leak scan', injected: 0, operations: 0, leaks, scanned }) + '\n', { flag: 'a' });
}

describe('secrets leak scan over CLI flows', () => {
  let sandbox: SandboxHandle;
  let cli: CliBundle;
  let home: string;
  let redis: RedisProcess | undefined;
  const redisPassword = `redis-pw-${randomBytes(12).toString('hex')}`;
  const wrongPassword = `wrong-pw-${randomBytes(12).toString('hex')}`;
  const trickyTail = `tail-${randomBytes(12).toString('hex')}`;

  before(async () => {
    [sandbox, cli] = await Promise.all([startSandbox({ port: 0, twoFactor: true, consumers: true }), buildCliBundle()]);
    home = await mkdtemp(join(tmpdir(), 'leak-home-'));
    if (redisServerAvailable()) redis = await startRedisProcess({ password: redisPassword });
  });
  after(async () => {
    await sandbox.close();
    cli.dispose();
    await redis?.stop();
    await rm(home, { recursive: true, force: true });
  });

  test('no secret value appears in anything the CLI wrote, exported or stored', async () => {
    const creds = sandbox.credentials;
    const base: Record<string, string> = {
      HOME: home,
      MAGENTO_REST_HOME: join(home, '.magento-rest'),
      MAGENTO_BASE_URL: sandbox.baseUrl,
      ...(redis ? { REDIS_URL: redis.url } : {}),
    };
    const admin = { ...base, MAGENTO_USERNAME: creds.admin.username, MAGENTO_PASSWORD: creds.admin.password, MAGENTO_OTP_SECRET: creds.admin.totpSecret ?? '' };
    const runs: Array<{ name: string; run: CliRun }> = [];
    const cliRun = async (name: string, args: string[], env: Record<string, string>): Promise<CliRun> => {
      const run = await runCliProcess(cli.path, [...args, '-v'], env, home);
      runs.push({ name, run });
      return run;
    };

    assert.equal((await cliRun('token', ['token'], admin)).code, 0);
    assert.equal((await cliRun('token --json', ['token', '--json'], admin)).code, 0);
    assert.equal((await cliRun('request list', ['request', 'GET', '/V1/products', '--page-size', '2'], admin)).code, 0);
    assert.notEqual((await cliRun('request 404', ['request', 'GET', '/V1/products/no-such-sku-anywhere'], admin)).code, 0);
    const items = join(home, 'items.json');
    await writeFile(items, JSON.stringify(Array.from({ length: 20 }, (_v, i) => ({ product: { sku: `LEAK-${i}`, name: `Leak ${i}`, attribute_set_id: 4, type_id: 'simple', price: 5 } }))));
    const submit = await cliRun('bulk submit', ['bulk', 'submit', '--method', 'PUT', '--path', '/V1/products/{sku}', '--items', items, '--batch-size', '10', '--wait', '--wait-timeout', '30'], admin);
    assert.equal(submit.code, 0, submit.stderr);
    const uuid = (JSON.parse(submit.stdout) as { bulk_uuids: string[] }).bulk_uuids[0]!;
    assert.equal((await cliRun('bulk status', ['bulk', 'status', uuid], admin)).code, 0);
    assert.notEqual((await cliRun('wrong password', ['token', '--forget'], { ...admin, MAGENTO_PASSWORD: wrongPassword })).code + (await cliRun('wrong password token', ['token'], { ...base, MAGENTO_USERNAME: 'someone-else', MAGENTO_PASSWORD: wrongPassword, MAGENTO_OTP_SECRET: creds.admin.totpSecret ?? '' })).code, 0);
    const bearer = { ...base, MAGENTO_AUTH: 'integration-bearer', MAGENTO_ACCESS_TOKEN: creds.integration.accessToken };
    assert.equal((await cliRun('bearer request', ['request', 'GET', '/V1/store/storeViews'], bearer)).code, 0);
    const oauth = { ...base, MAGENTO_AUTH: 'oauth1', MAGENTO_CONSUMER_KEY: creds.integration.consumerKey, MAGENTO_CONSUMER_SECRET: creds.integration.consumerSecret, MAGENTO_ACCESS_TOKEN: creds.integration.accessToken, MAGENTO_ACCESS_TOKEN_SECRET: creds.integration.accessTokenSecret };
    assert.equal((await cliRun('oauth request', ['request', 'GET', '/V1/store/storeViews', '--show-signature'], oauth)).code, 0);

    const tokens = issuedTokens(sandbox);
    assert.ok(tokens.length >= 1, 'the store issued admin tokens');
    const secrets: Array<[string, string]> = [
      ['admin password', creds.admin.password],
      ['wrong password', wrongPassword],
      ['TOTP secret', creds.admin.totpSecret ?? ''],
      ['consumer key', creds.integration.consumerKey],
      ['consumer secret', creds.integration.consumerSecret],
      ['access token', creds.integration.accessToken],
      ['access token secret', creds.integration.accessTokenSecret],
      ...tokens.map((t, i): [string, string] => [`admin token #${i + 1}`, t]),
      ...(redis ? [['Redis password', redisPassword] as [string, string]] : []),
      ['tail of a password with a quote', trickyTail],
    ];
    for (const [name, value] of secrets) assert.ok(value.length >= 12, `${name} is long enough to search for`);

    // Exports of a request carrying real credentials (what "Copy as cURL" / "Save as .http" get).
    const tokenRequest = { method: 'POST', url: `${sandbox.baseUrl}/rest/default/V1/tfa/provider/google/authenticate`, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens[0]}` }, body: JSON.stringify({ username: creds.admin.username, password: creds.admin.password, otp: totp(creds.admin.totpSecret ?? '') }) };
    const trickyBody = JSON.stringify({ username: 'admin', password: `pw"${trickyTail}` });
    const written: Written[] = [
      { where: 'cURL export (password with a quote)', text: toCurl({ ...tokenRequest, body: trickyBody }) },
      { where: '.http export (password with a quote)', text: toHttpFileRequest({ method: 'POST', baseUrl: sandbox.baseUrl, pathAndQuery: '/rest/default/V1/integration/admin/token', headers: {}, body: trickyBody }) },
      ...runs.flatMap(({ name, run }) => [{ where: `${name} stdout`, text: run.stdout }, { where: `${name} stderr`, text: run.stderr }]),
      ...(await filesUnder(home)),
      { where: 'cURL export', text: toCurl(tokenRequest) },
      { where: 'cURL export (OAuth header)', text: toCurl({ ...tokenRequest, headers: { Authorization: `OAuth oauth_consumer_key="${creds.integration.consumerKey}",oauth_token="${creds.integration.accessToken}",oauth_signature="x"` } }) },
      { where: '.http export', text: toHttpFileRequest({ method: 'POST', baseUrl: sandbox.baseUrl, pathAndQuery: '/rest/default/V1/integration/admin/token', headers: { Authorization: `Bearer ${tokens[0]}`, 'Content-Type': 'application/json' }, body: tokenRequest.body, authKind: 'admin' }) },
    ];
    assert.ok(written.some((w) => w.where.includes('journal')), 'the journal was written and is scanned');
    assert.ok(written.some((w) => w.where.endsWith('bulks.json')), 'bulks.json was written and is scanned');

    let redisValues = 0;
    if (redis) {
      const r = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await r.connect();
      try {
        const keys = await r.keys('*');
        assert.ok(keys.length > 0, 'the token cache used Redis');
        for (const key of keys) {
          const type = await r.type(key);
          const value = type === 'string' ? (await r.get(key)) ?? '' : '';
          redisValues++;
          written.push({ where: `redis key ${key}`, text: key }, { where: `redis value of ${key}`, text: value });
          if (/token/i.test(key) && value.length > 40) {
            assert.ok(!/^[\s{["]/.test(value), `the Redis value of ${key} looks like plaintext JSON, not ciphertext`);
          }
        }
      } finally {
        r.disconnect();
      }
    }

    const leaks: string[] = [];
    for (const [name, value] of secrets) {
      const encoded = [value, encodeURIComponent(value), Buffer.from(value).toString('base64')];
      for (const w of written) {
        if (encoded.some((form) => w.text.includes(form))) leaks.push(`${name} found in ${w.where}`);
      }
    }
    reportLeaks(leaks.length, written.length);
    assert.deepEqual(leaks, [], `leaks:\n${leaks.join('\n')}`);
    assert.ok(written.length > 20 && (redis === undefined || redisValues > 0));
  });
});
