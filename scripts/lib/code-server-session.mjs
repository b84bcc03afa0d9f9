// Starts code-server (a real VS Code server + web workbench) in a throw-away profile and
// opens it in headless Chromium. Shared by the vscode tier (scripts/run-vscode-tests.mjs)
// and the e2e tier (test/e2e/harness.ts). Types: code-server-session.d.mts.
//
// Process hygiene: code-server starts helpers (extension host, file watcher, pty host) in
// its own process group, so it is spawned detached (setsid) and stopped by killing that
// group — never by name, other people's processes share this machine.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, readFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { provisionCodeServer, findChromium } from '../provision-code-server.mjs';

/** Chromium flags that work on these machines (no GPU, no sandbox, no background traffic). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** Settings that keep a fresh profile quiet: no welcome page, tips, trust prompt or updates. */
const QUIET_USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/**
 * A temporary root with user data, extensions and a workspace folder; `dispose()` deletes it.
 * Set KEEP_VSCODE_TEST_DIRS=1 to keep it for post-mortem reading of the logs.
 */
export function createScratchProfile(prefix = 'mwb-vscode-') {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  const workspace = join(root, 'workspace');
  for (const d of [join(userDataDir, 'User'), extensionsDir, workspace]) mkdirSync(d, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(QUIET_USER_SETTINGS, null, 2));
  writeFileSync(join(workspace, 'README.md'), '# Scratch workspace for Magento REST Workbench tests\n');
  return {
    root,
    userDataDir,
    extensionsDir,
    workspace,
    dispose() {
      if (process.env.KEEP_VSCODE_TEST_DIRS === '1') return;
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * An empty gallery: the workbench would otherwise query open-vsx.org for recommendations,
 * a host these machines must not reach (and tests must not depend on).
 */
function serverEnv(extra = {}) {
  return { ...process.env, NODE_OPTIONS: '', EXTENSIONS_GALLERY: '{}', ...extra };
}

function commonArgs(profile) {
  // An explicit config file keeps code-server from writing ~/.config/code-server/config.yaml.
  const configFile = join(profile.root, 'code-server.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  return ['--config', configFile, '--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir];
}

/** `code-server --install-extension <vsix>` into the profile's extensions folder. */
export async function installExtension(vsixPath, profile) {
  const { nodeBin, entry } = await provisionCodeServer();
  const result = spawnSync(nodeBin, [entry, ...commonArgs(profile), '--install-extension', vsixPath, '--force'], {
    encoding: 'utf8',
    env: serverEnv(),
    timeout: 120_000,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`code-server --install-extension ${vsixPath} failed (exit ${result.status}):\n${output}`);
  }
  return output.trim();
}

/**
 * Starts code-server on a free loopback port and waits until it answers /healthz.
 * `env` is added to the server's environment, which its extension host inherits.
 */
export async function startCodeServer(profile, { env = {}, readyTimeoutMs = 60_000 } = {}) {
  const { nodeBin, entry, version } = await provisionCodeServer();
  const logFile = join(profile.root, 'code-server.log');
  const log = createWriteStream(logFile);
  const args = [
    entry,
    ...commonArgs(profile),
    '--auth', 'none',
    '--bind-addr', '127.0.0.1:0',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--vscode-option', 'enable-smoke-test-driver',
    profile.workspace,
  ];
  const child = spawn(nodeBin, args, {
    detached: true, // own process group: see stop()
    stdio: ['ignore', 'pipe', 'pipe'],
    env: serverEnv(env),
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });

  let exited = false;
  child.on('exit', () => { exited = true; });
  const stop = async () => {
    if (!exited && child.pid) {
      killGroup(child.pid, 'SIGTERM');
      const deadline = Date.now() + 5000;
      while (!exited && Date.now() < deadline) await sleep(100);
      if (!exited) killGroup(child.pid, 'SIGKILL');
    }
    // Helpers may outlive the leader: sweep the group once more.
    if (child.pid) killGroup(child.pid, 'SIGKILL');
    log.end();
  };
  // If this process dies abruptly, take the server group with it.
  const onExit = () => { if (child.pid) killGroup(child.pid, 'SIGKILL'); };
  process.on('exit', onExit);

  try {
    const port = await waitForListeningPort(child, logFile, readyTimeoutMs, () => exited);
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHealth(baseUrl, readyTimeoutMs);
    return {
      version,
      port,
      baseUrl,
      pid: child.pid,
      logFile,
      /** True once the server process has exited (a crash mid-run). */
      hasExited: () => exited,
      async stop() {
        process.off('exit', onExit);
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitForListeningPort(child, logFile, timeoutMs, hasExited) {
  const deadline = Date.now() + timeoutMs;
  let seen = '';
  const collect = (chunk) => { seen += chunk.toString(); };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  try {
    while (Date.now() < deadline) {
      const match = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(seen);
      if (match) return Number(match[1]);
      if (hasExited()) throw new Error(`code-server exited before listening. Its output:\n${seen || readLog(logFile)}`);
      await sleep(100);
    }
    throw new Error(`code-server did not start listening within ${timeoutMs / 1000}s. Its output:\n${seen}`);
  } finally {
    child.stdout.off('data', collect);
    child.stderr.off('data', collect);
  }
}

async function waitForHealth(baseUrl, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      if (res.ok) return;
      lastError = `HTTP ${res.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await sleep(200);
  }
  throw new Error(`code-server at ${baseUrl} did not answer /healthz within ${timeoutMs / 1000}s (${lastError})`);
}

function readLog(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The URI the workbench uses for a file on the code-server machine. */
export function remoteUri(server, absolutePath) {
  return `vscode-remote://127.0.0.1:${server.port}${absolutePath}`;
}

/**
 * The workbench URL for a folder; with `extensionDevelopmentPath` / `extensionTestsPath`
 * the page runs the extension under development and the test module in the extension host
 * (honoured only because the server runs with the smoke-test driver enabled).
 */
export function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath } = {}) {
  const url = new URL(`${server.baseUrl}/`);
  if (folder) url.searchParams.set('folder', folder);
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remoteUri(server, extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(server, extensionTestsPath)]);
  if (payload.length > 0) url.searchParams.set('payload', JSON.stringify(payload));
  return url.toString();
}

/** Headless Chromium through playwright-core (Debian's chromium; no browser download). */
export async function launchChromium({ viewport = { width: 1400, height: 900 } } = {}) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  return { browser, context, page };
}
