import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// VS Code refuses an extension whose engines.vscode is newer than itself, and @types/vscode newer
// than engines.vscode lets code call APIs the minimum VS Code lacks (vsce also rejects that).
test('@types/vscode is pinned to exactly the engines.vscode minimum, which code-server 1.139 satisfies', () => {
  const manifest = JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as {
    engines: { vscode: string };
    devDependencies: Record<string, string>;
  };
  const engine = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(manifest.engines.vscode);
  assert.ok(engine, `engines.vscode should be ^MAJOR.MINOR.PATCH, is ${manifest.engines.vscode}`);
  assert.equal(manifest.devDependencies['@types/vscode'], `${engine[1]}.${engine[2]}.${engine[3]}`);
  assert.ok(Number(engine[1]) === 1 && Number(engine[2]) <= 139, 'must load in VS Code 1.139 (code-server 4.139)');
});
