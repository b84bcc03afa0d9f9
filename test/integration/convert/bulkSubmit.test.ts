// Conversion + submission against the sandbox store: single (async and bulk), multi-batch,
// operations failing in the consumer, structurally invalid batches — nothing lost, nothing sent twice.
import { after, before, describe, test } from 'node:test';
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
import { runBulkSubmit, type BulkSubmitDeps } from '../../../src/cli/commands/bulkSubmit';
import { createConvertCommand } from '../../../src/cli/commands/convert';
import { type CliIo } from '../../../src/cli/cliTypes';
import { sandboxAdminClient, sandboxCatalogAndSkus } from '../../support/sandboxAdminClient';

let sandbox: SandboxHandle;
let client: MagentoClient;
let catalog: RouteCatalog;
let home: string;
let skus: string[];

interface Stats { requests_by_route: Record<string, number>; operations_by_status: Record<string, number> }

async function stats(): Promise<Stats> {
  return (await (await fetch(`${sandbox.baseUrl}/__sandbox/stats`)).json()) as Stats;
}

/** Bulk PUT product requests, whether the sandbox keys them by `bySku` or by `:sku`. */
function bulkPuts(s: Stats): number {
  return Object.entries(s.requests_by_route).filter(([k]) => k.startsWith('PUT /async/bulk/V1/products/')).reduce((n, [, v]) => n + v, 0);
}

