#!/usr/bin/env node
// `npm run package`: production build, then `vsce package` into dist-package/, then checks
// the .vsix against its budget: under 2 MB and holding only what runs (the .vscodeignore
// allowlist could silently widen; this check fails loudly instead).
// Usage: node scripts/package-vsix.mjs [--check-only]   (--check-only: just verify the existing .vsix)
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const VSIX_PATH = join(repoRoot, 'dist-package', 'magento-rest-workbench.vsix');
const MAX_BYTES = 2 * 1024 * 1024;

/** Paths allowed inside the .vsix (under its `extension/` folder). */
const ALLOWED = [
  /^package\.json$/,
  // The English text of package.json's %key% placeholders, and its translations.
  /^package\.nls(\.[a-z]{2,3}(-[a-z0-9]+)*)?\.json$/i,
  /^(readme|changelog|license)(\.md|\.txt)?$/i,
  /^dist\/extension\.js$/,
  /^dist\/cli\.js$/,
  /^dist\/webview\/.+\.(js|css)$/,
  /^media\/.+$/,
  /^l10n\/[^/]+\.json$/,
];
// vsce's own envelope around the extension folder.
const ENVELOPE = new Set(['[Content_Types].xml', 'extension.vsixmanifest']);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`✘ ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

/** Lists the archive with `unzip -l` and returns the problems found (empty = within budget). */
export function checkVsix(vsixPath) {
  const problems = [];
  const size = statSync(vsixPath).size;
  if (size > MAX_BYTES) problems.push(`${vsixPath} is ${(size / 1024 / 1024).toFixed(2)} MB, over the 2 MB budget`);
  const listing = spawnSync('unzip', ['-l', vsixPath], { encoding: 'utf8' });
  if (listing.error || listing.status !== 0) {
    problems.push(`unzip -l failed${listing.error ? ` (${listing.error.message}; apt-get install -y unzip)` : `: ${listing.stderr}`}`);
    return { size, entries: [], problems };
  }
  // `unzip -l` rows: "  length  date time   name"; the name is everything after the time.
  const entries = listing.stdout
    .split('\n')
    .map((line) => /^\s*(\d+)\s+\S+\s+\S+\s+(.+)$/.exec(line))
    .filter((m) => m !== null)
    .map((m) => ({ bytes: Number(m[1]), name: m[2].trim() }))
    .filter((e) => !e.name.endsWith('/'));
  for (const { name } of entries) {
    if (ENVELOPE.has(name)) continue;
    const inner = name.startsWith('extension/') ? name.slice('extension/'.length) : undefined;
    if (inner === undefined || !ALLOWED.some((re) => re.test(inner))) problems.push(`unexpected file in the .vsix: ${name}`);
  }
  // Without package.nls.json VS Code shows the raw %key% placeholders as command titles.
  for (const required of ['extension/package.json', 'extension/package.nls.json', 'extension/dist/extension.js', 'extension/dist/cli.js']) {
    if (!entries.some((e) => e.name === required)) problems.push(`missing from the .vsix: ${required}`);
  }
  return { size, entries, problems };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!process.argv.includes('--check-only')) {
    run(process.execPath, ['esbuild.mjs', '--production']);
    mkdirSync(dirname(VSIX_PATH), { recursive: true });
    // No public repository yet: say so explicitly instead of letting vsce prompt.
    run(process.execPath, [join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--out', VSIX_PATH]);
  }
  if (!existsSync(VSIX_PATH)) {
    console.error(`✘ ${VSIX_PATH} does not exist: run npm run package`);
    process.exit(1);
  }
  const { size, entries, problems } = checkVsix(VSIX_PATH);
  for (const e of entries) console.log(`  ${String(e.bytes).padStart(9)}  ${e.name}`);
  console.log(`vsix: ${(size / 1024).toFixed(1)} KB, ${entries.length} files (budget 2048 KB, allowlist: package.json, package.nls*.json, README/CHANGELOG/LICENSE, dist/extension.js, dist/cli.js, dist/webview/**, media/**)`);
  if (problems.length > 0) {
    for (const p of problems) console.error(`✘ ${p}`);
    process.exit(1);
  }
  console.log('✔ vsix within budget');
}
