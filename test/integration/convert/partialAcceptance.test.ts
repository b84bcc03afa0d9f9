// Partial acceptance end to end against the sandbox store: Magento answers 202 with
// `errors: true` and some request items `rejected` (contract §6.3), reached here through the
// sandbox's `rejectOnSubmit` fault rules. Checked: the submitter's summary and per-item report,
// the journal's request items, the store's own record of operations (nothing lost, nothing sent
// twice), the bulk status routes, resubmission from the journal, the CLI and the async single route.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startSandbox, type SandboxHandle } from '../../../src/sandbox/sandboxServer';
import { type MagentoClient } from '../../../src/core/http/magentoClient';
import { type RouteCatalog } from '../../../src/core/convert/routeCatalog';
import { convertRequest } from '../../../src/core/convert/asyncConversion';
import { prepareBatches, submitBatches } from '../../../src/core/convert/bulkSubmitter';
import { SubmissionJournal } from '../../../src/core/convert/submissionJournal';
import { BulkTracker } from '../../../src/core/bulk/bulkTracker';
import { MemoryKeyValueStore } from '../../support/memoryKeyValueStore';
import { createBulkStatusApi } from '../../../src/core/bulk/bulkStatusApi';
import { computeBulkState } from '../../../src/core/bulk/bulkState';
import { rejectedItemsInJournal, resubmitRejected } from '../../../src/core/convert/rejectedItems';
import { buildCliBundle, runCliProcess, type CliBundle } from '../../support/cliProcess';
import { sandboxAdminClient, sandboxCatalogAndSkus } from '../../support/sandboxAdminClient';

const TOPIC = 'async.magento.catalog.api.productrepositoryinterface.save.put';
const DEFAULT_REJECTION = `Specified topic "${TOPIC}" is not declared.`;

let sandbox: SandboxHandle;
let client: MagentoClient;
let catalog: RouteCatalog;
let home: string;
let skus: string[];

interface StoreRecord { total: number; bulks: Array<{ uuid: string; operations: Array<{ id: number; status: number; skus: string[] }> }> }
interface ShortStatus { operation_count: number; operations_list: Array<{ id: number; status: number }> }

