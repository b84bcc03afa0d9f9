// The shared token store on Redis (ioredis). Configured to fail fast rather than queue or
// hang: a short connect timeout, no offline queue, one retry per command, and quiet
// reconnects — the TokenCache turns failures into a single warning and carries on locally.
import { Redis } from 'ioredis';
import { redactText } from '../http/redactor';
import { silentLogger, systemClock, type Clock, type Logger } from '../ports';
import { type SharedTokenStore } from './tokenCache';

export interface RedisTokenStoreOptions {
  url: string;
  logger?: Logger;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  /** After reconnecting failed a few times, wait this long before trying on the next use (default 30 s). */
  retryCooldownMs?: number;
  clock?: Clock;
}

// Compare-and-delete: only remove the value (or lock) this caller knows about.
const DELETE_IF_EQUALS = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

/** Background reconnects before giving up until the next use after the cooldown. */
const RECONNECT_ATTEMPTS = 3;

export class RedisTokenStore implements SharedTokenStore {
  readonly description: string;
  private readonly redis: Redis;
  private connecting?: Promise<void>;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly retryCooldownMs: number;
  private gaveUpAt?: number;
  private loggedError = false;

  constructor(options: RedisTokenStoreOptions) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.retryCooldownMs = options.retryCooldownMs ?? 30_000;
    this.description = `Redis ${redactText(options.url)}`;
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new Error(`The Redis URL '${redactText(options.url)}' is not a URL (expected redis://[user:password@]host:port[/db]).`);
    }
    if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
      throw new Error(`The Redis URL must start with redis:// or rediss:// (got '${parsed.protocol}').`);
    }
    this.redis = new Redis(options.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: options.connectTimeoutMs ?? 1000,
      commandTimeout: options.commandTimeoutMs ?? 1000,
      enableReadyCheck: true,
      // A few quick reconnects, then stop: the next use after the cooldown tries again. No
      // endless reconnect loop (and no log line every few seconds) while Redis is away.
      retryStrategy: (times) => {
        if (times > RECONNECT_ATTEMPTS) {
          this.gaveUpAt = this.clock.now();
          return null;
        }
        return 200 * 2 ** (times - 1);
      },
    });
    // Without a listener ioredis prints every connection error; the TokenCache reports failures
    // once as a warning, this only notes the first error of an outage at debug level.
    this.redis.on('error', (error: Error) => {
      if (this.loggedError) return;
      this.loggedError = true;
      this.logger.debug(`redis: ${redactText(error.message)}`);
    });
    this.redis.on('ready', () => {
      this.loggedError = false;
      this.gaveUpAt = undefined;
    });
  }

  private async ready(): Promise<void> {
    const status = this.redis.status;
    if (status === 'ready') return;
    if (this.connecting) {
      await this.connecting;
      return;
    }
    if (status === 'wait' || status === 'end' || status === 'close') {
      if (status !== 'wait' && this.gaveUpAt !== undefined && this.clock.now() - this.gaveUpAt < this.retryCooldownMs) {
        throw new Error('not connected (waiting before the next reconnect)');
      }
      this.connecting = this.redis.connect().finally(() => {
        this.connecting = undefined;
      });
      await this.connecting;
      return;
    }
    throw new Error(`not connected (${status})`);
  }
  async get(key: string): Promise<string | undefined> {
    await this.ready();
    return (await this.redis.get(key)) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.ready();
    await this.redis.set(key, value, 'PX', Math.max(1, Math.floor(ttlMs)));
  }

  async deleteIfEquals(key: string, value: string): Promise<void> {
    await this.ready();
    await this.redis.eval(DELETE_IF_EQUALS, 1, key, value);
  }

  async acquireLock(key: string, owner: string, ttlMs: number): Promise<boolean> {
    await this.ready();
    return (await this.redis.set(key, owner, 'PX', Math.max(1, Math.floor(ttlMs)), 'NX')) === 'OK';
  }

  async releaseLock(key: string, owner: string): Promise<void> {
    await this.deleteIfEquals(key, owner);
  }

  async dispose(): Promise<void> {
    this.redis.disconnect(false);
    return Promise.resolve();
  }
}
