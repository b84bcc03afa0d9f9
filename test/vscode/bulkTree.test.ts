import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandboxServer';
import { type BulkSnapshot } from '../../src/host/bulk/bulkFeature';
import { getWorkbenchExtension } from './support/extension';
import { recordMetric } from './support/results';

async function control(sandbox: SandboxHandle, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${sandbox.baseUrl}/__sandbox/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(response.status, 200, await response.text());
}

async function submitProducts(sandbox: SandboxHandle, skus: string[]): Promise<string> {
  const response = await fetch(`${sandbox.baseUrl}/rest/default/async/bulk/V1/products`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${sandbox.credentials.integration.accessToken}` },
    body: JSON.stringify(skus.map((sku) => ({ product: { sku, name: `Product ${sku}`, attribute_set_id: 4, price: 10, type_id: 'simple' } }))),
  });
  const text = await response.text();
  assert.equal(response.status, 202, text);
  return (JSON.parse(text) as { bulk_uuid: string }).bulk_uuid;
}

/** Refreshes through the command until the snapshot satisfies `done` (the poller also runs meanwhile). */
async function refreshUntil(uuid: string, done: (s: BulkSnapshot) => boolean, timeoutMs = 20_000): Promise<BulkSnapshot> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [snapshot] = (await vscode.commands.executeCommand<BulkSnapshot[]>('magentoWorkbench.bulk.refresh', uuid)) ?? [];
    if (snapshot && done(snapshot)) return snapshot;
    if (Date.now() > deadline) throw new Error(`bulk ${uuid} did not get there: ${JSON.stringify(snapshot)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

suite('bulk operations tree', () => {
  let sandbox: SandboxHandle;
  let profileId: string;

  suiteSetup(async () => {
    await getWorkbenchExtension().activate();
    sandbox = await startSandbox({ port: 0, latency: 'none', consumers: false });
    const id = await vscode.commands.executeCommand<string | undefined>('magentoWorkbench.profile.add', {
      label: 'Bulk tree sandbox',
      baseUrl: sandbox.baseUrl,
      storeCode: 'default',
      auth: { kind: 'integration-bearer' },
      secrets: { accessToken: sandbox.credentials.integration.accessToken },
    });
    assert.equal(typeof id, 'string', 'profile.add returned no id (see the log)');
    profileId = id!;
  });

  suiteTeardown(async () => {
    if (profileId) await vscode.commands.executeCommand('magentoWorkbench.profile.remove', profileId);
    await sandbox?.close();
  });

  test('a bulk tracked via the command appears in the tree, completes and notifies', async () => {
    const uuid = await submitProducts(sandbox, ['VS-1', 'VS-2', 'VS-3']);
    const started = Date.now();
    const tracked = await vscode.commands.executeCommand<BulkSnapshot | undefined>('magentoWorkbench.bulk.track', {
      uuid, profileId, storeCode: 'default', description: 'Topic async.magento.catalog.api.productrepositoryinterface.save.post', operationCount: 3,
    });
    assert.ok(tracked, 'track returned nothing (see the log)');
    assert.equal(tracked.inTree, true);
    assert.equal(tracked.node.id, `bulk:${uuid}`);
    assert.equal(tracked.node.label, `products · save · post ${uuid.slice(0, 8)}`);

    // Consumers are off: every operation stays open.
    const open = await refreshUntil(uuid, (s) => s.summary === '0/3 done · 3 open');
    assert.match(open.node.contextValue, /^bulk:(running|stuck)/);

    await control(sandbox, 'consumers', { running: true });
    const done = await refreshUntil(uuid, (s) => s.verdict === 'finished');
    assert.equal(done.node.description, '3/3 done');
    assert.equal(done.node.contextValue, 'bulk:finished');
    assert.equal(done.finishedNotice, `Bulk products · save · post ${uuid.slice(0, 8)} finished: 3 complete`);
    recordMetric('bulk_track_to_finished_ms', Date.now() - started, 'ms');
  });

  test('retry resubmits the failed operations as a linked bulk, once', async () => {
    await control(sandbox, 'faults', { operations: { skuRules: [{ skuPattern: 'VS-FLAKY-*', status: 2 }] } });
    const uuid = await submitProducts(sandbox, ['VS-OK', 'VS-FLAKY-1', 'VS-FLAKY-2']);
    await vscode.commands.executeCommand('magentoWorkbench.bulk.track', { uuid, profileId, storeCode: 'default', description: '' });
    const failed = await refreshUntil(uuid, (s) => s.verdict === 'finished-with-failures');
    assert.equal(failed.summary, '1/3 done · 2 failed');
    assert.equal(failed.node.contextValue, 'bulk:finished-with-failures:hasFailures:retriable');
    assert.match(failed.finishedNotice ?? '', /1 complete, 2 failed$/);

    await control(sandbox, 'faults', { operations: { skuRules: [] } });
    const child = await vscode.commands.executeCommand<BulkSnapshot | undefined>('magentoWorkbench.bulk.retryFailed', uuid);
    assert.ok(child, 'retryFailed returned nothing (see the log)');
    assert.equal(child.parentUuid, uuid);
    assert.equal(child.inTree, true);
    assert.match(child.node.description ?? '', new RegExp(`retry of ${uuid.slice(0, 8)}`));
    const childDone = await refreshUntil(child.uuid, (s) => s.verdict === 'finished');
    assert.equal(childDone.summary, '2/2 done');

    const [parent] = (await vscode.commands.executeCommand<BulkSnapshot[]>('magentoWorkbench.bulk.refresh', uuid)) ?? [];
    assert.deepEqual(parent!.retriedOperationIds, [1, 2]);
    assert.deepEqual(parent!.childUuids, [child.uuid]);
    assert.equal(parent!.node.contextValue, 'bulk:finished-with-failures:hasFailures', 'nothing left to retry');
    // A second retry finds nothing to resubmit.
    assert.equal(await vscode.commands.executeCommand('magentoWorkbench.bulk.retryFailed', uuid), undefined);
    const again = (await vscode.commands.executeCommand<BulkSnapshot[]>('magentoWorkbench.bulk.refresh', uuid)) ?? [];
    assert.deepEqual(again[0]!.childUuids, [child.uuid]);
  });
});
