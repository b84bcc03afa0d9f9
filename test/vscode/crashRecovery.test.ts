// Crash recovery in the extension host (issue 8): a submission killed at each step leaves the
// journal and globalState as written below — through the same core journal API and track
// command the Convert submit flow uses, stopping where a killed host would have stopped:
//   A. before send: the batch record is on disk, the request never left;
//   B. after send, before the bulk_uuid was journalled: the store queued the bulk, the journal
//      does not know it;
//   C. after: the bulk_uuid is journalled and the bulk is tracked (persisted in globalState).
// Then the recovery the extension runs (the review command's argument form, which reads the same
// journal as the activation notice) must report A and B, find B's bulk on the store and not A's,
// the tracked bulk must come back from the persisted state and be polled to its end, and the
// store must not receive a single new submission without the user asking.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandboxServer';
import { SubmissionJournal, type JournalBatch } from '../../src/core/convert/submissionJournal';
import { type PendingBatchCheck } from '../../src/core/convert/pendingBatchCheck';
import { BULK_STORE_KEY, BulkTracker } from '../../src/core/bulk/bulkTracker';
import { BulkPoller } from '../../src/core/bulk/bulkPoller';
import { computeBulkState } from '../../src/core/bulk/bulkState';
import { createBulkStatusApi } from '../../src/core/bulk/bulkStatusApi';
import { realScheduler, type KeyValueStore } from '../../src/core/ports';
import { type BulkSnapshot } from '../../src/host/bulk/bulkFeature';
import { type WorkbenchExports } from '../../src/host/extension';
import { SandboxProfileSource } from '../support/sandboxProfileSource';
import { getWorkbenchExtension } from './support/extension';

const REVIEW = 'magentoWorkbench.convert.showPendingBatches';
const BULK_PATH = '/async/bulk/V1/products';

interface SandboxOperations {
  total: number;
  bulks: Array<{ bulk_uuid?: string; uuid?: string; operations: unknown[] }>;
}

async function storeOperations(sandbox: SandboxHandle): Promise<SandboxOperations> {
  const response = await fetch(`${sandbox.baseUrl}/__sandbox/operations`);
  assert.equal(response.status, 200);
  return (await response.json()) as SandboxOperations;
}

