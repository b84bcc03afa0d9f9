// Several real CLI processes sharing one Redis against the sandbox store: N processes with a
// cold cache cost one token request; an expired token is refreshed once; Redis that is absent
// or dies mid-run loses nothing. Redis at REDIS_URL (default redis://127.0.0.1:6379), keys under
// a unique prefix that is removed afterwards.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { RedisTokenStore } from '../../../src/core/auth/redisTokenStore';
import { freePort, startRedisProcess } from '../../support/redisProcess';
import { TokenCache } from '../../../src/core/auth/tokenCache';
import { createMagentoClient } from '../../../src/core/http/magentoClient';
import { parseProfile, secretKey } from '../../../src/core/profiles/profile';
import { startSandbox, type SandboxHandle } from '../../../src/sandbox/sandboxServer';
import { buildCliBundle, runCliProcess, type CliBundle } from '../../support/cliProcess';
import { MapSecretStore, RecordingLogger } from '../../unit/client/clientFakes';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const N = 8;
const PRODUCTS = '/V1/products?searchCriteria[pageSize]=1';

async function stats(sandbox: SandboxHandle): Promise<{ admin: number; customer: number; total: number }> {
  const response = await fetch(`${sandbox.baseUrl}/__sandbox/stats`);
  return ((await response.json()) as { tokens_issued: { admin: number; customer: number; total: number } }).tokens_issued;
}

