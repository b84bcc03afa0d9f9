// A person's path through the request builder in a real workbench: start the sandbox store
// (which adds and selects its profile), open the panel, pick GET /V1/products, add two filter
// groups, pick three fields, send, page twice, export cURL — a screenshot for every step.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { openWorkbench, type Workbench } from './harness';

describe('request builder in a real workbench', () => {
  let wb: Workbench;
  let frame: Frame;
  const shot = (name: string) => wb.screenshot(`request-builder-${name}`);

  before(async () => {
    wb = await openWorkbench({ viewport: { width: 1600, height: 1000 } });
  });
  after(async () => {
    await wb?.close();
  });

  test('open the panel against the sandbox store', async () => {
    // The Magento container appears once the workbench has scanned the extension.
    await wb.openViewContainer('Magento');
    await wb.runCommand('Magento: Start Sandbox Store');
    // The status bar names the selected profile once the sandbox store runs and its profile is active.
    await wb.page.locator('.statusbar', { hasText: 'Sandbox' }).waitFor({ state: 'visible', timeout: 60_000 }).catch(async (error: unknown) => {
      await shot('00-sandbox-not-started');
      throw error;
    });
    await wb.runCommand('Magento: Open Request Builder');
    frame = await wb.webview('Advisor', 60_000);
    await frame.locator('#endpoint-list li[data-method="GET"][data-path="/V1/products"]').waitFor({ state: 'visible', timeout: 60_000 });
    await shot('01-opened');
  });

  test('pick GET /V1/products from the schema', async () => {
    await frame.locator('#endpoint-filter').click();
    await wb.page.keyboard.type('products list');
    await frame.locator('#endpoint-list li[data-method="GET"][data-path="/V1/products"]').click();
    await frame.locator('h2', { hasText: 'searchCriteria' }).waitFor({ state: 'visible' });
    await frame.locator('ul.fields-tree vscode-checkbox[label="sku"]').first().waitFor({ state: 'visible' });
    assert.match((await frame.locator('#url-readable').textContent()) ?? '', /GET .*\/rest\/default\/V1\/products\?searchCriteria=$/);
    await shot('02-endpoint');
  });

  test('add two filter groups (ANDed)', async () => {
    const addGroup = frame.getByRole('button', { name: 'Add an AND filter group' });
    await addGroup.click();
    await addGroup.click();
    await frame.locator('input[aria-label="Field of filter 1 in group 1"]').fill('type_id');
    await frame.locator('vscode-textfield[label="Value of filter 1 in group 1"]').click();
    await wb.page.keyboard.type('simple');
    await frame.locator('input[aria-label="Field of filter 1 in group 2"]').fill('status');
    await frame.locator('vscode-textfield[label="Value of filter 1 in group 2"]').click();
    await wb.page.keyboard.type('1');
    await frame.locator('vscode-textfield[label="Page size"]').click();
    await wb.page.keyboard.type('2');
    const url = (await frame.locator('#url-readable').textContent()) ?? '';
    assert.match(url, /filter_groups\]\[0\]\[filters\]\[0\]\[field\]=type_id/);
    assert.match(url, /filter_groups\]\[1\]\[filters\]\[0\]\[field\]=status/);
    await frame.locator('h2', { hasText: 'searchCriteria' }).scrollIntoViewIfNeeded();
    await frame.locator('h2', { hasText: 'searchCriteria' }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot('03-filters');
  });

  test('pick three fields in the tree', async () => {
    for (const name of ['sku', 'name', 'price']) await frame.locator(`ul.fields-tree vscode-checkbox[label="${name}"]`).first().click();
    await frame.locator('ul.fields-tree vscode-checkbox[label="total_count"]').click();
    await frame.locator('ul.fields-tree vscode-checkbox[label="search_criteria"]').click();
    assert.match((await frame.locator('#url-readable').textContent()) ?? '', /fields=items\[sku,name,price\],total_count,search_criteria$/);
    await frame.locator('h2', { hasText: 'fields (partial response)' }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot('04-fields');
  });

  test('send and read the answer', async () => {
    await frame.locator('#send-button').click();
    await frame.locator('#response-status', { hasText: 'HTTP 200' }).waitFor({ state: 'visible', timeout: 30_000 });
    await frame.locator('#paging-status', { hasText: 'page 1 of' }).waitFor({ state: 'visible' });
    await frame.locator('#json-body .json-key', { hasText: '"sku"' }).first().waitFor({ state: 'visible' });
    await shot('05-sent');
  });

  test('page twice', async () => {
    await frame.locator('#page-next').click();
    await frame.locator('#paging-status', { hasText: 'page 2 of' }).waitFor({ state: 'visible', timeout: 30_000 });
    await shot('06-page-2');
    await frame.locator('#page-next').click();
    await frame.locator('#paging-status', { hasText: 'page 3 of' }).waitFor({ state: 'visible', timeout: 30_000 });
    assert.match((await frame.locator('#url-readable').textContent()) ?? '', /current_page\]=3/);
    await shot('07-page-3');
  });

  test('export as cURL (credentials masked)', async () => {
    await frame.locator('#export-curl').click();
    const curl = frame.locator('#curl-text');
    await curl.waitFor({ state: 'visible', timeout: 30_000 });
    const text = (await curl.textContent()) ?? '';
    assert.match(text, /^curl /);
    assert.match(text, /Authorization: Bearer \*\*\*/);
    assert.match(text, /searchCriteria%5Bfilter_groups%5D/);
    await curl.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await shot('08-curl');
  });

  test('store data is shown as text, never run (POST with a body from the schema skeleton)', async () => {
    await frame.locator('#endpoint-filter').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await frame.locator('#endpoint-filter').click();
    await wb.page.keyboard.press('Control+A');
    await wb.page.keyboard.type('POST products');
    await frame.locator('#endpoint-list li[data-method="POST"][data-path="/V1/products"]').click();
    const body = frame.locator('textarea.body-editor');
    await body.waitFor({ state: 'visible' });
    // Functions, not strings: the panel's CSP forbids eval (strings would need 'unsafe-eval').
    // `globalThis` casts because this file is type-checked without the DOM library.
    type PageGlobal = { document: { querySelector(selector: string): { value?: string } | null }; __pwned?: number };
    await frame.waitForFunction(() => (globalThis as unknown as PageGlobal).document.querySelector('textarea.body-editor')?.value?.includes('"product"') ?? false, undefined, { timeout: 30_000 });
    const hostile = '<img src=x onerror="window.__pwned=1">"><script>window.__pwned=2</script>';
    await body.fill(JSON.stringify({ product: { sku: 'E2E-XSS-1', name: hostile, attribute_set_id: 4, price: 9.5, status: 1, type_id: 'simple' } }, null, 2));
    await frame.locator('#send-button').click();
    await frame.locator('#response-status').waitFor({ state: 'visible', timeout: 30_000 }).finally(() => shot('09-store-data-as-text'));
    await frame.locator('#response-status', { hasText: 'HTTP 200' }).waitFor({ state: 'visible', timeout: 30_000 });
    await frame.locator('#json-body', { hasText: '<script>window.__pwned=2</script>' }).waitFor({ state: 'visible' });
    assert.equal(await frame.locator('#json-body img, #json-body script').count(), 0);
    assert.equal(await frame.evaluate(() => (globalThis as unknown as PageGlobal).__pwned), undefined);
    await shot('09-store-data-as-text');
  });

  test('paste a URL: the editor fills itself', async () => {
    const input = frame.locator('vscode-textfield#url-input');
    await input.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await input.click();
    await wb.page.keyboard.type('/rest/default/V1/products?searchCriteria[filter_groups][0][filters][0][field]=sku&searchCriteria[filter_groups][0][filters][0][value]=MP-0000%25&searchCriteria[filter_groups][0][filters][0][condition_type]=like&searchCriteria[pageSize]=5&fields=items[sku,name]');
    await wb.page.keyboard.press('Enter');
    await frame.locator('input[aria-label="Field of filter 1 in group 1"]').waitFor({ state: 'visible' });
    assert.equal(await frame.locator('input[aria-label="Field of filter 1 in group 1"]').inputValue(), 'sku');
    assert.match((await frame.locator('#url-readable').textContent()) ?? '', /^GET .*\/V1\/products\?searchCriteria\[filter_groups\]\[0\]\[filters\]\[0\]\[field\]=sku&.*\[value\]=MP-0000%25&.*condition_type\]=like&searchCriteria\[page_size\]=5&fields=items\[sku,name\]$/);
    await frame.locator('h2', { hasText: 'searchCriteria' }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot('10-url-pasted');
  });
});
