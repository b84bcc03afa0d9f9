import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenCache, tokenSecretKey, type TokenSpec } from '../../../src/core/auth/tokenCache';
import { decryptTokenRecord, deriveTokenKey } from '../../../src/core/auth/tokenCrypto';
import { ManualScheduler } from '../../../src/core/ports';
import { deferred, flush, MapSecretStore, MemorySharedStore, RecordingLogger } from './clientFakes';

const HOUR = 3600_000;
const MIN = 60_000;

function spec(scheduler: ManualScheduler, overrides: Partial<TokenSpec> = {}, lifetimeMs = HOUR): TokenSpec & { fetched: number } {
  const s: TokenSpec & { fetched: number } = {
    fingerprint: 'fp-1',
    encryptionSecret: 'admin-password',
    fetched: 0,
    fetch: (): Promise<{ token: string; expiresAt: number }> => {
      s.fetched++;
      return Promise.resolve({ token: `token-${s.fetched}`, expiresAt: scheduler.now() + lifetimeMs });
    },
    ...overrides,
  };
  return s;
}

describe('TokenCache — one process', () => {
  test('concurrent callers share one fetch; later callers hit memory', async () => {
    const scheduler = new ManualScheduler();
    const cache = new TokenCache({ scheduler });
    const s = spec(scheduler);
    const results = await Promise.all(Array.from({ length: 10 }, () => cache.get(s)));
    assert.equal(s.fetched, 1);
    assert.deepEqual(new Set(results.map((r) => r.token)), new Set(['token-1']));
    assert.equal(results[0]!.source, 'fetched');
    assert.equal((await cache.get(s)).source, 'memory');
    assert.equal(cache.stats.fetches, 1);
  });

  test('the token is not used within the safety margin of its expiry', async () => {
    const scheduler = new ManualScheduler();
    const cache = new TokenCache({ scheduler, safetyMarginMs: 5 * MIN });
    const s = spec(scheduler);
    await cache.get(s);
    scheduler.advance(54 * MIN);
    assert.equal((await cache.get(s)).token, 'token-1');
    scheduler.advance(2 * MIN); // 56 min: inside the 5 min margin
    const renewed = await cache.get(s);
    assert.equal(renewed.token, 'token-2');
    assert.equal(renewed.source, 'fetched');
  });

  test('a lifetime shorter than twice the margin still gets used (margin capped at half the life)', async () => {
    const scheduler = new ManualScheduler();
    const cache = new TokenCache({ scheduler, safetyMarginMs: 5 * MIN });
    const s = spec(scheduler, {}, 4 * MIN);
    await cache.get(s);
    scheduler.advance(MIN);
    assert.equal((await cache.get(s)).source, 'memory');
    scheduler.advance(MIN + 1);
    assert.equal((await cache.get(s)).source, 'fetched');
  });

  test('the SecretStore layer survives a reload (a new cache instance)', async () => {
    const scheduler = new ManualScheduler();
    const secrets = new MapSecretStore();
    const s = spec(scheduler);
    await new TokenCache({ scheduler, secrets }).get(s);
    assert.ok(secrets.map.has(tokenSecretKey('fp-1')));
    const reloaded = await new TokenCache({ scheduler, secrets }).get(s);
    assert.equal(reloaded.source, 'store');
    assert.equal(reloaded.token, 'token-1');
    assert.equal(s.fetched, 1);
  });

  test('a failed fetch is not cached and the next call tries again', async () => {
    const scheduler = new ManualScheduler();
    const cache = new TokenCache({ scheduler });
    let calls = 0;
    const s: TokenSpec = {
      fingerprint: 'fp-x', encryptionSecret: 'p',
      fetch: () => (++calls === 1 ? Promise.reject(new Error('401 sign-in incorrect')) : Promise.resolve({ token: 'ok', expiresAt: null })),
    };
    await assert.rejects(cache.get(s), /sign-in incorrect/);
    assert.equal((await cache.get(s)).token, 'ok');
  });

  test('invalidate(token) only drops layers still holding that token', async () => {
    const scheduler = new ManualScheduler();
    const secrets = new MapSecretStore();
    const cache = new TokenCache({ scheduler, secrets });
    const s = spec(scheduler);
    await cache.get(s);
    await cache.invalidate('fp-1', 'some-older-token');
    assert.equal((await cache.get(s)).source, 'memory');
    await cache.invalidate('fp-1', 'token-1');
    assert.equal(secrets.map.has(tokenSecretKey('fp-1')), false);
    assert.equal((await cache.get(s)).token, 'token-2');
  });
});

