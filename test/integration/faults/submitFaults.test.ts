// Bulk submission through the core (MagentoClient + bulk submitter + journal) while the store
// misbehaves: every fault the sandbox can inject, each run checked against the store's own record
// of accepted operations — no duplicates, no silent losses, unknown outcomes kept in the journal.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convertRequest } from '../../../src/core/convert/asyncConversion';
import { prepareBatches, submitBatches, UNKNOWN_OUTCOME_PREFIX, type SubmitSummary } from '../../../src/core/convert/bulkSubmitter';
import { type RouteCatalog } from '../../../src/core/convert/routeCatalog';
import { schemaRouteCatalog } from '../../../src/core/convert/schemaRouteCatalog';
import { SubmissionJournal } from '../../../src/core/convert/submissionJournal';
import { type MagentoClient, type MagentoClientDeps } from '../../../src/core/http/magentoClient';
import { MagentoSchema } from '../../../src/core/schema/swaggerSchema';
import { type HttpFaultRule } from '../../../src/sandbox/faults/httpFaults';
import { BATCH_SIZE, checkLedger, OPERATIONS, openFaultStore, productItems, reportRun, type FaultStore, type LedgerResult } from './faultHarness';

type Rule = Partial<HttpFaultRule> & { fault: HttpFaultRule['fault'] };
const BULK_PUT = { method: 'PUT', path: '/rest/*/async/bulk/V1/products/*' } as const;

let store: FaultStore;
let catalog: RouteCatalog;
let tmp: string;
let run = 0;

interface RunResult { summary: SubmitSummary; ledger: LedgerResult; injected: number; tokensIssued: number; client: MagentoClient }

async function submitUnderFaults(name: string, rules: Rule[], clientExtra: Partial<MagentoClientDeps> = {}): Promise<RunResult> {
  run++;
  const prefix = `F${run}-`;
  const items = productItems(prefix, OPERATIONS);
  const conversion = convertRequest(catalog, { method: 'PUT', path: '/V1/products/{sku}', items }, 'bulk', { batchSize: BATCH_SIZE });
  assert.deepEqual(conversion.issues, []);
  const client = store.adminClient(clientExtra);
  await client.token(); // a token before the faults start, so token loss is a mid-run event
  const before = await store.stats();
  await store.setHttpFaults(rules.map((r) => ({ ...BULK_PUT, ...r })), 1000 + run);
  const journal = new SubmissionJournal({ folder: join(tmp, `journal-${run}`), durable: false });
  const session = await journal.startSession();
  let summary: SubmitSummary;
  try {
    summary = await submitBatches(prepareBatches(conversion.requests), { transport: client, journal: session, profileId: 'faults', storeCode: 'default', concurrency: 2 });
  } finally {
    await session.close();
  }
  const faults = await store.control<{ http: { counters: Array<{ injected: number }> } }>('faults');
  await store.clearHttpFaults();
  const injected = faults.http.counters.reduce((n, c) => n + c.injected, 0);
  const after = await store.stats();
  const ledger = await checkLedger(summary, items.map((i) => i.product.sku), await store.acceptedBySku(prefix), journal);
  assert.equal(ledger.duplicates, 0, `${name}: duplicates`);
  assert.equal(ledger.losses, 0, `${name}: silent losses`);
  assert.equal(ledger.accepted + ledger.notSent + ledger.unknown, OPERATIONS, `${name}: every item accounted for`);
  reportRun({ fault: name, injected, operations: OPERATIONS, ledger });
  return { summary, ledger, injected, tokensIssued: after.tokens_issued.admin - before.tokens_issued.admin, client };
}

