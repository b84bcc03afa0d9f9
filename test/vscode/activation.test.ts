import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { recordMetric } from './support/results';
import { ACTIVE_AT_START_ENV, getWorkbenchExtension, loadedManifest } from './support/extension';

const VIEW_CONTAINER_ID = 'magentoWorkbench';
const BULK_VIEW_ID = 'magentoWorkbench.bulkOperations';

suite('activation', () => {
  test('activation is lazy: declared events never include startup, and nothing activated the extension before the tests', () => {
    const manifest = loadedManifest(getWorkbenchExtension());
    const eager = (manifest.activationEvents ?? []).filter((e) => e === '*' || e === 'onStartupFinished');
    assert.deepEqual(eager, [], 'activationEvents must not activate the extension at startup');
    assert.equal(process.env[ACTIVE_AT_START_ENV], 'false', 'the extension was already active when the tests started');
  });

  test('the extension activates (time measured)', async () => {
    const extension = getWorkbenchExtension();
    const wasActive = extension.isActive;
    const started = performance.now();
    await extension.activate();
    const elapsed = performance.now() - started;
    assert.equal(extension.isActive, true);
    // The driver says which copy must be under test: the development folder, or (`--vsix`
    // mode) the one code-server installed from the package.
    const expectedRoot = process.env.MWB_VSCODE_EXPECT_EXTENSION_ROOT;
    assert.ok(expectedRoot, 'MWB_VSCODE_EXPECT_EXTENSION_ROOT is not set by the driver');
    assert.ok(extension.extensionPath.startsWith(expectedRoot), `loaded from ${extension.extensionPath}, expected under ${expectedRoot}`);
    // Only a cold activation measures loading + activate(); a warm one would report ~0.
    if (!wasActive) recordMetric('activation_ms', Math.round(elapsed * 10) / 10, 'ms');
  });

  test('every contributed command is registered, and every registered magentoWorkbench.* command is contributed', async () => {
    const extension = getWorkbenchExtension();
    await extension.activate();
    const manifest = loadedManifest(extension);
    const contributed = (manifest.contributes?.commands ?? []).map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');

    // VS Code itself registers `<viewId>.focus`, `.resetViewLocation`, ... for each contributed
    // view, and `workbench.view.extension.<container>` for each container: those are not ours.
    const viewIds = Object.values(manifest.contributes?.views ?? {}).flat().map((v) => v.id);
    const generatedByWorkbench = (id: string) => viewIds.some((viewId) => id.startsWith(`${viewId}.`));

    const registered = (await vscode.commands.getCommands(true)).filter(
      (id) => id.startsWith('magentoWorkbench.') && !generatedByWorkbench(id),
    );
    const registeredSet = new Set(registered);
    const contributedSet = new Set(contributed);
    const notRegistered = contributed.filter((id) => !registeredSet.has(id)).sort();
    const notContributed = registered.filter((id) => !contributedSet.has(id)).sort();
    assert.deepEqual(
      { notRegistered, notContributed },
      { notRegistered: [], notContributed: [] },
      'package.json contributes.commands and the commands the extension registers must match',
    );
    recordMetric('commands_contributed', contributed.length, 'commands');
  });

  test('VS Code resolves the %key% titles through the package.nls.json next to the loaded package.json', () => {
    const extension = getWorkbenchExtension();
    // The files of the copy under test (in --vsix mode, the installed one: this also proves the
    // .vsix carries package.nls.json).
    const onDisk = (name: string) => JSON.parse(readFileSync(join(extension.extensionPath, name), 'utf8')) as unknown;
    const raw = onDisk('package.json') as { displayName: string; contributes: { commands: { command: string; title: string }[] } };
    const nls = onDisk('package.nls.json') as Record<string, string>;
    const english = (value: string) => {
      const key = /^%([\w.-]+)%$/.exec(value)?.[1];
      assert.ok(key, `package.json has a raw string where a %key% belongs: ${value}`);
      assert.ok(Object.hasOwn(nls, key), `package.nls.json has no "${key}"`);
      return nls[key];
    };
    const loaded = loadedManifest(extension) as { displayName?: string; contributes?: { commands?: { command: string; title: string }[] } };
    const loadedTitles = new Map((loaded.contributes?.commands ?? []).map((c) => [c.command, c.title]));
    const expected = new Map(raw.contributes.commands.map((c) => [c.command, english(c.title)]));
    assert.deepEqual(loadedTitles, expected, 'the command titles VS Code loaded are not the English texts of package.nls.json');
    assert.equal(loaded.displayName, english(raw.displayName));
  });

  test('the Magento view container and the Bulk Operations view can be shown', async () => {
    const manifest = loadedManifest(getWorkbenchExtension());
    const containers = manifest.contributes?.viewsContainers?.activitybar ?? [];
    assert.ok(containers.some((c) => c.id === VIEW_CONTAINER_ID), `no activity-bar container "${VIEW_CONTAINER_ID}"`);
    const views = manifest.contributes?.views?.[VIEW_CONTAINER_ID] ?? [];
    assert.ok(views.some((v) => v.id === BULK_VIEW_ID), `no view "${BULK_VIEW_ID}" in the container`);

    // Both commands exist only when the workbench registered the container and the view;
    // executing them opens the side bar on the container and focuses the view.
    const all = new Set(await vscode.commands.getCommands(false));
    assert.ok(all.has(`workbench.view.extension.${VIEW_CONTAINER_ID}`), 'the view container was not registered');
    assert.ok(all.has(`${BULK_VIEW_ID}.focus`), 'the Bulk Operations view was not registered');
    await vscode.commands.executeCommand(`workbench.view.extension.${VIEW_CONTAINER_ID}`);
    await vscode.commands.executeCommand(`${BULK_VIEW_ID}.focus`);
  });
});
