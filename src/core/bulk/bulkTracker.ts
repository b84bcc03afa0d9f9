// The collection of tracked bulks: the one place that changes them, persists them through the
// KeyValueStore port (globalState in VS Code, a JSON file in the CLI) and tells listeners.
// Stored data that cannot be read is set aside under a backup key with a warning; the readable
// bulks next to it are kept.
import * as z from 'zod';
import { type Clock, type Disposable, type KeyValueStore, type Logger, type Scheduler, type TimerHandle, silentLogger } from '../ports';
import {
  computeBulkState, DEFAULT_STUCK_THRESHOLD_MS, OperationStatus, topicFromDescription,
  type BulkState, type OperationSummary, type TrackedBulk,
} from './bulkState';
import { type BulkShortStatus } from './bulkStatusApi';

export const BULK_STORE_KEY = 'magentoWorkbench.bulk.tracked';
const STORE_VERSION = 1;

export interface TrackBulkInput {
  uuid: string;
  profileId: string;
  storeCode: string;
  description: string;
  topic?: string;
  parentUuid?: string;
  /** Defaults to now. */
  submittedAt?: number;
  operationCount?: number;
}

export type BulkTrackerEvent =
  | { kind: 'added'; uuid: string }
  | { kind: 'updated'; uuid: string }
  | { kind: 'removed'; uuid: string }
  /** Every operation reached a terminal status (fired once, on the transition). */
  | { kind: 'finished'; uuid: string; state: BulkState };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Bulk UUIDs are v4 UUIDs (≤ 39 chars); anything else is a paste mistake. */
export function normalizeBulkUuid(input: string): string | undefined {
  const trimmed = input.trim().replace(/^["']|["']$/g, '').toLowerCase();
  return UUID_RE.test(trimmed) ? trimmed : undefined;
}

// Persisted form: operations as compact tuples so a 10,000-operation bulk stays small in
// globalState; the repeated success message of complete operations is stored once.
type StoredOperation = [id: number, status: number, message: string | null, errorCode: number | null];

const storedOperationSchema = z.tuple([z.number(), z.number(), z.string().nullable(), z.number().nullable()]);
const storedBulkSchema = z.object({
  uuid: z.string().min(1),
  profileId: z.string(),
  storeCode: z.string(),
  description: z.string(),
  topic: z.string().optional(),
  submittedAt: z.number(),
  startedAt: z.number().optional(),
  operationCount: z.number().optional(),
  parentUuid: z.string().optional(),
  retriedOperationIds: z.array(z.number()).default([]),
  childUuids: z.array(z.string()).default([]),
  operations: z.array(storedOperationSchema).optional(),
  completeMessage: z.string().nullable().optional(),
  lastPolledAt: z.number().optional(),
  lastChangedAt: z.number().optional(),
  stale: z.boolean().default(false),
  staleReason: z.string().optional(),
  notFound: z.boolean().default(false),
});
type StoredBulk = z.input<typeof storedBulkSchema>;

const storeSchema = z.object({ version: z.number(), bulks: z.array(z.unknown()) });

function toStored(bulk: TrackedBulk): StoredBulk {
  let completeMessage: string | null | undefined;
  const operations = bulk.operations?.map((op): StoredOperation => {
    if (op.status === OperationStatus.Complete && op.errorCode === null) {
      if (completeMessage === undefined) completeMessage = op.resultMessage;
      if (op.resultMessage === completeMessage) return [op.id, op.status, null, null];
    }
    return [op.id, op.status, op.resultMessage, op.errorCode];
  });
  const { operations: _ops, ...rest } = bulk;
  return { ...rest, ...(operations ? { operations } : {}), ...(completeMessage !== undefined ? { completeMessage } : {}) };
}

function fromStored(stored: z.output<typeof storedBulkSchema>): TrackedBulk {
  const { operations, completeMessage, ...rest } = stored;
  const bulk: TrackedBulk = { ...rest };
  if (operations) {
    bulk.operations = operations.map(([id, status, message, errorCode]) => ({
      id, status,
      resultMessage: message ?? (status === OperationStatus.Complete && errorCode === null ? completeMessage ?? null : null),
      errorCode,
    }));
  }
  return bulk;
}

function sameOperations(a: readonly OperationSummary[] | undefined, b: readonly OperationSummary[]): boolean {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.id !== y.id || x.status !== y.status || x.errorCode !== y.errorCode || x.resultMessage !== y.resultMessage) return false;
  }
  return true;
}

