#!/usr/bin/env node
// Runs the *.test.ts files under the given folders with Node's test runner (TypeScript through tsx).
// Usage: node scripts/run-node-tests.mjs <dir|file>... [-- extra node --test flags]
// Prints the runner's own output and exits with its code.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const sep = args.indexOf('--');
const targets = sep >= 0 ? args.slice(0, sep) : args;
const extra = sep >= 0 ? args.slice(sep + 1) : [];

function collect(path, out) {
  const st = statSync(path);
  if (st.isFile()) { out.push(path); return; }
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) collect(full, out);
    else if (entry.name.endsWith('.test.ts')) out.push(full);
  }
}

const files = [];
for (const t of targets) collect(t, files);
files.sort();
if (files.length === 0) {
  console.error(`no test files under ${targets.join(', ')}`);
  process.exit(1);
}

const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...extra, ...files], {
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'test' },
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
