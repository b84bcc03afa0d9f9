// Layered token cache: memory → SecretStore (survives reloads) → optional shared store (Redis)
// used by every window, process and machine with the same store account. One token request per
// account, not one per caller:
// - in a process, concurrent callers share one in-flight lookup (single-flight);
// - across processes, a short lock in the shared store lets one process fetch while the others
//   wait for the value it publishes.
// The shared store is best effort: when it fails the cache warns once and goes on locally.
import { randomUUID } from 'node:crypto';
import { realScheduler, silentLogger, type Logger, type Scheduler, type SecretStore } from '../ports';
import { decryptTokenRecord, deriveTokenKey, encryptTokenRecord, openText, parseTokenRecord, sealText, type TokenRecord } from './tokenCrypto';

export type { TokenRecord } from './tokenCrypto';

/** Where a token came from: an earlier lookup in this process, the SecretStore, the shared store, or the store itself. */
export type TokenSource = 'memory' | 'store' | 'redis' | 'fetched';

export interface TokenLookup extends TokenRecord {
  source: TokenSource;
}

/** A shared, expiring key-value store with a lock primitive (Redis in production, a map in tests). */
export interface SharedTokenStore {
  readonly description: string;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Deletes the key only when it still holds `value` (another process may have replaced it). */
  deleteIfEquals(key: string, value: string): Promise<void>;
  /** Tries to take the lock; true when this caller now holds it. */
  acquireLock(key: string, owner: string, ttlMs: number): Promise<boolean>;
  releaseLock(key: string, owner: string): Promise<void>;
  dispose(): Promise<void>;
}

export interface TokenSpec {
  /** `profileFingerprint(profile)`: base URL + store + account + kind, never a secret. */
  fingerprint: string;
  /** The profile's own secret (password / consumer secret): the shared store's encryption key is derived from it. */
  encryptionSecret: string;
  /** Fetches a new token from the store. */
  fetch: () => Promise<{ token: string; expiresAt: number | null }>;
  /**
   * Failures worth sharing with the processes waiting on the lock (wrong password, 2FA needed):
   * returns a serialised form, or undefined to let every process try for itself. Without this,
   * N processes with a wrong password would make N failed sign-ins — and 6 lock the account.
   */
  serializeFailure?: (error: unknown) => string | undefined;
  restoreFailure?: (serialized: string) => Error;
}

export interface TokenCacheOptions {
  secrets?: SecretStore;
  shared?: SharedTokenStore;
  scheduler?: Scheduler;
  logger?: Logger;
  /** A token is not used within this margin of its expiry (default 5 min; at most half its life). */
  safetyMarginMs?: number;
  /** How long the cross-process fetch lock lives (default 30 s). */
  lockTtlMs?: number;
  /** How often a waiting process looks for the published token (default 50 ms). */
  lockPollMs?: number;
  /** How long a shared fetch failure answers other processes (default 15 s). */
  failureTtlMs?: number;
  /** Key prefix in the shared store (default `magento-workbench:`). */
  keyPrefix?: string;
}

export interface TokenCacheStats {
  fetches: number;
  memoryHits: number;
  storeHits: number;
  redisHits: number;
  lockWaits: number;
  invalidations: number;
  sharedFailures: number;
}

interface MemoryEntry {
  record: TokenRecord;
  /** The ciphertext this process read from / wrote to the shared store, for compare-and-delete. */
  sharedValue?: string;
}

export const DEFAULT_SAFETY_MARGIN_MS = 5 * 60_000;

export function tokenSecretKey(fingerprint: string): string {
  return `magentoWorkbench.tokenCache.${fingerprint}`;
}

export class TokenCache {
  private readonly memory = new Map<string, MemoryEntry>();
  private readonly inFlight = new Map<string, Promise<TokenLookup>>();
  private readonly keys = new Map<string, Promise<Buffer>>();
  private readonly secrets?: SecretStore;
  private readonly shared?: SharedTokenStore;
  private readonly scheduler: Scheduler;
  private readonly logger: Logger;
  private readonly safetyMarginMs: number;
  private readonly lockTtlMs: number;
  private readonly lockPollMs: number;
  private readonly failureTtlMs: number;
  private readonly keyPrefix: string;
  private sharedHealthy = true;
  private readonly owner = randomUUID();
  readonly stats: TokenCacheStats = { fetches: 0, memoryHits: 0, storeHits: 0, redisHits: 0, lockWaits: 0, invalidations: 0, sharedFailures: 0 };

  constructor(options: TokenCacheOptions = {}) {
    if (options.secrets) this.secrets = options.secrets;
    if (options.shared) this.shared = options.shared;
    this.scheduler = options.scheduler ?? realScheduler;
    this.logger = options.logger ?? silentLogger;
    this.safetyMarginMs = options.safetyMarginMs ?? DEFAULT_SAFETY_MARGIN_MS;
    this.lockTtlMs = options.lockTtlMs ?? 30_000;
    this.lockPollMs = options.lockPollMs ?? 50;
    this.failureTtlMs = options.failureTtlMs ?? 15_000;
    this.keyPrefix = options.keyPrefix ?? 'magento-workbench:';
  }

