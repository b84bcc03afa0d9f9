// Small interfaces the core depends on. The VS Code layer implements them with
// context.secrets / globalState / a LogOutputChannel; the CLI with env, files and stderr;
// tests with maps and a manual clock. No module-level singletons anywhere in the core.

export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
  /** A logger whose lines carry a `[component]` tag. */
  child(component: string): Logger;
}

/** Wall-clock time, injectable so tests (and the sandbox's token lifetimes) can move it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export interface TimerHandle {
  cancel(): void;
}

/** Schedules callbacks: real timers in production, a manual scheduler in tests. */
export interface Scheduler extends Clock {
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
}

/** Secrets (passwords, tokens, OAuth secrets): VS Code SecretStorage, env vars, or a map in tests. */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Non-secret persistent state: globalState, a JSON file in the CLI, a map in tests. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Promise<void>;
}

export interface Disposable {
  dispose(): void;
}

export const systemClock: Clock = { now: () => Date.now() };

export const realScheduler: Scheduler = {
  now: () => Date.now(),
  setTimeout(callback, delayMs) {
    const handle = setTimeout(callback, delayMs);
    return { cancel: () => clearTimeout(handle) };
  },
};

const noop = (): void => undefined;
export const silentLogger: Logger = {
  trace: noop, debug: noop, info: noop, warn: noop, error: noop,
  child: () => silentLogger,
};

/** A manual scheduler for tests: time only moves when `advance()` is called. */
export class ManualScheduler implements Scheduler {
  private current: number;
  private nextId = 1;
  private readonly timers = new Map<number, { due: number; callback: () => void }>();

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { due: this.current + Math.max(0, delayMs), callback });
    return { cancel: () => this.timers.delete(id) };
  }

  /** Number of timers waiting to fire. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time forward, firing due timers in order (timers scheduled meanwhile fire too if due). */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      let nextId: number | undefined;
      let nextDue = Infinity;
      for (const [id, t] of this.timers) {
        if (t.due <= target && t.due < nextDue) { nextDue = t.due; nextId = id; }
      }
      if (nextId === undefined) break;
      const timer = this.timers.get(nextId)!;
      this.timers.delete(nextId);
      this.current = Math.max(this.current, timer.due);
      timer.callback();
    }
    this.current = target;
  }
}
