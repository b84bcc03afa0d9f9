// Fakes for the client's ports: a map-backed SecretStore, an in-memory SharedTokenStore that
// expires keys on a ManualScheduler's clock and can be switched off, and a logger that records.
import { type SharedTokenStore } from '../../../src/core/auth/tokenCache';
import { type Clock, type Logger, type SecretStore } from '../../../src/core/ports';

export class MapSecretStore implements SecretStore {
  readonly map = new Map<string, string>();
  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.map.get(key));
  }
  store(key: string, value: string): Promise<void> {
    this.map.set(key, value);
    return Promise.resolve();
  }
  delete(key: string): Promise<void> {
    this.map.delete(key);
    return Promise.resolve();
  }
}

export class MemorySharedStore implements SharedTokenStore {
  readonly description = 'memory (test)';
  readonly entries = new Map<string, { value: string; expiresAt: number }>();
  down = false;
  calls = 0;
  constructor(private readonly clock: Clock) {}
  private check(): void {
    this.calls++;
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:6390');
  }
  private live(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.clock.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }
  ttlOf(key: string): number | undefined {
    const entry = this.entries.get(key);
    return entry ? entry.expiresAt - this.clock.now() : undefined;
  }
  get(key: string): Promise<string | undefined> {
    this.check();
    return Promise.resolve(this.live(key));
  }
  set(key: string, value: string, ttlMs: number): Promise<void> {
    this.check();
    this.entries.set(key, { value, expiresAt: this.clock.now() + ttlMs });
    return Promise.resolve();
  }
  deleteIfEquals(key: string, value: string): Promise<void> {
    this.check();
    if (this.live(key) === value) this.entries.delete(key);
    return Promise.resolve();
  }
  acquireLock(key: string, owner: string, ttlMs: number): Promise<boolean> {
    this.check();
    if (this.live(key) !== undefined) return Promise.resolve(false);
    this.entries.set(key, { value: owner, expiresAt: this.clock.now() + ttlMs });
    return Promise.resolve(true);
  }
  releaseLock(key: string, owner: string): Promise<void> {
    return this.deleteIfEquals(key, owner);
  }
  dispose(): Promise<void> {
    return Promise.resolve();
  }
}

export class RecordingLogger implements Logger {
  readonly lines: Array<{ level: string; text: string }> = [];
  private record(level: string, message: string | Error, args: unknown[]): void {
    this.lines.push({ level, text: [message instanceof Error ? message.message : message, ...args.map(String)].join(' ') });
  }
  trace(m: string, ...a: unknown[]): void { this.record('trace', m, a); }
  debug(m: string, ...a: unknown[]): void { this.record('debug', m, a); }
  info(m: string, ...a: unknown[]): void { this.record('info', m, a); }
  warn(m: string, ...a: unknown[]): void { this.record('warn', m, a); }
  error(m: string | Error, ...a: unknown[]): void { this.record('error', m, a); }
  child(): Logger { return this; }
  count(level: string): number {
    return this.lines.filter((l) => l.level === level).length;
  }
}

/** Lets pending promise chains run (several macrotask turns). */
export async function flush(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A promise with its resolve/reject exposed. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
