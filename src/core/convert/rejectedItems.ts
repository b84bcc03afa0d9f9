// Items Magento rejected at submit time (`request_items[].status: "rejected"` in a 202, contract
// §6.3), found in the submission journal and resubmitted from it. Bulk retry cannot reach them:
// a rejected item never became an operation, so the store's bulk status does not list it and
// `selectForRetry` never sees it. The journal is the only place that still has the payload.
//
// Nothing is sent twice: an item counts as resubmitted once a later journalled batch to the same
// profile, store and route carried the same payload (same JSON text) and was accepted or may have
// been sent (pending). The journal itself therefore records the resubmission; no extra state.
// The flip side: an item the user sent again by other means also counts as resubmitted, and a
// payload edited before resubmission is not recognised — both err on the side of not resending.
import { type HttpMethod, type MagentoTransport } from '../http/types';
import { submitBatches, type PreparedBatch, type SubmitOptions, type SubmitSummary } from './bulkSubmitter';
import { type JournalBatch, type SubmissionJournal } from './submissionJournal';

export interface RejectedJournalItem {
  batchId: string;
  bulkUuid: string;
  profileId: string;
  storeCode: string;
  method: string;
  /** The bulk path the batch went to, e.g. `/async/bulk/V1/products/bySku`. */
  path: string;
  /** `request_items[].id`: the index in its batch. */
  operationId: number;
  /** Index in the whole submission the batch belonged to. */
  itemIndex: number;
  payload: unknown;
  message: string;
  errorCode?: number | string;
}

export class RejectedItemsError extends Error {}

/**
 * The SKU a rejected payload names, for people choosing what to resubmit: `sku` of the bySku
 * routes' items, else `product.sku` (`POST /V1/products`). Undefined for other entities.
 */
export function rejectedItemSku(payload: unknown): string | undefined {
  if (!payload || typeof payload !== 'object') return undefined;
  const { sku, product } = payload as { sku?: unknown; product?: unknown };
  if (typeof sku === 'string') return sku;
  const nested = product && typeof product === 'object' ? (product as { sku?: unknown }).sku : undefined;
  return typeof nested === 'string' ? nested : undefined;
}

const METHODS = new Set<string>(['POST', 'PUT', 'DELETE', 'PATCH']);

function routeKey(b: Pick<JournalBatch, 'profileId' | 'storeCode' | 'method' | 'path'>): string {
  return JSON.stringify([b.profileId, b.storeCode, b.method.toUpperCase(), b.path]);
}

/**
 * Rejected items of accepted batches not resubmitted since, oldest first. `bulkUuids` limits the
 * result to those bulks (the later batches of the whole journal still count as resubmissions).
 */
export async function rejectedItemsInJournal(journal: SubmissionJournal, options: { bulkUuids?: readonly string[] } = {}): Promise<RejectedJournalItem[]> {
  const wanted = options.bulkUuids ? new Set(options.bulkUuids) : undefined;
  // Per route: payload JSON → rejected items still waiting for a resubmission, oldest first.
  const open = new Map<string, Map<string, RejectedJournalItem[]>>();
  const found: RejectedJournalItem[] = [];
  for (const batch of await journal.batches()) {
    // A failed batch was refused as a whole (nothing queued); a resolved one was dismissed.
    if (batch.state !== 'accepted' && batch.state !== 'pending') continue;
    const route = routeKey(batch);
    const waiting = open.get(route);
    const rejectedIds = new Map<number, { error_message?: string; error_code?: number | string; status: string }>();
    for (const item of batch.requestItems ?? []) if (item.status !== 'accepted') rejectedIds.set(item.id, item);
    const mine = batch.state === 'accepted' && batch.bulkUuid !== undefined && rejectedIds.size > 0;
    // Items are read (and serialised for comparison) only when this batch can matter.
    if (!mine && (!waiting || waiting.size === 0)) continue;
    const items = (await journal.itemsOf(batch.batchId)) ?? [];
    // Added after the batch: a batch resolves only the rejections of earlier batches.
    const added: Array<[string, RejectedJournalItem]> = [];
    for (const [index, payload] of items.entries()) {
      const key = JSON.stringify(payload);
      // Sent again (this batch was accepted or may have been sent): the older rejection is dealt with.
      const earlier = waiting?.get(key);
      if (earlier && earlier.length > 0) {
        earlier.shift();
        if (earlier.length === 0) waiting?.delete(key);
      }
      const rejection = mine ? rejectedIds.get(index) : undefined;
      if (!rejection || batch.bulkUuid === undefined) continue;
      const entry: RejectedJournalItem = {
        batchId: batch.batchId,
        bulkUuid: batch.bulkUuid,
        profileId: batch.profileId,
        storeCode: batch.storeCode,
        method: batch.method.toUpperCase(),
        path: batch.path,
        operationId: index,
        itemIndex: batch.firstItemIndex + index,
        payload,
        message: rejection.error_message ?? `status ${rejection.status}`,
        ...(rejection.error_code !== undefined ? { errorCode: rejection.error_code } : {}),
      };
      found.push(entry);
      added.push([key, entry]);
    }
    if (added.length === 0) continue;
    let byPayload = open.get(route);
    if (!byPayload) open.set(route, (byPayload = new Map()));
    for (const [key, entry] of added) byPayload.set(key, [...(byPayload.get(key) ?? []), entry]);
  }
  const stillOpen = new Set<RejectedJournalItem>();
  for (const byPayload of open.values()) for (const list of byPayload.values()) for (const entry of list) stillOpen.add(entry);
  return found.filter((entry) => stillOpen.has(entry) && (!wanted || wanted.has(entry.bulkUuid)));
}

