import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandboxServer';
import { type ConnectionReport } from '../../src/host/profiles/connectionCheck';
import { getWorkbenchExtension } from './support/extension';
import { RESULTS_FILE_ENV } from './support/results';

interface SandboxStats {
  requests_by_route: Record<string, number>;
  tokens_issued: { admin: number; total: number };
}

async function sandboxStats(sandbox: SandboxHandle): Promise<SandboxStats> {
  const response = await fetch(`${sandbox.baseUrl}/__sandbox/stats`);
  assert.equal(response.status, 200);
  return (await response.json()) as SandboxStats;
}

/** Every settings.json this test run's VS Code may have written: user data dir and workspace. */
function settingsFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 4 || !fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && !['extensions', 'logs', 'CachedData', 'node_modules'].includes(entry.name)) walk(full, depth + 1);
      else if (entry.isFile() && entry.name === 'settings.json') found.push(full);
    }
  };
  // The driver puts the results file at the root of the scratch profile (user-data/, workspace/).
  const resultsFile = process.env[RESULTS_FILE_ENV];
  if (resultsFile) walk(path.dirname(resultsFile), 0);
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const file = path.join(folder.uri.fsPath, '.vscode', 'settings.json');
    if (fs.existsSync(file) && !found.includes(file)) found.push(file);
  }
  return found;
}

suite('profiles', () => {
  let sandbox: SandboxHandle;
  const added: string[] = [];

  suiteSetup(async () => {
    sandbox = await startSandbox({ port: 0, latency: 'none' });
    await getWorkbenchExtension().activate();
  });

  suiteTeardown(async () => {
    for (const id of added) await vscode.commands.executeCommand('magentoWorkbench.profile.remove', id);
    await vscode.commands.executeCommand('magentoWorkbench.sandbox.stop', { quiet: true });
    await sandbox?.close();
  });

  test('a profile added through the command API keeps its secret out of settings.json and sends requests', async () => {
    const { username, password } = sandbox.credentials.admin;
    const id = await vscode.commands.executeCommand<string | undefined>('magentoWorkbench.profile.add', {
      label: 'VS Code tier sandbox',
      baseUrl: sandbox.baseUrl,
      storeCode: 'default',
      auth: { kind: 'admin', username },
      secrets: { password },
      activate: true,
    });
    assert.equal(typeof id, 'string', 'profile.add did not return the new profile id (see the log for the error)');
    added.push(id!);

    // The non-secret fields are in the settings, the password nowhere in them.
    const inspected = vscode.workspace.getConfiguration('magentoWorkbench').inspect<unknown[]>('profiles');
    const configured = JSON.stringify([inspected?.globalValue, inspected?.workspaceValue, inspected?.workspaceFolderValue]);
    assert.ok(configured.includes(`"id":"${id}"`), `the profile is not in the settings: ${configured}`);
    assert.ok(configured.includes(sandbox.baseUrl));
    assert.ok(!configured.includes(password), 'the password leaked into the settings');
    assert.equal(vscode.workspace.getConfiguration('magentoWorkbench').get('activeProfile'), id);

    const files = settingsFiles();
    const contents = files.map((file) => fs.readFileSync(file, 'utf8'));
    assert.ok(contents.some((text) => text.includes(id!)), `no settings.json on disk holds the profile (looked at: ${files.join(', ') || 'none'})`);
    for (const [index, text] of contents.entries()) assert.ok(!text.includes(password), `${files[index]} contains the password`);

    // A request through the profile: the connection test fetches a token and GETs /V1/products.
    const before = await sandboxStats(sandbox);
    const report = await vscode.commands.executeCommand<ConnectionReport | undefined>('magentoWorkbench.profile.testConnection', id);
    assert.ok(report, 'testConnection returned nothing (see the log for the error)');
    assert.equal(report.ok, true, JSON.stringify(report.steps, null, 2));
    assert.deepEqual(report.steps.map((step) => [step.id, step.status]), [['reachable', 'ok'], ['token', 'ok'], ['schema', 'ok'], ['protectedGet', 'ok']]);
    const after = await sandboxStats(sandbox);
    assert.equal((after.requests_by_route['GET /V1/products'] ?? 0) - (before.requests_by_route['GET /V1/products'] ?? 0), 1);
    assert.equal(after.tokens_issued.admin - before.tokens_issued.admin, 1, 'exactly one admin token is fetched');

    // The second test reuses the cached token: no new token request.
    const again = await vscode.commands.executeCommand<ConnectionReport | undefined>('magentoWorkbench.profile.testConnection', id);
    assert.equal(again?.ok, true);
    assert.equal((await sandboxStats(sandbox)).tokens_issued.admin, after.tokens_issued.admin);
  });

  test('a wrong password is reported by the connection test, not thrown', async () => {
    const id = await vscode.commands.executeCommand<string | undefined>('magentoWorkbench.profile.add', {
      label: 'Wrong password',
      baseUrl: sandbox.baseUrl,
      // Another account: tokens are cached per store account, so the first test's token would
      // otherwise serve this profile too.
      auth: { kind: 'admin', username: 'someone-else' },
      secrets: { password: 'not-the-password-1' },
    });
    assert.equal(typeof id, 'string');
    added.push(id!);
    const report = await vscode.commands.executeCommand<ConnectionReport | undefined>('magentoWorkbench.profile.testConnection', id);
    assert.ok(report);
    assert.equal(report.ok, false);
    const token = report.steps.find((step) => step.id === 'token');
    assert.equal(token?.status, 'failed');
    assert.match(token?.detail ?? '', /401/);
    assert.equal(report.steps.find((step) => step.id === 'protectedGet')?.status, 'skipped');
  });

  test('removing a profile drops it from the settings', async () => {
    const id = added.pop()!;
    assert.equal(await vscode.commands.executeCommand('magentoWorkbench.profile.remove', id), true);
    const profiles = vscode.workspace.getConfiguration('magentoWorkbench').get<{ id: string }[]>('profiles') ?? [];
    assert.ok(!profiles.some((profile) => profile.id === id));
  });

  test('"Start Sandbox Store" runs the store in the extension host and points a profile at it', async () => {
    const result = await vscode.commands.executeCommand<{ baseUrl: string; profileId: string } | undefined>('magentoWorkbench.sandbox.start', { latency: 'none' });
    assert.ok(result, 'sandbox.start returned nothing (see the log for the error)');
    assert.match(result.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    added.push(result.profileId);
    assert.equal(vscode.workspace.getConfiguration('magentoWorkbench').get('activeProfile'), result.profileId);
    const report = await vscode.commands.executeCommand<ConnectionReport | undefined>('magentoWorkbench.profile.testConnection', result.profileId);
    assert.equal(report?.ok, true, JSON.stringify(report?.steps, null, 2));
    assert.equal(await vscode.commands.executeCommand('magentoWorkbench.sandbox.stop', { quiet: true }), true);
  });
});
