import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';

// The architecture's one hard rule, checked through the project's own ESLint config: only
// src/host may import `vscode` (the core, the sandbox, the CLI and the protocol are reused
// outside VS Code), and the webview is a browser program.
const repo = resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: repo });

async function ruleIdsFor(relativePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(repo, relativePath) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

const importsVscode = "import * as vscode from 'vscode';\nexport const version = vscode.version;\n";

for (const folder of ['src/core/http', 'src/sandbox', 'src/cli', 'src/protocol']) {
  test(`lint fails when a file under ${folder} imports vscode`, async () => {
    assert.ok((await ruleIdsFor(`${folder}/lintProbe.ts`, importsVscode)).includes('@typescript-eslint/no-restricted-imports'));
  });
}

test('lint accepts vscode under src/host', async () => {
  assert.deepEqual(await ruleIdsFor('src/host/lintProbe.ts', importsVscode), []);
});

test('lint fails when the webview imports vscode or a Node built-in', async () => {
  assert.ok((await ruleIdsFor('src/webview/requestBuilder/lintProbe.ts', importsVscode)).includes('@typescript-eslint/no-restricted-imports'));
  const nodeImport = "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n";
  assert.ok((await ruleIdsFor('src/webview/requestBuilder/lintProbe.ts', nodeImport)).includes('@typescript-eslint/no-restricted-imports'));
});
