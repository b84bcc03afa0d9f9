#!/usr/bin/env node
// `npm run test:faults`: the reliability suite's long variants (FAULTS_LONG=1: 5,000 operations
// per submission, more polling) plus the bad-input and secrets tests, then the totals the README's
// reliability table reports — measured by the tests themselves (each appends a JSON line to
// $FAULTS_REPORT), never typed by hand. `--short` runs the fast variants with the same report.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const short = process.argv.includes('--short');
const dir = mkdtempSync(join(tmpdir(), 'faults-report-'));
const report = join(dir, 'report.jsonl');
const targets = ['test/integration/faults', 'test/unit/faults', 'test/unit/badInput', 'test/unit/security', 'test/integration/secretsLeak.test.ts', 'test/integration/transportSecurity.test.ts', 'test/integration/webviewRender.test.ts']
  .filter((t) => existsSync(t));

const child = spawn(process.execPath, ['scripts/run-node-tests.mjs', ...targets, '--', '--test-concurrency=1'], {
  stdio: 'inherit',
  env: { ...process.env, FAULTS_REPORT: report, ...(short ? {} : { FAULTS_LONG: '1' }) },
});
child.on('exit', (code) => {
  const totals = { runs: 0, faultsInjected: 0, operationsSubmitted: 0, duplicates: 0, losses: 0, unknownReported: 0, badInputsTried: 0, leaksFound: 0, leakScans: 0, placesScanned: 0 };
  const notes = [];
  if (existsSync(report)) {
    for (const line of readFileSync(report, 'utf8').split('\n')) {
      if (!line) continue;
      const entry = JSON.parse(line);
      if (/^(load|crash)/.test(entry.fault)) notes.push(entry.fault);
      totals.runs++;
      totals.faultsInjected += entry.injected ?? 0;
      totals.operationsSubmitted += entry.operations ?? 0;
      totals.duplicates += entry.ledger?.duplicates ?? 0;
      totals.losses += entry.ledger?.losses ?? 0;
      totals.unknownReported += entry.ledger?.unknown ?? 0;
      totals.badInputsTried += entry.badInputs ?? 0;
      if (entry.leaks !== undefined) {
        totals.leaksFound += entry.leaks;
        totals.leakScans++;
        totals.placesScanned += entry.scanned ?? 0;
      }
    }
  }
  rmSync(dir, { recursive: true, force: true });
  for (const note of notes) console.log(`  ${note}`);
  console.log(`\nreliability ${short ? '(fast variants)' : '(long variants)'}: ${JSON.stringify(totals)}`);
  process.exit(code ?? 1);
});