export interface ResubmitRejectedOptions extends Pick<SubmitOptions, 'onProgress' | 'onAccepted' | 'onFailed'> {
  journal: SubmissionJournal;
  transport: MagentoTransport;
  /** From rejectedItemsInJournal (possibly a selection of them), all of one profile. */
  items: readonly RejectedJournalItem[];
  /** Items per request (default 100). */
  batchSize?: number;
  concurrency?: number;
  signal?: AbortSignal;
}

export interface ResubmitRejectedResult {
  summary: SubmitSummary;
  /** `items[i]` is item i of the resubmission (what `summary`'s itemIndex values refer to). */
  items: RejectedJournalItem[];
}

/**
 * Sends rejected items again as new bulk requests, grouped by store and route, journalled like
 * any submission (which is also what marks them resubmitted). Payloads are sent as journalled.
 */
export async function resubmitRejected(options: ResubmitRejectedOptions): Promise<ResubmitRejectedResult> {
  if (options.items.length === 0) throw new RejectedItemsError('Nothing to resubmit: no rejected item was selected.');
  const profiles = new Set(options.items.map((i) => i.profileId));
  if (profiles.size > 1) {
    throw new RejectedItemsError(`The selected rejected items belong to ${profiles.size} profiles (${[...profiles].join(', ')}); resubmit the items of one profile at a time.`);
  }
  const seen = new Set<string>();
  for (const item of options.items) {
    if (!METHODS.has(item.method)) throw new RejectedItemsError(`Rejected item ${item.operationId} of bulk ${item.bulkUuid} was journalled with method ${item.method}; only POST, PUT, DELETE and PATCH can be resubmitted.`);
    const id = `${item.batchId}:${item.operationId}`;
    if (seen.has(id)) throw new RejectedItemsError(`Rejected item ${item.operationId} of bulk ${item.bulkUuid} is selected twice; it would be sent twice.`);
    seen.add(id);
  }
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 100));
  const groups = new Map<string, RejectedJournalItem[]>();
  for (const item of options.items) {
    const key = routeKey(item);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  const ordered: RejectedJournalItem[] = [];
  const batches: PreparedBatch[] = [];
  for (const group of groups.values()) {
    for (let start = 0; start < group.length; start += batchSize) {
      const chunk = group.slice(start, start + batchSize);
      const first = chunk[0] as RejectedJournalItem;
      batches.push({
        method: first.method as HttpMethod,
        path: first.path,
        storeCode: first.storeCode,
        bodyJson: JSON.stringify(chunk.map((i) => i.payload)),
        firstItemIndex: ordered.length,
        itemCount: chunk.length,
      });
      ordered.push(...chunk);
    }
  }
  const session = await options.journal.startSession();
  try {
    const summary = await submitBatches(batches, {
      transport: options.transport,
      journal: session,
      profileId: [...profiles][0] as string,
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.onAccepted ? { onAccepted: options.onAccepted } : {}),
      ...(options.onFailed ? { onFailed: options.onFailed } : {}),
    });
    return { summary, items: ordered };
  } finally {
    await session.close();
  }
}