export interface BulkTrackerDeps {
  store: KeyValueStore;
  clock: Clock;
  logger?: Logger;
  storageKey?: string;
  stuckThresholdMs?: number;
  /**
   * With a scheduler, writes are batched for `persistDelayMs` (default 1 s): 50 bulks polled every
   * 2 s would otherwise rewrite the whole list on every answer. Without one, every change is
   * written at once (tests, one-shot CLI runs). `flush()` always writes what is pending.
   */
  scheduler?: Scheduler;
  persistDelayMs?: number;
}

export class BulkTracker implements Disposable {
  private readonly bulks = new Map<string, TrackedBulk>();
  private readonly listeners = new Set<(event: BulkTrackerEvent) => void>();
  private readonly store: KeyValueStore;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly key: string;
  /** Settable: the host applies the `magentoWorkbench.bulk.stuckAfterSeconds` setting live. */
  stuckThresholdMs: number;
  /** Problems found while reading the stored bulks (shown to the user once). */
  readonly loadWarnings: string[] = [];
  private writing: Promise<void> | undefined;
  private writeTimer: TimerHandle | undefined;
  private readonly scheduler: Scheduler | undefined;
  private readonly persistDelayMs: number;
  private backupWrite: Promise<void> | undefined;
  private dirty = false;

  constructor(deps: BulkTrackerDeps) {
    this.store = deps.store;
    this.clock = deps.clock;
    this.logger = deps.logger ?? silentLogger;
    this.key = deps.storageKey ?? BULK_STORE_KEY;
    this.stuckThresholdMs = deps.stuckThresholdMs ?? DEFAULT_STUCK_THRESHOLD_MS;
    this.scheduler = deps.scheduler;
    this.persistDelayMs = deps.persistDelayMs ?? 1000;
    this.load();
  }