describe(`bulk submission under HTTP faults (${OPERATIONS} operations per run)`, () => {
  before(async () => {
    store = await openFaultStore();
    tmp = await mkdtemp(join(tmpdir(), 'faults-submit-'));
    const client = store.adminClient();
    catalog = schemaRouteCatalog(MagentoSchema.parse((await client.send({ method: 'GET', path: '/schema', query: 'services=all' })).body));
  });
  after(async () => {
    await store.close();
    await rm(tmp, { recursive: true, force: true });
  });

  for (const status of [500, 502, 503, 429] as const) {
    test(`HTTP ${status} on a share of the batches: those are reported not sent (with the status), the rest accepted once`, async () => {
      const r = await submitUnderFaults(`status ${status}`, [{ fault: 'status', status, rate: 0.2, ...(status === 503 || status === 429 ? { retryAfterSeconds: 1 } : {}) }]);
      assert.ok(r.injected > 0, 'the fault fired');
      const failed = r.summary.outcomes.filter((o) => o.status === 'failed');
      assert.equal(failed.length, r.injected, 'one failed batch per injected answer (a write is never retried)');
      assert.ok(failed.every((o) => o.error?.status === status), 'the status is reported');
      assert.equal(r.ledger.notSent, failed.reduce((n, o) => n + o.itemCount, 0));
      assert.equal(r.ledger.unknown, 0);
    });
  }

  test('connection reset before the headers, after the store queued the batch: reported unknown, never resent, journal keeps it', async () => {
    const r = await submitUnderFaults('reset before headers (processed)', [{ fault: 'reset-before-headers', rate: 0.2, processed: true }]);
    assert.ok(r.injected > 0);
    const unknown = r.summary.outcomes.filter((o) => o.status === 'unknown');
    assert.equal(unknown.length, r.injected);
    assert.ok(unknown.every((o) => o.error?.message.startsWith(UNKNOWN_OUTCOME_PREFIX)), 'the message says to check before resubmitting');
    assert.equal(r.ledger.unknownAccepted, r.ledger.unknown, 'the store did queue them (once)');
  });

  test('connection reset before the store read the batch: unknown to the client, and the store holds none of it', async () => {
    const r = await submitUnderFaults('reset before headers (not processed)', [{ fault: 'reset-before-headers', rate: 0.2, processed: false }]);
    assert.ok(r.injected > 0);
    assert.equal(r.summary.outcomes.filter((o) => o.status === 'unknown').length, r.injected);
    assert.equal(r.ledger.unknownAccepted, 0);
  });

  test('connection reset in the middle of the 202 body: unknown, queued once', async () => {
    const r = await submitUnderFaults('reset mid-body', [{ fault: 'reset-mid-body', rate: 0.2 }]);
    assert.ok(r.injected > 0);
    assert.equal(r.summary.outcomes.filter((o) => o.status === 'unknown').length, r.injected);
    assert.equal(r.ledger.unknownAccepted, r.ledger.unknown);
  });

  test('truncated and PHP-notice-polluted 202 bodies: unknown (the bulk_uuid cannot be read), never resent', async () => {
    const r = await submitUnderFaults('truncated + malformed JSON', [{ fault: 'truncated-json', rate: 0.1 }, { fault: 'malformed-json', rate: 0.1 }]);
    assert.ok(r.injected > 0);
    const unknown = r.summary.outcomes.filter((o) => o.status === 'unknown');
    assert.equal(unknown.length, r.injected);
    assert.ok(unknown.every((o) => /not JSON/.test(o.error?.message ?? '')), unknown.map((o) => o.error?.message).join('\n'));
    assert.equal(r.ledger.unknownAccepted, r.ledger.unknown);
  });

  test('slow first byte and trickled bodies within the timeouts: everything accepted once', async () => {
    const r = await submitUnderFaults('slow first byte + slow body', [{ fault: 'slow-first-byte', delayMs: 150, times: 3 }, { fault: 'slow-body', delayMs: 3, chunkBytes: 512, times: 3 }]);
    assert.equal(r.injected, 6);
    assert.equal(r.ledger.accepted, OPERATIONS);
  });

  test('a first byte slower than the client\'s timeout: unknown (the store did queue it), not failed', async () => {
    // undici's timers have a 1 s resolution: a 1 s headers timeout against a 3 s first byte.
    const r = await submitUnderFaults('slow first byte past the timeout', [{ fault: 'slow-first-byte', delayMs: 3000, times: 2 }], { timeouts: { headersMs: 1000 } });
    assert.equal(r.injected, 2);
    const unknown = r.summary.outcomes.filter((o) => o.status === 'unknown');
    assert.equal(unknown.length, 2);
    assert.ok(unknown.every((o) => /did not send a response within/.test(o.error?.message ?? '')), unknown.map((o) => o.error?.message).join('\n'));
  });

  test('token revoked mid-run: refreshed once, every batch accepted', async () => {
    const r = await submitUnderFaults('token revoked mid-run', [{ fault: 'revoke-tokens', after: 4, times: 1 }]);
    assert.equal(r.injected, 1);
    assert.equal(r.ledger.accepted, OPERATIONS);
    assert.equal(r.tokensIssued, 1, 'exactly one new token');
  });

  test('the store\'s clock jumps past the token\'s expiry mid-run: refreshed once, every batch accepted', async () => {
    const r = await submitUnderFaults('clock past token expiry', [{ fault: 'advance-clock', advanceSeconds: 5 * 3600, after: 4, times: 1 }]);
    assert.equal(r.injected, 1);
    assert.equal(r.ledger.accepted, OPERATIONS);
    assert.equal(r.tokensIssued, 1);
  });

  test('everything at once: the ledger still balances', async () => {
    const r = await submitUnderFaults('mixed', [
      { fault: 'status', status: 503, rate: 0.05, retryAfterSeconds: 0 },
      { fault: 'status', status: 429, rate: 0.05 },
      { fault: 'reset-before-headers', rate: 0.05 },
      { fault: 'reset-mid-body', rate: 0.05 },
      { fault: 'truncated-json', rate: 0.05 },
      { fault: 'revoke-tokens', after: 2, times: 1 },
    ]);
    assert.ok(r.injected > 1);
  });
});
