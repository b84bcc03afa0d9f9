// The VS Code-tier secrets leak test (issue 8): full flows in the real extension host with
// known, unique secret values (admin password, OAuth 1.0a consumer and token secrets, an access
// token, a Redis password), then a byte search of everything the extension and VS Code wrote —
// every file of this run's scratch profile (settings.json, globalStorage incl. the submission
// journal and request-builder output, workspaceStorage, the state databases holding
// globalState and its request history, logs incl. the output channel), the workspace, and the
// messages the request builder posted to its webview. Canary values written on purpose through
// the same paths must be found, so a scan that looks in the wrong place fails.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandboxServer';
import { type ConnectionReport } from '../../src/host/profiles/connectionCheck';
import { type SubmitSummary } from '../../src/core/convert/bulkSubmitter';
import { type BulkSnapshot } from '../../src/host/bulk/bulkFeature';
import { emptyDraft, type HostMessage, type RequestDraft } from '../../src/protocol/requestBuilderProtocol';
import { type RequestBuilderPanelHandle } from '../../src/host/requestBuilder/registerRequestBuilder';
import { type WorkbenchExports } from '../../src/host/extension';
import { getWorkbenchExtension } from './support/extension';
import { RESULTS_FILE_ENV } from './support/results';

const unique = (label: string): string => `${label}-${randomBytes(9).toString('hex')}`;

/** Folders this run's VS Code and extension write to: the scratch profile root and the workspace. */
function scanRoots(extra: string[]): string[] {
  const roots: string[] = [];
  const resultsFile = process.env[RESULTS_FILE_ENV];
  if (resultsFile) roots.push(path.dirname(resultsFile));
  for (const folder of vscode.workspace.workspaceFolders ?? []) roots.push(folder.uri.fsPath);
  return [...new Set([...roots, ...extra])];
}

/** Every regular file under the roots (not the installed extensions: code, not data). */
function filesUnder(roots: string[]): string[] {
  const out = new Set<string>();
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!['extensions', 'node_modules', 'CachedData', 'CachedExtensionVSIXs'].includes(entry.name)) walk(full);
      } else if (entry.isFile()) out.add(full);
    }
  };
  for (const root of roots) walk(root);
  return [...out];
}

/** Where each value occurs, as UTF-8 or UTF-16 bytes (SQLite and logs may hold either). */
function occurrences(files: string[], values: readonly string[]): Array<{ file: string; value: string }> {
  const found: Array<{ file: string; value: string }> = [];
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch {
      continue; // removed while scanning (a rotated log, a SQLite journal)
    }
    for (const value of values) {
      if (bytes.includes(Buffer.from(value, 'utf8')) || bytes.includes(Buffer.from(value, 'utf16le'))) found.push({ file, value });
    }
  }
  return found;
}

