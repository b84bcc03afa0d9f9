import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandboxServer';
import { type BulkSnapshot } from '../../src/host/bulk/bulkFeature';
import { type ConversionPreview } from '../../src/host/convert/convertCommands';
import { type SubmitSummary } from '../../src/core/convert/bulkSubmitter';
import { rejectedItemsInJournal } from '../../src/core/convert/rejectedItems';
import { SubmissionJournal } from '../../src/core/convert/submissionJournal';
import { type WorkbenchExports } from '../../src/host/extension';
import { getWorkbenchExtension } from './support/extension';
import { recordMetric } from './support/results';

async function lensesOf(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
    if (lenses.length > 0) return lenses;
    await new Promise((r) => setTimeout(r, 100));
  }
  return [];
}

async function runLens(uri: vscode.Uri, title: string): Promise<unknown> {
  const lens = (await lensesOf(uri)).find((l) => l.command?.title === title);
  assert.ok(lens?.command, `no "${title}" lens`);
  return vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []));
}

suite('convert: .http CodeLens', () => {
  let sandbox: SandboxHandle;
  let profileId: string | undefined;
  let folder: string;
  let sku: string;
  let exports: WorkbenchExports;

  suiteSetup(async () => {
    exports = (await getWorkbenchExtension().activate()) as WorkbenchExports;
    sandbox = await startSandbox({ port: 0, latency: 'none', consumers: false });
    profileId = await vscode.commands.executeCommand<string | undefined>('magentoWorkbench.profile.add', {
      label: 'Convert sandbox',
      baseUrl: sandbox.baseUrl,
      storeCode: 'default',
      auth: { kind: 'integration-bearer' },
      secrets: { accessToken: sandbox.credentials.integration.accessToken },
    });
    assert.equal(typeof profileId, 'string', 'profile.add returned no id (see the log)');
    const list = await fetch(`${sandbox.baseUrl}/rest/default/V1/products?searchCriteria[pageSize]=1`, { headers: { authorization: `Bearer ${sandbox.credentials.integration.accessToken}` } });
    sku = ((await list.json()) as { items: Array<{ sku: string }> }).items[0]!.sku;
    folder = mkdtempSync(join(tmpdir(), 'mwb-convert-'));
  });

  suiteTeardown(async () => {
    if (profileId) await vscode.commands.executeCommand('magentoWorkbench.profile.remove', profileId);
    await sandbox?.close();
  });

  function httpFile(name: string): vscode.Uri {
    const file = join(folder, name);
    writeFileSync(file, [
      `@host = ${sandbox.baseUrl}`,
      `@sku = ${sku}`,
      '',
      '### Update price',
      'PUT {{host}}/rest/default/V1/products/{{sku}}',
      'Content-Type: application/json',
      '',
      '{"product": {"price": 12.5}}',
      '',
      '###',
      'GET {{host}}/rest/default/V1/products/{{sku}}',
      '',
    ].join('\n'));
    return vscode.Uri.file(file);
  }

  test('the lenses: four above a write, Send only above a GET', async () => {
    const uri = httpFile('lenses.http');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const lenses = await lensesOf(uri);
    const byLine = new Map<number, string[]>();
    for (const l of lenses) byLine.set(l.range.start.line, [...(byLine.get(l.range.start.line) ?? []), l.command?.title ?? '']);
    assert.deepEqual([...byLine.entries()], [[4, ['Send', 'Convert to async', 'Convert to bulk', 'Submit as bulk']], [10, ['Send']]]);
  });

  test('"Convert to bulk" opens the bulk request as a read-only preview', async () => {
    const uri = httpFile('convert.http');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const preview = (await runLens(uri, 'Convert to bulk')) as ConversionPreview | undefined;
    assert.ok(preview, 'the command returned no preview (see the log)');
    const expected = [
      '### Update price',
      'PUT {{host}}/rest/default/async/bulk/V1/products/bySku',
      'Content-Type: application/json',
      '',
      '[{"sku":"{{sku}}","product":{"price":12.5}}]',
      '',
      '',
    ].join('\n');
    assert.equal(preview.converted, expected);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === preview.convertedUri);
    assert.ok(doc, 'the preview document is not open');
    assert.equal(doc.getText(), expected);
    assert.equal(doc.uri.scheme, 'magento-convert');
  });

  test('"Submit as bulk" sends the request and adds its UUID to the Bulk Operations tree', async () => {
    const uri = httpFile('submit.http');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const started = Date.now();
    const summary = (await runLens(uri, 'Submit as bulk')) as SubmitSummary | undefined;
    assert.ok(summary, 'the submission returned nothing (see the log)');
    assert.equal(summary.acceptedOperations, 1);
    const uuid = summary.bulkUuids[0]!;
    let snapshot: BulkSnapshot | undefined;
    for (let attempt = 0; attempt < 100 && !snapshot?.inTree; attempt++) {
      [snapshot] = (await vscode.commands.executeCommand<BulkSnapshot[]>('magentoWorkbench.bulk.refresh', uuid)) ?? [];
      if (!snapshot?.inTree) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(snapshot?.inTree, true, `bulk ${uuid} is not in the tree`);
    assert.equal(snapshot?.summary, '0/1 done · 1 open');
    recordMetric('convert_submit_to_tree_ms', Date.now() - started, 'ms');
  });

  test('an item the store rejects at submit time: the report offers "Resubmit Rejected…", which sends it once and tracks the new bulk', async () => {
    const control = async (route: string, body?: unknown): Promise<unknown> => {
      const response = await fetch(`${sandbox.baseUrl}/__sandbox/${route}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const text = await response.text();
      assert.equal(response.status, 200, text);
      return JSON.parse(text) as unknown;
    };
    const held = async (wanted: string): Promise<{ count: number; bulks: string[] }> => {
      const record = (await control('operations')) as { bulks: Array<{ uuid: string; operations: Array<{ skus: string[] }> }> };
      const bulks = record.bulks.filter((b) => b.operations.some((o) => o.skus.includes(wanted))).map((b) => b.uuid);
      return { count: record.bulks.flatMap((b) => b.operations).filter((o) => o.skus.includes(wanted)).length, bulks };
    };
    const run = Date.now().toString(36);
    const good = `VSC-OK-${run}`;
    const bad = `VSC-BAD-${run}`;
    const product = (s: string, price: number) => ({ product: { sku: s, name: `Rejected ${s}`, attribute_set_id: 4, price, type_id: 'simple' } });
    await control('faults', { operations: { rejectOnSubmit: [{ skuPattern: 'VSC-BAD-*', message: 'Could not create the operation', errorCode: 7 }] } });
    const file = join(folder, 'rejected.http');
    writeFileSync(file, [
      `@host = ${sandbox.baseUrl}`,
      '',
      '### Create two products, one the store rejects',
      'POST {{host}}/rest/default/V1/products',
      'Content-Type: application/json',
      '',
      JSON.stringify([product(good, 10), product(bad, 11)]),
      '',
    ].join('\n'));
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    let firstBulks: string[] = [];
    try {
      const summary = (await runLens(uri, 'Submit as bulk')) as SubmitSummary | undefined;
      assert.ok(summary, 'the submission returned nothing (see the log)');
      assert.equal(summary.acceptedOperations, 1);
      assert.equal(summary.rejectedOperations, 1);
      firstBulks = summary.bulkUuids;
      assert.deepEqual(await held(bad), { count: 0, bulks: [] }, 'the rejected item never became an operation');
    } finally {
      await control('faults', { operations: { rejectOnSubmit: [] } });
    }

    // The report's warning is the newest notification; its primary action is the resubmission.
    const started = Date.now();
    await new Promise((r) => setTimeout(r, 500));
    await vscode.commands.executeCommand('notification.acceptPrimaryAction');
    // The command lists the journal's rejected items in a multi-select QuickPick, all picked:
    // accept it as shown (accepting while no QuickPick is open does nothing).
    let now = await held(bad);
    for (let attempt = 0; attempt < 100 && now.count === 0; attempt++) {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await new Promise((r) => setTimeout(r, 200));
      now = await held(bad);
    }
    assert.equal(now.count, 1, `the rejected item reached the store ${now.count} time(s)`);
    const [uuid] = now.bulks;
    assert.ok(uuid && !firstBulks.includes(uuid), 'it went in a new bulk');
    assert.equal((await held(good)).count, 1, 'the accepted item was not sent again');

    let snapshot: BulkSnapshot | undefined;
    for (let attempt = 0; attempt < 100 && !snapshot?.inTree; attempt++) {
      [snapshot] = (await vscode.commands.executeCommand<BulkSnapshot[]>('magentoWorkbench.bulk.refresh', uuid)) ?? [];
      if (!snapshot?.inTree) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(snapshot?.inTree, true, `the new bulk ${uuid!} is not in the tree`);
    assert.equal(snapshot?.summary, '0/1 done · 1 open');
    recordMetric('convert_resubmit_rejected_ms', Date.now() - started, 'ms');

    // The journal knows it was resubmitted: nothing is offered again, and running the command
    // once more sends nothing.
    const journal = new SubmissionJournal({ folder: join(exports.globalStorageFolder, 'submission-journal') });
    assert.deepEqual(await rejectedItemsInJournal(journal, { bulkUuids: [...firstBulks, uuid!] }), []);
    assert.equal(await vscode.commands.executeCommand('magentoWorkbench.convert.resubmitRejected', { bulkUuids: firstBulks }), undefined);
    assert.equal((await held(bad)).count, 1, 'held exactly once');
  });
});