async function control(sandbox: SandboxHandle, route: string, body: unknown): Promise<void> {
  const response = await fetch(`${sandbox.baseUrl}/__sandbox/${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(response.status, 200, await response.text());
}

function products(prefix: string, count: number): unknown[] {
  return Array.from({ length: count }, (_, i) => ({ product: { sku: `${prefix}-${i}`, name: `Crash ${prefix} ${i}`, attribute_set_id: 4, price: 10 + i, type_id: 'simple' } }));
}

/** The request the submitter sends for a batch (same path and body as journalled). */
async function send(sandbox: SandboxHandle, itemsJson: string): Promise<{ bulk_uuid: string; request_items: Array<{ id: number; status: string }> }> {
  const response = await fetch(`${sandbox.baseUrl}/rest/default${BULK_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${sandbox.credentials.integration.accessToken}` },
    body: itemsJson,
  });
  const text = await response.text();
  assert.equal(response.status, 202, text);
  return JSON.parse(text) as { bulk_uuid: string; request_items: Array<{ id: number; status: string }> };
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

suite('crash recovery (VS Code tier)', () => {
  let sandbox: SandboxHandle;
  let exports: WorkbenchExports;
  let journal: SubmissionJournal;
  let profileId: string;
  const run = randomBytes(4).toString('hex');
  const batchIds: Record<'beforeSend' | 'afterSend' | 'afterJournal', string> = { beforeSend: '', afterSend: '', afterJournal: '' };
  let sentUuid = '';
  let journalledUuid = '';

  suiteSetup(async () => {
    exports = (await getWorkbenchExtension().activate()) as WorkbenchExports;
    sandbox = await startSandbox({ port: 0, latency: 'none', consumers: false });
    const id = await vscode.commands.executeCommand<string | undefined>('magentoWorkbench.profile.add', {
      label: 'Crash recovery sandbox', baseUrl: sandbox.baseUrl, storeCode: 'default',
      auth: { kind: 'integration-bearer' }, secrets: { accessToken: sandbox.credentials.integration.accessToken },
    });
    assert.equal(typeof id, 'string', 'profile.add returned no id (see the log)');
    profileId = id!;
    // The folder the extension's Convert and Bulk features journal into.
    journal = new SubmissionJournal({ folder: path.join(exports.globalStorageFolder, 'submission-journal') });
  });

  suiteTeardown(async () => {
    // Leave no pending batches behind for other suites' activation notices.
    for (const batch of (await journal?.pendingBatches()) ?? []) if (Object.values(batchIds).includes(batch.batchId)) await journal.resolve(batch.batchId, 'test cleanup');
    if (profileId) await vscode.commands.executeCommand('magentoWorkbench.profile.remove', profileId);
    await sandbox?.close();
  });

  test('a submission killed before send, after send and after journalling leaves the journal and tracked bulks as it would', async () => {
    const header = (itemCount: number) => ({ profileId, storeCode: 'default', method: 'POST', path: BULK_PATH, firstItemIndex: 0, itemCount });

    // A. Killed before send: the batch record is durable (sending waits for it), nothing left.
    const a = await journal.startSession();
    batchIds.beforeSend = await a.recordBatch(header(2), JSON.stringify(products(`A${run}`, 2)));
    await a.close(); // a killed host never closes; the bytes on disk are the same.

    // B. Killed after the store answered, before the bulk_uuid reached the journal.
    const b = await journal.startSession();
    const itemsB = JSON.stringify(products(`B${run}`, 3));
    batchIds.afterSend = await b.recordBatch(header(3), itemsB);
    sentUuid = (await send(sandbox, itemsB)).bulk_uuid;
    await b.close();

    // C. Killed after: the answer is journalled and the bulk tracked, as the submit flow does.
    const c = await journal.startSession();
    const itemsC = JSON.stringify(products(`C${run}`, 4));
    batchIds.afterJournal = await c.recordBatch(header(4), itemsC);
    const accepted = await send(sandbox, itemsC);
    journalledUuid = accepted.bulk_uuid;
    await c.recordAccepted(batchIds.afterJournal, journalledUuid, accepted.request_items);
    await c.close();
    const tracked = await vscode.commands.executeCommand<BulkSnapshot | undefined>('magentoWorkbench.bulk.track', {
      uuid: journalledUuid, profileId, storeCode: 'default', description: `POST ${BULK_PATH}`, operationCount: 4, reveal: false,
    });
    assert.equal(tracked?.inTree, true);
    // The tracker persists in batches (1 s); a host killed later keeps this.
    await until('the tracked bulk in globalState', () => (JSON.stringify(exports.storedState().global[BULK_STORE_KEY] ?? null).includes(journalledUuid) ? true : undefined));
  });

  test('on restart the journal reports the unconfirmed batches and the check tells them apart, submitting nothing', async () => {
    assert.ok(sentUuid && journalledUuid, 'the crash states were not produced');
    const before = await storeOperations(sandbox);
    assert.equal(before.total, 3 + 4);

    const pending = (await vscode.commands.executeCommand<JournalBatch[]>(REVIEW, { action: 'list' })) ?? [];
    const mine = pending.filter((batch) => Object.values(batchIds).includes(batch.batchId)).map((batch) => batch.batchId).sort();
    assert.deepEqual(mine, [batchIds.beforeSend, batchIds.afterSend].sort(), 'the journal must report exactly the two unconfirmed batches');
    const reported = pending.find((batch) => batch.batchId === batchIds.afterSend)!;
    assert.equal(reported.itemCount, 3);
    assert.equal(reported.profileId, profileId);

    const neverSent = await vscode.commands.executeCommand<PendingBatchCheck>(REVIEW, { action: 'check', batchId: batchIds.beforeSend });
    assert.equal(neverSent?.verdict, 'not-found', JSON.stringify(neverSent));
    const sent = await vscode.commands.executeCommand<PendingBatchCheck>(REVIEW, { action: 'check', batchId: batchIds.afterSend });
    assert.equal(sent?.verdict, 'probably-accepted', JSON.stringify(sent));
    assert.deepEqual(sent.candidates, [sentUuid]);

    // Bad input (resubmitting is not scriptable; an unknown batch) is refused — the command
    // reports the error to the user and returns nothing — and not acted on.
    assert.equal(await vscode.commands.executeCommand(REVIEW, { action: 'resubmit', batchId: batchIds.beforeSend }), undefined);
    assert.equal(await vscode.commands.executeCommand(REVIEW, { action: 'check', batchId: 'no-such-batch' }), undefined);
    assert.equal(((await vscode.commands.executeCommand<JournalBatch[]>(REVIEW, { action: 'list' })) ?? []).filter((b) => b.batchId === batchIds.beforeSend).length, 1);

    // Dismissing the never-sent batch (the user's say) takes it off the list.
    assert.equal(await vscode.commands.executeCommand(REVIEW, { action: 'dismiss', batchId: batchIds.beforeSend }), true);
    const left = ((await vscode.commands.executeCommand<JournalBatch[]>(REVIEW, { action: 'list' })) ?? []).map((batch) => batch.batchId);
    assert.ok(!left.includes(batchIds.beforeSend) && left.includes(batchIds.afterSend));

    const after = await storeOperations(sandbox);
    assert.equal(after.total, before.total, 'recovery submitted operations without the user asking');
    assert.equal(after.bulks.length, before.bulks.length);
  });

  test('the tracked bulk comes back from the persisted state and is polled to its end', async () => {
    // What a restarted host loads: the globalState value the killed one left.
    const persisted = exports.storedState().global[BULK_STORE_KEY];
    const memory = new Map<string, unknown>([[BULK_STORE_KEY, structuredClone(persisted)]]);
    const store: KeyValueStore = { get: <T>(key: string) => memory.get(key) as T | undefined, update: (key, value) => Promise.resolve(void memory.set(key, value)) };
    const restored = new BulkTracker({ store, clock: realScheduler });
    assert.deepEqual(restored.loadWarnings, []);
    assert.ok(restored.get(journalledUuid), 'the tracked bulk did not come back from globalState');
    assert.ok(!restored.get(sentUuid), 'a bulk the journal never confirmed must not appear tracked by itself');

    const source = new SandboxProfileSource(sandbox.baseUrl, sandbox.credentials.integration.accessToken);
    const api = createBulkStatusApi(await source.transport('sandbox'));
    const poller = new BulkPoller({
      tracker: restored, scheduler: realScheduler,
      options: { initialIntervalMs: 100, maxIntervalMs: 300 },
      fetchStatus: (bulk, signal) => api.shortStatus(bulk.uuid, bulk.storeCode, signal),
    });
    const before = await storeOperations(sandbox);
    try {
      poller.start();
      const open = await until('the first poll of the restored bulk', () => {
        const bulk = restored.get(journalledUuid);
        return bulk?.operations ? computeBulkState(bulk, Date.now()) : undefined;
      });
      assert.equal(open.terminal, false, 'consumers are off: the bulk is still open');
      await control(sandbox, 'consumers', { running: true });
      const finished = await until('the restored bulk to finish', () => {
        const bulk = restored.get(journalledUuid);
        const state = bulk && computeBulkState(bulk, Date.now());
        return state?.terminal ? state : undefined;
      });
      assert.equal(finished.verdict, 'finished');
      // The live tree, fed from the same globalState, gets there too.
      const live = await until('the live tree to finish', async () => {
        const [snapshot] = (await vscode.commands.executeCommand<BulkSnapshot[]>('magentoWorkbench.bulk.refresh', journalledUuid)) ?? [];
        return snapshot?.verdict === 'finished' ? snapshot : undefined;
      });
      assert.equal(live.summary, '4/4 done');
    } finally {
      poller.dispose();
      restored.dispose();
      source.dispose();
    }
    // Polling reads only: every operation the store has was submitted once, by the crashed run.
    const after = await storeOperations(sandbox);
    assert.equal(after.total, before.total);
    assert.equal(after.total, 3 + 4);
  });
});
