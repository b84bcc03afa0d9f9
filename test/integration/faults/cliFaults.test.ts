// The CLI (the esbuild bundle, as real processes) under HTTP faults: `bulk submit` of the suite's
// operation count through resets, 5xx, unreadable 202 bodies and a token revoked mid-run — checked
// against the store's record and the journal the CLI wrote; `request` retries reads within its
// limits and then exits non-zero with a clear message.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BatchOutcome, summarize } from '../../../src/core/convert/bulkSubmitter';
import { SubmissionJournal } from '../../../src/core/convert/submissionJournal';
import { buildCliBundle, type CliBundle, runCliProcess, sandboxAdminCliEnv } from '../../support/cliProcess';
import { BATCH_SIZE, checkLedger, OPERATIONS, openFaultStore, productItems, reportRun, type FaultStore } from './faultHarness';

interface CliReport {
  operations: number;
  accepted: number;
  unknown_batches: number;
  failed_batches: number;
  batches: Array<{ batch: number; status: BatchOutcome['status']; items: [number, number]; bulk_uuid?: string; error?: string; rejected_items?: Array<{ item: number }> }>;
}

let store: FaultStore;
let cli: CliBundle;
let home: string;

function env(): Record<string, string> {
  return sandboxAdminCliEnv({ baseUrl: store.baseUrl, credentials: store.handle.credentials }, home);
}

describe('CLI under HTTP faults', () => {
  before(async () => {
    [store, cli] = await Promise.all([openFaultStore(), buildCliBundle()]);
    home = await mkdtemp(join(tmpdir(), 'faults-cli-'));
  });
  after(async () => {
    await store.close();
    cli.dispose();
    await rm(home, { recursive: true, force: true });
  });

  test(`bulk submit of ${OPERATIONS} operations through mixed faults: every item accepted once, not sent, or unknown and journalled`, async () => {
    const items = productItems('CLI-', OPERATIONS);
    const file = join(home, 'items.jsonl');
    await writeFile(file, items.map((i) => JSON.stringify(i)).join('\n') + '\n');
    await store.setHttpFaults([
      { fault: 'status', status: 503, rate: 0.06, retryAfterSeconds: 1, method: 'PUT', path: '/rest/*/async/bulk/*' },
      { fault: 'status', status: 500, rate: 0.05, method: 'PUT', path: '/rest/*/async/bulk/*' },
      { fault: 'reset-before-headers', rate: 0.06, method: 'PUT', path: '/rest/*/async/bulk/*' },
      { fault: 'reset-mid-body', rate: 0.05, method: 'PUT', path: '/rest/*/async/bulk/*' },
      { fault: 'malformed-json', rate: 0.05, method: 'PUT', path: '/rest/*/async/bulk/*' },
      { fault: 'revoke-tokens', after: 3, times: 1, method: 'PUT', path: '/rest/*/async/bulk/*' },
    ], 42);
    const before = await store.stats();
    const result = await runCliProcess(cli.path, ['bulk', 'submit', '--method', 'PUT', '--path', '/V1/products/{sku}', '--items', file, '--batch-size', String(BATCH_SIZE)], env(), home);
    const faults = await store.control<{ http: { counters: Array<{ injected: number }> } }>('faults');
    await store.clearHttpFaults();
    const injected = faults.http.counters.reduce((n, c) => n + c.injected, 0);
    assert.ok(injected > 2, 'faults fired');
    const report = JSON.parse(result.stdout) as CliReport;
    assert.equal(result.code, 1, 'failed and unknown batches make the exit code 1');
    assert.equal(report.operations, OPERATIONS);
    const outcomes: BatchOutcome[] = report.batches.map((b) => ({
      index: b.batch - 1,
      status: b.status,
      firstItemIndex: b.items[0],
      itemCount: b.items[1] - b.items[0] + 1,
      rejected: (b.rejected_items ?? []).map((r) => ({ itemIndex: r.item, operationId: r.item - b.items[0], message: '' })),
      ...(b.bulk_uuid ? { bulkUuid: b.bulk_uuid } : {}),
    }));
    const summary = summarize(outcomes);
    const journal = new SubmissionJournal({ folder: join(home, '.magento-rest', 'journal') });
    const ledger = await checkLedger(summary, items.map((i) => i.product.sku), await store.acceptedBySku('CLI-'), journal);
    assert.equal(ledger.duplicates, 0);
    assert.equal(ledger.losses, 0);
    assert.ok(report.unknown_batches > 0 && report.failed_batches > 0, JSON.stringify({ unknown: report.unknown_batches, failed: report.failed_batches }));
    assert.match(result.stderr, /outcome unknown: unknown whether the store queued this batch[^\n]*check before resubmitting/);
    assert.match(result.stderr, /failed: 503 HTML page "Error 503: Service Unavailable — Service Temporarily Unavailable"/);
    const after = await store.stats();
    assert.equal(after.tokens_issued.admin - before.tokens_issued.admin, 2, 'one token, and one refresh after the revocation');
    reportRun({ fault: 'CLI bulk submit, mixed', injected, operations: OPERATIONS, ledger });
  });

  test('request: a read answered 503 twice succeeds; answered 503 always, exits 1 with the status and Magento\'s page summarised', async () => {
    const list = await store.adminClient().send<{ items: Array<{ sku: string }> }>({ method: 'GET', path: '/V1/products', query: 'searchCriteria[pageSize]=1' });
    const sku = list.body.items[0]!.sku;
    await store.setHttpFaults([{ fault: 'status', status: 503, method: 'GET', path: '/rest/*/V1/products/*', times: 2, retryAfterSeconds: 0 }]);
    const ok = await runCliProcess(cli.path, ['request', 'GET', `/V1/products/${encodeURIComponent(sku)}`], env(), home);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((JSON.parse(ok.stdout) as { sku: string }).sku, sku);
    await store.setHttpFaults([{ fault: 'status', status: 503, method: 'GET', path: '/rest/*/V1/products/*', retryAfterSeconds: 0 }]);
    const failed = await runCliProcess(cli.path, ['request', 'GET', `/V1/products/${encodeURIComponent(sku)}`], env(), home);
    await store.clearHttpFaults();
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, /503/);
    assert.doesNotMatch(failed.stderr, /at .*\.js:\d+/, 'no stack trace');
    reportRun({ fault: 'CLI request 503', injected: 2 + 4, operations: 0 });
  });
});
