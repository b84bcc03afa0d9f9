// The `async.operations.all` consumer (contract §6.4, §6.5): takes open operations in submission
// order, runs each through the sandbox's own sync handler and records 1/2/3 like
// `OperationProcessor`. It can be stopped (operations then stay 4 forever) and restarted at
// runtime, with configurable concurrency and a per-operation cost.
import { type Clock } from '../../core/ports';
import { type OperationFaultInjector } from './operationFaults';
import { type OperationOutcome, type OperationStore, type StoredOperation } from './operationStore';

export interface OperationRunner<P> {
  /** Executes one operation; business failures resolve to a status 2/3 outcome, never reject. */
  run(op: StoredOperation<P>): Promise<OperationOutcome>;
  /** SKUs the operation touches, for SKU fault rules. */
  skus(op: StoredOperation<P>): string[];
  /** Simulated processing cost in ms when no explicit `latencyMs` is set (the latency model). */
  costMs(op: StoredOperation<P>): number;
}

export interface ConsumerSettings {
  running: boolean;
  /** Operations processed in parallel (Magento: number of consumer processes). */
  concurrency: number;
  /** Fixed cost per operation; undefined = the latency model's cost. */
  latencyMs?: number;
}

export interface ConsumerDeps<P> {
  store: OperationStore<P>;
  runner: OperationRunner<P>;
  faults: OperationFaultInjector;
  clock: Clock;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Without latency a worker yields to the event loop every this many operations, so HTTP stays responsive. */
const OPERATIONS_PER_TURN = 50;

export class OperationConsumer<P> {
  private settings: ConsumerSettings;
  private activeWorkers = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly unsubscribe: () => void;
  private readonly sleep: (ms: number) => Promise<void>;
  private disposed = false;
  private processedTotal = 0;

  constructor(private readonly deps: ConsumerDeps<P>, settings?: Partial<ConsumerSettings>) {
    this.settings = { running: true, concurrency: 1, ...settings };
    this.sleep = deps.sleep ?? realSleep;
    this.unsubscribe = deps.store.onQueued(() => this.pump());
    this.pump();
  }

  current(): ConsumerSettings & { activeWorkers: number; pending: number; processed: number } {
    return { ...this.settings, activeWorkers: this.activeWorkers, pending: this.deps.store.pendingCount(), processed: this.processedTotal };
  }

  configure(change: Partial<ConsumerSettings>): void {
    const next = { ...this.settings, ...change };
    if (!Number.isInteger(next.concurrency) || next.concurrency < 1) throw new RangeError('concurrency must be a positive integer');
    if (next.latencyMs !== undefined && (!Number.isFinite(next.latencyMs) || next.latencyMs < 0)) throw new RangeError('latencyMs must be a number ≥ 0');
    this.settings = next;
    this.pump();
  }

  /** Resolves once no operation is in flight and nothing more will be picked up right now. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  dispose(): void {
    this.disposed = true;
    this.settings = { ...this.settings, running: false };
    this.unsubscribe();
  }

  private isIdle(): boolean {
    return this.activeWorkers === 0 && (!this.settings.running || this.deps.store.pendingCount() === 0);
  }

  private pump(): void {
    if (!this.disposed && this.settings.running) {
      const wanted = Math.min(this.settings.concurrency - this.activeWorkers, this.deps.store.pendingCount());
      for (let i = 0; i < wanted; i++) {
        this.activeWorkers += 1;
        void this.work();
      }
    }
    this.notifyIdle();
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private async work(): Promise<void> {
    try {
      let sinceYield = 0;
      // Re-check `running` and the worker count each turn: stopping or lowering concurrency
      // lets in-flight operations finish and then retires the surplus workers.
      while (this.settings.running && !this.disposed && this.activeWorkers <= this.settings.concurrency) {
        const op = this.deps.store.takeNext();
        if (!op) break;
        await this.process(op);
        this.processedTotal += 1;
        if (++sinceYield >= OPERATIONS_PER_TURN) {
          sinceYield = 0;
          await yieldToEventLoop();
        }
      }
    } finally {
      this.activeWorkers -= 1;
      this.pump();
    }
  }

  private async process(op: StoredOperation<P>): Promise<void> {
    const { store, runner, faults, clock } = this.deps;
    store.markStarted(op, clock.now());
    const cost = this.settings.latencyMs ?? runner.costMs(op);
    if (cost > 0) await this.sleep(cost);
    const injected = faults.decide(runner.skus(op));
    if (injected) {
      store.complete(op, { status: injected.status, resultMessage: injected.message, errorCode: injected.errorCode });
      return;
    }
    let outcome: OperationOutcome;
    try {
      outcome = await runner.run(op);
    } catch (error) {
      // A runner bug must not wedge the queue: record it the way Magento records any \Exception.
      outcome = { status: 3, resultMessage: error instanceof Error ? error.message : String(error), errorCode: 0 };
    }
    store.complete(op, outcome);
  }
}
