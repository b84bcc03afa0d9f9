#!/usr/bin/env node
// `npm test`: lint, type check, build, unit, integration and the vscode tier, then one summary.
// Set TEST_TIERS=unit,integration to run a subset while developing.
import { spawn } from 'node:child_process';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const all = [
  { name: 'lint', cmd: [npm, 'run', '-s', 'lint'] },
  { name: 'typecheck', cmd: [npm, 'run', '-s', 'typecheck'] },
  { name: 'build', cmd: [npm, 'run', '-s', 'build'] },
  { name: 'unit', cmd: [process.execPath, 'scripts/run-node-tests.mjs', 'test/unit'], counts: true },
  { name: 'integration', cmd: [process.execPath, 'scripts/run-node-tests.mjs', 'test/integration'], counts: true },
  { name: 'vscode', cmd: [process.execPath, 'scripts/run-vscode-tests.mjs'], counts: true },
];
const wanted = process.env.TEST_TIERS?.split(',').map((s) => s.trim()).filter(Boolean);
const stages = wanted ? all.filter((s) => wanted.includes(s.name)) : all;

function run(stage) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(stage.cmd[0], stage.cmd.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
    let tail = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString()).slice(-20000);
    });
    child.on('exit', (code) => {
      const result = { name: stage.name, ok: code === 0, seconds: (Date.now() - started) / 1000 };
      if (stage.counts) {
        // Node's spec reporter ends with "ℹ pass N" / "ℹ fail N"; the vscode runner prints the same.
        const pass = [...tail.matchAll(/(?:ℹ|#) pass (\d+)/g)].pop();
        const fail = [...tail.matchAll(/(?:ℹ|#) fail (\d+)/g)].pop();
        const skip = [...tail.matchAll(/(?:ℹ|#) skipped (\d+)/g)].pop();
        result.passed = pass ? Number(pass[1]) : 0;
        result.failed = fail ? Number(fail[1]) : code === 0 ? 0 : 1;
        result.skipped = skip ? Number(skip[1]) : 0;
      }
      resolve(result);
    });
  });
}

const results = [];
for (const stage of stages) {
  console.log(`\n=== ${stage.name} ===`);
  results.push(await run(stage));
}

console.log('\n=== summary ===');
let passed = 0, failed = 0, skipped = 0;
for (const r of results) {
  const counts = r.passed !== undefined ? ` (${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''})` : '';
  console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(12)} ${r.seconds.toFixed(1)}s${counts}`);
  passed += r.passed ?? 0;
  failed += r.failed ?? (r.ok ? 0 : 1);
  skipped += r.skipped ?? 0;
}
const anyFailed = results.some((r) => !r.ok);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(anyFailed ? 1 : 0);
