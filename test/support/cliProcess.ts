// Builds the CLI bundle (what `node esbuild.mjs` writes to dist/cli.js) into a temp folder and
// runs it as real child processes, for tests and benchmarks that need several processes.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';

const REPO = resolve(__dirname, '../..');

export interface CliBundle {
  path: string;
  dispose(): void;
}

export async function buildCliBundle(): Promise<CliBundle> {
  const dir = mkdtempSync(join(tmpdir(), 'mrw-cli-'));
  const path = join(dir, 'cli.js');
  await esbuild.build({
    entryPoints: [join(REPO, 'src/cli/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: path,
    logLevel: 'silent',
  });
  return { path, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export function runCliProcess(cli: string, args: string[], env: Record<string, string>, cwd = REPO): Promise<CliRun> {
  return new Promise((resolveRun, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [cli, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', MAGENTO_NO_PROMPT: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code: code ?? 1, stdout, stderr, ms: Date.now() - started }));
  });
}

/** The environment of a CLI run logged in as a sandbox store's admin, with its own home folders. */
export function sandboxAdminCliEnv(store: { baseUrl: string; credentials: { admin: { username: string; password: string } } }, home: string, restHome = join(home, '.magento-rest')): Record<string, string> {
  return {
    HOME: home,
    MAGENTO_REST_HOME: restHome,
    MAGENTO_BASE_URL: store.baseUrl,
    MAGENTO_USERNAME: store.credentials.admin.username,
    MAGENTO_PASSWORD: store.credentials.admin.password,
  };
}

/** A run's stdout as JSON, or an error that shows what it printed instead. */
export function stdoutJson<T>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${run.code}): ${run.stdout}\n${run.stderr}`);
  }
}
