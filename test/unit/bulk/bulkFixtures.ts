// Typed builders for bulk fixtures (no hand-written 80-field objects in the tests).
import { type KeyValueStore } from '../../../src/core/ports';
import { type OperationSummary, type TrackedBulk } from '../../../src/core/bulk/bulkState';
import { type BulkShortStatus } from '../../../src/core/bulk/bulkStatusApi';

export const UUID_A = '799a59c0-09ca-4d60-b432-2953986c1c38';
export const UUID_B = 'fbfca270-7a90-4c4e-9f32-d6cf3728cdc7';
export const UUID_C = '0b6c1c1e-3c9d-4a43-9a8e-6a9f2b1d7e01';

export const SUCCESS_MESSAGE = 'Service execution success Magento\\Catalog\\Model\\ProductRepository\\Interceptor::save';

/** Operations from a status list: `ops(1, 1, 2, 4)` → ids 0..3 with those statuses. */
export function ops(...statuses: number[]): OperationSummary[] {
  return statuses.map((status, id) => operation(id, status));
}

export function operation(id: number, status: number): OperationSummary {
  if (status === 1) return { id, status, resultMessage: SUCCESS_MESSAGE, errorCode: null };
  if (status === 2) return { id, status, resultMessage: 'Database deadlock found when trying to get lock', errorCode: 1213 };
  if (status === 3) return { id, status, resultMessage: 'The product with the SKU "%1" does not exist.', errorCode: 0 };
  return { id, status, resultMessage: null, errorCode: null };
}

/** `count` operations: the first `complete` complete, then `failed` failed (3), then open. */
export function opsCounts(count: number, complete: number, failed = 0, retriable = 0): OperationSummary[] {
  const list: OperationSummary[] = [];
  for (let i = 0; i < count; i++) {
    const status = i < complete ? 1 : i < complete + failed ? 3 : i < complete + failed + retriable ? 2 : 4;
    list.push(operation(i, status));
  }
  return list;
}

export function bulk(overrides: Partial<TrackedBulk> = {}): TrackedBulk {
  return {
    uuid: UUID_A,
    profileId: 'local',
    storeCode: 'default',
    description: 'Topic async.magento.catalog.api.productrepositoryinterface.save.put',
    topic: 'async.magento.catalog.api.productrepositoryinterface.save.put',
    submittedAt: Date.UTC(2026, 0, 1),
    retriedOperationIds: [],
    childUuids: [],
    stale: false,
    notFound: false,
    ...overrides,
  };
}

export function shortStatus(uuid: string, operations: OperationSummary[], overrides: Partial<BulkShortStatus> = {}): BulkShortStatus {
  return {
    bulkUuid: uuid,
    description: 'Topic async.magento.catalog.api.productrepositoryinterface.save.put',
    operationCount: operations.length,
    startedAt: Date.UTC(2026, 0, 1),
    operations,
    ...overrides,
  };
}

/** An in-memory KeyValueStore that can also hold raw (possibly corrupt) values. */
export class MemoryStore implements KeyValueStore {
  readonly data = new Map<string, unknown>();
  writes = 0;
  get<T>(key: string): T | undefined {
    const v = this.data.get(key);
    // Stored like globalState: a JSON round trip, so nothing shares references with the tracker.
    return v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as T);
  }
  async update(key: string, value: unknown): Promise<void> {
    this.writes++;
    await Promise.resolve();
    this.data.set(key, JSON.parse(JSON.stringify(value)));
  }
}

/** Lets pending promise callbacks run (the poller's work happens on microtasks). */
export async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
