// The tracked-bulk model and everything computed from a bulk's operations.
//
// Magento's own bulk-level status (`BulkStatus::getBulkStatus`) reports "finished with failure"
// as soon as one operation failed, even while others are still open (magento/magento2#36911).
// So the state here is always computed client-side from the operation counts, and a bulk is only
// "finished" once no operation is open any more.

/** Operation status codes (`Magento\Framework\Bulk\OperationInterface`). */
export const OperationStatus = {
  Complete: 1,
  RetriablyFailed: 2,
  NotRetriablyFailed: 3,
  Open: 4,
  Rejected: 5,
} as const;
export type OperationStatusCode = (typeof OperationStatus)[keyof typeof OperationStatus];

export const OPERATION_STATUS_LABELS: Readonly<Record<OperationStatusCode, string>> = {
  1: 'complete',
  2: 'failed (retriable)',
  3: 'failed',
  4: 'open',
  5: 'rejected',
};

export function isOperationStatusCode(value: unknown): value is OperationStatusCode {
  return value === 1 || value === 2 || value === 3 || value === 4 || value === 5;
}

/** What the short `status` route returns per operation (2.4: `id` is the operation key 0..n-1). */
export interface OperationSummary {
  id: number;
  /** 1..5; anything else a store might send is kept as-is and counted as unknown. */
  status: number;
  resultMessage: string | null;
  errorCode: number | null;
}

/** A bulk the user submitted or asked to watch, with the last state the store reported. */
export interface TrackedBulk {
  uuid: string;
  profileId: string;
  storeCode: string;
  /** Magento's description (`Topic async.magento...save.put`) or the submitter's own words. */
  description: string;
  /** The async topic when known (from the description or the submission). */
  topic?: string;
  /** When the bulk was submitted or started tracking (ms since epoch). */
  submittedAt: number;
  /** Magento's `start_time` (ms since epoch, UTC) once the store reported it. */
  startedAt?: number;
  /** Magento's `operation_count`, which may exceed the rows it stored (#31213). */
  operationCount?: number;
  /** The bulk this one retries. */
  parentUuid?: string;
  /** Operation ids of this bulk that were already resubmitted in a retry bulk. */
  retriedOperationIds: number[];
  /** Retry bulks created from this one. */
  childUuids: string[];
  /** Last known operations (short form), or undefined before the first answer. */
  operations?: OperationSummary[];
  lastPolledAt?: number;
  /** When the operation counts last changed (drives stuck detection and polling back-off). */
  lastChangedAt?: number;
  /** The last poll failed; `operations` is the last known state. */
  stale: boolean;
  staleReason?: string;
  /** The store answered `Bulk uuid ... not exist`: no longer polled. */
  notFound: boolean;
}

export interface BulkCounts {
  /** `max(operation_count, operations reported)`. */
  total: number;
  open: number;
  complete: number;
  failedRetriable: number;
  failedNotRetriable: number;
  rejected: number;
  /** Status codes the client does not know. */
  unknown: number;
  /** Operations Magento counted in `operation_count` but did not return (never persisted, #31213). */
  missing: number;
}

export type BulkCountKey = Exclude<keyof BulkCounts, 'total'>;

export type BulkVerdict = 'running' | 'stuck' | 'finished' | 'finished-with-failures' | 'unknown';

export interface BulkState {
  counts: BulkCounts;
  /** Percent of `total` per count, rounded to one decimal; they are not forced to sum to 100. */
  percentages: Record<BulkCountKey, number>;
  /** failedRetriable + failedNotRetriable + rejected */
  failed: number;
  verdict: BulkVerdict;
  /** Every operation reached a terminal status (nothing left to poll for). */
  terminal: boolean;
  /** "37/50 done · 3 failed" */
  summary: string;
}

export const DEFAULT_STUCK_THRESHOLD_MS = 2 * 60_000;

