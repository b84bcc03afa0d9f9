#!/usr/bin/env node
// The e2e tier: test/e2e/*.test.ts (node:test + the harness in test/e2e/harness.ts) drive a
// real VS Code workbench (code-server) through headless Chromium. Screenshots go to
// test-results/e2e/. Builds the extension and provisions code-server first, so a missing
// prerequisite fails here with the command that fixes it.
// Usage: node scripts/run-e2e.mjs [test/e2e/x.test.ts ...]
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrerequisiteError, findChromium, provisionCodeServer } from './provision-code-server.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const e2eDir = join(repoRoot, 'test', 'e2e');

function fail(message) {
  console.error(`✘ e2e tier: ${message}`);
  console.log('ℹ tests 0\nℹ pass 0\nℹ fail 1');
  process.exit(1);
}

const args = process.argv.slice(2);
const files = args.length > 0
  ? args
  : readdirSync(e2eDir).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join('test', 'e2e', f));
if (files.length === 0) fail('no test files in test/e2e');

try {
  findChromium();
  await provisionCodeServer({ log: (m) => console.log(`# ${m}`) });
} catch (error) {
  fail(error instanceof PrerequisiteError ? error.message : String(error?.stack ?? error));
}
const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
if (build.status !== 0) fail('the extension build (node esbuild.mjs) failed');

// One workbench at a time: each test file starts its own code-server + Chromium.
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', '--test-timeout=300000', ...files],
  { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
const forward = (signal) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
child.on('exit', (code, signal) => {
  console.log(`# screenshots: ${join('test-results', 'e2e')}/`);
  process.exit(code ?? (signal ? 1 : 0));
});
