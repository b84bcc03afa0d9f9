// `magento-rest request` and `token` run in-process (runCli) against the sandbox store.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliIo } from '../../../src/cli/cliTypes';
import { runCli } from '../../../src/cli/main';
import { startSandbox, type SandboxHandle } from '../../../src/sandbox/sandboxServer';

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

describe('magento-rest request/token against the sandbox', () => {
  let sandbox: SandboxHandle;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  async function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}, cwd = dir, isTty = false): Promise<Captured> {
    let stdout = '';
    let stderr = '';
    const io: CliIo = { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, env: { ...env, ...extraEnv }, cwd, isTty };
    const code = await runCli(args, io);
    return { code, stdout, stderr };
  }

  before(async () => {
    sandbox = await startSandbox();
    dir = mkdtempSync(join(tmpdir(), 'mrw-request-'));
    env = {
      MAGENTO_NO_PROMPT: '1',
      MAGENTO_BASE_URL: sandbox.baseUrl,
      MAGENTO_USERNAME: sandbox.credentials.admin.username,
      MAGENTO_PASSWORD: sandbox.credentials.admin.password,
    };
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await sandbox.close();
  });

  test('filters, sort, page size and fields become searchCriteria; JSON on stdout', async () => {
    const run = await cli(['request', 'GET', '/V1/products', '--filter', 'sku like %', '--sort', 'sku:asc', '--page-size', '5', '--fields', 'items[sku],total_count']);
    assert.equal(run.code, 0, run.stderr);
    const body = JSON.parse(run.stdout) as { items: Array<{ sku: string }>; total_count: number };
    assert.equal(body.items.length, 5);
    assert.deepEqual(Object.keys(body.items[0]!), ['sku']);
    const skus = body.items.map((i) => i.sku);
    assert.deepEqual(skus, [...skus].sort());
    assert.ok(body.total_count > 5);
  });

  test('--or puts the filters in one group; without it they are ANDed', async () => {
    const all = JSON.parse((await cli(['request', 'GET', '/V1/products', '--page-size', '2', '--fields', 'items[sku],total_count'])).stdout) as { items: Array<{ sku: string }> };
    const [a, b] = all.items.map((i) => i.sku);
    const ored = JSON.parse((await cli(['request', 'GET', '/V1/products', '--or', '--filter', `sku eq ${a}`, '--filter', `sku eq ${b}`])).stdout) as { total_count: number };
    assert.equal(ored.total_count, 2);
    const anded = JSON.parse((await cli(['request', 'GET', '/V1/products', '--filter', `sku eq ${a}`, '--filter', `sku eq ${b}`])).stdout) as { total_count: number };
    assert.equal(anded.total_count, 0);
  });

  test('--all-pages streams every item once as JSON lines and stops on total_count', async () => {
    const total = (JSON.parse((await cli(['request', 'GET', '/V1/products', '--page-size', '1'])).stdout) as { total_count: number }).total_count;
    const run = await cli(['request', 'GET', '/V1/products', '--all-pages', '--page-size', '7', '--fields', 'items[sku]']);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { sku: string });
    assert.equal(lines.length, total);
    assert.equal(new Set(lines.map((l) => l.sku)).size, total);
    assert.equal(run.stderr, '', 'no progress bar when stderr is not a terminal');
    const pages = Math.ceil(total / 7);
    const tty = await cli(['request', 'GET', '/V1/products', '--all-pages', '--page-size', '7', '--fields', 'items[sku]'], {}, dir, true);
    assert.equal(tty.stdout, run.stdout, 'the progress bar never goes to stdout');
    assert.match(tty.stderr, new RegExp(`\\[#{30}\\] page ${pages}/${pages} \\(${total}/${total} items\\)\\n$`));
  });

  test('--data @file sends a body; the answer is printed', async () => {
    const file = join(dir, 'product.json');
    writeFileSync(file, JSON.stringify({ product: { sku: 'CLI-REQ-1', name: 'From the CLI', attribute_set_id: 4, price: 3, type_id: 'simple' } }));
    const run = await cli(['request', 'POST', '/V1/products', '--data', '@product.json']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { sku: string }).sku, 'CLI-REQ-1');
  });

  test('store errors exit 1 with the message and hint on stderr', async () => {
    const run = await cli(['request', 'GET', '/V1/no-such-route']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /404 Request does not match any route\./);
    assert.match(run.stderr, /Hint: No REST route matches/);
    const wrong = await cli(['token'], { MAGENTO_PASSWORD: 'wrong' });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /401 The account sign-in was incorrect/);
  });

  test('usage errors exit 2', async () => {
    const cases: Array<[string[], RegExp, NodeJS.ProcessEnv?]> = [
      [['request', 'GET', '/V1/products', '--filter', 'sku resembles x'], /unknown condition "resembles"/],
      [['request', 'FETCH', '/V1/products'], /unknown method/],
      [['request', 'POST', '/V1/products', '--data', '{not json'], /--data is not valid JSON/],
      [['request', 'GET', '/V1/products', '--sort', 'sku:sideways'], /asc or desc/],
      [['request', 'GET'], /expected METHOD and PATH/],
      [['token'], /no store given/, { MAGENTO_BASE_URL: '' }],
      [['token'], /needs MAGENTO_PASSWORD/, { MAGENTO_PASSWORD: '' }],
      [['token', '--auth', 'integration-bearer'], /have no token to fetch/, { MAGENTO_ACCESS_TOKEN: 'x'.repeat(32) }],
      [['token', '--base-url', 'ftp://store'], /must start with https:\/\//],
    ];
    for (const [args, message, extra] of cases) {
      const run = await cli(args, extra);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
    }
  });

  test('--profile reads non-secret fields from .magento-rest.json; secrets there are refused', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mrw-profile-'));
    try {
      writeFileSync(join(cwd, '.magento-rest.json'), JSON.stringify({ profiles: { sbx: { baseUrl: sandbox.baseUrl, auth: { kind: 'admin', username: sandbox.credentials.admin.username } } } }));
      const ok = await cli(['token', '--profile', 'sbx', '--json'], { MAGENTO_BASE_URL: '' }, cwd);
      assert.equal(ok.code, 0, ok.stderr);
      assert.ok(['fetched', 'memory'].includes((JSON.parse(ok.stdout) as { source: string }).source));
      const missing = await cli(['token', '--profile', 'other'], {}, cwd);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /no profile "other".*known: sbx/);
      writeFileSync(join(cwd, 'leaky.json'), JSON.stringify({ profiles: { sbx: { baseUrl: sandbox.baseUrl, password: 'oops', auth: { kind: 'admin', username: 'admin' } } } }));
      const leaky = await cli(['token', '--profile', 'sbx', '--profile-file', 'leaky.json'], {}, cwd);
      assert.equal(leaky.code, 2);
      assert.match(leaky.stderr, /holds a secret \("password"\).*MAGENTO_PASSWORD/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  test('oauth1 from env; --show-signature prints the masked base string', async () => {
    const i = sandbox.credentials.integration;
    const run = await cli(['request', 'GET', '/V1/products', '--auth', 'oauth1', '--page-size', '1', '--show-signature'], {
      MAGENTO_CONSUMER_KEY: i.consumerKey, MAGENTO_CONSUMER_SECRET: i.consumerSecret, MAGENTO_ACCESS_TOKEN: i.accessToken, MAGENTO_ACCESS_TOKEN_SECRET: i.accessTokenSecret,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { items: unknown[] }).items.length, 1);
    assert.match(run.stderr, /^OAuth signature base string: GET&http%3A%2F%2F127\.0\.0\.1%3A\d+%2Frest%2Fdefault%2FV1%2Fproducts&/);
    assert.ok(!run.stderr.includes(i.accessToken));
    assert.ok(!run.stderr.includes(i.consumerKey));
  });

  test('2FA from the CLI: MAGENTO_OTP_SECRET computes the code; none or a wrong one explains', async () => {
    const tfa = await startSandbox({ twoFactor: true });
    try {
      const tfaEnv = { MAGENTO_BASE_URL: tfa.baseUrl, MAGENTO_USERNAME: tfa.credentials.admin.username, MAGENTO_PASSWORD: tfa.credentials.admin.password };
      const ok = await cli(['token', '--json'], { ...tfaEnv, MAGENTO_OTP_SECRET: tfa.credentials.admin.totpSecret! });
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal((JSON.parse(ok.stdout) as { source: string }).source, 'fetched');
      const none = await cli(['token'], tfaEnv);
      assert.equal(none.code, 1);
      assert.match(none.stderr, /2fa provider-specific endpoints[\s\S]*Hint: .*MAGENTO_OTP/);
      const wrong = await cli(['token'], { ...tfaEnv, MAGENTO_OTP: '000000' });
      assert.equal(wrong.code, 1);
      assert.match(wrong.stderr, /401 Invalid code\.[\s\S]*30 seconds/);
    } finally {
      await tfa.close();
    }
  });

  test('token --forget explains that admin tokens cannot be revoked over REST', async () => {
    const run = await cli(['token', '--forget']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /no REST route to revoke admin tokens/);
  });
});