// Polls replace the operations array rather than mutating it, so the array is a safe cache key:
// a 10,000-operation bulk is counted once per poll, not once per tree node that asks.
const countCache = new WeakMap<readonly OperationSummary[], BulkCounts>();

export function countOperations(operations: readonly OperationSummary[] | undefined, operationCount?: number): BulkCounts {
  if (operations) {
    const cached = countCache.get(operations);
    if (cached) return withTotal(cached, operations.length, operationCount);
  }
  const counts: BulkCounts = {
    total: 0, open: 0, complete: 0, failedRetriable: 0, failedNotRetriable: 0, rejected: 0, unknown: 0, missing: 0,
  };
  for (const op of operations ?? []) {
    switch (op.status) {
      case OperationStatus.Complete: counts.complete++; break;
      case OperationStatus.RetriablyFailed: counts.failedRetriable++; break;
      case OperationStatus.NotRetriablyFailed: counts.failedNotRetriable++; break;
      case OperationStatus.Open: counts.open++; break;
      case OperationStatus.Rejected: counts.rejected++; break;
      default: counts.unknown++;
    }
  }
  if (operations) countCache.set(operations, counts);
  return withTotal(counts, operations?.length ?? 0, operationCount);
}

function withTotal(counts: BulkCounts, reported: number, operationCount: number | undefined): BulkCounts {
  const total = Math.max(reported, operationCount ?? 0);
  return { ...counts, total, missing: total - reported };
}

function percent(part: number, total: number): number {
  return total === 0 ? 0 : Math.round((part / total) * 1000) / 10;
}

const numberFormat = new Intl.NumberFormat('en-US');
export function formatCount(n: number): string {
  return numberFormat.format(n);
}

/** "37/50 done · 3 failed", "0/50 done · 50 open", "50/50 done". */
export function summarize(counts: BulkCounts): string {
  if (counts.total === 0) return 'no operations';
  const parts = [`${formatCount(counts.complete)}/${formatCount(counts.total)} done`];
  const failed = counts.failedRetriable + counts.failedNotRetriable;
  if (failed > 0) parts.push(`${formatCount(failed)} failed`);
  if (counts.rejected > 0) parts.push(`${formatCount(counts.rejected)} rejected`);
  if (counts.open > 0 && counts.complete + failed + counts.rejected === 0) parts.push(`${formatCount(counts.open)} open`);
  if (counts.unknown > 0) parts.push(`${formatCount(counts.unknown)} unknown status`);
  if (counts.missing > 0) parts.push(`${formatCount(counts.missing)} not stored`);
  return parts.join(' · ');
}

/**
 * The bulk's state from its last known operations.
 * - `unknown`: never answered, or the store does not know the UUID.
 * - `stuck`: every operation still open longer than the threshold (no consumer, see stuckDetector).
 * - `running`: some operations open (even when others already failed — unlike #36911).
 * - `finished` / `finished-with-failures`: nothing open any more.
 */
export function computeBulkState(bulk: TrackedBulk, now: number, stuckThresholdMs = DEFAULT_STUCK_THRESHOLD_MS): BulkState {
  const counts = countOperations(bulk.operations, bulk.operationCount);
  const failed = counts.failedRetriable + counts.failedNotRetriable + counts.rejected;
  const percentages = {
    open: percent(counts.open, counts.total),
    complete: percent(counts.complete, counts.total),
    failedRetriable: percent(counts.failedRetriable, counts.total),
    failedNotRetriable: percent(counts.failedNotRetriable, counts.total),
    rejected: percent(counts.rejected, counts.total),
    unknown: percent(counts.unknown, counts.total),
    missing: percent(counts.missing, counts.total),
  };
  // The store has the bulk and says it holds nothing: every item was rejected when it was
  // submitted (contract §6.3), so nothing will ever run. Magento itself calls it "not started".
  const empty = !bulk.notFound && bulk.operations !== undefined && bulk.operations.length === 0 && bulk.operationCount === 0;
  // Operations that were never stored (missing) or carry an unknown code may still change;
  // treat them as not terminal so the bulk keeps being polled.
  const terminal = empty || (bulk.operations !== undefined && counts.total > 0 && counts.open + counts.unknown + counts.missing === 0);
  let verdict: BulkVerdict;
  if (empty) verdict = 'finished';
  else if (bulk.notFound || bulk.operations === undefined || counts.total === 0) verdict = 'unknown';
  else if (terminal) verdict = failed > 0 ? 'finished-with-failures' : 'finished';
  else if (isStuck(bulk, counts, now, stuckThresholdMs)) verdict = 'stuck';
  else verdict = 'running';
  return { counts, percentages, failed, verdict, terminal, summary: summarize(counts) };
}

