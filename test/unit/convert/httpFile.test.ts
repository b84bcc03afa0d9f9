import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  blockName, fileVariables, fullUrl, headerValue, parseHttpFile, printHttpFile, substituteVariables, UnresolvedVariableError,
} from '../../../src/core/convert/httpFile';

const SAMPLE = [
  '@host = https://store.example.com',
  '@sku = 24-MB01',
  '',
  '### Update price',
  '# @name updatePrice',
  '// a comment',
  'PUT {{host}}/rest/default/V1/products/{{sku}} HTTP/1.1',
  'Content-Type: application/json',
  'Authorization: Bearer {{token}}',
  '',
  '{',
  '  "product": {"price": 29}',
  '}',
  '',
  '###',
  'GET {{host}}/rest/V1/products',
  '    ?searchCriteria[pageSize]=10',
  '    &fields=items[sku]',
  'Accept: application/json',
  '',
  '###',
  'DELETE https://store.example.com/rest/all/V1/cmsPage/5',
  '',
  '###',
  'https://store.example.com/rest/V1/store/storeViews',
  '',
].join('\n');

describe('httpFile', () => {
  test('parses blocks, names, variables, headers, bodies and query continuation lines', () => {
    const file = parseHttpFile(SAMPLE);
    assert.equal(file.blocks.length, 5);
    const [vars, put, get, del, bare] = file.blocks;
    assert.equal(vars?.request, undefined);
    assert.deepEqual([...fileVariables(file)], [['host', 'https://store.example.com'], ['sku', '24-MB01']]);
    assert.equal(put?.separator, ' Update price');
    assert.equal(blockName(put!), 'updatePrice');
    assert.equal(put?.request?.method, 'PUT');
    assert.equal(put?.request?.httpVersion, 'HTTP/1.1');
    assert.equal(put?.request?.url, '{{host}}/rest/default/V1/products/{{sku}}');
    assert.equal(headerValue(put!.request!, 'content-type'), 'application/json');
    assert.equal(put?.request?.body, '{\n  "product": {"price": 29}\n}');
    assert.equal(put?.request?.line, 7);
    assert.equal(get?.request?.queryLines.length, 2);
    assert.equal(fullUrl(get!.request!), '{{host}}/rest/V1/products?searchCriteria[pageSize]=10&fields=items[sku]');
    assert.equal(get?.request?.body, undefined);
    assert.equal(del?.request?.method, 'DELETE');
    assert.equal(bare?.request?.method, undefined);
    assert.equal(bare?.request?.url, 'https://store.example.com/rest/V1/store/storeViews');
  });

  test('prints a parsed file back to the same text', () => {
    assert.equal(printHttpFile(parseHttpFile(SAMPLE)), SAMPLE);
  });

  test('keeps CRLF line endings and a missing final newline', () => {
    const crlf = SAMPLE.replace(/\n/g, '\r\n').replace(/\r\n$/, '');
    const file = parseHttpFile(crlf);
    assert.equal(file.eol, '\r\n');
    assert.equal(printHttpFile(file), crlf);
  });

  test('a request without a blank line before the separator, and a body-less request with spacing', () => {
    const text = 'POST https://x/rest/V1/a\nContent-Type: application/json\n###\nDELETE https://x/rest/V1/b\n\n\n###\n';
    const file = parseHttpFile(text);
    assert.equal(file.blocks.length, 3);
    assert.equal(file.blocks[1]?.trailingBlankLines, 2);
    assert.equal(printHttpFile(file), text);
  });

  test('round-trips generated files (parse ∘ print is the identity on the model)', () => {
    const segment = fc.stringMatching(/^[a-z0-9-]{1,8}$/);
    const header = fc.record({ name: fc.stringMatching(/^[A-Z][a-z]{1,8}(-[A-Z][a-z]{1,6})?$/), value: fc.stringMatching(/^[ -~]{0,20}$/).map((v) => v.trim()) });
    const jsonBody = fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.oneof(fc.integer(), fc.string({ maxLength: 8 }))).map((o) => JSON.stringify(o, null, 2));
    const block = fc.record({
      name: fc.option(fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,10}$/), { nil: undefined }),
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
      path: fc.array(segment, { minLength: 1, maxLength: 4 }),
      version: fc.boolean(),
      headers: fc.array(header, { maxLength: 3 }),
      body: fc.option(jsonBody, { nil: undefined }),
      query: fc.array(fc.stringMatching(/^[a-z]{1,5}=[a-z0-9]{0,5}$/), { maxLength: 2 }),
    });
    fc.assert(fc.property(fc.array(block, { minLength: 1, maxLength: 4 }), (blocks) => {
      const text = blocks.map((b) => [
        `###${b.name ? ' ' + b.name : ''}`,
        `${b.method} {{host}}/rest/default/V1/${b.path.join('/')}${b.version ? ' HTTP/1.1' : ''}`,
        ...b.query.map((q, i) => `    ${i === 0 ? '?' : '&'}${q}`),
        ...b.headers.map((h) => `${h.name}: ${h.value}`),
        ...(b.body !== undefined ? ['', b.body] : []),
        '',
      ].join('\n')).join('\n');
      const parsed = parseHttpFile(text);
      assert.equal(printHttpFile(parsed), text);
      assert.deepEqual(parseHttpFile(printHttpFile(parsed)), parsed);
      assert.equal(parsed.blocks.length, blocks.length);
      parsed.blocks.forEach((p, i) => {
        assert.equal(p.request?.method, blocks[i]?.method);
        assert.equal(p.request?.body, blocks[i]?.body);
        assert.equal(p.request?.headers.length, blocks[i]?.headers.length);
      });
    }), { numRuns: 200 });
  });

  test('substitutes variables recursively and system variables; lists unresolved ones', () => {
    const vars = new Map([['host', 'https://{{domain}}'], ['domain', 'shop.test']]);
    assert.equal(substituteVariables('{{host}}/rest/V1/x/{{ $guid }}?t={{$timestamp}}', vars, { guid: () => 'G', nowMs: () => 5000 }), 'https://shop.test/rest/V1/x/G?t=5');
    assert.throws(() => substituteVariables('{{host}}/{{a}}/{{b}}', vars), (e: unknown) => e instanceof UnresolvedVariableError && e.names.join(',') === 'a,b');
  });

  test('an empty file and a file of only comments parse and print unchanged', () => {
    for (const text of ['', '# just a note\n', '\n\n']) assert.equal(printHttpFile(parseHttpFile(text)), text);
  });
});
