// Sends converted bulk (or async) requests: bounded concurrency, progress, cancellation that
// lets in-flight batches finish, one failed batch never stops or loses the others, each
// accepted batch's bulk_uuid reported the moment it arrives, partial acceptance item by item.
//
// Hot path: every batch body is serialised exactly once (`prepareBatches`) and the same string
// goes to the journal and to the wire; nothing per item is copied while sending.
import { type HttpMethod, type MagentoTransport } from '../http/types';
import { type ConvertedRequest } from './asyncConversion';
import { type JournalSession, type RequestItemStatus } from './submissionJournal';

export interface PreparedBatch {
  method: HttpMethod;
  path: string;
  storeCode?: string;
  query?: string;
  /** The JSON text of the request body. */
  bodyJson: string;
  firstItemIndex: number;
  itemCount: number;
}

export function prepareBatches(requests: readonly ConvertedRequest[]): PreparedBatch[] {
  return requests.map((r) => {
    const batch: PreparedBatch = { method: r.method, path: r.path, bodyJson: JSON.stringify(r.body), firstItemIndex: r.firstItemIndex, itemCount: r.itemCount };
    if (r.storeCode !== undefined) batch.storeCode = r.storeCode;
    if (r.query !== undefined) batch.query = r.query;
    return batch;
  });
}

export interface RejectedItem {
  /** Index among all submitted items. */
  itemIndex: number;
  /** Index in its batch (Magento's request_items[].id). */
  operationId: number;
  message: string;
  /** Magento's `error_code` for the item, when it sent one. */
  errorCode?: number | string;
}

/**
 * `unknown`: the request left and no usable answer came back (connection reset after sending, a
 * timeout, a 2xx body that could not be read, a gateway timeout) — the store may have queued it.
 * It is never resent automatically; the journal keeps it pending so it can be checked first.
 */
export type BatchStatus = 'accepted' | 'partially-accepted' | 'failed' | 'unknown' | 'cancelled';

export interface BatchOutcome {
  /** 0-based batch number. */
  index: number;
  status: BatchStatus;
  firstItemIndex: number;
  itemCount: number;
  batchId?: string;
  bulkUuid?: string;
  requestItems?: RequestItemStatus[];
  rejected: RejectedItem[];
  /** For failed batches: HTTP status (absent for network errors) and Magento's message. */
  error?: { status?: number; message: string };
}

export interface SubmitProgress {
  /** Batches finished (accepted, partially accepted or failed). */
  done: number;
  total: number;
  /** 1-based number of the batch that just started or finished. */
  batchNumber: number;
  operationsDone: number;
  operationsTotal: number;
}

export interface SubmitOptions {
  transport: MagentoTransport;
  /** Journal session; each batch is recorded before it is sent. */
  journal?: JournalSession;
  /** For the journal: which profile and store (never credentials). */
  profileId?: string;
  storeCode?: string;
  /** Batches in flight at once (default 2). */
  concurrency?: number;
  /** At most how many batches the journal may be ahead of the sends (default 8 × concurrency). */
  journalLookahead?: number;
  /** Aborting stops starting new batches; batches in flight finish and are reported. */
  signal?: AbortSignal;
  onProgress?(progress: SubmitProgress): void;
  /** Called as soon as a batch is accepted (fully or partly), with its bulk_uuid. */
  onAccepted?(outcome: BatchOutcome): void;
  onFailed?(outcome: BatchOutcome): void;
}

export interface SubmitSummary {
  outcomes: BatchOutcome[];
  bulkUuids: string[];
  acceptedOperations: number;
  rejectedOperations: number;
  failedBatches: number;
  /** Batches that may or may not have been queued (see BatchStatus `unknown`). */
  unknownBatches: number;
  unknownOperations: number;
  cancelledBatches: number;
  /** Operations in failed or cancelled batches (not queued by Magento). */
  unsentOperations: number;
}

interface AcceptedBody {
  bulk_uuid?: unknown;
  request_items?: unknown;
  errors?: unknown;
}

function errorMessage(status: number | undefined, body: unknown, text: string): string {
  if (body && typeof body === 'object' && 'message' in body) {
    const b = body as { message: unknown; parameters?: unknown; errors?: unknown };
    let message = String(b.message);
    const params = b.parameters;
    if (params && typeof params === 'object') {
      const entries = Array.isArray(params) ? params.map((v, i) => [String(i + 1), v] as const) : Object.entries(params as Record<string, unknown>);
      for (const [k, v] of entries.sort((x, y) => y[0].length - x[0].length)) message = message.split(`%${k}`).join(typeof v === 'string' ? v : JSON.stringify(v));
    }
    if (Array.isArray(b.errors) && b.errors.length > 0) {
      message += ` (${b.errors.map((e: unknown) => (e && typeof e === 'object' && 'message' in e ? String((e as { message: unknown }).message) : JSON.stringify(e))).join('; ')})`;
    }
    return status !== undefined ? `HTTP ${status}: ${message}` : message;
  }
  const snippet = text.trim().slice(0, 300);
  return status !== undefined ? `HTTP ${status}${snippet ? `: ${snippet}` : ''}` : snippet;
}

