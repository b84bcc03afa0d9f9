// What to do with a journalled batch that has no bulk_uuid (the process stopped between sending
// it and recording the answer): ask the store whether a bulk with that many operations started
// around that time. Magento keeps no client request id, so this is a best guess shown to the
// user — "probably accepted as <uuid>" or "not found" — never an automatic resubmission.
import { formatMagentoUtc, type BulkStatusApi } from '../bulk/bulkStatusApi';
import { type JournalBatch } from './submissionJournal';

export interface PendingBatchCheck {
  batch: JournalBatch;
  /** Bulks that started within the window and have the batch's operation count. */
  candidates: string[];
  verdict: 'probably-accepted' | 'not-found' | 'ambiguous';
}

/** Searches bulks started from 2 minutes before to 10 minutes after the batch was journalled. */
export async function checkPendingBatch(api: BulkStatusApi, batch: JournalBatch): Promise<PendingBatchCheck> {
  const from = formatMagentoUtc(batch.at - 2 * 60_000);
  const to = formatMagentoUtc(batch.at + 10 * 60_000);
  const query = [
    `searchCriteria[filter_groups][0][filters][0][field]=start_time`,
    `searchCriteria[filter_groups][0][filters][0][value]=${encodeURIComponent(from)}`,
    `searchCriteria[filter_groups][0][filters][0][condition_type]=gteq`,
    `searchCriteria[filter_groups][1][filters][0][field]=start_time`,
    `searchCriteria[filter_groups][1][filters][0][value]=${encodeURIComponent(to)}`,
    `searchCriteria[filter_groups][1][filters][0][condition_type]=lteq`,
  ].join('&');
  const { items } = await api.searchOperations(query, batch.storeCode || undefined);
  const counts = new Map<string, number>();
  for (const op of items) counts.set(op.bulkUuid, (counts.get(op.bulkUuid) ?? 0) + 1);
  const candidates = [...counts].filter(([, n]) => n === batch.itemCount).map(([uuid]) => uuid);
  return { batch, candidates, verdict: candidates.length === 1 ? 'probably-accepted' : candidates.length === 0 ? 'not-found' : 'ambiguous' };
}
