#!/usr/bin/env node
// `npm run demo`: from a fresh clone (after `npm ci`) to a bulk job in a VS Code window, without
// a store. Builds the extension, starts the sandbox store with realistic latency, copies
// demo/workspace/ (.http examples, a CSV of items) into a temporary folder pointed at the
// sandbox, and opens VS Code on it with the extension loaded and the "Demo sandbox store"
// profile set up — desktop `code` when it is on the PATH, else code-server at a loopback URL.
// Ctrl-C stops everything it started.
//
// Options: --browser (code-server even when `code` exists), --latency none|realistic.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  buildExtension, demoEnvironment, findDesktopCode, prepareDemoWorkspace, startCodeServerDemo, startDesktopCode, startSandboxProcess,
} from './lib/demo-session.mjs';

const { values } = parseArgs({
  options: { browser: { type: 'boolean' }, latency: { type: 'string', default: 'realistic' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help) {
  console.log('Usage: npm run demo [-- --browser] [-- --latency none|realistic]');
  process.exit(0);
}
if (values.latency !== 'none' && values.latency !== 'realistic') {
  console.error(`--latency must be 'none' or 'realistic', got '${values.latency}'`);
  process.exit(2);
}

const cleanups = [];
let stopping = false;
async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping the demo…');
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (error) {
      console.error(`  (cleanup: ${error instanceof Error ? error.message : String(error)})`);
    }
  }
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

try {
  console.log('① Building the extension (node esbuild.mjs)…');
  buildExtension();

  console.log(`② Starting the sandbox store (latency: ${values.latency})…`);
  const sandbox = await startSandboxProcess({ latency: values.latency });
  cleanups.push(() => sandbox.stop());
  console.log(`   ${sandbox.baseUrl}  (REST: ${sandbox.baseUrl}/rest/default/V1/…)`);

  const code = values.browser ? undefined : findDesktopCode();
  if (code) {
    const workspace = mkdtempSync(join(tmpdir(), 'mwb-demo-workspace-'));
    cleanups.push(() => rmSync(workspace, { recursive: true, force: true }));
    prepareDemoWorkspace(workspace, sandbox);
    console.log(`③ Opening VS Code (${code}) on ${workspace}…`);
    const desktop = startDesktopCode(code, workspace, demoEnvironment(sandbox));
    cleanups.push(() => desktop.stop());
    void desktop.done.then(() => stopAll(0));
  } else {
    console.log('③ `code` is not on the PATH: starting code-server (the first run installs it, ~3 min)…');
    const demo = await startCodeServerDemo(sandbox, { log: (m) => console.log(`   ${m}`) });
    cleanups.push(() => demo.stop());
    console.log('');
    console.log('   Open this URL in a browser on this machine:');
    console.log(`   ${demo.url}`);
  }
  console.log('');
  console.log('The "Demo sandbox store" profile is active (see the status bar). Try:');
  console.log('  • 1-search-products.http → "Send", or Magento: Open Request Builder');
  console.log('  • 4-bulk-update-prices.http → "Submit as bulk", then watch the Bulk Operations view');
  console.log('  • right-click items/new-products.csv → "Bulk Submit from File…"');
  console.log('The CLI talks to the same store:');
  console.log(`  MAGENTO_BASE_URL=${sandbox.baseUrl} MAGENTO_USERNAME=${sandbox.admin.username} MAGENTO_PASSWORD=${sandbox.admin.password} \\`);
  console.log('    node dist/cli.js request GET /V1/products --page-size 5 --fields "items[sku,name,price]"');
  console.log('');
  console.log('Press Ctrl-C to stop the sandbox and VS Code.');
} catch (error) {
  console.error(`✘ demo: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll(1);
}