describe('TokenCache — shared store across processes', () => {
  test('a second process gets the token from the shared store, encrypted there', async () => {
    const scheduler = new ManualScheduler();
    const shared = new MemorySharedStore(scheduler);
    const a = new TokenCache({ scheduler, shared, keyPrefix: 't:' });
    const b = new TokenCache({ scheduler, shared, keyPrefix: 't:' });
    const s = spec(scheduler);
    await a.get(s);
    const stored = shared.entries.get('t:token:fp-1')!.value;
    assert.ok(!stored.includes('token-1'), 'the shared value must not hold the token in clear');
    const key = await deriveTokenKey('admin-password', 'fp-1');
    assert.equal(decryptTokenRecord(key, 'fp-1', stored)?.token, 'token-1');
    assert.equal(decryptTokenRecord(await deriveTokenKey('wrong', 'fp-1'), 'fp-1', stored), undefined);
    const fromB = await b.get(s);
    assert.equal(fromB.source, 'redis');
    assert.equal(s.fetched, 1);
    // TTL = remaining life − 5 min margin
    assert.equal(shared.ttlOf('t:token:fp-1'), HOUR - 5 * MIN);
  });

  test('a process with a different (wrong) secret cannot use the shared token and fetches itself', async () => {
    const scheduler = new ManualScheduler();
    const shared = new MemorySharedStore(scheduler);
    const s = spec(scheduler);
    await new TokenCache({ scheduler, shared }).get(s);
    const other = spec(scheduler, { encryptionSecret: 'not-the-password' });
    const result = await new TokenCache({ scheduler, shared }).get(other);
    assert.equal(result.source, 'fetched');
    assert.equal(other.fetched, 1);
  });

  test('while one process fetches, the others wait on the lock and pick up its token', async () => {
    const scheduler = new ManualScheduler();
    const shared = new MemorySharedStore(scheduler);
    const caches = Array.from({ length: 5 }, () => new TokenCache({ scheduler, shared, lockPollMs: 50 }));
    const gate = deferred<{ token: string; expiresAt: number }>();
    let fetches = 0;
    const s: TokenSpec = { fingerprint: 'fp-lock', encryptionSecret: 'pw', fetch: () => { fetches++; return gate.promise; } };
    const pending = caches.map((c) => c.get(s));
    // Key derivation (scrypt) runs on the thread pool: step until every cache is waiting.
    for (let i = 0; i < 400 && caches.reduce((n, c) => n + c.stats.lockWaits, 0) < 4; i++) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      scheduler.advance(50);
    }
    assert.equal(fetches, 1);
    gate.resolve({ token: 'shared-token', expiresAt: scheduler.now() + HOUR });
    let settled = 0;
    pending.forEach((p) => void p.then(() => settled++));
    for (let i = 0; i < 400 && settled < 5; i++) {
      await flush();
      scheduler.advance(50);
    }
    const results = await Promise.all(pending);
    assert.equal(fetches, 1);
    assert.deepEqual(results.map((r) => r.token), Array(5).fill('shared-token'));
    assert.deepEqual(results.map((r) => r.source).sort(), ['fetched', 'redis', 'redis', 'redis', 'redis']);
    assert.equal(caches.reduce((n, c) => n + c.stats.lockWaits, 0), 4);
  });

  test('when the lock holder dies without publishing, a waiter takes the lock after it expires', async () => {
    const scheduler = new ManualScheduler();
    const shared = new MemorySharedStore(scheduler);
    await shared.acquireLock('magento-workbench:lock:fp-dead', 'dead-process', 1000);
    const cache = new TokenCache({ scheduler, shared, lockTtlMs: 1000, lockPollMs: 100 });
    const s = spec(scheduler, { fingerprint: 'fp-dead' });
    const pending = cache.get(s);
    for (let i = 0; i < 15; i++) {
      await flush();
      scheduler.advance(100);
    }
    const result = await pending;
    assert.equal(result.source, 'fetched');
    assert.equal(s.fetched, 1);
  });

  test('after a 401 every process drops the token and only one new token is fetched', async () => {
    const scheduler = new ManualScheduler();
    const shared = new MemorySharedStore(scheduler);
    const a = new TokenCache({ scheduler, shared });
    const b = new TokenCache({ scheduler, shared });
    const s = spec(scheduler);
    await a.get(s);
    await b.get(s);
    // both saw 401 for token-1
    await a.invalidate('fp-1', 'token-1');
    const renewed = await a.get(s);
    assert.equal(renewed.token, 'token-2');
    await b.invalidate('fp-1', 'token-1'); // must not delete token-2 from the shared store
    const fromB = await b.get(s);
    assert.equal(fromB.token, 'token-2');
    assert.equal(fromB.source, 'redis');
    assert.equal(s.fetched, 2);
  });

  test('a shared sign-in failure answers the waiting processes: one failed attempt, not N', async () => {
    const scheduler = new ManualScheduler();
    const shared = new MemorySharedStore(scheduler);
    const caches = Array.from({ length: 4 }, () => new TokenCache({ scheduler, shared, lockPollMs: 50 }));
    const gate = deferred<{ token: string; expiresAt: number }>();
    let fetches = 0;
    const failing: TokenSpec = {
      fingerprint: 'fp-fail', encryptionSecret: 'wrong-pw',
      fetch: () => { fetches++; return gate.promise; },
      serializeFailure: (error) => (error as Error).message,
      restoreFailure: (text) => new Error(`shared: ${text}`),
    };
    const pending = caches.map((c) => c.get(failing).then(() => 'ok', (e: Error) => e.message));
    for (let i = 0; i < 400 && caches.reduce((n, c) => n + c.stats.lockWaits, 0) < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      scheduler.advance(50);
    }
    gate.reject(new Error('401 sign-in incorrect'));
    let settled = 0;
    pending.forEach((p) => void p.then(() => settled++));
    for (let i = 0; i < 400 && settled < 4; i++) {
      await flush();
      scheduler.advance(50);
    }
    const outcomes = await Promise.all(pending);
    assert.equal(fetches, 1);
    assert.deepEqual(outcomes.sort(), ['401 sign-in incorrect', 'shared: 401 sign-in incorrect', 'shared: 401 sign-in incorrect', 'shared: 401 sign-in incorrect']);
    // A process with another secret cannot read the failure and tries for itself.
    const other = await new TokenCache({ scheduler, shared }).get({ fingerprint: 'fp-fail', encryptionSecret: 'right-pw', fetch: () => Promise.resolve({ token: 'good', expiresAt: null }), restoreFailure: (t) => new Error(t) });
    assert.equal(other.token, 'good');
  });

  test('shared store down: one warning, local caching goes on, recovery is noticed', async () => {
    const scheduler = new ManualScheduler();
    const shared = new MemorySharedStore(scheduler);
    const logger = new RecordingLogger();
    const cache = new TokenCache({ scheduler, shared, logger });
    shared.down = true;
    const s = spec(scheduler);
    assert.equal((await cache.get(s)).source, 'fetched');
    assert.equal((await cache.get(s)).source, 'memory');
    await cache.invalidate('fp-1');
    assert.equal((await cache.get(s)).token, 'token-2');
    assert.equal(logger.count('warn'), 1);
    assert.match(logger.lines.find((l) => l.level === 'warn')!.text, /unavailable.*ECONNREFUSED.*locally/);
    shared.down = false;
    await cache.invalidate('fp-1');
    await cache.get(s);
    assert.equal(logger.lines.filter((l) => l.level === 'info' && /reachable again/.test(l.text)).length, 1);
    assert.ok(shared.entries.has('magento-workbench:token:fp-1'));
  });
});
