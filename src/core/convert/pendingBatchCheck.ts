// What to do with a journalled batch that has no bulk_uuid (the process stopped between sending
// it and recording the answer): ask the store whether a bulk with that many operations started
// around that time. Magento keeps no client request id, so this is a best guess shown to the
// user — "probably accepted as <uuid>" or "not found" — never an automatic resubmission.
//
// Two things sharpen the guess (both optional, both from the journal): bulks the journal already
// attributes to other batches are not candidates (a submission's batches are usually the same
// size, so a count alone matches all of them), and where the store still has an operation's
// `serialized_data` (open or failed operations; Magento drops it on success) the item itself
// must match the journalled one.
import { formatMagentoUtc, type BulkSearchOperation, type BulkStatusApi } from '../bulk/bulkStatusApi';
import { searchQuery } from '../bulk/recentBulks';
import { type JournalBatch, type SubmissionJournal } from './submissionJournal';

export interface PendingBatchCheck {
  batch: JournalBatch;
  /** Bulks that started within the window and have the batch's operation count. */
  candidates: string[];
  verdict: 'probably-accepted' | 'not-found' | 'ambiguous';
}

export interface PendingBatchContext {
  /** Bulk UUIDs the journal already attributes to other batches. */
  knownBulkUuids?: ReadonlySet<string>;
  /** The batch's journalled items (operation id = index). */
  items?: readonly unknown[];
}

/** The context for `checkPendingBatch` from the journal itself (what a restart has at hand). */
export async function pendingBatchContext(journal: SubmissionJournal, batch: JournalBatch): Promise<PendingBatchContext> {
  const knownBulkUuids = new Set<string>();
  for (const b of await journal.batches()) if (b.bulkUuid && b.batchId !== batch.batchId) knownBulkUuids.add(b.bulkUuid);
  const items = await journal.itemsOf(batch.batchId);
  return items ? { knownBulkUuids, items } : { knownBulkUuids };
}

/** The request item inside an operation's serialized_data, or undefined when the store dropped it. */
function storedItem(serializedData: string | null): unknown {
  if (!serializedData) return undefined;
  try {
    const outer = JSON.parse(serializedData) as { meta_information?: unknown };
    return typeof outer.meta_information === 'string' ? (JSON.parse(outer.meta_information) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

/** Key-order-insensitive JSON equality (PHP re-encodes objects; numbers and strings stay as they were). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * Looks at the bulks started from 2 minutes before to 10 minutes after the batch was journalled.
 * Bulks are enumerated one operation at a time and then read per `bulk_uuid`: a search result
 * spanning several bulks fails on Magento 2.4 with `Item (...Operation) with the same ID "0"
 * already exists` (#29579), so a plain window search breaks as soon as two bulks are in it.
 */
export async function checkPendingBatch(api: BulkStatusApi, batch: JournalBatch, context: PendingBatchContext = {}): Promise<PendingBatchCheck> {
  const storeCode = batch.storeCode || undefined;
  const window = [
    { field: 'start_time', value: formatMagentoUtc(batch.at - 2 * 60_000), conditionType: 'gteq' },
    { field: 'start_time', value: formatMagentoUtc(batch.at + 10 * 60_000), conditionType: 'lteq' },
  ];
  const seen = new Set<string>(context.knownBulkUuids ?? []);
  const candidates: string[] = [];
  for (let looked = 0; looked < MAX_BULKS_LOOKED_AT; looked++) {
    const filters = seen.size > 0 ? [...window, { field: 'bulk_uuid', value: [...seen].join(','), conditionType: 'nin' }] : window;
    const found = await api.searchOperations(searchQuery(filters, { pageSize: 1, currentPage: 1 }), storeCode);
    const op: BulkSearchOperation | undefined = found.items[0];
    if (!op || seen.has(op.bulkUuid)) break;
    seen.add(op.bulkUuid);
    const detail = await api.detailedStatus(op.bulkUuid, storeCode);
    if (detail.operations.length !== batch.itemCount) continue;
    // Every operation whose item the store still has must be the journalled item at that index.
    const items = context.items;
    if (items && !detail.operations.every((o) => {
      const stored = storedItem(o.serializedData);
      return stored === undefined || sameJson(stored, items[o.id]);
    })) continue;
    candidates.push(op.bulkUuid);
  }
  return { batch, candidates, verdict: candidates.length === 1 ? 'probably-accepted' : candidates.length === 0 ? 'not-found' : 'ambiguous' };
}

/** A bound on the requests one check makes (two per bulk in the window). */
const MAX_BULKS_LOOKED_AT = 200;
