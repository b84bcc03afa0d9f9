// Polls the short `status` route of every tracked bulk that can still change.
//
// Chained timers through the Scheduler port (never setInterval), so a slow store cannot make polls
// pile up: a bulk's next poll is only scheduled when its previous one has finished. The interval is
// fast right after a submission and backs off while nothing changes; errors keep the last known
// state (marked stale) and back off harder; an unknown UUID (404) or a bulk whose operations are all
// terminal is not polled any more. The host pauses the poller while nobody can see the result.
import { type Disposable, type Logger, type Scheduler, type TimerHandle, silentLogger } from '../ports';
import { computeBulkState, type TrackedBulk } from './bulkState';
import { BulkNotFoundError, type BulkShortStatus } from './bulkStatusApi';
import { type BulkTracker } from './bulkTracker';

export interface BulkPollerOptions {
  /** First interval after a submission and after every change (default 2 s). */
  initialIntervalMs: number;
  /** Longest interval while nothing changes (default 60 s). */
  maxIntervalMs: number;
  /** Interval multiplier per poll without change (default 1.5). */
  backoffFactor: number;
  /** Longest interval after repeated errors (default 5 min). */
  maxErrorIntervalMs: number;
  /** ±ratio of random spread added to every delay so many bulks do not poll in lockstep (default 0.1). */
  jitterRatio: number;
}

export const DEFAULT_POLLER_OPTIONS: BulkPollerOptions = {
  initialIntervalMs: 2_000,
  maxIntervalMs: 60_000,
  backoffFactor: 1.5,
  maxErrorIntervalMs: 5 * 60_000,
  jitterRatio: 0.1,
};

export type FetchShortStatus = (bulk: TrackedBulk, signal: AbortSignal) => Promise<BulkShortStatus>;

export interface BulkPollerDeps {
  tracker: BulkTracker;
  fetchStatus: FetchShortStatus;
  scheduler: Scheduler;
  /** Injectable for tests; Math.random by default. */
  random?: () => number;
  logger?: Logger;
  options?: Partial<BulkPollerOptions>;
}

interface PollSlot {
  timer?: TimerHandle;
  dueAt?: number;
  inFlight?: Promise<void>;
  abort?: AbortController;
  /** The interval used for the next poll without change. */
  intervalMs: number;
  consecutiveErrors: number;
}

export class BulkPoller implements Disposable {
  private readonly slots = new Map<string, PollSlot>();
  private readonly tracker: BulkTracker;
  private readonly fetchStatus: FetchShortStatus;
  private readonly scheduler: Scheduler;
  private readonly random: () => number;
  private readonly logger: Logger;
  private options: BulkPollerOptions;
  private subscription: Disposable | undefined;
  private pausedFlag = false;
  private disposed = false;
  /** Requests sent so far (for the status bar, logs and the benchmark). */
  requestCount = 0;

  constructor(deps: BulkPollerDeps) {
    this.tracker = deps.tracker;
    this.fetchStatus = deps.fetchStatus;
    this.scheduler = deps.scheduler;
    this.random = deps.random ?? Math.random;
    this.logger = deps.logger ?? silentLogger;
    this.options = { ...DEFAULT_POLLER_OPTIONS, ...deps.options };
  }

  /** Subscribes to the tracker and schedules every bulk that can still change (also after a reload). */
  start(): void {
    if (this.subscription || this.disposed) return;
    this.subscription = this.tracker.onDidChange((event) => {
      if (event.kind === 'removed') this.forget(event.uuid);
      else if (event.kind === 'added' || event.kind === 'updated') this.ensureScheduled(event.uuid);
    });
    for (const bulk of this.tracker.list()) this.ensureScheduled(bulk.uuid);
  }

  updateOptions(options: Partial<BulkPollerOptions>): void {
    this.options = { ...this.options, ...options };
  }

  get paused(): boolean {
    return this.pausedFlag;
  }

  /** Stops scheduling polls (requests already in flight still land). */
  pause(): void {
    if (this.pausedFlag) return;
    this.pausedFlag = true;
    for (const slot of this.slots.values()) {
      slot.timer?.cancel();
      delete slot.timer;
    }
  }

  /** Schedules again; polls that fell due while paused run soon (spread by jitter). */
  resume(): void {
    if (!this.pausedFlag) return;
    this.pausedFlag = false;
    for (const bulk of this.tracker.list()) this.ensureScheduled(bulk.uuid);
  }

  /** Whether the bulk is still polled (not terminal, not unknown to the store). */
  needsPolling(bulk: TrackedBulk): boolean {
    if (bulk.notFound) return false;
    return !computeBulkState(bulk, this.scheduler.now(), this.tracker.stuckThresholdMs).terminal;
  }

  /** Number of bulks with a poll scheduled or running. */
  get activeCount(): number {
    let n = 0;
    for (const slot of this.slots.values()) if (slot.timer || slot.inFlight) n++;
    return n;
  }

  get inFlightCount(): number {
    let n = 0;
    for (const slot of this.slots.values()) if (slot.inFlight) n++;
    return n;
  }

  /** When the next poll of the bulk is due (ms since epoch), if one is scheduled. */
  nextPollAt(uuid: string): number | undefined {
    return this.slots.get(uuid)?.dueAt;
  }

