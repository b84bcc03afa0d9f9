// In-memory `magento_bulk` / `magento_operation` tables (contract §6.4, §7), plus the open-operation
// queue the consumer drains. Counts by status are kept incrementally so `/__sandbox/stats` and the
// status routes stay O(1)/O(bulk) even with hundreds of thousands of operations stored.

export const OperationStatus = {
  complete: 1,
  retriablyFailed: 2,
  notRetriablyFailed: 3,
  open: 4,
  rejected: 5,
} as const;
export type OperationStatusCode = (typeof OperationStatus)[keyof typeof OperationStatus];
export const OPERATION_STATUS_CODES: readonly OperationStatusCode[] = [1, 2, 3, 4, 5];

/** `user_type` values of `magento_bulk` (`UserContextInterface`). */
export const UserType = { integration: 1, admin: 2, customer: 3, guest: 4 } as const;
export type UserTypeCode = (typeof UserType)[keyof typeof UserType];

export interface StoredOperation<P> {
  /** The operation key 0..n-1 (what 2.4's status routes print as `id`). */
  readonly id: number;
  readonly bulkUuid: string;
  readonly topicName: string;
  serializedData: string | null;
  resultSerializedData: string | null;
  status: OperationStatusCode;
  resultMessage: string | null;
  errorCode: number | null;
  /** Epoch ms when a consumer picked it up (`started_at`), null while never started. */
  startedAt: number | null;
  /** What the consumer needs to execute it (route, parameters, store); never rendered. */
  readonly payload: P;
}

export interface StoredBulk<P> {
  readonly uuid: string;
  readonly userId: number | null;
  readonly userType: UserTypeCode;
  readonly description: string;
  readonly startTime: number;
  readonly operations: StoredOperation<P>[];
}

export interface NewOperation<P> {
  /** The operation key; default its position. Items rejected at submit time leave gaps. */
  id?: number;
  topicName: string;
  serializedData: string;
  payload: P;
}

export interface NewBulk<P> {
  uuid: string;
  userId: number | null;
  userType: UserTypeCode;
  description: string;
  startTime: number;
  operations: NewOperation<P>[];
}

export interface OperationOutcome {
  status: Exclude<OperationStatusCode, 4 | 5>;
  resultMessage: string;
  errorCode: number | null;
  /** JSON of the sync result; only for status 1. */
  resultSerializedData?: string | null;
}

export class OperationStore<P> {
  private readonly bulks = new Map<string, StoredBulk<P>>();
  private readonly counts: Record<OperationStatusCode, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
  private queue: StoredOperation<P>[] = [];
  private queueHead = 0;
  private readonly listeners = new Set<() => void>();
  /** Operations of the bulks currently stored (ids may have gaps, so not found by index). */
  private live = new WeakSet<StoredOperation<P>>();

  /** Stores a bulk and queues its operations as open (status 4), as `MassSchedule` does. */
  addBulk(bulk: NewBulk<P>): StoredBulk<P> {
    if (this.bulks.has(bulk.uuid)) throw new Error(`bulk ${bulk.uuid} already exists`);
    const operations = bulk.operations.map<StoredOperation<P>>((op, index) => ({
      id: op.id ?? index,
      bulkUuid: bulk.uuid,
      topicName: op.topicName,
      serializedData: op.serializedData,
      resultSerializedData: null,
      status: OperationStatus.open,
      resultMessage: null,
      errorCode: null,
      startedAt: null,
      payload: op.payload,
    }));
    const stored: StoredBulk<P> = {
      uuid: bulk.uuid,
      userId: bulk.userId,
      userType: bulk.userType,
      description: bulk.description,
      startTime: bulk.startTime,
      operations,
    };
    this.bulks.set(stored.uuid, stored);
    this.counts[OperationStatus.open] += operations.length;
    for (const op of operations) {
      this.live.add(op);
      this.queue.push(op);
    }
    for (const listener of this.listeners) listener();
    return stored;
  }

  getBulk(uuid: string): StoredBulk<P> | undefined {
    return this.bulks.get(uuid);
  }

  bulkList(): IterableIterator<StoredBulk<P>> {
    return this.bulks.values();
  }

  *allOperations(): Generator<StoredOperation<P>> {
    for (const bulk of this.bulks.values()) yield* bulk.operations;
  }

  countsByStatus(): Record<OperationStatusCode, number> {
    return { ...this.counts };
  }

  /** Operations waiting for a consumer, in submission order. */
  pendingCount(): number {
    return this.queue.length - this.queueHead;
  }

  /** Takes the next open operation off the queue, or undefined when the queue is drained. */
  takeNext(): StoredOperation<P> | undefined {
    if (this.queueHead >= this.queue.length) return undefined;
    const op = this.queue[this.queueHead++];
    // Compact now and then so a long-running sandbox does not keep every reference forever.
    if (this.queueHead > 4096 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
    return op;
  }

  markStarted(op: StoredOperation<P>, at: number): void {
    op.startedAt = at;
  }

  /** Records the consumer's verdict (`OperationProcessor`): success drops `serialized_data`. */
  complete(op: StoredOperation<P>, outcome: OperationOutcome): void {
    // An operation finishing after a reset belongs to data that no longer exists.
    if (!this.live.has(op)) return;
    this.counts[op.status] -= 1;
    op.status = outcome.status;
    this.counts[op.status] += 1;
    op.resultMessage = outcome.resultMessage;
    op.errorCode = outcome.errorCode;
    if (outcome.status === OperationStatus.complete) {
      op.resultSerializedData = outcome.resultSerializedData ?? null;
      op.serializedData = null;
    }
  }

  /** Called whenever operations are queued (the consumer wakes up on it). */
  onQueued(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clear(): void {
    this.bulks.clear();
    this.live = new WeakSet();
    this.queue = [];
    this.queueHead = 0;
    for (const code of OPERATION_STATUS_CODES) this.counts[code] = 0;
  }
}
