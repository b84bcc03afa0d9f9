// Shared setup for the fault suite: a sandbox store, an admin-token MagentoClient (so token loss is
// exercised), item generators with unique SKUs, and the check every submission must pass against
// the store's own record: each item accepted exactly once, or reported as not sent, or reported
// as unknown (then at most once, and still pending in the journal). FAULTS_LONG=1 (npm run
// test:faults) runs the same files with 5,000 operations per submission.
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { createMagentoClient, type MagentoClient, type MagentoClientDeps } from '../../../src/core/http/magentoClient';
import { type SecretStore } from '../../../src/core/ports';
import { parseProfile, secretKey, type Profile } from '../../../src/core/profiles/profile';
import { type SubmitSummary } from '../../../src/core/convert/bulkSubmitter';
import { type SubmissionJournal } from '../../../src/core/convert/submissionJournal';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../../src/sandbox/sandboxServer';
import { type HttpFaultRule } from '../../../src/sandbox/faults/httpFaults';

export const LONG = process.env.FAULTS_LONG === '1';
/** Operations per submission: 5,000 in the long run, 1,000 in `npm test`. */
export const OPERATIONS = LONG ? 5000 : 1000;
export const BATCH_SIZE = LONG ? 100 : 50;

/** Fast back-off so retries do not dominate the run; the limits are the real ones. */
export const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 20 } as const;

export interface FaultStore {
  handle: SandboxHandle;
  baseUrl: string;
  control<T = unknown>(path: string, body?: unknown): Promise<T>;
  setHttpFaults(rules: Array<Partial<HttpFaultRule> & { fault: HttpFaultRule['fault'] }>, seed?: number): Promise<void>;
  clearHttpFaults(): Promise<void>;
  /** SKU → how many operations the store holds for it (only SKUs with the prefix). */
  acceptedBySku(prefix: string): Promise<Map<string, number>>;
  stats(): Promise<SandboxStats>;
  adminProfile(id?: string): { profile: Profile; secrets: SecretStore };
  adminClient(extra?: Partial<MagentoClientDeps>): MagentoClient;
  close(): Promise<void>;
}

export interface SandboxStats {
  requests_total: number;
  requests_by_route: Record<string, number>;
  tokens_issued: { admin: number; customer: number; total: number };
  operations_by_status: Record<string, number>;
}

interface OperationsRecord { total: number; bulks: Array<{ uuid: string; operations: Array<{ id: number; status: number; skus: string[] }> }> }

export function memorySecrets(entries: Array<[string, string]>): SecretStore & { map: Map<string, string> } {
  const map = new Map(entries);
  return { map, get: async (k) => map.get(k), store: async (k, v) => { map.set(k, v); }, delete: async (k) => { map.delete(k); } };
}

export async function openFaultStore(options: SandboxOptions = {}): Promise<FaultStore> {
  const handle = await startSandbox({ port: 0, latency: 'none', consumers: false, ...options });
  const control = async <T>(path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${handle.baseUrl}/__sandbox/${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`control ${path}: HTTP ${res.status} ${text}`);
    return JSON.parse(text) as T;
  };
  const clients: MagentoClient[] = [];
  const adminProfile = (id = 'faults'): { profile: Profile; secrets: SecretStore } => ({
    profile: parseProfile({ id, label: 'Fault store', baseUrl: handle.baseUrl, storeCode: 'default', auth: { kind: 'admin', username: handle.credentials.admin.username } }),
    secrets: memorySecrets([[secretKey(id, 'password'), handle.credentials.admin.password]]),
  });
  return {
    handle,
    baseUrl: handle.baseUrl,
    control,
    async setHttpFaults(rules, seed = 7) {
      await control('faults', { http: { seed, rules } });
    },
    async clearHttpFaults() {
      await control('faults', { http: { rules: [] } });
    },
    async acceptedBySku(prefix) {
      const record = await control<OperationsRecord>('operations');
      const counts = new Map<string, number>();
      for (const bulk of record.bulks) {
        for (const op of bulk.operations) {
          for (const sku of op.skus) if (sku.startsWith(prefix)) counts.set(sku, (counts.get(sku) ?? 0) + 1);
        }
      }
      return counts;
    },
    stats: () => control<SandboxStats>('stats'),
    adminProfile,
    adminClient(extra = {}) {
      const client = createMagentoClient({ ...adminProfile(), retry: FAST_RETRY, ...extra });
      clients.push(client);
      return client;
    },
    async close() {
      for (const c of clients) await c.close();
      await handle.close();
    },
  };
}

