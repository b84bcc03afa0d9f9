// The `npm run demo` path, checked: the sandbox store as its own process with realistic latency,
// the demo workspace copied next to it, and a workbench whose extension host gets the demo
// profile's password through MAGENTO_WORKBENCH_DEMO (scripts/lib/demo-session.mjs, the same
// functions the demo uses). On the way it takes the README's screenshots: test-results/e2e/demo-*.png;
// with UPDATE_SCREENSHOTS=1 the chosen ones are also copied to media/screenshots/ (committed; the
// README shows them). Not on every run: bulk UUIDs and timings differ each time, and a test run
// should not leave tracked files modified.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Frame } from 'playwright-core';
import type * as Demo from '../../scripts/lib/demo-session.mjs' with { 'resolution-mode': 'import' };
import { REPO_ROOT, openWorkbench, type Workbench } from './harness';

const README_SHOTS = join(REPO_ROOT, 'media', 'screenshots');

describe('npm run demo: a working workbench against the sandbox store', () => {
  let demo: typeof Demo;
  let sandbox: Demo.SandboxProcess;
  let wb: Workbench;

  /** Screenshot to test-results/e2e/demo-<name>.png; with `readme`, also to media/screenshots/<readme>.png. */
  async function shot(name: string, options: { readme?: string; target?: Parameters<Workbench['screenshot']>[1] } = {}): Promise<void> {
    const path = await wb.screenshot(`demo-${name}`, options.target);
    if (options.readme && process.env['UPDATE_SCREENSHOTS'] === '1') {
      mkdirSync(README_SHOTS, { recursive: true });
      copyFileSync(path, join(README_SHOTS, `${options.readme}.png`));
    }
  }

  async function store(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown; text: string }> {
    const res = await fetch(`${sandbox.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${sandbox.integration.accessToken}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined, text };
  }

  async function submitBulk(skus: string[]): Promise<string> {
    const items = skus.map((sku) => ({ product: { sku, name: `Product ${sku}`, attribute_set_id: 4, price: 10, type_id: 'simple' } }));
    const reply = await store('POST', '/rest/default/async/bulk/V1/products', items);
    assert.equal(reply.status, 202, reply.text);
    return (reply.json as { bulk_uuid: string }).bulk_uuid;
  }

  async function openFile(name: string): Promise<void> {
    await wb.page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().click();
    await wb.page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ state: 'visible' });
  }

  /** A test that leaves test-results/e2e/demo-failed-<name>.png behind when it fails. */
  function step(name: string, body: () => Promise<void>): void {
    test(name, async () => {
      try {
        await body();
      } catch (error) {
        await wb.screenshot(`demo-failed-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 40)}`).catch(() => undefined);
        throw error;
      }
    });
  }

  before(async () => {
    demo = await import('../../scripts/lib/demo-session.mjs');
    sandbox = await demo.startSandboxProcess({ latency: 'realistic' });
    wb = await openWorkbench({
      viewport: { width: 1400, height: 860 },
      env: demo.demoEnvironment(sandbox),
      prepareWorkspace: (workspace) => { demo.prepareDemoWorkspace(workspace, sandbox); },
    });
  });

  after(async () => {
    await wb?.close();
    await sandbox?.stop();
  });

  step('the demo profile is active and a .http request answers through it', async () => {
    await wb.page.locator('.statusbar', { hasText: 'Demo sandbox store' }).waitFor({ state: 'visible', timeout: 60_000 });
    await wb.page.locator('.explorer-folders-view .monaco-list-row', { hasText: '1-search-products.http' }).waitFor({ state: 'visible' });
    await openFile('1-search-products.http');
    await wb.page.locator('.codelens-decoration a', { hasText: /^Send$/ }).first().click();
    // The response opens beside the request; its first line is "// <status> · <ms> · <url>".
    const response = wb.page.locator('.editor-group-container .view-lines', { hasText: /\/\/\s200\s·\s\d+\sms/ });
    await response.waitFor({ state: 'visible', timeout: 30_000 });
    await wb.page.locator('.editor-group-container .view-lines', { hasText: 'Backpack' }).first().waitFor({ state: 'visible' });
    await shot('01-http-send', { readme: 'http-send' });
  });

  step('convert preview: a single PUT as a bulk request, with a diff', async () => {
    await wb.runCommand('View: Close All Editors');
    await openFile('3-update-one-product.http');
    await wb.page.locator('.codelens-decoration a', { hasText: /^Convert to bulk$/ }).first().click();
    // The diff editor shows the original request on the left and the bulk route on the right.
    const diff = wb.page.locator('.monaco-diff-editor');
    await diff.waitFor({ state: 'visible', timeout: 30_000 });
    await diff.locator('.view-lines', { hasText: '/async/bulk/V1/products' }).first().waitFor({ state: 'visible' });
    await shot('02-convert-preview', { readme: 'convert-preview' });
    await wb.runCommand('Notifications: Clear All Notifications');
  });

  step('request builder: a filtered, fields-limited list sent to the sandbox', async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.runCommand('Magento: Open Request Builder');
    const frame: Frame = await wb.webview('Advisor', 60_000);
    const products = frame.locator('#endpoint-list li[data-method="GET"][data-path="/V1/products"]');
    await products.waitFor({ state: 'visible', timeout: 60_000 });
    await products.click();
    await frame.locator('h2', { hasText: 'searchCriteria' }).waitFor({ state: 'visible' });
    // The query of 1-search-products.http, pasted into "Fill from URL": OR within a group, AND across groups.
    const query = [
      'searchCriteria[filterGroups][0][filters][0][field]=name', 'searchCriteria[filterGroups][0][filters][0][value]=%25Backpack%25',
      'searchCriteria[filterGroups][0][filters][0][conditionType]=like', 'searchCriteria[filterGroups][0][filters][1][field]=name',
      'searchCriteria[filterGroups][0][filters][1][value]=%25Bag%25', 'searchCriteria[filterGroups][0][filters][1][conditionType]=like',
      'searchCriteria[filterGroups][1][filters][0][field]=price', 'searchCriteria[filterGroups][1][filters][0][value]=50',
      'searchCriteria[filterGroups][1][filters][0][conditionType]=gteq', 'searchCriteria[sortOrders][0][field]=price',
      'searchCriteria[sortOrders][0][direction]=ASC', 'searchCriteria[pageSize]=5', 'fields=items[sku,name,price],total_count',
    ].join('&');
    await frame.locator('#url-input').click();
    await wb.page.keyboard.insertText(query);
    await wb.page.keyboard.press('Enter');
    await frame.locator('input[aria-label="Field of filter 2 in group 1"]').waitFor({ state: 'visible' });
    assert.match((await frame.locator('#url-readable').textContent()) ?? '', /fields=items\[sku,name,price\],total_count$/);
    await frame.locator('#send-button').click();
    await frame.locator('#response-status', { hasText: 'HTTP 200' }).waitFor({ state: 'visible', timeout: 30_000 });
    await frame.locator('#json-body .json-key', { hasText: '"sku"' }).first().waitFor({ state: 'visible' });
    await frame.locator('h2', { hasText: 'searchCriteria' }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot('03-request-builder', { readme: 'request-builder' });
    await frame.locator('#response-status').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot('04-request-builder-response', { readme: 'request-builder-response' });

    // Every control a screen reader lands on has a name: its text, aria-label or label.
    const unnamed = await frame.locator('button, vscode-button, input, textarea, select, vscode-textfield, vscode-single-select, vscode-checkbox, vscode-textarea').evaluateAll((els) =>
      els.filter((el) => {
        if (el.getAttribute('type') === 'hidden' || el.closest('[aria-hidden="true"]')) return false;
        // Custom elements render the real control in their shadow root: judge that control.
        if (el.tagName.toLowerCase().startsWith('vscode-')) return false;
        const name = [el.getAttribute('aria-label'), el.getAttribute('title'), el.tagName === 'INPUT' ? '' : el.textContent].find((n) => n && n.trim() !== '') ?? '';
        const root = el.getRootNode() as unknown as { querySelector(selector: string): unknown };
        const labelled = el.id ? root.querySelector(`label[for="${el.id}"]`) !== null : false;
        return name === '' && !labelled;
      }).map((el) => el.outerHTML.slice(0, 120)));
    assert.deepEqual(unnamed, []);
  });

  step('walkthrough: the Get Started page lists the five steps', async () => {
    await wb.runCommand('View: Close All Editors');
    // The command opens a second picker at once, so drive the palette by keyboard.
    await wb.page.keyboard.press('F1');
    const input = wb.page.locator('.quick-input-widget:not(.quick-input-widget-closing) input');
    await input.fill('>Welcome: Open Walkthrough');
    await wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Open Walkthrough' }).first().waitFor({ state: 'visible' });
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Magento REST Workbench' }).first().waitFor({ state: 'visible' });
    await input.fill('Magento REST Workbench');
    await wb.page.keyboard.press('Enter');
    const page = wb.page.locator('.gettingStartedContainer');
    for (const title of ['Connect a store', 'Build a filtered request', 'Convert to bulk and submit', 'Watch and retry', 'Share tokens through Redis']) {
      await page.locator('.getting-started-step', { hasText: title }).first().waitFor({ state: 'visible', timeout: 30_000 });
    }
    await page.locator('.getting-started-step', { hasText: 'Build a filtered request' }).first().click();
    await page.locator('.getting-started-media img, .getting-started-media').first().waitFor({ state: 'visible' });
    await wb.page.waitForTimeout(500);
    await shot('08-walkthrough', { readme: 'walkthrough' });
    await wb.runCommand('View: Close All Editors');
  });

  step('bulk tree: running, stuck and partly failed bulks (states made with /__sandbox/consumers and /__sandbox/faults)', async () => {
    await wb.runCommand('View: Close All Editors');
    // Partly failed: one non-retriable and one retriable failure, the consumer running fast.
    const faults = await store('POST', '/__sandbox/faults', { operations: { skuRules: [
      { skuPattern: 'DEMO-MISSING-*', status: 3, message: 'The product with the SKU "DEMO-MISSING-1" does not exist.' },
      { skuPattern: 'DEMO-LOCKED-*', status: 2, message: 'Database deadlock found when trying to get lock.' },
    ] } });
    assert.equal(faults.status, 200, faults.text);
    await store('POST', '/__sandbox/consumers', { running: true, concurrency: 1, latencyMs: 0 });
    const failed = await submitBulk(['DEMO-OK-1', 'DEMO-MISSING-1', 'DEMO-LOCKED-1', 'DEMO-OK-2', 'DEMO-OK-3']);
    for (let i = 0; i < 200; i++) {
      const status = await store('GET', `/rest/V1/bulk/${failed}/status`);
      if ((status.json as { operations_list: { status: number }[] }).operations_list.every((op) => op.status !== 4)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // Running: one operation every 1.5 s. Stuck: queued behind it, so every operation stays open
    // past the demo workspace's stuckAfterSeconds (20 s).
    await store('POST', '/__sandbox/consumers', { running: true, concurrency: 1, latencyMs: 1500 });
    const running = await submitBulk(Array.from({ length: 60 }, (_, i) => `DEMO-RUN-${i}`));
    const stuck = await submitBulk(['DEMO-WAIT-1', 'DEMO-WAIT-2', 'DEMO-WAIT-3']);

    await wb.openViewContainer('Magento');
    const view = wb.view('Bulk Operations');
    await view.waitFor({ state: 'visible' });
    // A wide side bar, so each bulk's "n/m done · k failed" description is readable.
    const sideBar = await wb.page.locator('.part.sidebar').boundingBox();
    if (sideBar) {
      await wb.page.mouse.move(sideBar.x + sideBar.width + 1, sideBar.y + 300);
      await wb.page.mouse.down();
      await wb.page.mouse.move(sideBar.x + 640, sideBar.y + 300, { steps: 8 });
      await wb.page.mouse.up();
    }
    const row = (uuid: string) => view.locator('.monaco-list-row', { hasText: uuid.slice(0, 8) });
    for (const uuid of [failed, stuck, running]) {
      await wb.page.keyboard.press('F1');
      const input = wb.page.locator('.quick-input-widget:not(.quick-input-widget-closing) input');
      await input.fill('>Magento: Track Bulk UUID');
      await wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Track Bulk UUID' }).first().waitFor({ state: 'visible' });
      await wb.page.keyboard.press('Enter');
      // The palette turns into the command's input box (its prompt names the bulk_uuid).
      await wb.page.locator('.quick-input-widget', { hasText: 'bulk_uuid' }).waitFor({ state: 'visible' });
      await input.fill(uuid);
      await wb.page.keyboard.press('Enter');
      await row(uuid).waitFor({ state: 'visible' });
      await wb.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    }
    await row(failed).locator('.label-description', { hasText: '3/5 done · 2 failed' }).waitFor({ state: 'visible', timeout: 30_000 });
    await row(running).locator('.label-description', { hasText: /^[1-9]\d*\/60 done/ }).waitFor({ state: 'visible', timeout: 30_000 });
    await row(stuck).locator('.label-description', { hasText: 'stuck?' }).waitFor({ state: 'visible', timeout: 45_000 });
    await wb.runCommand('Notifications: Clear All Notifications');
    await shot('05-bulk-tree-states', { readme: 'bulk-tree-states' });

    await row(failed).click();
    await view.locator('.monaco-list-row', { hasText: 'Failed, retriable' }).waitFor({ state: 'visible' });
    await view.locator('.monaco-list-row', { hasText: 'does not exist' }).waitFor({ state: 'visible' });
    await shot('06-bulk-tree-partly-failed', { readme: 'bulk-tree-partly-failed' });
    await row(failed).click();

    await row(stuck).click();
    const notice = view.locator('.monaco-list-row', { hasText: 'No consumer seems to run' });
    await notice.waitFor({ state: 'visible' });
    await notice.hover();
    await wb.page.locator('.monaco-hover', { hasText: 'queue:consumers:start async.operations.all' }).waitFor({ state: 'visible', timeout: 15_000 });
    await shot('07-bulk-tree-stuck', { readme: 'bulk-tree-stuck' });
  });
});
