// The extension-tests module VS Code loads into the extension host (`extensionTestsPath`),
// both under @vscode/test-electron and under code-server. The driver bundles it with the
// *.test.ts files into .vscode-test/out/; this module runs every *.test.js beside it with
// mocha (TDD UI: `suite` / `test`) and streams each outcome to the results file, because
// neither the browser nor the workbench hands the extension host's output back.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import Mocha from 'mocha';
import { appendResult, type TestErrorInfo } from './support/results';
import { ACTIVE_AT_START_ENV, EXTENSION_ID } from './support/extension';

const DEFAULT_TEST_TIMEOUT_MS = 30_000;

export async function run(): Promise<void> {
  const started = Date.now();
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort()
    .map((f) => path.join(__dirname, f));

  // Captured before any test touches the extension: nothing but a command or a view may
  // activate it (lazy activation), so it must still be inactive here.
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  process.env[ACTIVE_AT_START_ENV] = extension ? String(extension.isActive) : 'missing';
  appendResult({
    type: 'start',
    vscodeVersion: vscode.version,
    nodeVersion: process.version,
    files: files.map((f) => path.basename(f)),
    activeAtStart: extension ? extension.isActive : null,
  });

  try {
    const mocha = new Mocha({
      ui: 'tdd',
      color: false,
      timeout: Number(process.env.MWB_VSCODE_TEST_TIMEOUT_MS) || DEFAULT_TEST_TIMEOUT_MS,
      reporter: Mocha.reporters.Base,
      grep: process.env.MWB_VSCODE_GREP || undefined,
    });
    for (const file of files) mocha.addFile(file);
    await mocha.loadFilesAsync();

    const counts = await new Promise<{ passed: number; failed: number; pending: number }>((resolve) => {
      const tally = { passed: 0, failed: 0, pending: 0 };
      const runner = mocha.run(() => resolve(tally));
      runner.on('pass', (t: Mocha.Test) => {
        tally.passed++;
        report(t, 'passed');
      });
      runner.on('fail', (t: Mocha.Runnable, err: unknown) => {
        tally.failed++;
        report(t, 'failed', err);
      });
      runner.on('pending', (t: Mocha.Test) => {
        tally.pending++;
        report(t, 'pending');
      });
    });
    appendResult({ type: 'end', ...counts, durationMs: Date.now() - started });
    // Under @vscode/test-electron a rejected run() makes VS Code exit non-zero.
    if (counts.failed > 0) throw new Error(`${counts.failed} vscode-tier test(s) failed`);
  } catch (error) {
    if (!(error instanceof Error && /vscode-tier test\(s\) failed$/.test(error.message))) {
      appendResult({ type: 'crash', error: errorInfo(error) });
    }
    throw error;
  }
}

function report(t: Mocha.Runnable, state: 'passed' | 'failed' | 'pending', err?: unknown): void {
  const suites: string[] = [];
  for (let s = t.parent; s && !s.root; s = s.parent) suites.unshift(s.title);
  appendResult({
    type: 'test',
    file: path.basename(t.file ?? t.parent?.file ?? 'unknown'),
    suites,
    // A failing hook ("before all" hook for "x") is reported under its own title.
    title: t.title,
    state,
    durationMs: t.duration ?? 0,
    ...(err === undefined ? {} : { error: errorInfo(err) }),
  });
}

function errorInfo(err: unknown): TestErrorInfo {
  if (err instanceof Error) {
    const withDiff = err as Error & { expected?: unknown; actual?: unknown; showDiff?: boolean };
    const info: TestErrorInfo = { message: `${err.name}: ${err.message}`, stack: err.stack };
    if ('expected' in withDiff && 'actual' in withDiff) {
      info.expected = safeStringify(withDiff.expected);
      info.actual = safeStringify(withDiff.actual);
    }
    return info;
  }
  return { message: String(err) };
}

function safeStringify(value: unknown): string {
  try {
    return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}