function readRequestItems(value: unknown): RequestItemStatus[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null).map((v) => {
    const item: RequestItemStatus = { id: Number(v.id), status: String(v.status ?? 'accepted') };
    if (typeof v.data_hash === 'string' || v.data_hash === null) item.data_hash = v.data_hash;
    if (typeof v.error_message === 'string') item.error_message = v.error_message;
    if (typeof v.error_code === 'number' || typeof v.error_code === 'string') item.error_code = v.error_code;
    return item;
  });
}

export async function submitBatches(batches: readonly PreparedBatch[], options: SubmitOptions): Promise<SubmitSummary> {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 2));
  const total = batches.length;
  const operationsTotal = batches.reduce((n, b) => n + b.itemCount, 0);
  const outcomes: BatchOutcome[] = new Array(total);
  let nextIndex = 0;
  let done = 0;
  let operationsDone = 0;

  // Journal write-ahead: batch records are written ahead of the sends in growing chunks, so their
  // fsyncs are shared (group commit) and overlap the requests in flight instead of adding a disk
  // sync before every send. The first chunk is only what the first sends need, so they wait for
  // one small sync; each later chunk is twice the previous, up to `lookahead`. A batch is still
  // on disk before its request leaves; after a crash at most `lookahead` journalled batches were
  // never sent (they show as pending, and the recovery check finds no bulk for them).
  const lookahead = Math.max(1, options.journalLookahead ?? concurrency * 8);
  let chunk = Math.min(concurrency, lookahead);
  const journalIds: Array<Promise<string> | undefined> = new Array(total);
  let journalledUpTo = 0;
  const journalAhead = (upTo: number): void => {
    const session = options.journal;
    if (!session) return;
    for (; journalledUpTo < Math.min(upTo, total); journalledUpTo++) {
      const b = batches[journalledUpTo] as PreparedBatch;
      const promise = session.recordBatch({
        profileId: options.profileId ?? '',
        storeCode: b.storeCode ?? options.storeCode ?? '',
        method: b.method,
        path: b.path,
        firstItemIndex: b.firstItemIndex,
        itemCount: b.itemCount,
      }, b.bodyJson);
      promise.catch(() => undefined); // observed when the batch's turn comes
      journalIds[journalledUpTo] = promise;
    }
  };
  const journalled = (index: number): Promise<string> => {
    // Top up once the sends are within half a chunk of the journal's end, never beyond the window.
    if (journalledUpTo - index <= chunk / 2) {
      journalAhead(Math.min(Math.max(journalledUpTo, index) + chunk, index + lookahead));
      chunk = Math.min(lookahead, chunk * 2);
    }
    return journalIds[index] as Promise<string>;
  };

  const runOne = async (index: number): Promise<void> => {
    const batch = batches[index] as PreparedBatch;
    const base = { index, firstItemIndex: batch.firstItemIndex, itemCount: batch.itemCount, rejected: [] as RejectedItem[] };
    let batchId: string | undefined;
    if (options.journal) {
      try {
        batchId = await journalled(index);
      } catch (error) {
        // Never send what could not be journalled: retry would have nothing to resubmit.
        finish({ ...base, status: 'failed', error: { message: `not sent: the submission journal could not be written (${error instanceof Error ? error.message : String(error)})` } });
        return;
      }
    }
    const withId = batchId !== undefined ? { ...base, batchId } : base;

    let status: number | undefined;
    let body: unknown;
    let text = '';
    try {
      const request = { method: batch.method, path: batch.path, body: batch.bodyJson, ...(batch.storeCode !== undefined ? { storeCode: batch.storeCode } : {}), ...(batch.query !== undefined ? { query: batch.query } : {}) };
      const response = await options.transport.send(request);
      status = response.status;
      body = response.body;
      text = response.text;
    } catch (error) {
      // The client throws MagentoApiError for non-2xx; a network error has no status.
      const e = error as { status?: unknown; message?: unknown };
      const message = error instanceof Error ? error.message : String(error);
      const httpStatus = typeof e.status === 'number' ? e.status : undefined;
      if (outcomeUnknown(error, httpStatus)) {
        unknown(withId, httpStatus !== undefined ? { status: httpStatus, message } : { message });
        return;
      }
      await failed(withId, batchId, httpStatus !== undefined ? { status: httpStatus, message } : { message });
      return;
    }
    if (status < 200 || status >= 300) {
      await failed(withId, batchId, { status, message: errorMessage(status, body, text) });
      return;
    }
    const accepted = (body ?? {}) as AcceptedBody;
    if (typeof accepted.bulk_uuid !== 'string') {
      // A success status without the UUID: something answered "done", so it may be queued.
      unknown(withId, { status, message: `the store answered ${status} without a bulk_uuid: ${text.slice(0, 200)}` });
      return;
    }
    const requestItems = readRequestItems(accepted.request_items);
    const rejected: RejectedItem[] = [];
    for (const item of requestItems) {
      if (item.status !== 'accepted') {
        rejected.push({ itemIndex: batch.firstItemIndex + item.id, operationId: item.id, message: item.error_message ?? `status ${item.status}`, ...(item.error_code !== undefined ? { errorCode: item.error_code } : {}) });
      }
    }
    const outcome: BatchOutcome = { ...withId, status: rejected.length > 0 || accepted.errors === true ? 'partially-accepted' : 'accepted', bulkUuid: accepted.bulk_uuid, requestItems, rejected };
    if (options.journal && batchId !== undefined) {
      // Not awaited: the write is queued in order and needs no sync of its own, so the worker
      // moves on. The request is queued in Magento whatever happens here; a failed write leaves
      // the batch "pending", which the next start reports.
      void options.journal.recordAccepted(batchId, accepted.bulk_uuid, requestItems).catch(() => undefined);
    }
    options.onAccepted?.(outcome);
    finish(outcome);
  };

  const failed = async (outcome: Omit<BatchOutcome, 'status'>, batchId: string | undefined, error: { status?: number; message: string }): Promise<void> => {
    const full: BatchOutcome = { ...outcome, status: 'failed', error };
    if (options.journal && batchId !== undefined) await options.journal.recordFailed(batchId, error.message).catch(() => undefined);
    options.onFailed?.(full);
    finish(full);
  };

  // Nothing goes to the journal: the batch stays pending there, which is what it is.
  const unknown = (outcome: Omit<BatchOutcome, 'status'>, error: { status?: number; message: string }): void => {
    const full: BatchOutcome = { ...outcome, status: 'unknown', error: { ...error, message: `${UNKNOWN_OUTCOME_PREFIX} ${error.message}` } };
    options.onFailed?.(full);
    finish(full);
  };

  const finish = (outcome: BatchOutcome): void => {
    outcomes[outcome.index] = outcome;
    done++;
    operationsDone += outcome.itemCount;
    options.onProgress?.({ done, total, batchNumber: outcome.index + 1, operationsDone, operationsTotal });
  };

  const worker = async (): Promise<void> => {
    while (nextIndex < total && !options.signal?.aborted) {
      await runOne(nextIndex++);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));

  // Cancelled after being journalled ahead: say so, so they are not reported as pending.
  if (options.journal) {
    for (let i = 0; i < journalledUpTo; i++) {
      if (outcomes[i]) continue;
      const id = await (journalIds[i] as Promise<string>).catch(() => undefined);
      if (id !== undefined) await options.journal.recordFailed(id, 'not sent: the submission was cancelled').catch(() => undefined);
    }
  }

  for (let i = 0; i < total; i++) {
    if (!outcomes[i]) {
      const b = batches[i] as PreparedBatch;
      outcomes[i] = { index: i, status: 'cancelled', firstItemIndex: b.firstItemIndex, itemCount: b.itemCount, rejected: [] };
    }
  }
  return summarize(outcomes);
}

