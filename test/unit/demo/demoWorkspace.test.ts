// The demo workspace as `npm run demo` prepares it: pointed at the sandbox, the password only in
// the environment handed to VS Code, never in a file of the workspace.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseProfile } from '../../../src/core/profiles/profile';
import { grantRefusal, parseDemoGrant } from '../../../src/host/demo/demoEnvironment';
import { parseHttpFile } from '../../../src/core/convert/httpFile';
import { parseItemFile } from '../../../src/core/convert/itemFiles';
import type * as Demo from '../../../scripts/lib/demo-session.mjs' with { 'resolution-mode': 'import' };

const SANDBOX = { baseUrl: 'http://127.0.0.1:45678', admin: { username: 'admin', password: 'demo-secret-pw-123' } };

/** JSONC → JSON: drops // line comments outside strings (the template has no block comments). */
function stripLineComments(text: string): string {
  return text.split('\n').filter((line) => !/^\s*\/\//.test(line)).join('\n');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
}

describe('demo workspace', () => {
  let demo: typeof Demo;
  let dir: string;

  before(async () => {
    demo = await import('../../../scripts/lib/demo-session.mjs');
    dir = mkdtempSync(join(tmpdir(), 'mwb-demo-test-'));
    demo.prepareDemoWorkspace(dir, SANDBOX);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the profile in settings points at the sandbox and is accepted for the password grant', () => {
    const settings = JSON.parse(stripLineComments(readFileSync(join(dir, '.vscode', 'settings.json'), 'utf8'))) as Record<string, unknown>;
    const profiles = settings['magentoWorkbench.profiles'] as unknown[];
    const profile = parseProfile(profiles[0]);
    assert.equal(profile.id, demo.DEMO_PROFILE_ID);
    assert.equal(profile.baseUrl, SANDBOX.baseUrl);
    assert.equal(settings['magentoWorkbench.activeProfile'], profile.id);
    const grant = parseDemoGrant(demo.demoEnvironment(SANDBOX)['MAGENTO_WORKBENCH_DEMO']);
    assert.deepEqual(grant, { profileId: profile.id, password: SANDBOX.admin.password });
    assert.equal(grantRefusal(grant!, profile), undefined);
  });

  test('the four .http examples parse, use the sandbox host, and cover list, fields, single update and bulk update', () => {
    const http = readdirSync(dir).filter((f) => f.endsWith('.http')).sort();
    assert.equal(http.length, 4);
    const requests = http.flatMap((f) => {
      const text = readFileSync(join(dir, f), 'utf8');
      assert.match(text, new RegExp(`^@host = ${SANDBOX.baseUrl.replace(/[.:/]/g, '\\$&')}$`, 'm'), f);
      return parseHttpFile(text).blocks.flatMap((b) => (b.request ? [b.request] : []));
    });
    const lines = requests.map((r) => `${r.method ?? 'GET'} ${r.url}${r.queryLines.join('')}`);
    assert.ok(lines.some((l) => l.startsWith('GET') && l.includes('searchCriteria[filterGroups]')), 'a searchCriteria list');
    assert.ok(lines.some((l) => l.startsWith('GET') && l.includes('fields=items[')), 'a fields-filtered list');
    assert.ok(lines.some((l) => l.startsWith('PUT') && l.includes('/V1/products/')), 'a single update');
    assert.ok(lines.some((l) => l.startsWith('POST') && l.includes('/async/bulk/V1/products')), 'a bulk update');
  });

  test('the CSV holds items to bulk-submit', () => {
    const text = readFileSync(join(dir, 'items', 'new-products.csv'), 'utf8');
    const { items } = parseItemFile('new-products.csv', text);
    assert.ok(items.length >= 100);
    assert.deepEqual(Object.keys(items[0] as object), ['sku', 'name', 'price', 'attribute_set_id', 'type_id']);
  });

  test('no file of the workspace holds the password', () => {
    for (const file of filesUnder(dir)) assert.ok(!readFileSync(file, 'utf8').includes(SANDBOX.admin.password), file);
  });
});
