import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandboxServer';
import { type BulkSnapshot } from '../../src/host/bulk/bulkFeature';
import { type ConversionPreview } from '../../src/host/convert/convertCommands';
import { type SubmitSummary } from '../../src/core/convert/bulkSubmitter';
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

  suiteSetup(async () => {
    await getWorkbenchExtension().activate();
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
});