  /** Whether the record can still be used now (outside the safety margin). */
  isUsable(record: TokenRecord): boolean {
    return record.expiresAt === null || this.scheduler.now() < record.expiresAt - this.marginFor(record);
  }

  /** A usable token from the nearest layer, or a new one (fetched once per account). */
  get(spec: TokenSpec): Promise<TokenLookup> {
    const cached = this.memory.get(spec.fingerprint);
    if (cached && this.isUsable(cached.record)) {
      this.stats.memoryHits++;
      return Promise.resolve({ ...cached.record, source: 'memory' });
    }
    const running = this.inFlight.get(spec.fingerprint);
    if (running) return running;
    const flight = this.lookup(spec).finally(() => this.inFlight.delete(spec.fingerprint));
    this.inFlight.set(spec.fingerprint, flight);
    return flight;
  }

  /** The cached record without fetching (memory, then SecretStore). */
  async peek(fingerprint: string): Promise<TokenLookup | undefined> {
    const cached = this.memory.get(fingerprint);
    if (cached && this.isUsable(cached.record)) return { ...cached.record, source: 'memory' };
    const stored = await this.readSecretStore(fingerprint);
    return stored && this.isUsable(stored) ? { ...stored, source: 'store' } : undefined;
  }

  /**
   * Drops a token everywhere (after the store answered 401 to it, or on "forget"). With `token`
   * given, only layers still holding that token are cleared, so a fresh token another process
   * already published survives.
   */
  async invalidate(fingerprint: string, token?: string): Promise<void> {
    this.stats.invalidations++;
    const entry = this.memory.get(fingerprint);
    if (!token || entry?.record.token === token) this.memory.delete(fingerprint);
    if (this.secrets) {
      const stored = await this.readSecretStore(fingerprint);
      if (stored && (!token || stored.token === token)) await this.secrets.delete(tokenSecretKey(fingerprint)).catch(() => undefined);
    }
    if (this.shared) {
      const key = this.tokenKey(fingerprint);
      // Only call the store when there is something to delete: a call that does nothing would
      // count as "reachable again" and turn one outage into several warnings.
      const sharedValue = entry?.sharedValue;
      if (!token) {
        await this.sharedCall(async (shared) => {
          const current = await shared.get(key);
          if (current !== undefined) await shared.deleteIfEquals(key, current);
        });
      } else if (sharedValue && entry.record.token === token) {
        await this.sharedCall((shared) => shared.deleteIfEquals(key, sharedValue));
      }
    }
  }

  async dispose(): Promise<void> {
    this.memory.clear();
    await this.shared?.dispose();
  }

  private marginFor(record: TokenRecord): number {
    if (record.expiresAt === null) return 0;
    return Math.min(this.safetyMarginMs, Math.max(0, (record.expiresAt - record.obtainedAt) / 2));
  }

  private tokenKey(fingerprint: string): string {
    return `${this.keyPrefix}token:${fingerprint}`;
  }

  private lockKey(fingerprint: string): string {
    return `${this.keyPrefix}lock:${fingerprint}`;
  }

  private failureKey(fingerprint: string): string {
    return `${this.keyPrefix}fail:${fingerprint}`;
  }

  private async lookup(spec: TokenSpec): Promise<TokenLookup> {
    const stored = await this.readSecretStore(spec.fingerprint);
    if (stored && this.isUsable(stored)) {
      this.stats.storeHits++;
      this.memory.set(spec.fingerprint, { record: stored });
      return { ...stored, source: 'store' };
    }
    if (this.shared) {
      const viaShared = await this.lookupShared(spec);
      if (viaShared) return viaShared;
    }
    const record = await this.fetch(spec);
    await this.remember(spec.fingerprint, record);
    return { ...record, source: 'fetched' };
  }