async function advanceStoreClock(sandbox: SandboxHandle, seconds: number): Promise<void> {
  await fetch(`${sandbox.baseUrl}/__sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceSeconds: seconds }) });
}

describe('CLI processes sharing a Redis token cache', () => {
  let sandbox: SandboxHandle;
  let cli: CliBundle;
  let redis: Redis;
  const prefix = `mrw-test:${process.pid}-${Date.now()}:`;
  let env: Record<string, string>;

  before(async () => {
    [sandbox, cli] = await Promise.all([startSandbox(), buildCliBundle()]);
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    await redis.ping();
    env = {
      MAGENTO_BASE_URL: sandbox.baseUrl,
      MAGENTO_USERNAME: sandbox.credentials.admin.username,
      MAGENTO_PASSWORD: sandbox.credentials.admin.password,
      REDIS_URL,
      MAGENTO_REDIS_PREFIX: prefix,
    };
  });

  after(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    cli.dispose();
    await sandbox.close();
  });

  test(`${N} concurrent processes with a cold cache cost exactly one admin token request`, async () => {
    const before = await stats(sandbox);
    const runs = await Promise.all(Array.from({ length: N }, () => runCliProcess(cli.path, ['token', '--json'], env)));
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    assert.equal((await stats(sandbox)).admin - before.admin, 1);
    const sources = runs.map((r) => (JSON.parse(r.stdout) as { source: string }).source).sort();
    assert.deepEqual(sources, ['fetched', ...Array(N - 1).fill('redis')]);
    // The token is stored encrypted: the value in Redis is not the token.
    const stored = await redis.get(`${prefix}token:${(await redis.keys(`${prefix}token:*`))[0]!.slice(`${prefix}token:`.length)}`);
    assert.ok(stored?.startsWith('v1.'));
    const shown = await runCliProcess(cli.path, ['token', '--show'], env);
    assert.equal(shown.code, 0);
    assert.ok(!stored!.includes(shown.stdout.trim()));
    assert.match(shown.stderr, /from redis, expires/);
  });

  test('a warm cache costs nothing; the token is printed only with --show', async () => {
    const before = await stats(sandbox);
    const runs = await Promise.all(Array.from({ length: N }, () => runCliProcess(cli.path, ['token'], env)));
    for (const run of runs) {
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^admin token for admin at http:\/\/127\.0\.0\.1:\d+: from redis, expires \S+ \(in 5\d min\)\n$/);
    }
    assert.equal((await stats(sandbox)).admin - before.admin, 0);
  });

  test('an expired token (store clock moved 5 h) is refreshed once for all processes', async () => {
    await runCliProcess(cli.path, ['token'], env); // make sure a token is shared
    await advanceStoreClock(sandbox, 5 * 3600);
    const before = await stats(sandbox);
    const runs = await Promise.all(Array.from({ length: N }, () => runCliProcess(cli.path, ['request', 'GET', PRODUCTS], env)));
    for (const run of runs) {
      assert.equal(run.code, 0, run.stderr);
      assert.equal((JSON.parse(run.stdout) as { items: unknown[] }).items.length, 1);
    }
    assert.equal((await stats(sandbox)).admin - before.admin, 1);
  });

  test('a wrong password in N processes costs one failed sign-in, not N (lockout protection)', async () => {
    const route = 'POST /V1/integration/admin/token';
    const countSignIns = async (): Promise<number> => {
      const response = await fetch(`${sandbox.baseUrl}/__sandbox/stats`);
      return ((await response.json()) as { requests_by_route: Record<string, number> }).requests_by_route[route] ?? 0;
    };
    const before = await countSignIns();
    const wrongEnv = { ...env, MAGENTO_PASSWORD: 'not-the-password' };
    const runs = await Promise.all(Array.from({ length: N }, () => runCliProcess(cli.path, ['token'], wrongEnv)));
    for (const run of runs) {
      assert.equal(run.code, 1);
      assert.match(run.stderr, /401 The account sign-in was incorrect/);
      assert.match(run.stderr, /Hint: .*locked account/);
    }
    assert.equal((await countSignIns()) - before, 1);
  });

  test('Redis on a closed port: one warning per process, every process still gets its answer', async () => {
    const port = await freePort();
    const runs = await Promise.all(Array.from({ length: 3 }, () => runCliProcess(cli.path, ['request', 'GET', PRODUCTS], { ...env, REDIS_URL: `redis://127.0.0.1:${port}` })));
    for (const run of runs) {
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stderr.match(/warning:/g)?.length, 1, run.stderr);
      assert.match(run.stderr, /Shared token cache \(Redis redis:\/\/127\.0\.0\.1:\d+\) is unavailable.*locally/);
    }
  });

  test('a misconfigured REDIS_URL is one clear warning and nothing fails', async () => {
    const run = await runCliProcess(cli.path, ['token'], { ...env, REDIS_URL: 'http://not-redis' });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /warning: The Redis URL must start with redis:\/\//);
  });

  test('Redis stopped mid-run loses nothing (redis-server started and killed by the test)', async (t) => {
    const server = await startRedisProcess();
    t.after(() => server.stop());
    const url = server.url;

    const logger = new RecordingLogger();
    const secrets = new MapSecretStore();
    await secrets.store(secretKey('mid', 'password'), sandbox.credentials.admin.password);
    const profile = parseProfile({ id: 'mid', label: 'mid', baseUrl: sandbox.baseUrl, auth: { kind: 'admin', username: sandbox.credentials.admin.username } });
    const cache = new TokenCache({ shared: new RedisTokenStore({ url, logger }), logger, keyPrefix: prefix });
    const client = createMagentoClient({ profile, secrets, tokenCache: cache, logger });
    const before = await stats(sandbox);
    for (let i = 0; i < 5; i++) assert.equal((await client.send({ method: 'GET', path: '/V1/products', query: 'searchCriteria[pageSize]=1' })).status, 200);
    assert.equal(cache.stats.fetches, 1);

    await server.kill();
    await advanceStoreClock(sandbox, 5 * 3600); // the next call needs a new token while Redis is gone
    for (let i = 0; i < 5; i++) assert.equal((await client.send({ method: 'GET', path: '/V1/products', query: 'searchCriteria[pageSize]=1' })).status, 200);
    assert.equal((await stats(sandbox)).admin - before.admin, 2);
    assert.equal(logger.count('warn'), 1);
    assert.match(logger.lines.find((l) => l.level === 'warn')!.text, /unavailable/);
    await client.close();
    await cache.dispose();
  });
});