  private load(): void {
    let raw: unknown;
    try {
      raw = this.store.get<unknown>(this.key);
    } catch (error) {
      this.loadWarnings.push(`Could not read the tracked bulks: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (raw === undefined || raw === null) return;
    const envelope = storeSchema.safeParse(raw);
    if (!envelope.success || envelope.data.version > STORE_VERSION) {
      const backupKey = `${this.key}.unreadable`;
      this.keepBackup(backupKey, raw);
      this.loadWarnings.push(
        !envelope.success
          ? `The stored list of tracked bulks is unreadable; it was kept under '${backupKey}' and tracking starts empty.`
          : `The stored tracked bulks were written by a newer version (format ${envelope.data.version}); they were kept under '${backupKey}'.`,
      );
      return;
    }
    const rejected: unknown[] = [];
    for (const item of envelope.data.bulks) {
      const parsed = storedBulkSchema.safeParse(item);
      if (parsed.success) this.bulks.set(parsed.data.uuid, fromStored(parsed.data));
      else rejected.push(item);
    }
    if (rejected.length > 0) {
      const backupKey = `${this.key}.unreadable`;
      this.keepBackup(backupKey, rejected);
      this.loadWarnings.push(`${rejected.length} stored tracked bulk(s) were unreadable and set aside under '${backupKey}'; the other ${this.bulks.size} were restored.`);
    }
    for (const w of this.loadWarnings) this.logger.warn(w);
  }

  private keepBackup(key: string, value: unknown): void {
    this.backupWrite = this.store.update(key, value).catch((error: unknown) => {
      this.logger.error(`could not keep the unreadable tracked bulks under ${key}: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  onDidChange(listener: (event: BulkTrackerEvent) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private emit(event: BulkTrackerEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch (error) {
        this.logger.error(`bulk tracker listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  /** Newest first. */
  list(): TrackedBulk[] {
    return [...this.bulks.values()].sort((a, b) => b.submittedAt - a.submittedAt || a.uuid.localeCompare(b.uuid));
  }

  get(uuid: string): TrackedBulk | undefined {
    return this.bulks.get(uuid);
  }

  has(uuid: string): boolean {
    return this.bulks.has(uuid);
  }

  state(uuid: string): BulkState | undefined {
    const bulk = this.bulks.get(uuid);
    return bulk ? computeBulkState(bulk, this.clock.now(), this.stuckThresholdMs) : undefined;
  }

  stateOf(bulk: TrackedBulk): BulkState {
    return computeBulkState(bulk, this.clock.now(), this.stuckThresholdMs);
  }

  /** Starts tracking (or refreshes the metadata of an already tracked bulk, keeping its state). */
  track(input: TrackBulkInput): TrackedBulk {
    const uuid = normalizeBulkUuid(input.uuid);
    if (!uuid) throw new Error(`'${input.uuid}' is not a bulk UUID (expected something like 799a59c0-09ca-4d60-b432-2953986c1c38).`);
    const topic = input.topic ?? topicFromDescription(input.description);
    const existing = this.bulks.get(uuid);
    if (existing) {
      existing.profileId = input.profileId;
      existing.storeCode = input.storeCode;
      if (input.description) existing.description = input.description;
      if (topic) existing.topic = topic;
      if (input.parentUuid) existing.parentUuid = input.parentUuid;
      if (input.operationCount !== undefined) existing.operationCount = input.operationCount;
      existing.notFound = false;
      this.changed({ kind: 'updated', uuid });
      return existing;
    }
    const bulk: TrackedBulk = {
      uuid,
      profileId: input.profileId,
      storeCode: input.storeCode,
      description: input.description,
      ...(topic ? { topic } : {}),
      submittedAt: input.submittedAt ?? this.clock.now(),
      ...(input.operationCount !== undefined ? { operationCount: input.operationCount } : {}),
      ...(input.parentUuid ? { parentUuid: input.parentUuid } : {}),
      retriedOperationIds: [],
      childUuids: [],
      stale: false,
      notFound: false,
    };
    this.bulks.set(uuid, bulk);
    if (input.parentUuid) {
      const parent = this.bulks.get(input.parentUuid);
      if (parent && !parent.childUuids.includes(uuid)) parent.childUuids.push(uuid);
    }
    this.changed({ kind: 'added', uuid });
    return bulk;
  }

  remove(uuid: string): boolean {
    if (!this.bulks.delete(uuid)) return false;
    this.changed({ kind: 'removed', uuid });
    return true;
  }

  /** Removes every bulk with nothing left to happen (finished, or unknown to the store). */
  clearFinished(): string[] {
    const removed: string[] = [];
    for (const bulk of this.list()) {
      if (bulk.notFound || this.stateOf(bulk).terminal) {
        this.bulks.delete(bulk.uuid);
        removed.push(bulk.uuid);
      }
    }
    for (const uuid of removed) this.changed({ kind: 'removed', uuid });
    return removed;
  }

  /** Records a successful poll. Returns whether the operations changed. */
  applyStatus(uuid: string, status: BulkShortStatus): boolean {
    const bulk = this.bulks.get(uuid);
    if (!bulk) return false;
    const now = this.clock.now();
    const wasTerminal = computeBulkState(bulk, now, this.stuckThresholdMs).terminal;
    const changed = !sameOperations(bulk.operations, status.operations) || bulk.operationCount !== status.operationCount;
    // An unchanged answer keeps the previous array: counts and tree groups cached on it stay valid.
    if (changed || !bulk.operations) bulk.operations = status.operations;
    if (status.operationCount !== undefined) bulk.operationCount = status.operationCount;
    if (status.startedAt !== undefined) bulk.startedAt = status.startedAt;
    if (status.description && (!bulk.description || bulk.description === bulk.uuid)) bulk.description = status.description;
    if (!bulk.topic) {
      const topic = topicFromDescription(status.description);
      if (topic) bulk.topic = topic;
    }
    bulk.lastPolledAt = now;
    if (changed || bulk.lastChangedAt === undefined) bulk.lastChangedAt = now;
    bulk.stale = false;
    delete bulk.staleReason;
    bulk.notFound = false;
    this.changed({ kind: 'updated', uuid });
    const state = computeBulkState(bulk, now, this.stuckThresholdMs);
    if (!wasTerminal && state.terminal) this.emit({ kind: 'finished', uuid, state });
    return changed;
  }

  /** The poll failed: keep the last known operations, marked stale. */
  markStale(uuid: string, reason: string): void {
    const bulk = this.bulks.get(uuid);
    if (!bulk) return;
    bulk.stale = true;
    bulk.staleReason = reason;
    bulk.lastPolledAt = this.clock.now();
    this.changed({ kind: 'updated', uuid });
  }

  /** The store answered `Bulk uuid ... not exist`. */
  markNotFound(uuid: string): void {
    const bulk = this.bulks.get(uuid);
    if (!bulk) return;
    bulk.notFound = true;
    bulk.stale = false;
    delete bulk.staleReason;
    bulk.lastPolledAt = this.clock.now();
    this.changed({ kind: 'updated', uuid });
  }

  /** Records that `operationIds` of `parentUuid` were resubmitted as bulk `childUuid`. */
  markRetried(parentUuid: string, operationIds: readonly number[], childUuid: string): void {
    const parent = this.bulks.get(parentUuid);
    if (!parent) return;
    const ids = new Set(parent.retriedOperationIds);
    for (const id of operationIds) ids.add(id);
    parent.retriedOperationIds = [...ids].sort((a, b) => a - b);
    if (!parent.childUuids.includes(childUuid)) parent.childUuids.push(childUuid);
    this.changed({ kind: 'updated', uuid: parentUuid });
  }

  private changed(event: BulkTrackerEvent): void {
    this.scheduleWrite();
    this.emit(event);
  }

  /** Coalesces writes: at most one in flight, followed by one more if something changed meanwhile. */
  private scheduleWrite(): void {
    this.dirty = true;
    if (this.scheduler) {
      this.writeTimer ??= this.scheduler.setTimeout(() => {
        this.writeTimer = undefined;
        this.startWriting();
      }, this.persistDelayMs);
      return;
    }
    this.startWriting();
  }

  private startWriting(): void {
    if (this.writing || !this.dirty) return;
    this.writing = (async () => {
      while (this.dirty) {
        this.dirty = false;
        try {
          await this.store.update(this.key, { version: STORE_VERSION, bulks: [...this.bulks.values()].map(toStored) });
        } catch (error) {
          this.logger.error(`could not save the tracked bulks: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })().finally(() => {
      this.writing = undefined;
    });
  }

  /** Resolves once everything changed so far is written. */
  async flush(): Promise<void> {
    await this.backupWrite;
    if (this.writeTimer) {
      this.writeTimer.cancel();
      this.writeTimer = undefined;
      this.startWriting();
    }
    while (this.writing) await this.writing;
  }

  dispose(): void {
    // Pending changes are still written (the timer would otherwise be lost with the window).
    if (this.writeTimer) {
      this.writeTimer.cancel();
      this.writeTimer = undefined;
      this.startWriting();
    }
    this.listeners.clear();
  }
}