/** Items for `PUT /V1/products/{sku}`: one unique SKU each. */
export function productItems(prefix: string, count: number): Array<{ product: { sku: string; price: number } }> {
  return Array.from({ length: count }, (_v, i) => ({ product: { sku: `${prefix}${String(i).padStart(5, '0')}`, price: 10 + (i % 90) } }));
}

export interface LedgerResult {
  accepted: number;
  notSent: number;
  unknown: number;
  unknownAccepted: number;
  duplicates: number;
  losses: number;
}

/**
 * The ledger check: every item is in exactly one bucket, and the store agrees with it.
 * - accepted (batch accepted, item not rejected): the store holds it exactly once;
 * - not sent (failed, cancelled, rejected): the store does not hold it;
 * - unknown: the store holds it at most once, and the journal still lists the batch as pending.
 */
export async function checkLedger(summary: SubmitSummary, skus: readonly string[], store: Map<string, number>, journal?: SubmissionJournal): Promise<LedgerResult> {
  const result: LedgerResult = { accepted: 0, notSent: 0, unknown: 0, unknownAccepted: 0, duplicates: 0, losses: 0 };
  const bucket = new Array<string | undefined>(skus.length);
  for (const o of summary.outcomes) {
    const rejected = new Set(o.rejected.map((r) => r.itemIndex));
    for (let i = o.firstItemIndex; i < o.firstItemIndex + o.itemCount; i++) {
      assert.equal(bucket[i], undefined, `item ${i} is in two batches`);
      bucket[i] = o.status === 'accepted' || o.status === 'partially-accepted' ? (rejected.has(i) ? 'not-sent' : 'accepted') : o.status === 'unknown' ? 'unknown' : 'not-sent';
    }
  }
  const pending = journal ? new Set((await journal.pendingBatches()).map((b) => b.firstItemIndex)) : undefined;
  for (const [i, sku] of skus.entries()) {
    const held = store.get(sku) ?? 0;
    if (held > 1) result.duplicates++;
    const b = bucket[i];
    if (b === undefined) { result.losses++; continue; }
    if (b === 'accepted') {
      result.accepted++;
      if (held === 0) result.losses++;
    } else if (b === 'not-sent') {
      result.notSent++;
      // Reported as not sent but the store has it: a resubmission would duplicate it.
      if (held !== 0) result.duplicates++;
    } else {
      result.unknown++;
      if (held === 1) result.unknownAccepted++;
    }
  }
  if (pending) {
    for (const o of summary.outcomes) {
      if (o.status === 'unknown') assert.ok(pending.has(o.firstItemIndex), `unknown batch ${o.index + 1} must stay pending in the journal`);
      else assert.ok(!pending.has(o.firstItemIndex), `batch ${o.index + 1} (${o.status}) must not be pending in the journal`);
    }
  }
  const known = new Set(skus);
  for (const sku of store.keys()) assert.ok(known.has(sku), `the store holds ${sku}, which this submission never had`);
  return result;
}

/**
 * Appends one JSON line per checked run to $FAULTS_REPORT (when set), for the README's table:
 * the suite's own measurements, not numbers typed by hand.
 */
export function reportRun(entry: { fault: string; injected: number; operations: number; ledger?: LedgerResult; badInputs?: number; leaks?: number }): void {
  const file = process.env.FAULTS_REPORT;
  if (!file) return;
  appendFileSync(file, JSON.stringify(entry) + '\n');
}
