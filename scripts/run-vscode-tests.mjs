#!/usr/bin/env node
// The vscode tier: test/vscode/*.test.ts (mocha `suite`/`test`, `import * as vscode from
// 'vscode'`) inside a real VS Code extension host.
//
// Modes (VSCODE_TEST_MODE or --mode):
//   code-server (default here) — code-server from the npm registry (provisioned on demand into
//       .vscode-test/code-server/) opened in headless Chromium with the extension-development
//       `payload`; see ../shared/docs/real-vscode-here.md.
//   electron — @vscode/test-electron downloads VS Code and runs the same runner module. Chosen
//       automatically when test-electron already cached a VS Code in .vscode-test/; `auto`
//       probes the download server for 3 s first (laptops with internet). VSCODE_EXECUTABLE_PATH
//       names a local VS Code to use instead of downloading one (and selects this mode).
//
// Usage: node scripts/run-vscode-tests.mjs [test/vscode/x.test.ts ...] [--grep TEXT]
//          [--vsix path/to/extension.vsix] [--no-build] [--mode code-server|electron|auto]
//   --vsix  installs the packaged extension into code-server (`--install-extension`) and runs
//           the tests against that installed copy instead of the development folder.
// The last lines are node:test-like counts (`ℹ tests N`, `ℹ pass N`, `ℹ fail N`) which
// scripts/test-all.mjs reads. Exit code 1 on any failure, a time-out or a missing prerequisite.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { basename, dirname, join, resolve, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { PrerequisiteError, findChromium, provisionCodeServer } from './provision-code-server.mjs';
import { createScratchProfile, installExtension, launchChromium, startCodeServer, workbenchUrl } from './lib/code-server-session.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const testDir = join(repoRoot, 'test', 'vscode');
// One folder per run: several engineers may run the tier at once in the same working tree.
// It stays under the repository so the bundles' `require('mocha')` finds node_modules.
const outRoot = join(repoRoot, '.vscode-test', 'out');
const outDir = join(outRoot, `run-${process.pid}`);
const failureLogsDir = join(repoRoot, 'test-results', 'vscode-logs');
const RESULTS_FILE_ENV = 'MWB_VSCODE_RESULTS';

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    grep: { type: 'string' },
    vsix: { type: 'string' },
    build: { type: 'boolean', default: true },
    'no-build': { type: 'boolean', default: false },
    mode: { type: 'string' },
  },
});
// Seconds: until the runner module reports it started, and for the whole run.
const startTimeoutS = Number(process.env.VSCODE_TEST_START_TIMEOUT_S) || 180;
const totalTimeoutS = Number(process.env.VSCODE_TEST_TIMEOUT_S) || 900;

const runStarted = Date.now();
const print = (line = '') => process.stdout.write(`${line}\n`);

/** Prints the node:test-like closing counts that scripts/test-all.mjs parses. */
function printSummary({ passed, failed, pending, suites }) {
  print(`ℹ tests ${passed + failed + pending}`);
  print(`ℹ suites ${suites}`);
  print(`ℹ pass ${passed}`);
  print(`ℹ fail ${failed}`);
  print(`ℹ cancelled 0`);
  print(`ℹ skipped ${pending}`);
  print(`ℹ todo 0`);
  print(`ℹ duration_ms ${Date.now() - runStarted}`);
}

function failBeforeRunning(message) {
  console.error(`✘ vscode tier: ${message}`);
  print(`✖ vscode tier did not run: ${message.split('\n')[0]}`);
  printSummary({ passed: 0, failed: 1, pending: 0, suites: 0 });
  process.exit(1);
}

function selectTestFiles() {
  const all = readdirSync(testDir).filter((f) => f.endsWith('.test.ts')).sort();
  if (positionals.length === 0) return all.map((f) => join(testDir, f));
  const wanted = positionals.map((p) => basename(p));
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length > 0) failBeforeRunning(`no such test file in test/vscode: ${unknown.join(', ')}`);
  return wanted.map((f) => join(testDir, f));
}

