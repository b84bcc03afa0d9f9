import * as assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandboxServer';
import { SandboxProfileSource } from '../support/sandboxProfileSource';
import { emptyDraft, type HostMessage, type RequestDraft } from '../../src/protocol/requestBuilderProtocol';
import { type RequestBuilderPanelHandle } from '../../src/host/requestBuilder/registerRequestBuilder';
import { type PanelTimings } from '../../src/host/requestBuilder/requestBuilderPanel';
import { recordMetric } from './support/results';
import { getWorkbenchExtension } from './support/extension';

function waitFor<T extends HostMessage>(messages: HostMessage[], match: (m: HostMessage) => m is T, timeoutMs = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = (): void => {
      const found = messages.find(match);
      if (found) return resolve(found);
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out; got ${messages.map((m) => m.type).join(', ')}`));
      setTimeout(poll, 20);
    };
    poll();
  });
}
/** Polls a condition (state that other processes change: the tab title, webview reports). */
async function waitUntil(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
const epochNow = (): number => performance.timeOrigin + performance.now();
const reply = (id: string) => (m: HostMessage): m is Extract<HostMessage, { type: 'reply' }> => m.type === 'reply' && m.id === id;

suite('request builder panel', () => {
  let sandbox: SandboxHandle;
  let source: SandboxProfileSource;
  let handle: RequestBuilderPanelHandle;
  const posted: HostMessage[] = [];
  let opened = 0;
  let restoreProfileSource: vscode.Disposable | undefined;

  suiteSetup(async () => {
    // Before any command the extension may not be active yet; a person's first "Open Request
    // Builder" then pays for activation too (recorded when this suite is the one activating).
    const extension = getWorkbenchExtension();
    const wasActive = extension.isActive;
    const activating = epochNow();
    await extension.activate();
    if (!wasActive) recordMetric('request_builder_extension_activation_ms', Math.round(epochNow() - activating), 'ms');
    sandbox = await startSandbox({ port: 0 });
    source = new SandboxProfileSource(sandbox.baseUrl, sandbox.credentials.integration.accessToken);
    // The suite starts the moment the extension host does, while the workbench is still
    // starting up; its first webview then waits seconds for the busy workbench. A benchmark
    // that wants the settled case sets MWB_REQUEST_BUILDER_SETTLE_MS (the bench uses 8000).
    const settleMs = Number(process.env.MWB_REQUEST_BUILDER_SETTLE_MS ?? '0');
    if (Number.isFinite(settleMs) && settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
    recordMetric('request_builder_fp_settle_ms', Number.isFinite(settleMs) ? settleMs : 0, 'ms');
    opened = epochNow();
    handle = (await vscode.commands.executeCommand('magentoWorkbench.requestBuilder.open')) as RequestBuilderPanelHandle;
    restoreProfileSource = handle.useProfileSource(source);
    handle.panel.onDidPost((m) => posted.push(m));
  });

  suiteTeardown(async () => {
    handle?.panel.dispose();
    // Later suites open panels over the real profiles: put the extension's own source back.
    restoreProfileSource?.dispose();
    source?.dispose();
    await sandbox?.close();
  });

  test('the panel opens with a strict CSP and local resources limited to the bundle and media', () => {
    const webview = handle.panel.panel.webview;
    const html = webview.html;
    const csp = /Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-[A-Za-z0-9+/=]{20,}'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|connect-src/);
    const extensionPath = getWorkbenchExtension().extensionUri.path.replace(/\/$/, '');
    const roots = (webview.options.localResourceRoots ?? []).map((u) => u.path.replace(extensionPath, '')).sort();
    assert.deepEqual(roots, ['/dist/webview', '/media']);
    assert.equal(handle.panel.panel.viewType, 'magentoWorkbench.requestBuilder');
  });

  test('the webview says ready and receives init (time to first paint measured)', async () => {
    // The real webview in the workbench posts `ready` itself; if it has not yet, say it for it.
    const init = await waitFor(posted, (m): m is Extract<HostMessage, { type: 'init' }> => m.type === 'init', 15_000).catch(async () => {
      await handle.panel.handleMessage({ type: 'ready' });
      return waitFor(posted, (m): m is Extract<HostMessage, { type: 'init' }> => m.type === 'init');
    });
    recordMetric('request_builder_first_init_ms', Math.round(epochNow() - opened), 'ms');
    assert.ok(init.profiles.some((p) => p.id === 'sandbox'));
  });

  test('the webview reports its first painted frame (command → first paint measured, with its breakdown)', async () => {
    // The real webview posts `firstPaint` after its first frame; it cannot be faked from here.
    const timings = await new Promise<PanelTimings>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no firstPaint from the webview; marks so far: ${JSON.stringify(handle.panel.timings)}`)), 30_000);
      handle.panel.onDidFirstPaint((t) => { clearTimeout(timer); resolve(t); });
    });
    const web = timings.webview;
    assert.ok(web, 'firstPaint carries the webview marks');
    assert.ok(web.scriptStart <= web.shellRendered && web.shellRendered <= web.painted, JSON.stringify(web));
    const since = (at: number | undefined): number => Math.round((at ?? NaN) - opened);
    // The figure the issue targets: command → the webview's first painted frame.
    recordMetric('request_builder_command_to_first_paint_ms', since(web.painted), 'ms');
    recordMetric('request_builder_first_paint_received_ms', since(timings.firstPaintReceived), 'ms');
    // Breakdown: host work before the panel exists and before its HTML is set, VS Code's
    // webview set-up (until the document starts), script load + run, shell render, paint.
    recordMetric('request_builder_fp_panel_created_ms', since(timings.created), 'ms');
    recordMetric('request_builder_fp_html_set_ms', since(timings.htmlSet), 'ms');
    recordMetric('request_builder_fp_document_start_ms', since(web.documentStart), 'ms');
    recordMetric('request_builder_fp_script_start_ms', since(web.scriptStart), 'ms');
    recordMetric('request_builder_fp_shell_rendered_ms', since(web.shellRendered), 'ms');
    recordMetric('request_builder_fp_ready_received_ms', since(timings.ready), 'ms');
    recordMetric('request_builder_fp_init_posted_ms', since(timings.initPosted), 'ms');
  });

  test('panels opened later paint too (warm command → first paint measured)', async () => {
    // The first panel of a window also pays for the workbench's one-time webview set-up;
    // these are what opening the builder costs once VS Code has shown a webview.
    const samples: { paint: number; documentStart: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const started = epochNow();
      const next = (await vscode.commands.executeCommand('magentoWorkbench.requestBuilder.open')) as RequestBuilderPanelHandle;
      try {
        const timings = await new Promise<PanelTimings>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no firstPaint from panel ${i + 2}; marks: ${JSON.stringify(next.panel.timings)}`)), 30_000);
          next.panel.onDidFirstPaint((t) => { clearTimeout(timer); resolve(t); });
        });
        assert.ok(timings.webview);
        samples.push({ paint: timings.webview.painted - started, documentStart: timings.webview.documentStart - started });
      } finally {
        next.panel.dispose();
      }
    }
    const median = (values: number[]): number => Math.round([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN);
    recordMetric('request_builder_command_to_first_paint_warm_ms', median(samples.map((s) => s.paint)), 'ms');
    recordMetric('request_builder_fp_warm_document_start_ms', median(samples.map((s) => s.documentStart)), 'ms');
    assert.equal(samples.length, 3);
  });

  test('invalid messages are dropped without a reply', async () => {
    const before = posted.length;
    await handle.panel.handleMessage({ type: 'request', id: 'bad-1', method: 'send', params: { draft: { method: 'TRACE' } } });
    await handle.panel.handleMessage({ type: 'nonsense' });
    assert.equal(posted.slice(before).filter((m) => m.type === 'reply' && m.id === 'bad-1').length, 0);
  });

  test('it receives the store schema', async () => {
    await handle.panel.handleMessage({ type: 'request', id: 'schema-1', method: 'loadSchema', params: { profileId: 'sandbox' } });
    const r = await waitFor(posted, reply('schema-1'));
    assert.equal(r.ok, true, JSON.stringify(r));
    const operations = (r as { result: { operations: { method: string; pathTemplate: string }[] } }).result.operations;
    assert.ok(operations.some((o) => o.method === 'GET' && o.pathTemplate === '/V1/products'));
    await handle.panel.handleMessage({ type: 'request', id: 'describe-1', method: 'describeOperation', params: { profileId: 'sandbox', method: 'GET', pathTemplate: '/V1/products' } });
    const d = await waitFor(posted, reply('describe-1'));
    assert.equal(d.ok, true, JSON.stringify(d));
  });

  test('a request built in the panel is sent to the sandbox and the result comes back', async () => {
    const draft: RequestDraft = {
      ...emptyDraft(), profileId: 'sandbox', pathTemplate: '/V1/products', useSearchCriteria: true,
      searchCriteria: { filterGroups: [{ filters: [{ field: 'type_id', value: 'simple', conditionType: 'eq' }] }], sortOrders: [{ field: 'entity_id', direction: 'ASC' }], pageSize: 3, currentPage: 2 },
      fields: 'items[sku,name,price],total_count,search_criteria',
    };
    await handle.panel.handleMessage({ type: 'draftChanged', draft });
    await handle.panel.handleMessage({ type: 'request', id: 'send-1', method: 'send', params: { draft } });
    const r = await waitFor(posted, reply('send-1'));
    assert.equal(r.ok, true, JSON.stringify(r));
    const result = (r as { result: { status: number; body: { kind: string; value?: { items?: Record<string, unknown>[]; total_count?: number } }; paging?: { currentPage?: number; pageSize?: number } } }).result;
    assert.equal(result.status, 200);
    assert.equal(result.body.kind, 'json');
    const items = result.body.value?.items ?? [];
    assert.equal(items.length, 3);
    assert.deepEqual(Object.keys(items[0] ?? {}).sort(), ['name', 'price', 'sku']);
    assert.equal(result.paging?.currentPage, 2);
    const history = posted.filter((m) => m.type === 'history').at(-1);
    assert.ok(history && history.type === 'history' && history.history.length >= 1);
  });

  test('cURL export is masked and copied to the clipboard; the open command also takes a raw request', async () => {
    const draft: RequestDraft = { ...emptyDraft(), profileId: 'sandbox', pathTemplate: '/V1/products', useSearchCriteria: true, searchCriteria: { filterGroups: [], sortOrders: [], pageSize: 2 } };
    await handle.panel.handleMessage({ type: 'request', id: 'curl-1', method: 'exportCurl', params: { draft, revealSecrets: false } });
    const r = await waitFor(posted, reply('curl-1'));
    assert.equal(r.ok, true, JSON.stringify(r));
    const curl = (r as { result: { curl: string } }).result.curl;
    assert.match(curl, /Authorization: Bearer \*\*\*/);
    assert.ok(!curl.includes(sandbox.credentials.integration.accessToken));
    assert.equal(await vscode.env.clipboard.readText(), curl);

    const other = (await vscode.commands.executeCommand('magentoWorkbench.requestBuilder.open', {
      method: 'GET', url: `${sandbox.baseUrl}/rest/default/V1/products?searchCriteria[pageSize]=4&fields=items[sku]`,
    })) as RequestBuilderPanelHandle;
    try {
      assert.equal(other.panel.currentDraft.pathTemplate, '/V1/products');
      assert.equal(other.panel.currentDraft.searchCriteria.pageSize, 4);
      assert.equal(other.panel.currentDraft.fields, 'items[sku]');
      // The tab says which request it holds. Its webview reports its own draft (draftChanged)
      // some time after loading, so wait for the title rather than read it at one instant.
      await waitUntil('the tab title GET /V1/products', () => other.panel.panel.title === 'GET /V1/products');
      assert.equal(other.panel.panel.title, 'GET /V1/products');
      assert.notEqual(other.panel, handle.panel, 'one panel per request');
    } finally {
      other.panel.dispose();
    }
  });
});
