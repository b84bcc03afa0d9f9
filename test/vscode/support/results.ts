// The vscode tier runs inside the extension host, whose console nobody sees: test outcomes
// and measurements travel to the driver (scripts/run-vscode-tests.mjs) as JSON lines
// appended to the file named by MWB_VSCODE_RESULTS.
import { appendFileSync } from 'node:fs';

export const RESULTS_FILE_ENV = 'MWB_VSCODE_RESULTS';

export interface TestErrorInfo {
  message: string;
  stack?: string;
  expected?: string;
  actual?: string;
}

export type ResultEvent =
  | { type: 'start'; vscodeVersion: string; nodeVersion: string; files: string[]; activeAtStart: boolean | null }
  | { type: 'test'; file: string; suites: string[]; title: string; state: 'passed' | 'failed' | 'pending'; durationMs: number; error?: TestErrorInfo }
  | { type: 'metric'; name: string; value: number; unit: string }
  | { type: 'end'; passed: number; failed: number; pending: number; durationMs: number }
  | { type: 'crash'; error: TestErrorInfo };

export function appendResult(event: ResultEvent): void {
  const file = process.env[RESULTS_FILE_ENV];
  if (!file) throw new Error(`${RESULTS_FILE_ENV} is not set: run the vscode tier through scripts/run-vscode-tests.mjs`);
  appendFileSync(file, `${JSON.stringify(event)}\n`);
}

/** Reports a measurement (printed by the driver as `ℹ metric <name> <value> <unit>`). */
export function recordMetric(name: string, value: number, unit: string): void {
  appendResult({ type: 'metric', name, value, unit });
}