export const UNKNOWN_OUTCOME_PREFIX = 'unknown whether the store queued this batch (the request was sent but no usable answer came back): check before resubmitting —';

/**
 * Whether a failed send may still have been queued by the store: a transport error after the
 * request may have left (reset, timeout, unreadable 2xx body), or a gateway timeout (the proxy
 * gave up, the store may not have). Other HTTP errors are Magento (or a proxy) refusing it.
 */
export function outcomeUnknown(error: unknown, httpStatus: number | undefined): boolean {
  if (httpStatus === 504) return true;
  const sent = (error as { requestMayHaveBeenSent?: unknown }).requestMayHaveBeenSent;
  if (sent !== true) return false;
  if ((error as { kind?: unknown }).kind === 'aborted') return true;
  return httpStatus === undefined || (httpStatus >= 200 && httpStatus < 300);
}

export function summarize(outcomes: BatchOutcome[]): SubmitSummary {
  const summary: SubmitSummary = { outcomes, bulkUuids: [], acceptedOperations: 0, rejectedOperations: 0, failedBatches: 0, unknownBatches: 0, unknownOperations: 0, cancelledBatches: 0, unsentOperations: 0 };
  for (const o of outcomes) {
    if (o.bulkUuid) summary.bulkUuids.push(o.bulkUuid);
    if (o.status === 'accepted' || o.status === 'partially-accepted') {
      summary.acceptedOperations += o.itemCount - o.rejected.length;
      summary.rejectedOperations += o.rejected.length;
    } else if (o.status === 'unknown') {
      summary.unknownBatches++;
      summary.unknownOperations += o.itemCount;
    } else {
      summary.unsentOperations += o.itemCount;
      if (o.status === 'failed') summary.failedBatches++;
      else summary.cancelledBatches++;
    }
  }
  return summary;
}

/** "Submitting 5,000 operations — batch 12 of 50" */
export function progressMessage(p: SubmitProgress): string {
  return `Submitting ${p.operationsTotal.toLocaleString('en-US')} operations — batch ${Math.min(p.done + 1, p.total)} of ${p.total}`;
}