/** Bundles the runner and each test file (vscode and mocha stay external) into .vscode-test/out/. */
async function bundleTests(files) {
  removeStaleBundles();
  mkdirSync(outDir, { recursive: true });
  await esbuild.build({
    entryPoints: [join(testDir, 'runner.ts'), ...files].map((f) => ({ in: f, out: basename(f, '.ts') })),
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    sourcesContent: false,
    logLevel: 'warning',
  });
  // The bundles live outside test/, so `require('mocha')` must still find the repo's copy.
  writeFileSync(join(outDir, 'package.json'), JSON.stringify({ private: true, type: 'commonjs' }));
  return join(outDir, 'runner.js');
}

/** Deletes bundle folders of runs whose process is gone (killed runs leave theirs behind). */
function removeStaleBundles() {
  if (!existsSync(outRoot)) return;
  for (const entry of readdirSync(outRoot)) {
    const pid = Number(/^run-(\d+)$/.exec(entry)?.[1]);
    if (pid && pid !== process.pid && isAlive(pid)) continue;
    rmSync(join(outRoot, entry), { recursive: true, force: true });
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function buildExtension() {
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) failBeforeRunning('the extension build (node esbuild.mjs) failed');
}

async function chooseMode() {
  const requested = options.mode ?? process.env.VSCODE_TEST_MODE;
  if (requested === 'code-server' || requested === 'electron') return requested;
  if (process.env.VSCODE_EXECUTABLE_PATH && !requested) return 'electron';
  if (requested && requested !== 'auto') failBeforeRunning(`unknown VSCODE_TEST_MODE "${requested}" (code-server, electron or auto)`);
  const cachedVsCode = existsSync(join(repoRoot, '.vscode-test')) &&
    readdirSync(join(repoRoot, '.vscode-test')).some((d) => d.startsWith('vscode-'));
  if (cachedVsCode) return 'electron';
  if (requested === 'auto') {
    try {
      const res = await fetch('https://update.code.visualstudio.com/api/releases/stable', { signal: AbortSignal.timeout(3000) });
      if (res.ok) return 'electron';
    } catch {
      // Unreachable: code-server it is.
    }
  }
  return 'code-server';
}

/**
 * Reads the JSON-lines results file as the runner appends to it, printing each test as it
 * finishes, until the runner's `end`/`crash` record, `stopEarly()` returns a reason, or a
 * time-out. Returns the tally and why it stopped.
 */
async function followResults(resultsFile, { stopEarly = () => undefined } = {}) {
  const tally = { passed: 0, failed: 0, pending: 0, suites: 0, metrics: [], failures: [] };
  let consumed = 0;
  let startedAt;
  let lastSuiteKey;
  const seenSuites = new Set();
  const deadline = Date.now() + totalTimeoutS * 1000;
  const startDeadline = Date.now() + startTimeoutS * 1000;

  for (;;) {
    const text = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '';
    const complete = text.slice(consumed, text.lastIndexOf('\n') + 1);
    consumed += complete.length;
    for (const line of complete.split('\n').filter(Boolean)) {
      let event;
      try {
        event = JSON.parse(line);
      } catch {
        print(`# unreadable results line: ${line.slice(0, 200)}`);
        continue;
      }
      if (event.type === 'start') {
        startedAt = Date.now();
        print(`# VS Code ${event.vscodeVersion}, extension host Node ${event.nodeVersion}; ${event.files.length} test file(s): ${event.files.join(', ')}`);
      } else if (event.type === 'test') {
        const key = `${event.file} › ${event.suites.join(' › ')}`;
        if (key !== lastSuiteKey) {
          lastSuiteKey = key;
          if (!seenSuites.has(key)) { seenSuites.add(key); tally.suites++; }
          print(`▶ ${event.suites.join(' › ') || event.file}  (${event.file})`);
        }
        const ms = `(${Number(event.durationMs).toFixed(1)}ms)`;
        if (event.state === 'passed') { tally.passed++; print(`  ✔ ${event.title} ${ms}`); }
        else if (event.state === 'pending') { tally.pending++; print(`  ﹣ ${event.title} # SKIP`); }
        else {
          tally.failed++;
          tally.failures.push(event);
          print(`  ✖ ${event.title} ${ms}`);
          printError(event.error);
        }
      } else if (event.type === 'metric') {
        tally.metrics.push(event);
      } else if (event.type === 'crash') {
        tally.failed++;
        print('✖ the test runner crashed inside the extension host');
        printError(event.error);
        return { tally, outcome: 'crashed' };
      } else if (event.type === 'end') {
        return { tally, outcome: 'finished' };
      }
    }
    const reason = stopEarly();
    if (reason) return { tally, outcome: 'stopped', reason };
    if (!startedAt && Date.now() > startDeadline) {
      return { tally, outcome: 'timeout', reason: `the extension host did not start the test runner within ${startTimeoutS}s (set VSCODE_TEST_START_TIMEOUT_S to wait longer)` };
    }
    if (Date.now() > deadline) {
      return { tally, outcome: 'timeout', reason: `the tests did not finish within ${totalTimeoutS}s (set VSCODE_TEST_TIMEOUT_S to wait longer)` };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

function printError(error) {
  if (!error) return;
  const indent = (s) => s.split('\n').map((l) => `      ${l}`).join('\n');
  print(indent(error.stack ?? error.message));
  if (error.expected !== undefined) print(indent(`expected: ${error.expected}\nactual:   ${error.actual}`));
}

async function runInCodeServer(runnerModule, env) {
  const profile = createScratchProfile();
  const resultsFile = join(profile.root, 'results.jsonl');
  const browserLog = [];
  let server;
  let browser;
  const cleanup = async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  };
  // Ctrl-C or a CI cancel must not leave code-server or Chromium behind.
  const onSignal = (signal) => {
    void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    let developmentPath = repoRoot;
    env.MWB_VSCODE_EXPECT_EXTENSION_ROOT = repoRoot;
    if (options.vsix) {
      const vsix = resolve(options.vsix);
      if (!existsSync(vsix)) failBeforeRunning(`--vsix ${options.vsix} does not exist (run npm run package first)`);
      print(`# installing ${relative(repoRoot, vsix)} into code-server`);
      for (const line of (await installExtension(vsix, profile)).split('\n')) print(`# ${line}`);
      // The test module must belong to some development extension; an empty one keeps the
      // installed copy of ours the one under test.
      developmentPath = join(profile.root, 'test-harness-extension');
      mkdirSync(developmentPath);
      writeFileSync(join(developmentPath, 'package.json'), JSON.stringify({
        name: 'vscode-tier-harness', publisher: 'magento-rest-workbench-tests', version: '0.0.0', engines: { vscode: '^1.100.0' },
      }));
      env.MWB_VSCODE_EXPECT_EXTENSION_ROOT = profile.extensionsDir;
    }

    const provisionStarted = Date.now();
    await provisionCodeServer({ log: (m) => print(`# ${m}`) });
    const provisionSeconds = (Date.now() - provisionStarted) / 1000;
    if (provisionSeconds > 5) print(`# provisioning took ${provisionSeconds.toFixed(0)}s`);

    server = await startCodeServer(profile, { env: { ...env, [RESULTS_FILE_ENV]: resultsFile } });
    print(`# code-server ${server.version} on ${server.baseUrl} (pid group ${server.pid})`);
    const chromium = await launchChromium();
    browser = chromium.browser;
    chromium.page.on('console', (m) => { if (m.type() === 'error') browserLog.push(`[console.error] ${m.text()}`); });
    chromium.page.on('pageerror', (e) => browserLog.push(`[pageerror] ${e.message}`));
    let pageCrashed = false;
    chromium.page.on('crash', () => { pageCrashed = true; });
    await chromium.page.goto(workbenchUrl(server, { folder: profile.workspace, extensionDevelopmentPath: developmentPath, extensionTestsPath: runnerModule }));

    const { tally, outcome, reason } = await followResults(resultsFile, {
      stopEarly: () => (server.hasExited() ? 'code-server exited during the run' : pageCrashed ? 'the Chromium page crashed' : undefined),
    });
    if (outcome !== 'finished') {
      if (outcome === 'timeout' || outcome === 'stopped') {
        tally.failed++;
        print(`✖ ${reason}`);
      }
      keepFailureLogs(profile, server, browserLog);
    } else if (tally.failed > 0) {
      keepFailureLogs(profile, server, browserLog);
    }
    return tally;
  } finally {
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    profile.dispose();
  }
}

/** Copies code-server's and the workbench's logs to test-results/ so a failure can be read later. */
function keepFailureLogs(profile, server, browserLog) {
  try {
    rmSync(failureLogsDir, { recursive: true, force: true });
    mkdirSync(failureLogsDir, { recursive: true });
    if (server && existsSync(server.logFile)) cpSync(server.logFile, join(failureLogsDir, 'code-server.log'));
    const vscodeLogs = join(profile.userDataDir, 'logs');
    if (existsSync(vscodeLogs)) cpSync(vscodeLogs, join(failureLogsDir, 'vscode'), { recursive: true });
    writeFileSync(join(failureLogsDir, 'browser-console.log'), browserLog.join('\n'));
    print(`# logs kept in ${relative(repoRoot, failureLogsDir)}/ (code-server.log, browser-console.log, vscode/**/exthost*.log)`);
    for (const line of browserLog.slice(-8)) print(`#   ${line.split('\n')[0].slice(0, 240)}`);
  } catch (error) {
    print(`# could not keep logs: ${error.message}`);
  }
}

async function runInElectron(runnerModule, env) {
  const { runTests } = await import('@vscode/test-electron');
  const profile = createScratchProfile();
  const resultsFile = join(profile.root, 'results.jsonl');
  let exitCode;
  let runError;
  const running = runTests({
    // A local VS Code (VSCODE_EXECUTABLE_PATH) skips the download.
    ...(process.env.VSCODE_EXECUTABLE_PATH ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH } : {}),
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: runnerModule,
    extensionTestsEnv: { ...env, MWB_VSCODE_EXPECT_EXTENSION_ROOT: repoRoot, [RESULTS_FILE_ENV]: resultsFile },
    launchArgs: [profile.workspace, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${profile.userDataDir}`, `--extensions-dir=${profile.extensionsDir}`],
  }).then((code) => { exitCode = code; }, (error) => { runError = error; });
  try {
    const { tally, outcome, reason } = await followResults(resultsFile, {
      stopEarly: () => (runError ? `VS Code failed: ${runError.message ?? runError}` : exitCode !== undefined && !existsSync(resultsFile) ? `VS Code exited (${exitCode}) without running the tests` : undefined),
    });
    if (outcome === 'timeout' || outcome === 'stopped') {
      tally.failed++;
      print(`✖ ${reason}`);
    }
    await running;
    return tally;
  } finally {
    profile.dispose();
  }
}

// ---- main ----
const files = selectTestFiles();
if (files.length === 0) failBeforeRunning('no test files in test/vscode');
const env = {};
if (options.grep) env.MWB_VSCODE_GREP = options.grep;

let mode;
let tally;
try {
  mode = await chooseMode();
  if (!options.vsix && options.build && !options['no-build']) buildExtension();
  const runnerModule = await bundleTests(files);
  print(`# vscode tier in ${mode}${options.vsix ? ` (installed ${basename(options.vsix)})` : ''}: ${files.map((f) => relative(repoRoot, f)).join(', ')}`);
  if (mode === 'code-server') {
    findChromium(); // fail fast, before the provisioning work
    tally = await runInCodeServer(runnerModule, env);
  } else {
    tally = await runInElectron(runnerModule, env);
  }
} catch (error) {
  if (error instanceof PrerequisiteError) failBeforeRunning(error.message);
  failBeforeRunning(error instanceof Error ? (error.stack ?? error.message) : String(error));
}

rmSync(outDir, { recursive: true, force: true });
for (const m of tally.metrics) print(`ℹ metric ${m.name} ${m.value} ${m.unit}`);
printSummary(tally);
process.exit(tally.failed > 0 ? 1 : 0);