async function control(path: string, body: unknown): Promise<unknown> {
  const r = await fetch(`${sandbox.baseUrl}/__sandbox/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.ok(r.ok, `control ${path}: ${r.status} ${await r.clone().text()}`);
  return r.json();
}

async function rejectSkus(rules: Array<{ skuPattern: string; message?: string; errorCode?: number }>): Promise<void> {
  await control('faults', { operations: { rejectOnSubmit: rules } });
}

/** SKUs of the operations the store holds for these bulks, one entry per operation. */
async function storedSkus(uuids: readonly string[]): Promise<string[]> {
  const record = (await (await fetch(`${sandbox.baseUrl}/__sandbox/operations`)).json()) as StoreRecord;
  const wanted = new Set(uuids);
  return record.bulks.filter((b) => wanted.has(b.uuid)).flatMap((b) => b.operations.flatMap((o) => o.skus));
}

async function shortStatus(uuid: string): Promise<ShortStatus> {
  return (await client.send<ShortStatus>({ method: 'GET', path: `/V1/bulk/${uuid}/status` })).body;
}

/** Polls until no operation of these bulks is open. */
async function settle(uuids: readonly string[]): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    let open = 0;
    for (const uuid of uuids) open += (await shortStatus(uuid)).operations_list.filter((o) => o.status === 4).length;
    if (open === 0) return;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('operations did not finish');
}

function priceItems(from: number, to: number, price = 10): Array<{ product: { sku: string; price: number } }> {
  return skus.slice(from, to).map((sku, i) => ({ product: { sku, price: price + i } }));
}

describe('partial acceptance (errors: true) against the sandbox', () => {
  before(async () => {
    sandbox = await startSandbox({ port: 0, latency: 'none' });
    client = sandboxAdminClient(sandbox);
    ({ catalog, skus } = await sandboxCatalogAndSkus(client));
    assert.ok(skus.length >= 250, `the seed has ${skus.length} products`);
    home = await mkdtemp(join(tmpdir(), 'partial-it-'));
  });
  afterEach(async () => {
    await rejectSkus([]);
  });
  after(async () => {
    await client.close();
    await sandbox.close();
    await rm(home, { recursive: true, force: true });
  });

  test('GET/POST /__sandbox/faults round-trip rejectOnSubmit; a bad rule is a 400 naming the field', async () => {
    const rules = [{ skuPattern: 'BAD-*', message: 'Could not create the operation', errorCode: 7 }, { skuPattern: 'X?' }];
    const posted = (await control('faults', { operations: { rejectOnSubmit: rules } })) as { operations: { rejectOnSubmit: unknown } };
    assert.deepEqual(posted.operations.rejectOnSubmit, rules);
    const current = (await (await fetch(`${sandbox.baseUrl}/__sandbox/faults`)).json()) as { operations: { rejectOnSubmit: unknown } };
    assert.deepEqual(current.operations.rejectOnSubmit, rules);
    const bad = await fetch(`${sandbox.baseUrl}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ operations: { rejectOnSubmit: [{ message: 'no pattern' }] } }) });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /rejectOnSubmit\.0\.skuPattern/);
  });

  test('multi-batch: 250 items in batches of 100, 3 rejected over two batches — reported item by item, journalled, the rest stored once', async () => {
    const items = priceItems(0, 250, 100);
    const rejectedIndexes = [5, 99, 150];
    const custom = 'Could not save the operation: Deadlock found when trying to get lock';
    await rejectSkus([
      { skuPattern: skus[5]!, message: custom, errorCode: 1213 },
      { skuPattern: skus[99]! },
      { skuPattern: skus[150]! },
    ]);
    const conversion = convertRequest(catalog, { method: 'PUT', path: '/V1/products/{sku}', items }, 'bulk', { batchSize: 100 });
    assert.deepEqual(conversion.issues, []);
    const journal = new SubmissionJournal({ folder: join(home, 'journal-multi') });
    const session = await journal.startSession();
    const summary = await submitBatches(prepareBatches(conversion.requests), { transport: client, journal: session, profileId: 'sb', storeCode: 'default' });
    await session.close();

    assert.deepEqual(summary.outcomes.map((o) => o.status), ['partially-accepted', 'partially-accepted', 'accepted']);
    assert.equal(summary.acceptedOperations, 247);
    assert.equal(summary.rejectedOperations, 3);
    assert.equal(summary.bulkUuids.length, 3);
    const rejected = summary.outcomes.flatMap((o) => o.rejected);
    assert.deepEqual(rejected.map((r) => r.itemIndex), rejectedIndexes);
    assert.deepEqual(rejected.map((r) => items[r.itemIndex]!.product.sku), rejectedIndexes.map((i) => skus[i]));
    assert.deepEqual(rejected.map((r) => r.operationId), [5, 99, 50]);
    assert.deepEqual(rejected.map((r) => r.message), [custom, DEFAULT_REJECTION, DEFAULT_REJECTION]);
    // The per-item answer as Magento prints it.
    assert.deepEqual(summary.outcomes[0]!.requestItems![5], { id: 5, data_hash: null, status: 'rejected', error_message: custom, error_code: 1213 });
    assert.equal(summary.outcomes[0]!.requestItems![6]!.status, 'accepted');
    assert.match(String(summary.outcomes[0]!.requestItems![6]!.data_hash), /^[0-9a-f]{64}$/);

    // The journal keeps the answer item by item (the payloads of rejected items stay there).
    const batches = await journal.batches();
    assert.deepEqual(batches.map((b) => [b.state, b.bulkUuid]), summary.bulkUuids.map((u) => ['accepted', u]));
    assert.deepEqual(batches.map((b) => b.requestItems?.filter((i) => i.status === 'rejected').map((i) => [i.id, i.error_message, i.error_code])), [
      [[5, custom, 1213], [99, DEFAULT_REJECTION, 0]],
      [[50, DEFAULT_REJECTION, 0]],
      [],
    ]);
    assert.equal(batches[1]!.requestItems!.length, 100);
    assert.deepEqual((await journal.payloadsFor(summary.bulkUuids[1]!, [50])).payloads.get(50), items[150]);

    // The store's own record: every accepted item exactly once, no rejected one; together all 250.
    const stored = await storedSkus(summary.bulkUuids);
    assert.equal(stored.length, 247);
    assert.equal(new Set(stored).size, 247, 'no item stored twice');
    const rejectedSkus = new Set(rejectedIndexes.map((i) => skus[i]!));
    assert.ok(stored.every((s) => !rejectedSkus.has(s)), 'no rejected item became an operation');
    assert.deepEqual([...stored, ...rejectedSkus].sort(), skus.slice(0, 250).sort(), 'accepted ∪ rejected = every item');

    // The status routes list only the accepted operations, under their request index.
    await settle(summary.bulkUuids);
    const statuses = await Promise.all(summary.bulkUuids.map(shortStatus));
    assert.deepEqual(statuses.map((s) => s.operation_count), [98, 99, 50]);
    assert.deepEqual(statuses[0]!.operations_list.map((o) => o.id), Array.from({ length: 100 }, (_v, i) => i).filter((i) => i !== 5 && i !== 99));
    assert.ok(!statuses[1]!.operations_list.some((o) => o.id === 50));
    assert.ok(statuses.every((s) => s.operations_list.every((o) => o.status === 1)));
    const product = await client.send<{ price: number }>({ method: 'GET', path: `/V1/products/${encodeURIComponent(skus[5]!)}` });
    assert.notEqual(product.body.price, 105, 'the rejected item was not applied');
  });

  test('every item of a batch rejected: the bulk exists with zero operations, the next batch is unaffected', async () => {
    const items = priceItems(0, 20, 3);
    await rejectSkus(skus.slice(0, 10).map((skuPattern) => ({ skuPattern })));
    const conversion = convertRequest(catalog, { method: 'PUT', path: '/V1/products/{sku}', items }, 'bulk', { batchSize: 10 });
    const journal = new SubmissionJournal({ folder: join(home, 'journal-all') });
    const session = await journal.startSession();
    const summary = await submitBatches(prepareBatches(conversion.requests), { transport: client, journal: session, profileId: 'sb', storeCode: 'default' });
    await session.close();
    assert.deepEqual(summary.outcomes.map((o) => o.status), ['partially-accepted', 'accepted']);
    assert.equal(summary.rejectedOperations, 10);
    assert.equal(summary.acceptedOperations, 10);
    assert.deepEqual(summary.outcomes[0]!.rejected.map((r) => r.itemIndex), Array.from({ length: 10 }, (_v, i) => i));
    const empty = await shortStatus(summary.outcomes[0]!.bulkUuid!);
    assert.equal(empty.operation_count, 0);
    assert.deepEqual(empty.operations_list, []);
    // Tracked like any submitted bulk, it finishes on its first status instead of being polled forever.
    const tracker = new BulkTracker({ store: new MemoryKeyValueStore(), clock: { now: () => Date.now() } });
    const uuid = summary.outcomes[0]!.bulkUuid!;
    tracker.track({ uuid, profileId: 'sb', storeCode: 'default', description: 'all rejected', operationCount: 0 });
    tracker.applyStatus(uuid, await createBulkStatusApi(client).shortStatus(uuid));
    const state = computeBulkState(tracker.get(uuid)!, Date.now());
    assert.deepEqual([state.verdict, state.terminal, state.summary], ['finished', true, 'no operations']);
    assert.deepEqual(await storedSkus(summary.bulkUuids), skus.slice(10, 20));
    assert.deepEqual((await journal.batches()).map((b) => b.requestItems?.filter((i) => i.status === 'rejected').length), [10, 0]);
  });

  test('rejected items are resubmitted from the journal once the rule is lifted, and accepted exactly once', async () => {
    const items = priceItems(20, 50, 60);
    const rejectedIndexes = [2, 13, 27];
    await rejectSkus(rejectedIndexes.map((i) => ({ skuPattern: items[i]!.product.sku })));
    const conversion = convertRequest(catalog, { method: 'PUT', path: '/V1/products/{sku}', items }, 'bulk', { batchSize: 10 });
    const journal = new SubmissionJournal({ folder: join(home, 'journal-resubmit') });
    const session = await journal.startSession();
    const first = await submitBatches(prepareBatches(conversion.requests), { transport: client, journal: session, profileId: 'sb', storeCode: 'default' });
    await session.close();
    assert.equal(first.rejectedOperations, 3);

    const pending = await rejectedItemsInJournal(journal);
    assert.deepEqual(pending.map((p) => p.itemIndex), rejectedIndexes);
    assert.deepEqual(pending.map((p) => p.payload), rejectedIndexes.map((i) => items[i]));
    assert.deepEqual(pending.map((p) => [p.storeCode, p.method, p.path]), rejectedIndexes.map(() => ['default', 'PUT', '/async/bulk/V1/products/bySku']));

    // Still rejected while the rule holds: reported again, and the newer rejection replaces the old.
    const again = await resubmitRejected({ journal, transport: client, items: pending.slice(0, 1) });
    assert.equal(again.summary.rejectedOperations, 1);
    const afterAgain = await rejectedItemsInJournal(journal);
    // Oldest first: item 2's rejection now belongs to the resubmission, where it is item 0.
    assert.deepEqual(afterAgain.map((p) => [p.bulkUuid === again.summary.bulkUuids[0], p.itemIndex]), [[false, 13], [false, 27], [true, 0]]);

    await rejectSkus([]);
    const result = await resubmitRejected({ journal, transport: client, items: afterAgain });
    assert.equal(result.summary.acceptedOperations, 3);
    assert.equal(result.summary.rejectedOperations, 0);
    assert.deepEqual(result.items.map((i) => i.payload), [items[13], items[27], items[2]]);
    assert.deepEqual(await rejectedItemsInJournal(journal), [], 'nothing left to resubmit, so nothing can be sent twice');

    // Across the first submission and both resubmissions the store holds every item exactly once.
    const uuids = [...first.bulkUuids, ...again.summary.bulkUuids, ...result.summary.bulkUuids];
    const stored = await storedSkus(uuids);
    assert.deepEqual([...stored].sort(), items.map((i) => i.product.sku).sort());
    await settle(uuids);
    const product = await client.send<{ price: number }>({ method: 'GET', path: `/V1/products/${encodeURIComponent(items[13]!.product.sku)}` });
    assert.equal(product.body.price, 73);
  });

  test('async single route: a rejected item is still 202 with errors true, and no operation is stored', async () => {
    const sku = skus[60]!;
    await rejectSkus([{ skuPattern: sku, message: 'Could not create the operation', errorCode: 3 }]);
    const response = await client.send<{ bulk_uuid: string; request_items: unknown[]; errors: boolean }>({ method: 'PUT', path: `/async/V1/products/${encodeURIComponent(sku)}`, body: { product: { price: 12 } } });
    assert.equal(response.status, 202);
    assert.deepEqual(JSON.parse(response.text), {
      bulk_uuid: response.body.bulk_uuid,
      request_items: [{ id: 0, data_hash: null, status: 'rejected', error_message: 'Could not create the operation', error_code: 3 }],
      errors: true,
    });
    assert.equal((await shortStatus(response.body.bulk_uuid)).operation_count, 0);
    assert.deepEqual(await storedSkus([response.body.bulk_uuid]), []);
    // The submitter reports the async form the same way, item by item.
    const conversion = convertRequest(catalog, { method: 'PUT', path: `/V1/products/${encodeURIComponent(sku)}`, body: { product: { price: 13 } } }, 'async');
    const summary = await submitBatches(prepareBatches(conversion.requests), { transport: client });
    assert.equal(summary.outcomes[0]!.status, 'partially-accepted');
    assert.deepEqual(summary.outcomes[0]!.rejected, [{ itemIndex: 0, operationId: 0, message: 'Could not create the operation', errorCode: 3 }]);
  });

  describe('the CLI', () => {
    let cli: CliBundle;
    before(async () => { cli = await buildCliBundle(); });
    after(() => cli.dispose());

    test('bulk submit --items prints the rejected items in its JSON and exits 1', async () => {
      const items = priceItems(70, 95, 30);
      const file = join(home, 'cli-items.json');
      await writeFile(file, JSON.stringify(items));
      await rejectSkus([{ skuPattern: skus[72]!, message: 'Could not create the operation' }, { skuPattern: skus[91]! }]);
      const cliHome = join(home, 'cli-home');
      const run = await runCliProcess(cli.path, ['bulk', 'submit', '--method', 'PUT', '--path', '/V1/products/{sku}', '--items', file, '--batch-size', '10'], {
        HOME: cliHome,
        MAGENTO_REST_HOME: join(cliHome, '.magento-rest'),
        MAGENTO_BASE_URL: sandbox.baseUrl,
        MAGENTO_USERNAME: sandbox.credentials.admin.username,
        MAGENTO_PASSWORD: sandbox.credentials.admin.password,
      }, home);
      assert.equal(run.code, 1, run.stderr);
      const out = JSON.parse(run.stdout) as { bulk_uuids: string[]; operations: number; accepted: number; rejected: number; batches: Array<{ batch: number; status: string; items: [number, number]; rejected_items?: Array<{ item: number; message: string }> }> };
      assert.equal(out.operations, 25);
      assert.equal(out.accepted, 23);
      assert.equal(out.rejected, 2);
      assert.deepEqual(out.batches.map((b) => [b.batch, b.status, b.items]), [[1, 'partially-accepted', [0, 9]], [2, 'accepted', [10, 19]], [3, 'partially-accepted', [20, 24]]]);
      assert.deepEqual(out.batches.map((b) => b.rejected_items), [[{ item: 2, message: 'Could not create the operation', error_code: 0 }], undefined, [{ item: 21, message: DEFAULT_REJECTION, error_code: 0 }]]);
      const stored = await storedSkus(out.bulk_uuids);
      assert.deepEqual([...stored].sort(), skus.slice(70, 95).filter((s) => s !== skus[72] && s !== skus[91]).sort());
    });
  });
});