/** How long every operation of the bulk has been open, or undefined when some already moved on. */
export function allOpenForMs(bulk: TrackedBulk, counts: BulkCounts, now: number): number | undefined {
  if (counts.total === 0 || counts.open + counts.missing !== counts.total) return undefined;
  const since = Math.min(bulk.submittedAt, bulk.startedAt ?? Infinity);
  return Math.max(0, now - since);
}

function isStuck(bulk: TrackedBulk, counts: BulkCounts, now: number, thresholdMs: number): boolean {
  const openFor = allOpenForMs(bulk, counts, now);
  return openFor !== undefined && openFor >= thresholdMs;
}

/** `Topic async.magento.catalog.api.productrepositoryinterface.save.put` → the topic. */
export function topicFromDescription(description: string): string | undefined {
  const match = /^Topic\s+(\S+)$/.exec(description.trim());
  return match?.[1];
}

/**
 * A short human label for a topic: `async.magento.catalog.api.productrepositoryinterface.save.put`
 * → "products · save · put" (the repository/management noun, the method, the verb).
 */
export function topicLabel(topic: string): string {
  const parts = topic.split('.');
  if (parts.length < 4 || parts[0] !== 'async') return topic;
  const verb = parts[parts.length - 1]!;
  const method = parts[parts.length - 2]!;
  const service = parts[parts.length - 3]!;
  return `${serviceNoun(service)} · ${method} · ${verb}`;
}

function serviceNoun(service: string): string {
  const base = service.replace(/interface$/, '').replace(/(repository|management)$/, '');
  if (base === '') return service;
  // A few Magento services whose noun reads better in the plural (the REST resource name).
  const plural: Record<string, string> = {
    product: 'products', customer: 'customers', category: 'categories', order: 'orders',
    account: 'customers', sourceitems: 'source items', page: 'cms pages', block: 'cms blocks',
  };
  return plural[base] ?? base;
}

export function shortUuid(uuid: string): string {
  return uuid.slice(0, 8);
}

/** Label for the bulk: "products · save · put" or the description, plus the short UUID. */
export function bulkLabel(bulk: TrackedBulk): string {
  const topic = bulk.topic ?? topicFromDescription(bulk.description);
  const name = topic ? topicLabel(topic) : bulk.description || 'bulk';
  return `${name} ${shortUuid(bulk.uuid)}`;
}

/** "4,950 complete, 50 failed" for the finished notification. */
export function finishedMessage(counts: BulkCounts): string {
  const parts = [`${formatCount(counts.complete)} complete`];
  const failed = counts.failedRetriable + counts.failedNotRetriable;
  if (failed > 0) parts.push(`${formatCount(failed)} failed`);
  if (counts.rejected > 0) parts.push(`${formatCount(counts.rejected)} rejected`);
  return parts.join(', ');
}

/** Operations that could be retried now: failed ones not already resubmitted. */
export function retryCandidates(bulk: TrackedBulk, includeNonRetriable = false): OperationSummary[] {
  const retried = new Set(bulk.retriedOperationIds);
  return (bulk.operations ?? []).filter(
    (op) => !retried.has(op.id)
      && (op.status === OperationStatus.RetriablyFailed
        || (includeNonRetriable && (op.status === OperationStatus.NotRetriablyFailed || op.status === OperationStatus.Rejected))),
  );
}
