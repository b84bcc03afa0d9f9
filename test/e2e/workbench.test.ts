import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readResolvedManifest } from '../support/manifest';
import { openWorkbench, type Workbench } from './harness';

const BULK_VIEW_ID = 'magentoWorkbench.bulkOperations';
const REQUEST_BUILDER_COMMAND_ID = 'magentoWorkbench.requestBuilder.open';

/** The manifest's titles as the workbench shows them: `%key%` placeholders resolved through package.nls.json. */
const packageJson = readResolvedManifest<{
  contributes: { commands: { command: string; title: string; category?: string }[]; viewsWelcome: { view: string; contents: string }[] };
}>();

/** "Category: Title" as the command palette shows it, read from the manifest. */
function paletteTitle(commandId: string): string {
  const entry = packageJson.contributes.commands.find((c) => c.command === commandId);
  assert.ok(entry, `package.json does not contribute ${commandId}`);
  return entry.category ? `${entry.category}: ${entry.title}` : entry.title;
}

/** First line of the view's empty-state text, read from the manifest so wording changes don't break the test. */
function bulkViewWelcomeFirstLine(): string {
  const entry = packageJson.contributes.viewsWelcome.find((w) => w.view === BULK_VIEW_ID);
  assert.ok(entry, `package.json has no viewsWelcome for ${BULK_VIEW_ID}`);
  const first = entry.contents.split('\n')[0];
  assert.ok(first);
  return first.replace(/\[([^\]]+)\]\([^)]*\)/g, '$1'); // a [label](command:...) link renders as its label
}

describe('Magento activity bar in a real workbench', () => {
  let wb: Workbench;
  before(async () => {
    wb = await openWorkbench();
  });
  after(async () => {
    await wb?.close();
  });

  test('the Magento container shows the Bulk Operations view with its empty state', async () => {
    const sideBar = await wb.openViewContainer('Magento');
    const view = wb.view('Bulk Operations');
    await view.waitFor({ state: 'visible' });
    await view.getByText(bulkViewWelcomeFirstLine()).waitFor({ state: 'visible' });
    const path = await wb.screenshot('bulk-operations-view');
    await wb.screenshot('bulk-operations-sidebar', sideBar);
    assert.match(path, /bulk-operations-view\.png$/);
  });

  test('"Magento: Show Log" from the command palette opens the extension log', async () => {
    await wb.runCommand('Magento: Show Log');
    const panel = wb.page.locator('.part.panel');
    await panel.locator('.view-lines', { hasText: 'activated (VS Code' }).waitFor({ state: 'visible' });
    await wb.screenshot('magento-log');
  });

  test('a webview panel opened from the palette renders, and its content is reachable through the nested frames', async () => {
    await wb.runCommand(paletteTitle(REQUEST_BUILDER_COMMAND_ID));
    const frame = await wb.webview('Send', 90_000);
    await frame.locator('body').getByText('Send', { exact: true }).first().waitFor({ state: 'visible' });
    await wb.screenshot('request-builder-webview');
  });
});