  /** Shared-store path; undefined means "the shared store could not help, fetch locally". */
  private async lookupShared(spec: TokenSpec): Promise<TokenLookup | undefined> {
    const key = await this.encryptionKey(spec);
    const tokenKey = this.tokenKey(spec.fingerprint);
    const lockKey = this.lockKey(spec.fingerprint);
    const fromShared = async (): Promise<TokenLookup | undefined> => {
      const value = await this.sharedCall((shared) => shared.get(tokenKey));
      if (value === undefined) return undefined;
      const record = decryptTokenRecord(key, spec.fingerprint, value);
      if (!record || !this.isUsable(record)) return undefined;
      this.stats.redisHits++;
      await this.remember(spec.fingerprint, record, value);
      return { ...record, source: 'redis' };
    };
    const first = await fromShared();
    if (first) return first;
    if (!this.sharedHealthy) return undefined;

    const failureKey = this.failureKey(spec.fingerprint);
    // A failure another process with the same secret just had (and shared) is ours too.
    const sharedFailure = async (): Promise<Error | undefined> => {
      if (!spec.restoreFailure) return undefined;
      const value = await this.sharedCall((shared) => shared.get(failureKey));
      const plain = value === undefined ? undefined : openText(key, spec.fingerprint, value);
      return plain === undefined ? undefined : spec.restoreFailure(plain);
    };
    const deadline = this.scheduler.now() + this.lockTtlMs + 2 * this.lockPollMs;
    let waited = false;
    for (;;) {
      const failure = await sharedFailure();
      if (failure) throw failure;
      const locked = await this.sharedCall((shared) => shared.acquireLock(lockKey, this.owner, this.lockTtlMs));
      if (locked === undefined) return undefined; // shared store failed: fetch locally
      if (locked) {
        try {
          // Someone may have published (or failed) between our last look and the lock.
          const published = await fromShared();
          if (published) return published;
          const failedMeanwhile = await sharedFailure();
          if (failedMeanwhile) throw failedMeanwhile;
          let record: TokenRecord;
          try {
            record = await this.fetch(spec);
          } catch (error) {
            const serialized = spec.serializeFailure?.(error);
            if (serialized !== undefined) {
              await this.sharedCall((shared) => shared.set(failureKey, sealText(key, spec.fingerprint, serialized), this.failureTtlMs));
            }
            throw error;
          }
          const value = encryptTokenRecord(key, spec.fingerprint, record);
          const ttl = this.ttlFor(record);
          if (ttl > 0) await this.sharedCall((shared) => shared.set(tokenKey, value, ttl));
          await this.remember(spec.fingerprint, record, value);
          return { ...record, source: 'fetched' };
        } finally {
          await this.sharedCall((shared) => shared.releaseLock(lockKey, this.owner));
        }
      }
      if (!waited) {
        waited = true;
        this.stats.lockWaits++;
        this.logger.debug('another process is fetching the token; waiting for it');
      }
      await this.delay(this.lockPollMs);
      const published = await fromShared();
      if (published) return published;
      const failed = await sharedFailure();
      if (failed) throw failed;
      if (!this.sharedHealthy) return undefined;
      if (this.scheduler.now() > deadline) {
        this.logger.warn('Timed out waiting for another process to publish the token; fetching one here.');
        return undefined;
      }
    }
  }

  private async fetch(spec: TokenSpec): Promise<TokenRecord> {
    this.stats.fetches++;
    const obtainedAt = this.scheduler.now();
    const fetched = await spec.fetch();
    return { token: fetched.token, obtainedAt, expiresAt: fetched.expiresAt };
  }

  private ttlFor(record: TokenRecord): number {
    if (record.expiresAt === null) return 24 * 3600_000;
    return record.expiresAt - this.marginFor(record) - this.scheduler.now();
  }

  private async remember(fingerprint: string, record: TokenRecord, sharedValue?: string): Promise<void> {
    const entry: MemoryEntry = { record };
    if (sharedValue) entry.sharedValue = sharedValue;
    this.memory.set(fingerprint, entry);
    if (this.secrets) {
      try {
        await this.secrets.store(tokenSecretKey(fingerprint), JSON.stringify(record));
      } catch (error) {
        this.logger.warn(`Could not keep the token in the secret store: ${(error as Error).message}`);
      }
    }
  }

  private async readSecretStore(fingerprint: string): Promise<TokenRecord | undefined> {
    if (!this.secrets) return undefined;
    try {
      const text = await this.secrets.get(tokenSecretKey(fingerprint));
      return text ? parseTokenRecord(text) : undefined;
    } catch (error) {
      this.logger.debug(`secret store read failed: ${(error as Error).message}`);
      return undefined;
    }
  }

  private encryptionKey(spec: TokenSpec): Promise<Buffer> {
    // Keyed by fingerprint + secret so a changed password derives a new key.
    const id = `${spec.fingerprint}\n${spec.encryptionSecret}`;
    let key = this.keys.get(id);
    if (!key) {
      key = deriveTokenKey(spec.encryptionSecret, spec.fingerprint);
      this.keys.set(id, key);
    }
    return key;
  }

  /** Runs a shared-store call; on failure warns once (until it recovers) and returns undefined. */
  private async sharedCall<T>(call: (shared: SharedTokenStore) => Promise<T>): Promise<T | undefined> {
    if (!this.shared) return undefined;
    try {
      const result = await call(this.shared);
      if (!this.sharedHealthy) {
        this.sharedHealthy = true;
        this.logger.info(`Shared token cache (${this.shared.description}) is reachable again.`);
      }
      return result;
    } catch (error) {
      this.stats.sharedFailures++;
      if (this.sharedHealthy) {
        this.sharedHealthy = false;
        this.logger.warn(`Shared token cache (${this.shared.description}) is unavailable: ${(error as Error).message}. Tokens are cached locally only until it is back.`);
      }
      return undefined;
    }
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => this.scheduler.setTimeout(resolve, ms));
  }
}
