// The demo's moving parts, shared by `npm run demo` (scripts/demo.mjs) and the e2e check that
// walks the same path (test/e2e/demo.test.ts): the sandbox store as a child process with
// realistic latency, a copy of demo/workspace/ pointed at it, and a VS Code on that copy —
// desktop `code` when it is on the PATH, code-server otherwise. Types: demo-session.d.mts.
//
// The sandbox's admin password reaches the extension host only through MAGENTO_WORKBENCH_DEMO
// in the environment of the VS Code started here (the extension stores it in SecretStorage);
// the workspace's settings.json holds the profile's non-secret fields.
//
// Process hygiene: every child runs in its own process group (detached) and is stopped by
// killing that group by its id — never by name.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEMO_WORKSPACE_TEMPLATE = join(REPO_ROOT, 'demo', 'workspace');
export const DEMO_PROFILE_ID = 'demo-sandbox';
const DEMO_ENV_VAR = 'MAGENTO_WORKBENCH_DEMO';

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Builds the extension, CLI and webviews (esbuild.mjs); throws with its output on failure. */
export function buildExtension() {
  const result = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`the build (node esbuild.mjs) failed:\n${result.stdout}${result.stderr}`);
}

/**
 * Starts `magento-rest sandbox --json` (dist/cli.js, so build first) and resolves with its
 * info line ({ baseUrl, storeCode, admin, customer, integration }) and a stop().
 */
export async function startSandboxProcess({ latency = 'realistic', timeoutMs = 30_000 } = {}) {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'sandbox', '--json', '--latency', latency], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk.toString(); });
  let exited = false;
  child.on('exit', () => { exited = true; });
  const onExit = () => { if (child.pid) killGroup(child.pid, 'SIGKILL'); };
  process.on('exit', onExit);
  const stop = async () => {
    process.off('exit', onExit);
    if (!child.pid || exited) return;
    killGroup(child.pid, 'SIGTERM');
    const deadline = Date.now() + 5000;
    while (!exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (!exited) killGroup(child.pid, 'SIGKILL');
  };
  try {
    const info = await new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`the sandbox did not start within ${timeoutMs / 1000}s:\n${stderr}`)), timeoutMs);
      const lines = createInterface({ input: child.stdout });
      lines.once('line', (line) => {
        clearTimeout(timer);
        try {
          resolvePromise(JSON.parse(line));
        } catch {
          reject(new Error(`the sandbox's first line is not JSON: ${line}`));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the sandbox exited (code ${code}) before it was ready:\n${stderr}`));
      });
    });
    // Keep draining stdout so the child never blocks on a full pipe.
    child.stdout.resume();
    return { ...info, pid: child.pid, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Copies demo/workspace/ into `target` and points it at the sandbox: the profile's baseUrl in
 * .vscode/settings.json and the `@host` variable of every .http file.
 */
export function prepareDemoWorkspace(target, sandbox) {
  cpSync(DEMO_WORKSPACE_TEMPLATE, target, { recursive: true });
  const settingsFile = join(target, '.vscode', 'settings.json');
  const settings = readFileSync(settingsFile, 'utf8');
  // The template is JSONC (comments); replace the one placeholder instead of re-serializing.
  if (!settings.includes('"baseUrl": "http://127.0.0.1:8080"')) throw new Error(`${settingsFile}: the baseUrl placeholder is missing`);
  writeFileSync(settingsFile, settings.replace('"baseUrl": "http://127.0.0.1:8080"', `"baseUrl": ${JSON.stringify(sandbox.baseUrl)}`));
  for (const name of readdirSync(target)) {
    if (!/\.(http|rest)$/.test(name)) continue;
    const file = join(target, name);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^@host = .*$/m, `@host = ${sandbox.baseUrl}`));
  }
  return target;
}

/** The environment that lets the extension store the sandbox password in SecretStorage. */
export function demoEnvironment(sandbox) {
  return { [DEMO_ENV_VAR]: JSON.stringify({ profileId: DEMO_PROFILE_ID, password: sandbox.admin.password }) };
}

/** Absolute path of `code` when it is on the PATH (desktop VS Code), else undefined. */
export function findDesktopCode(pathValue = process.env.PATH ?? '') {
  for (const dir of pathValue.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'code');
    const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8', timeout: 20_000 });
    // code-server also installs a `code`-like shim on some machines; a desktop VS Code prints 3 lines.
    if (probe.status === 0 && /^\d+\.\d+\.\d+\n[0-9a-f]{40}\n/m.test(probe.stdout ?? '')) return candidate;
  }
  return undefined;
}

/**
 * Desktop VS Code on the workspace with the extension loaded from this repository. `--wait`
 * keeps the CLI process alive until the window closes, so the demo notices; `--new-window`
 * keeps an already-running VS Code's other windows out of it.
 */
export function startDesktopCode(codeBin, workspace, env) {
  const child = spawn(codeBin, ['--new-window', '--wait', `--extensionDevelopmentPath=${REPO_ROOT}`, workspace], {
    detached: true,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  let exited = false;
  const done = new Promise((r) => child.on('exit', () => { exited = true; r(); }));
  return {
    done,
    async stop() {
      if (child.pid && !exited) killGroup(child.pid, 'SIGTERM');
    },
  };
}

/**
 * code-server (provisioned on first use into .vscode-test/code-server) on a scratch profile
 * whose workspace is the demo copy. Resolves with the loopback URL that opens the workspace
 * with the extension loaded from this repository.
 */
export async function startCodeServerDemo(sandbox, { log = () => undefined } = {}) {
  const { provisionCodeServer } = await import('../provision-code-server.mjs');
  const session = await import('./code-server-session.mjs');
  await provisionCodeServer({ log });
  const profile = session.createScratchProfile('mwb-demo-');
  try {
    prepareDemoWorkspace(profile.workspace, sandbox);
    const server = await session.startCodeServer(profile, { env: demoEnvironment(sandbox) });
    const url = session.workbenchUrl(server, { folder: profile.workspace, extensionDevelopmentPath: REPO_ROOT });
    return {
      url,
      server,
      workspace: profile.workspace,
      async stop() {
        await server.stop();
        profile.dispose();
      },
    };
  } catch (error) {
    profile.dispose();
    throw error;
  }
}