function waitFor<T extends HostMessage>(messages: HostMessage[], match: (m: HostMessage) => m is T, timeoutMs = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = (): void => {
      const hit = messages.find(match);
      if (hit) return resolve(hit);
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out; got ${messages.map((m) => m.type).join(', ')}`));
      setTimeout(poll, 20);
    };
    poll();
  });
}
const reply = (id: string) => (m: HostMessage): m is Extract<HostMessage, { type: 'reply' }> => m.type === 'reply' && m.id === id;

suite('secrets leak (VS Code tier)', () => {
  let sandbox: SandboxHandle;
  let folder: string;
  const added: string[] = [];
  const posted: HostMessage[] = [];
  let panel: RequestBuilderPanelHandle | undefined;
  const adminPassword = unique('AdminPw');
  const redisPassword = unique('RedisPw');
  // Canaries: written on purpose where the secrets could end up, so the scan must find them.
  const settingsCanary = unique('canary-settings');
  const journalCanary = unique('canary-journal');
  const stateCanary = unique('canary-state');
  let secrets: string[] = [];
  let exports: WorkbenchExports;

  suiteSetup(async () => {
    exports = (await getWorkbenchExtension().activate()) as WorkbenchExports;
    assert.equal(typeof exports?.storedState, 'function', 'the extension exports no storedState()');
    // A random seed gives the integration unique OAuth keys and token; the admin password is set.
    sandbox = await startSandbox({ port: 0, latency: 'none', consumers: false, seed: randomBytes(4).readUInt32BE() % 1_000_000 + 1 });
    sandbox.app.data.credentials.adminAccount.password = adminPassword;
    const { consumerKey, consumerSecret, accessToken, accessTokenSecret } = sandbox.credentials.integration;
    secrets = [adminPassword, redisPassword, consumerSecret, accessToken, accessTokenSecret];
    assert.ok(consumerKey.length >= 16 && consumerSecret !== accessTokenSecret);
    folder = fs.mkdtempSync(path.join(tmpdir(), 'mwb-leak-'));
  });

  suiteTeardown(async () => {
    panel?.panel.dispose();
    for (const id of added) await vscode.commands.executeCommand('magentoWorkbench.profile.remove', id);
    await vscode.commands.executeCommand('magentoWorkbench.redis.setUrl', '');
    await sandbox?.close();
  });

  test('full flows run with the unique secrets', async () => {
    // Admin profile (password), active, so Convert and the request builder use it.
    const adminId = await vscode.commands.executeCommand<string | undefined>('magentoWorkbench.profile.add', {
      label: `Leak test admin ${settingsCanary}`, baseUrl: sandbox.baseUrl, storeCode: 'default',
      auth: { kind: 'admin', username: sandbox.credentials.admin.username }, secrets: { password: adminPassword }, activate: true,
    });
    assert.equal(typeof adminId, 'string', 'profile.add (admin) returned no id (see the log)');
    added.push(adminId!);
    const adminReport = await vscode.commands.executeCommand<ConnectionReport | undefined>('magentoWorkbench.profile.testConnection', adminId);
    assert.equal(adminReport?.ok, true, JSON.stringify(adminReport?.steps));

    // OAuth 1.0a profile (consumer key/secret, access token/secret): every request is signed.
    const { consumerKey, consumerSecret, accessToken, accessTokenSecret } = sandbox.credentials.integration;
    const oauthId = await vscode.commands.executeCommand<string | undefined>('magentoWorkbench.profile.add', {
      label: 'Leak test OAuth', baseUrl: sandbox.baseUrl, storeCode: 'default',
      auth: { kind: 'oauth1' }, secrets: { consumerKey, consumerSecret, accessToken, accessTokenSecret },
    });
    assert.equal(typeof oauthId, 'string', 'profile.add (oauth1) returned no id (see the log)');
    added.push(oauthId!);
    const oauthReport = await vscode.commands.executeCommand<ConnectionReport | undefined>('magentoWorkbench.profile.testConnection', oauthId);
    assert.equal(oauthReport?.ok, true, JSON.stringify(oauthReport?.steps));

    // A wrong password: the error path (401) must not echo it either.
    const wrongPassword = unique('WrongPw');
    secrets.push(wrongPassword);
    const wrongId = await vscode.commands.executeCommand<string | undefined>('magentoWorkbench.profile.add', {
      label: 'Leak test wrong password', baseUrl: sandbox.baseUrl, auth: { kind: 'admin', username: 'leak-test-other' }, secrets: { password: wrongPassword },
    });
    added.push(wrongId!);
    const wrongReport = await vscode.commands.executeCommand<ConnectionReport | undefined>('magentoWorkbench.profile.testConnection', wrongId);
    assert.equal(wrongReport?.ok, false);
    assert.ok(!JSON.stringify(wrongReport).includes(wrongPassword), 'the connection report echoes the password');

    // Redis URL with a password: kept in SecretStorage only.
    assert.equal(await vscode.commands.executeCommand('magentoWorkbench.redis.setUrl', `redis://:${redisPassword}@127.0.0.1:6379/0`), true);

    // Submit a bulk through the .http CodeLens with the admin profile: the journal gets the items
    // (the canary), never the Authorization header or the token.
    const list = await fetch(`${sandbox.baseUrl}/rest/default/V1/products?searchCriteria[pageSize]=1`, { headers: { authorization: `Bearer ${accessToken}` } });
    const sku = ((await list.json()) as { items: Array<{ sku: string }> }).items[0]!.sku;
    const file = path.join(folder, 'leak.http');
    fs.writeFileSync(file, [`PUT ${sandbox.baseUrl}/rest/default/V1/products/${sku}`, 'Content-Type: application/json', '', `{"product": {"name": "${journalCanary}"}}`, ''].join('\n'));
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    let lens: vscode.CodeLens | undefined;
    for (let attempt = 0; attempt < 50 && !lens; attempt++) {
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
      lens = lenses.find((l) => l.command?.title === 'Submit as bulk');
      if (!lens) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(lens?.command, 'no "Submit as bulk" lens');
    const summary = await vscode.commands.executeCommand<SubmitSummary | undefined>(lens.command.command, ...(lens.command.arguments ?? []));
    assert.equal(summary?.acceptedOperations, 1, 'the submission did not go through (see the log)');

    // A tracked bulk whose description is a canary: it lives in globalState.
    const tracked = await vscode.commands.executeCommand<BulkSnapshot | undefined>('magentoWorkbench.bulk.track', {
      uuid: summary!.bulkUuids[0], profileId: adminId, storeCode: 'default', description: stateCanary, operationCount: 1,
    });
    assert.ok(tracked);

    // The request builder with the real profiles: send, export cURL (masked), history.
    panel = (await vscode.commands.executeCommand('magentoWorkbench.requestBuilder.open')) as RequestBuilderPanelHandle;
    panel.panel.onDidPost((m) => posted.push(m));
    await panel.panel.handleMessage({ type: 'ready' });
    const draft: RequestDraft = { ...emptyDraft(), profileId: oauthId!, pathTemplate: '/V1/products', useSearchCriteria: true, searchCriteria: { filterGroups: [], sortOrders: [], pageSize: 2 } };
    await panel.panel.handleMessage({ type: 'request', id: 'leak-send', method: 'send', params: { draft } });
    const sent = await waitFor(posted, reply('leak-send'));
    assert.equal(sent.ok, true, JSON.stringify(sent));
    await panel.panel.handleMessage({ type: 'request', id: 'leak-send-admin', method: 'send', params: { draft: { ...draft, profileId: adminId! } } });
    assert.equal((await waitFor(posted, reply('leak-send-admin'))).ok, true);
    await panel.panel.handleMessage({ type: 'request', id: 'leak-curl', method: 'exportCurl', params: { draft, revealSecrets: false } });
    const curl = await waitFor(posted, reply('leak-curl'));
    assert.equal(curl.ok, true, JSON.stringify(curl));
  });

  test('no secret value is in anything the extension or VS Code wrote, nor in webview messages', async function () {
    this.timeout(60_000);
    assert.ok(secrets.length >= 6, 'the flows did not run');
    const posts = JSON.stringify(posted);
    assert.ok(posted.some((m) => m.type === 'reply'), 'no webview messages were captured');
    for (const value of secrets) assert.ok(!posts.includes(value), 'a secret was posted to the webview');
    assert.ok(!(await vscode.env.clipboard.readText()).includes(secrets[3]!), 'the copied cURL holds the access token');

    // globalState (tracked bulks, request history) and workspaceState as the extension sees them:
    // in code-server they live in the browser, not in a state.vscdb the file scan below reaches
    // (in the electron mode the scan covers state.vscdb too).
    // The bulk tracker batches its writes (1 s): wait for the canary to be persisted.
    let state = JSON.stringify(exports.storedState());
    for (let attempt = 0; attempt < 40 && !state.includes(stateCanary); attempt++) {
      await new Promise((r) => setTimeout(r, 250));
      state = JSON.stringify(exports.storedState());
    }
    assert.ok(state.includes(stateCanary), 'the globalState canary is not in the stored state');
    assert.ok(state.includes('/V1/products'), 'the request history is not in the stored state');
    for (const value of secrets) assert.ok(!state.includes(value), `secret #${secrets.indexOf(value)} is in globalState/workspaceState`);

    const roots = scanRoots([folder, exports.globalStorageFolder]);
    let canaryHits: Array<{ file: string; value: string }> = [];
    for (let attempt = 0; attempt < 40; attempt++) {
      canaryHits = occurrences(filesUnder(roots), [settingsCanary, journalCanary]);
      if (new Set(canaryHits.map((h) => h.value)).size === 2) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const files = filesUnder(roots);
    const where = (value: string): string[] => canaryHits.filter((h) => h.value === value).map((h) => path.relative(roots[0]!, h.file));
    assert.ok(where(settingsCanary).some((f) => f.endsWith('settings.json')), `the settings canary was not found in a settings.json (scanned ${files.length} files)`);
    assert.ok(where(journalCanary).some((f) => f.includes('submission-journal')), `the journal canary was not found in the journal: ${where(journalCanary).join(', ')}`);
    // The output channel's log file is among the scanned files, and the flows wrote to it.
    assert.ok(files.some((f) => /logs[\\/].*Magento REST Workbench\.log$/.test(f)), 'the output channel log file was not found');

    const leaks = occurrences(files, secrets).map((hit) => `${path.relative(roots[0]!, hit.file)} holds secret #${secrets.indexOf(hit.value)}`);
    assert.deepEqual(leaks, [], 'secrets found in clear');
  });
});