async function control(path: string, body: unknown): Promise<void> {
  const r = await fetch(`${sandbox.baseUrl}/__sandbox/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.ok(r.ok, `control ${path}: ${r.status}`);
}

/** Polls until no operation of these bulks is open; returns status → count. */
async function settle(uuids: readonly string[]): Promise<Record<number, number>> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const counts: Record<number, number> = {};
    for (const uuid of uuids) {
      const r = await client.send<{ operations_list: Array<{ status: number }> }>({ method: 'GET', path: `/V1/bulk/${uuid}/status` });
      for (const op of r.body.operations_list) counts[op.status] = (counts[op.status] ?? 0) + 1;
    }
    if (!counts[4]) return counts;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('operations did not finish');
}

function cliIo(): CliIo & { out: string; err: string } {
  const state = { out: '', err: '' };
  return Object.assign(state, {
    stdout: (t: string) => { state.out += t; },
    stderr: (t: string) => { state.err += t; },
    env: { MAGENTO_REST_HOME: '' }, cwd: process.cwd(), isTty: false,
  });
}

describe('convert + submit against the sandbox', () => {
  before(async () => {
    sandbox = await startSandbox({ port: 0, latency: 'none' });
    client = sandboxAdminClient(sandbox);
    ({ catalog, skus } = await sandboxCatalogAndSkus(client));
    home = await mkdtemp(join(tmpdir(), 'convert-it-'));
  });
  after(async () => {
    await client.close();
    await sandbox.close();
    await rm(home, { recursive: true, force: true });
  });

  test('single request: async and bulk forms are accepted and applied', async () => {
    const sku = skus[0]!;
    const asyncForm = convertRequest(catalog, { method: 'PUT', path: `/V1/products/${encodeURIComponent(sku)}`, body: { product: { price: 41 } } }, 'async');
    const bulkForm = convertRequest(catalog, { method: 'PUT', path: `/V1/products/${encodeURIComponent(sku)}`, body: { product: { price: 42 } } }, 'bulk');
    assert.deepEqual(bulkForm.issues, []);
    const first = await submitBatches(prepareBatches(asyncForm.requests), { transport: client });
    assert.equal(first.outcomes[0]?.status, 'accepted');
    assert.deepEqual(await settle(first.bulkUuids), { 1: 1 });
    const second = await submitBatches(prepareBatches(bulkForm.requests), { transport: client });
    assert.deepEqual(await settle(second.bulkUuids), { 1: 1 });
    const product = await client.send<{ price: number }>({ method: 'GET', path: `/V1/products/${encodeURIComponent(sku)}` });
    assert.equal(product.body.price, 42);
  });

  test('multi-batch: 250 items in 3 requests, every item once, journalled with its bulk uuid', async () => {
    const before = await stats();
    const items = skus.slice(0, 250).map((sku, i) => ({ product: { sku, price: 100 + i } }));
    const conversion = convertRequest(catalog, { method: 'PUT', path: '/V1/products/{sku}', items }, 'bulk');
    assert.deepEqual(conversion.issues, []);
    const journal = new SubmissionJournal({ folder: join(home, 'journal-multi') });
    const session = await journal.startSession();
    const accepted: string[] = [];
    const summary = await submitBatches(prepareBatches(conversion.requests), { transport: client, journal: session, profileId: 'sb', storeCode: 'default', onAccepted: (o) => accepted.push(o.bulkUuid!) });
    await session.close();
    assert.equal(summary.bulkUuids.length, 3);
    assert.equal(accepted.length, 3);
    assert.equal(summary.acceptedOperations, 250);
    const after = await stats();
    assert.equal(bulkPuts(after) - bulkPuts(before), 3);
    assert.deepEqual(await settle(summary.bulkUuids), { 1: 250 });
    // The store holds exactly these operations, each once, in order.
    let seen = 0;
    for (const [n, uuid] of summary.bulkUuids.entries()) {
      const detailed = await client.send<{ operation_count: number; operations_list: Array<{ id: number }> }>({ method: 'GET', path: `/V1/bulk/${uuid}/detailed-status` });
      assert.equal(detailed.body.operation_count, n < 2 ? 100 : 50);
      assert.deepEqual(detailed.body.operations_list.map((o) => o.id), Array.from({ length: n < 2 ? 100 : 50 }, (_v, i) => i));
      seen += detailed.body.operation_count;
    }
    assert.equal(seen, 250);
    // Retry payloads come from the journal.
    const payloads = await journal.payloadsFor(summary.bulkUuids[2]!, [0, 49]);
    assert.deepEqual([...payloads.payloads.values()], [{ sku: skus[200], product: { sku: skus[200], price: 300 } }, { sku: skus[249], product: { sku: skus[249], price: 349 } }].map((p) => ({ product: p.product })));
    assert.deepEqual(await journal.pendingBatches(), []);
  });

  test('a structurally invalid batch fails alone with Magento\'s error; the other batches are queued once', async () => {
    const items: unknown[] = skus.slice(0, 20).map((sku) => ({ product: { sku, price: 7 } }));
    items[15] = { product: { price: 7 } }; // no sku anywhere: Magento rejects the whole request
    const conversion = convertRequest(catalog, { method: 'PUT', path: '/V1/products/{sku}', items }, 'bulk', { batchSize: 10 });
    assert.ok(conversion.issues.some((i) => i.code === 'missing-path-value' && i.itemIndex === 15));
    const journal = new SubmissionJournal({ folder: join(home, 'journal-invalid') });
    const session = await journal.startSession();
    const before = await stats();
    const summary = await submitBatches(prepareBatches(conversion.requests), { transport: client, journal: session, profileId: 'sb', storeCode: 'default' });
    await session.close();
    assert.deepEqual(summary.outcomes.map((o) => o.status), ['accepted', 'failed']);
    assert.equal(summary.outcomes[1]?.error?.status, 400);
    assert.match(summary.outcomes[1]?.error?.message ?? '', /sku/i);
    const after = await stats();
    const queued = Object.values(after.operations_by_status).reduce((a, b) => a + b, 0) - Object.values(before.operations_by_status).reduce((a, b) => a + b, 0);
    assert.equal(queued, 10, 'only the valid batch was queued');
    // The failed batch's items are still in the journal (for a fix and resubmit), not lost.
    const batches = await journal.batches();
    assert.deepEqual(batches.map((b) => b.state), ['accepted', 'failed']);
    assert.equal((await journal.itemsOf(batches[1]!.batchId))?.length, 10);
  });

  test('CLI convert without --schema fetches the schema of the profile\'s store', async () => {
    const io = cliIo();
    io.env = { MAGENTO_ACCESS_TOKEN: sandbox.credentials.integration.accessToken, MAGENTO_NO_PROMPT: '1' };
    const text = 'DELETE {{host}}/rest/default/V1/cmsPage/3\n\n###\nPOST {{host}}/rest/default/V1/nope\n\n{}\n';
    const code = await createConvertCommand(async () => text).run(['--to', 'bulk', '--base-url', sandbox.baseUrl, '--auth', 'integration-bearer', '-'], io);
    assert.equal(code, 1, io.err);
    assert.ok(io.out.startsWith('DELETE {{host}}/rest/default/async/bulk/V1/cmsPage/byPageId\n'), io.out);
    assert.match(io.err, /error line 4: POST .*not a route of this store's schema/);
  });

  test('CLI bulk submit --wait: CSV items, consumer failures item by item, exit 1; all accepted → exit 0', async () => {
    const csv = ['SKU,Price', ...skus.slice(0, 30).map((s, i) => `${s},${(20 + i).toFixed(2)}`)].join('\n');
    const file = join(home, 'prices.csv');
    await writeFile(file, '\uFEFF' + csv);
    const deps: BulkSubmitDeps = {
      connect: async () => ({ transport: client, profileId: 'sb', storeCode: 'default', production: false, label: 'Sandbox', close: async () => undefined }),
      home: () => join(home, 'cli'),
      readStdin: async () => '',
      pollMs: 50,
    };
    await control('faults', { operations: { skuRules: [{ skuPattern: skus[3]!, status: 3, message: 'Invalid price' }] } });
    try {
      const io = cliIo();
      const code = await runBulkSubmit(['--method', 'PUT', '--path', '/V1/products/{sku}', '--items', file, '--map', 'SKU=product.sku', '--map', 'Price=product.price:number', '--batch-size', '12', '--wait'], io, deps);
      const out = JSON.parse(io.out) as { bulk_uuids: string[]; accepted: number; wait: { complete: number; failed: number; failures: Array<{ message: string }> } };
      assert.equal(code, 1, io.err);
      assert.equal(out.bulk_uuids.length, 3);
      assert.equal(out.accepted, 30);
      assert.equal(out.wait.complete, 29);
      assert.equal(out.wait.failed, 1);
      assert.match(out.wait.failures[0]?.message ?? '', /Invalid price/);
    } finally {
      await control('faults', { operations: { skuRules: [] } });
    }
    const ok = cliIo();
    assert.equal(await runBulkSubmit(['--method', 'PUT', '--path', '/V1/products/{sku}', '--items', file, '--map', 'SKU=product.sku', '--map', 'Price=product.price:number', '--wait'], ok, deps), 0, ok.err);
    // Lint errors stop the submission before anything is sent.
    const bad = cliIo();
    await writeFile(join(home, 'bad.json'), JSON.stringify([{ Product: { sku: skus[0] } }]));
    const before = await stats();
    assert.equal(await runBulkSubmit(['--method', 'PUT', '--path', '/V1/products/{sku}', '--items', join(home, 'bad.json')], bad, deps), 1);
    assert.match(bad.err, /"Product" should be "product"/);
    assert.equal(bulkPuts(await stats()), bulkPuts(before));
  });
});
