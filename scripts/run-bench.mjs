#!/usr/bin/env node
// `npm run bench`: builds, then runs every bench/scenarios/*.bench.ts (each exports `run()`
// returning BenchResult[]), writes bench/results/latest.json and prints a table.
// BENCH_ONLY=name1,name2 runs a subset.
import { spawnSync } from 'node:child_process';
import { readdirSync, mkdirSync, writeFileSync } from 'node:fs';

const build = spawnSync(process.execPath, ['esbuild.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(1);

const only = process.env.BENCH_ONLY?.split(',').filter(Boolean);
const files = readdirSync('bench/scenarios').filter((f) => f.endsWith('.bench.ts')).sort()
  .filter((f) => !only || only.some((o) => f.startsWith(o)));
const results = [];
for (const file of files) {
  console.error(`running ${file} ...`);
  // Each scenario runs in its own process so memory figures are not polluted by the others.
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', 'bench/runScenario.ts', `bench/scenarios/${file}`], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024,
  });
  const line = child.stdout.trim().split('\n').pop() ?? '';
  try {
    results.push(...JSON.parse(line));
  } catch {
    results.push({ name: file, metrics: {}, targets: {}, pass: false, error: `scenario crashed (exit ${child.status})` });
  }
}
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2) + '\n');

const rows = [];
for (const r of results) {
  const metrics = Object.entries(r.metrics ?? {}).map(([k, v]) => `${k}=${v}`).join(', ');
  const targets = Object.entries(r.targets ?? {}).map(([k, v]) => `${k} ${v}`).join(', ');
  rows.push([r.pass ? 'PASS' : 'FAIL', r.name, metrics, targets + (r.error ? ` (${r.error})` : '')]);
}
const widths = [4, 0, 0].map((w, i) => Math.max(w, ...rows.map((r) => r[i].length)));
console.log(['', 'scenario', 'metrics', 'targets'].map((h, i) => h.padEnd(widths[i] ?? 0)).join(' | '));
for (const r of rows) console.log(r.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c)).join(' | '));
process.exit(results.every((r) => r.pass) ? 0 : 1);
