// RedisTokenStore against real Redis: the primitives the token cache relies on, fast failure
// while Redis is away, and recovery once it is back.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { RedisTokenStore } from '../../../src/core/auth/redisTokenStore';
import { freePort, startRedisProcess, type RedisProcess } from '../../support/redisProcess';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('RedisTokenStore', () => {
  const prefix = `mrw-test-store:${process.pid}-${Date.now()}:`;
  let admin: Redis;
  before(async () => {
    admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    await admin.ping();
  });
  after(async () => {
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length) await admin.del(...keys);
    admin.disconnect();
  });

  test('set with TTL, get, compare-and-delete, and an exclusive lock', async () => {
    const store = new RedisTokenStore({ url: REDIS_URL });
    try {
      await store.set(`${prefix}k`, 'v1', 60_000);
      assert.equal(await store.get(`${prefix}k`), 'v1');
      const ttl = await admin.pttl(`${prefix}k`);
      assert.ok(ttl > 59_000 && ttl <= 60_000, `ttl ${ttl}`);
      await store.deleteIfEquals(`${prefix}k`, 'other');
      assert.equal(await store.get(`${prefix}k`), 'v1');
      await store.deleteIfEquals(`${prefix}k`, 'v1');
      assert.equal(await store.get(`${prefix}k`), undefined);
      assert.equal(await store.acquireLock(`${prefix}lock`, 'a', 5000), true);
      assert.equal(await store.acquireLock(`${prefix}lock`, 'b', 5000), false);
      await store.releaseLock(`${prefix}lock`, 'b');
      assert.equal(await store.acquireLock(`${prefix}lock`, 'b', 5000), false, 'b cannot release a lock held by a');
      await store.releaseLock(`${prefix}lock`, 'a');
      assert.equal(await store.acquireLock(`${prefix}lock`, 'b', 5000), true);
    } finally {
      await store.dispose();
    }
  });

  test('fails fast while Redis is away, stops reconnecting, and recovers after the cooldown', async (t) => {
    const port = await freePort();
    const store = new RedisTokenStore({ url: `redis://127.0.0.1:${port}`, retryCooldownMs: 300 });
    // A holder, not a later `const`: the after-hook must see it even if the test fails first.
    const redisServer: { starting?: Promise<RedisProcess | undefined> } = {};
    t.after(async () => {
      await (await redisServer.starting)?.stop();
      await store.dispose();
    });
    const started = Date.now();
    await assert.rejects(store.get('x'));
    await assert.rejects(store.get('x'));
    assert.ok(Date.now() - started < 3000, 'no long waits');
    // Started without waiting for it: the store must find it on its own after the cooldown.
    redisServer.starting = startRedisProcess({ port }).catch(() => undefined);
    let value: string | undefined | Error = new Error('never connected');
    for (let i = 0; i < 60 && value instanceof Error; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      value = await store.set('k', 'back', 10_000).then(() => store.get('k'), (error: Error) => error);
    }
    assert.equal(value, 'back');
  });
});
