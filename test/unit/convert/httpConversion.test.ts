import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MagentoSchema } from '../../../src/core/schema/swaggerSchema';
import { schemaRouteCatalog } from '../../../src/core/convert/schemaRouteCatalog';
import { convertHttpText, protectTemplates } from '../../../src/core/convert/httpConversion';
import { createConvertCommand } from '../../../src/cli/commands/convert';
import { type CliIo } from '../../../src/cli/cliTypes';

const schemaFile = resolve(__dirname, '../../../../shared/fixtures/magento-schema/admin-2.4.9.json');
const catalog = schemaRouteCatalog(MagentoSchema.parse(readFileSync(schemaFile, 'utf8')));

const FILE = [
  '@host = https://store.example.com',
  '',
  '### Update price',
  '# @name updatePrice',
  'PUT {{host}}/rest/default/V1/products/{{sku}} HTTP/1.1',
  'Content-Type: application/json',
  'Authorization: Bearer {{token}}',
  '',
  '{',
  '  "product": {"price": {{price}}, "name": "A {{name}}"}',
  '}',
  '',
  '###',
  'GET {{host}}/rest/V1/products/24-MB01',
  '',
  '###',
  'DELETE {{host}}/rest/all/V1/cmsPage/5',
  '',
].join('\n');

describe('.http conversion', () => {
  test('bulk: URL, by<Param> segments, item list, headers and comments kept, variables survive', () => {
    const out = convertHttpText(catalog, FILE, 'bulk');
    assert.equal(out.text, [
      '@host = https://store.example.com',
      '',
      '### Update price',
      '# @name updatePrice',
      'PUT {{host}}/rest/default/async/bulk/V1/products/bySku HTTP/1.1',
      'Content-Type: application/json',
      'Authorization: Bearer {{token}}',
      '',
      '[',
      '  {',
      '    "sku": "{{sku}}",',
      '    "product": {',
      '      "price": {{price}},',
      '      "name": "A {{name}}"',
      '    }',
      '  }',
      ']',
      '',
      '###',
      'GET {{host}}/rest/V1/products/24-MB01',
      '',
      '###',
      'DELETE {{host}}/rest/all/async/bulk/V1/cmsPage/byPageId',
      'Content-Type: application/json',
      '',
      '[',
      '  {',
      '    "pageId": "5"',
      '  }',
      ']',
      '',
    ].join('\n'));
    assert.deepEqual(out.reports.map((r) => r.status), ['converted', 'skipped', 'converted']);
    assert.match(out.reports[1]?.message ?? '', /no asynchronous reads/);
  });

  test('async keeps the body and the exact path', () => {
    const out = convertHttpText(catalog, FILE, 'async');
    assert.ok(out.text.includes('PUT {{host}}/rest/default/async/V1/products/{{sku}} HTTP/1.1'));
    assert.ok(out.text.includes('"price": {{price}}'));
    assert.ok(out.text.includes('DELETE {{host}}/rest/all/async/V1/cmsPage/5'));
  });

  test('an unknown route and a non-JSON body fail their block only', () => {
    const out = convertHttpText(catalog, 'POST https://x/rest/V1/nope\n\n{}\n###\nPOST https://x/rest/V1/products\n\nnot json\n', 'bulk');
    assert.deepEqual(out.reports.map((r) => r.status), ['failed', 'failed']);
    assert.match(out.reports[0]?.message ?? '', /not a route of this store's schema/);
    assert.match(out.reports[1]?.message ?? '', /not JSON/);
  });

  test('protectTemplates leaves strings alone', () => {
    const p = protectTemplates('{"a": {{x}}, "b": "{{y}}", "c": "\\"{{z}}"}');
    assert.deepEqual(JSON.parse(p.json), { a: '__magento_rest_template_0__', b: '{{y}}', c: '"{{z}}' });
    assert.equal(p.restore(JSON.stringify({ a: '__magento_rest_template_0__' })), '{"a":{{x}}}');
  });
});

describe('magento-rest convert', () => {
  function io(): CliIo & { out: string; err: string } {
    const state = { out: '', err: '' };
    return Object.assign(state, {
      stdout: (t: string) => { state.out += t; },
      stderr: (t: string) => { state.err += t; },
      env: {}, cwd: process.cwd(), isTty: false,
    });
  }

  test('converts stdin with --schema and explains kept blocks on stderr', async () => {
    const cli = io();
    const code = await createConvertCommand(async () => FILE).run(['--to', 'bulk', '--schema', schemaFile, '-'], cli);
    assert.equal(code, 0);
    assert.ok(cli.out.includes('/async/bulk/V1/products/bySku'));
    assert.match(cli.err, /kept line 14: GET/);
  });

  test('usage errors', async () => {
    const cmd = createConvertCommand(async () => FILE);
    await assert.rejects(cmd.run(['--to', 'sideways', '-'], io()), /--to must be/);
    await assert.rejects(cmd.run(['--to', 'bulk', '-'], io()), /--schema FILE/);
    const cli = io();
    assert.equal(await createConvertCommand(async () => 'POST https://x/rest/V1/nope\n').run(['--to', 'bulk', '--schema', schemaFile, '-'], cli), 1);
    assert.match(cli.err, /error line 1/);
  });
});
