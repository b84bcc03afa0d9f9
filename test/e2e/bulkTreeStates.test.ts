// The Bulk Operations tree as a person sees it: a running, a stuck and a partly failed bulk in a
// real workbench (code-server + Chromium), tracked through "Magento: Track Bulk UUID…" against the
// sandbox store the extension starts. Screenshots go to test-results/e2e/bulk-tree-*.png.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSandbox } from '../../src/sandbox/sandboxServer';
import { openWorkbench, type Workbench } from './harness';

interface Store { baseUrl: string; token: string }

async function call(store: Store, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown; text: string }> {
  const res = await fetch(`${store.baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${store.token}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined, text };
}

async function submit(store: Store, skus: string[]): Promise<string> {
  const items = skus.map((sku) => ({ product: { sku, name: `Product ${sku}`, attribute_set_id: 4, price: 10, type_id: 'simple' } }));
  const reply = await call(store, 'POST', '/rest/default/async/bulk/V1/products', items);
  assert.equal(reply.status, 202, reply.text);
  return (reply.json as { bulk_uuid: string }).bulk_uuid;
}

async function waitDone(store: Store, uuid: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const reply = await call(store, 'GET', `/rest/V1/bulk/${uuid}/status`);
    if ((reply.json as { operations_list: { status: number }[] }).operations_list.every((op) => op.status !== 4)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`bulk ${uuid} did not finish`);
}

describe('Bulk Operations tree states in a real workbench', () => {
  let wb: Workbench;
  let store: Store;

  before(async () => {
    wb = await openWorkbench({ viewport: { width: 1500, height: 950 } });
    // Stuck after 5 s instead of 2 min, so the test does not wait that long.
    mkdirSync(join(wb.workspace, '.vscode'), { recursive: true });
    writeFileSync(join(wb.workspace, '.vscode', 'settings.json'), JSON.stringify({ 'magentoWorkbench.bulk.stuckAfterSeconds': 5 }, null, 2));
    await new Promise((r) => setTimeout(r, 1500)); // let the workbench read the new settings
    // The Magento container being there means the extension's contributions are loaded.
    await wb.openViewContainer('Magento');
    await wb.runCommand('Magento: Start Sandbox Store');
    // The sandbox profile lands in the settings (user or workspace): its base URL is the store's.
    const settingsFiles = [join(wb.workspace, '.vscode', 'settings.json'), join(dirname(wb.workspace), 'user-data', 'User', 'settings.json')];
    let baseUrl: string | undefined;
    for (let i = 0; i < 120 && !baseUrl; i++) {
      await new Promise((r) => setTimeout(r, 500));
      for (const file of settingsFiles) {
        const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
        baseUrl ??= /"baseUrl"\s*:\s*"(http:\/\/127\.0\.0\.1:\d+)"/.exec(text)?.[1];
      }
    }
    assert.ok(baseUrl, `the sandbox profile never appeared in ${settingsFiles.join(' or ')}`);
    // The sandbox's seeded credentials are deterministic: read them from a local instance.
    const local = await startSandbox({ port: 0 });
    store = { baseUrl, token: local.credentials.integration.accessToken };
    await local.close();
  });

  after(async () => {
    await wb?.close();
  });

  /** "Magento: Track Bulk UUID…" from the palette, then the UUID in its input box (the harness's runCommand expects no follow-up input). */
  async function track(uuid: string): Promise<void> {
    const page = wb.page;
    const quickInput = page.locator('.quick-input-widget');
    await page.keyboard.press('F1');
    await quickInput.waitFor({ state: 'visible' });
    await quickInput.locator('input').fill('>Magento: Track Bulk UUID');
    await quickInput.locator('.monaco-list-row', { hasText: 'Magento: Track Bulk UUID' }).first().waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    // The command's own input box replaces the palette.
    await quickInput.locator('.quick-input-title', { hasText: 'Track Bulk UUID' }).waitFor({ state: 'visible' });
    await quickInput.locator('input').fill(uuid);
    await page.keyboard.press('Enter');
    await quickInput.waitFor({ state: 'hidden' }).catch(async (error: unknown) => {
      await wb.screenshot('bulk-tree-track-failed');
      throw error;
    });
  }

  test('running, stuck and partly failed bulks, with their status groups', async () => {
    // Partly failed: one non-retriable and one retriable failure.
    await call(store, 'POST', '/__sandbox/faults', { operations: { skuRules: [{ skuPattern: 'E2E-BAD-*', status: 3, message: 'The product with the SKU "E2E-BAD-1" does not exist.' }, { skuPattern: 'E2E-FLAKY-*', status: 2 }] } });
    await call(store, 'POST', '/__sandbox/consumers', { running: true, concurrency: 1, latencyMs: 0 });
    const failed = await submit(store, ['E2E-OK-1', 'E2E-BAD-1', 'E2E-FLAKY-1', 'E2E-OK-2']);
    await waitDone(store, failed);
    // Running: one operation every 1.5 s. Stuck: queued behind it, every operation stays open.
    await call(store, 'POST', '/__sandbox/consumers', { running: true, concurrency: 1, latencyMs: 1500 });
    const running = await submit(store, Array.from({ length: 40 }, (_, i) => `E2E-RUN-${i}`));
    const stuck = await submit(store, ['E2E-WAIT-1', 'E2E-WAIT-2', 'E2E-WAIT-3']);

    // The Magento container is already open (clicking it again would close the side bar).
    const view = wb.view('Bulk Operations');
    await view.waitFor({ state: 'visible' });
    // A wider side bar, so the descriptions ("2/4 done · 2 failed") are in the screenshots.
    const box = await wb.page.locator('.part.sidebar').boundingBox();
    if (box) {
      await wb.page.mouse.move(box.x + box.width + 1, box.y + box.height / 2);
      await wb.page.mouse.down();
      await wb.page.mouse.move(box.x + box.width + 330, box.y + box.height / 2, { steps: 8 });
      await wb.page.mouse.up();
    }
    for (const uuid of [failed, stuck, running]) await track(uuid);

    const row = (uuid: string) => view.locator('.monaco-list-row', { hasText: uuid.slice(0, 8) });
    await row(failed).locator('.label-description', { hasText: '2/4 done · 2 failed' }).waitFor({ state: 'visible' });
    await row(stuck).locator('.label-description', { hasText: 'stuck?' }).waitFor({ state: 'visible', timeout: 30_000 });
    await row(running).locator('.label-description', { hasText: /^[1-9]\d*\/40 done/ }).waitFor({ state: 'visible', timeout: 30_000 });
    await wb.screenshot('bulk-tree-states', view);

    // The partly failed bulk opens onto its status groups, failures first.
    await row(failed).click();
    await view.locator('.monaco-list-row', { hasText: 'Failed, retriable' }).waitFor({ state: 'visible' });
    await view.locator('.monaco-list-row', { hasText: 'does not exist' }).waitFor({ state: 'visible' });
    await wb.screenshot('bulk-tree-partly-failed', view);

    // The stuck bulk explains itself.
    await row(failed).click();
    await row(stuck).click();
    const notice = view.locator('.monaco-list-row', { hasText: 'No consumer seems to run' });
    await notice.waitFor({ state: 'visible' });
    await notice.hover();
    await wb.page.locator('.monaco-hover', { hasText: 'queue:consumers:start async.operations.all' }).waitFor({ state: 'visible', timeout: 15_000 });
    await wb.screenshot('bulk-tree-stuck');
  });
});