  /**
   * Polls now (the Refresh command), also for finished or not-found bulks the user asks about.
   * Joins the request already in flight instead of sending a second one.
   */
  pollNow(uuid: string): Promise<void> {
    const bulk = this.tracker.get(uuid);
    if (!bulk || this.disposed) return Promise.resolve();
    const slot = this.slotFor(bulk);
    if (slot.inFlight) return slot.inFlight;
    slot.timer?.cancel();
    delete slot.timer;
    delete slot.dueAt;
    return this.poll(uuid);
  }

  private slotFor(bulk: TrackedBulk): PollSlot {
    let slot = this.slots.get(bulk.uuid);
    if (!slot) {
      slot = { intervalMs: this.startingInterval(bulk), consecutiveErrors: 0 };
      this.slots.set(bulk.uuid, slot);
    }
    return slot;
  }

  /**
   * Fast right after a submission; a bulk restored after a reload that has not changed for a
   * while starts slower (a tenth of its quiet time), so a window with many old bulks is not noisy.
   */
  private startingInterval(bulk: TrackedBulk): number {
    const quietFor = this.scheduler.now() - (bulk.lastChangedAt ?? bulk.submittedAt);
    return clamp(quietFor / 10, this.options.initialIntervalMs, this.options.maxIntervalMs);
  }

  private ensureScheduled(uuid: string): void {
    if (this.pausedFlag || this.disposed) return;
    const bulk = this.tracker.get(uuid);
    if (!bulk || !this.needsPolling(bulk)) return;
    const slot = this.slotFor(bulk);
    if (slot.timer || slot.inFlight) return;
    // Never polled (just tracked) or overdue (after resume/reload): soon; otherwise when due.
    const dueAt = bulk.lastPolledAt === undefined ? this.scheduler.now() + this.options.initialIntervalMs / 2 : bulk.lastPolledAt + slot.intervalMs;
    this.schedule(uuid, slot, Math.max(0, dueAt - this.scheduler.now()));
  }

  private schedule(uuid: string, slot: PollSlot, delayMs: number): void {
    const delay = Math.max(0, Math.round(this.jitter(delayMs)));
    slot.dueAt = this.scheduler.now() + delay;
    slot.timer = this.scheduler.setTimeout(() => {
      delete slot.timer;
      delete slot.dueAt;
      void this.poll(uuid);
    }, delay);
  }

  private jitter(delayMs: number): number {
    const spread = this.options.jitterRatio * (2 * this.random() - 1);
    // A poll that is due now still gets a small spread so a resume does not fire every bulk at once.
    const base = delayMs > 0 ? delayMs : this.options.initialIntervalMs / 4;
    return delayMs > 0 ? base * (1 + spread) : base * Math.abs(spread);
  }

  private poll(uuid: string): Promise<void> {
    const bulk = this.tracker.get(uuid);
    if (!bulk) return Promise.resolve();
    const slot = this.slotFor(bulk);
    if (slot.inFlight) return slot.inFlight;
    const abort = new AbortController();
    slot.abort = abort;
    this.requestCount++;
    // The body starts on the next microtask so `inFlight` is set before anything can finish.
    const run = Promise.resolve().then(async () => {
      let nextDelay: number | undefined;
      try {
        const status = await this.fetchStatus(bulk, abort.signal);
        if (abort.signal.aborted || !this.tracker.has(uuid)) return;
        const changed = this.tracker.applyStatus(uuid, status);
        slot.consecutiveErrors = 0;
        slot.intervalMs = changed
          ? this.options.initialIntervalMs
          : Math.min(this.options.maxIntervalMs, Math.max(this.options.initialIntervalMs, slot.intervalMs * this.options.backoffFactor));
        nextDelay = slot.intervalMs;
      } catch (error) {
        if (abort.signal.aborted || !this.tracker.has(uuid)) return;
        if (error instanceof BulkNotFoundError) {
          this.logger.warn(`bulk ${uuid}: the store does not know this UUID; polling stops`);
          this.tracker.markNotFound(uuid);
          return;
        }
        slot.consecutiveErrors++;
        const reason = error instanceof Error ? error.message : String(error);
        this.logger.warn(`bulk ${uuid}: status poll failed (${slot.consecutiveErrors}x): ${reason}`);
        this.tracker.markStale(uuid, reason);
        nextDelay = Math.min(
          this.options.maxErrorIntervalMs,
          Math.max(slot.intervalMs, this.options.initialIntervalMs) * 2 ** slot.consecutiveErrors,
        );
      } finally {
        delete slot.inFlight;
        delete slot.abort;
      }
      const current = this.tracker.get(uuid);
      if (nextDelay === undefined || !current || this.pausedFlag || this.disposed || !this.needsPolling(current)) return;
      this.schedule(uuid, slot, nextDelay);
    });
    slot.inFlight = run;
    return run;
  }

  private forget(uuid: string): void {
    const slot = this.slots.get(uuid);
    if (!slot) return;
    slot.timer?.cancel();
    slot.abort?.abort();
    this.slots.delete(uuid);
  }

  dispose(): void {
    this.disposed = true;
    this.subscription?.dispose();
    this.subscription = undefined;
    for (const uuid of [...this.slots.keys()]) this.forget(uuid);
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
