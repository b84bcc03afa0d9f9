// Bad input through every parser the user's text reaches: searchCriteria URLs, `fields` strings,
// `.http` files, item files (JSON, JSON lines, CSV with BOMs, odd encodings and huge lines),
// profile settings and webview messages. Property: no crash (only the module's own errors, with a
// message), bounded time (run counts and sizes are capped), and documented messages for the
// cases a user meets.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parsePhpQuery } from '../../../src/core/search/phpQuery';
import { parseRequestUrl, searchCriteriaFromQuery, searchCriteriaToQuery, SearchCriteriaError } from '../../../src/core/search/searchCriteria';
import { applyFieldsFilter, FieldsFilterInternalError, parseFields, validateFields } from '../../../src/core/search/fieldsFilter';
import { parseHttpFile, printHttpFile, substituteVariables, UnresolvedVariableError } from '../../../src/core/convert/httpFile';
import { ItemFileError, parseItemFile } from '../../../src/core/convert/itemFiles';
import { parseProfile, ProfileError } from '../../../src/core/profiles/profile';
import { parseWebviewMessage, requestMethods } from '../../../src/protocol/requestBuilderProtocol';
import { deepJson, LONG, nastyString, noCrash, reportBadInputs, RUNS } from './badInputHarness';

const criteriaKey = fc.constantFrom('searchCriteria', 'search_criteria', 'searchcriteria', 'searchCriteria[]', 'SearchCriteria');
const criteriaPart = fc.constantFrom('[filter_groups]', '[filterGroups]', '[0]', '[1]', '[filters]', '[field]', '[value]', '[condition_type]', '[conditionType]', '[sortOrders]', '[sort_orders]', '[direction]', '[pageSize]', '[page_size]', '[currentPage]', '[', ']', '[]', '[-1]', '[99999999999999999999]', '');
/** Percent-encodes what can be encoded; lone surrogates stay raw (they are bad input too). */
function encodeLoosely(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value;
  }
}
const criteriaPair = fc.tuple(criteriaKey, fc.array(criteriaPart, { maxLength: 8 }), nastyString).map(([k, parts, v]) => `${k}${parts.join('')}=${encodeLoosely(v)}`);
const criteriaQuery = fc.array(fc.oneof(criteriaPair, nastyString), { maxLength: 12 }).map((pairs) => pairs.join('&'));

describe('bad input: searchCriteria URLs and fields strings', () => {
  after(() => reportBadInputs('searchCriteria and fields'));

  test('searchCriteriaFromQuery: a SearchCriteria or a SearchCriteriaError, and what it returns encodes again', () => {
    fc.assert(fc.property(criteriaQuery, (query) => {
      noCrash(() => parsePhpQuery(query), [], 'parsePhpQuery');
      const sc = noCrash(() => searchCriteriaFromQuery(query), [SearchCriteriaError], 'searchCriteriaFromQuery');
      if (sc) noCrash(() => searchCriteriaToQuery(sc), [], 'searchCriteriaToQuery');
    }), { numRuns: RUNS * 3 });
  });

  test('parseRequestUrl: any text (URL, path, bare query)', () => {
    const urlish = fc.tuple(fc.constantFrom('', 'https://shop.example.com', 'http://[::1]:8080', 'https://', '//x', 'ftp://a'), fc.constantFrom('', '/rest/V1/products', '/rest/all/V1/x?', '?'), criteriaQuery, fc.constantFrom('', '#frag', '#'))
      .map(([o, p, q, h]) => `${o}${p}${p.endsWith('?') || !q ? '' : '?'}${q}${h}`);
    fc.assert(fc.property(fc.oneof(urlish, nastyString), (url) => {
      noCrash(() => parseRequestUrl(url), [SearchCriteriaError], 'parseRequestUrl');
    }), { numRuns: RUNS * 2 });
  });

  test('a wrong sort direction gets Magento\'s own message', () => {
    assert.throws(() => searchCriteriaFromQuery('searchCriteria[sortOrders][0][field]=sku&searchCriteria[sortOrders][0][direction]=UP'), (e: unknown) => e instanceof SearchCriteriaError && /ascending order/.test(e.message));
  });

  test('fields: parse/validate never throw; applying any spec to any JSON never throws', () => {
    const fieldsSpec = fc.oneof(nastyString, fc.array(fc.constantFrom('items', '[', ']', ',', 'sku', 'name', 'custom_attributes', 'total_count', ' ', ''), { maxLength: 16 }).map((a) => a.join('')));
    fc.assert(fc.property(fieldsSpec, fc.jsonValue({ maxDepth: 4 }), (spec, json) => {
      const parsed = noCrash(() => parseFields(spec), [], 'parseFields');
      if (parsed && !parsed.ok) assert.ok(parsed.error.length > 0, 'a parse failure says why');
      noCrash(() => validateFields(spec), [], 'validateFields');
      noCrash(() => applyFieldsFilter(json, spec), [FieldsFilterInternalError], 'applyFieldsFilter');
    }), { numRuns: RUNS * 2 });
  });

  test('fields: a 5,000-level nested response and a 1 MB spec', () => {
    const deep = JSON.parse(deepJson(5000)) as unknown;
    noCrash(() => applyFieldsFilter(deep, 'items[sku]'), [], 'applyFieldsFilter(deep)');
    const hugeSpec = 'a['.repeat(200_000) + ']'.repeat(200_000);
    noCrash(() => parseFields(hugeSpec), [], 'parseFields(huge)');
    noCrash(() => applyFieldsFilter({ a: 1 }, hugeSpec), [FieldsFilterInternalError], 'applyFieldsFilter(huge spec)');
    noCrash(() => validateFields(hugeSpec), [], 'validateFields(huge spec)');
    let nested: unknown = { b: 1 };
    for (let i = 0; i < 20_000; i++) nested = { a: nested };
    noCrash(() => applyFieldsFilter(nested, 'a['.repeat(20_000) + 'b' + ']'.repeat(20_000)), [FieldsFilterInternalError], 'applyFieldsFilter(deep spec over deep response)');
  });
});

describe('bad input: .http files', () => {
  after(() => reportBadInputs('.http files'));

  const httpLine = fc.oneof(
    nastyString,
    fc.constantFrom('###', '### name', 'GET /V1/products', 'POST {{base}}/rest/V1/products HTTP/1.1', 'Content-Type: application/json', 'Authorization: Bearer {{token}}', '@base = https://x', '@ = ', '# @name x', '// @no-log', '{', '}', '{"a": {{n}}}', '', '<@ ./file.json', '< ./body.json', 'GET', 'HTTP/1.1 200 OK'),
  );
  const httpText = fc.tuple(fc.array(httpLine, { maxLength: 30 }), fc.constantFrom('\n', '\r\n', '\r')).map(([lines, eol]) => lines.join(eol));

  test('parseHttpFile takes any text; what it parses prints again and re-parses to the same blocks', () => {
    fc.assert(fc.property(httpText, (text) => {
      const file = noCrash(() => parseHttpFile(text), [], 'parseHttpFile');
      if (!file) return;
      const printed = noCrash(() => printHttpFile(file), [], 'printHttpFile');
      if (printed !== undefined) noCrash(() => parseHttpFile(printed), [], 'parseHttpFile(printed)');
      noCrash(() => substituteVariables(text, new Map([['base', 'https://x']])), [UnresolvedVariableError], 'substituteVariables');
    }), { numRuns: RUNS * 2 });
  });

  test('a 5 MB one-line body and a file of 100,000 separators', () => {
    noCrash(() => parseHttpFile(`POST /V1/products\nContent-Type: application/json\n\n{"x":"${'a'.repeat(5 * 1024 * 1024)}"}`), [], 'parseHttpFile(huge line)');
    noCrash(() => parseHttpFile('###\n'.repeat(100_000)), [], 'parseHttpFile(many blocks)');
  });
});

describe('bad input: item files (JSON, JSON lines, CSV)', () => {
  after(() => reportBadInputs('item files'));

  const names = fc.constantFrom('items.json', 'items.jsonl', 'items.ndjson', 'items.csv', 'items.tsv', 'items.txt', 'items');
  test('parseItemFile: items or an ItemFileError with a message, for any text under any name', () => {
    const jsonish = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v));
    const csvish = fc.array(fc.array(fc.oneof(nastyString, fc.constantFrom('"', '""', 'a,b', '"x\ny"', '\uFEFFsku')), { maxLength: 5 }).map((cells) => cells.join(',')), { maxLength: 8 }).map((rows) => rows.join('\n'));
    const jsonl = fc.array(fc.oneof(jsonish, nastyString), { maxLength: 6 }).map((lines) => lines.join('\n'));
    fc.assert(fc.property(names, fc.oneof(jsonish, csvish, jsonl, nastyString), fc.boolean(), (name, text, bom) => {
      noCrash(() => parseItemFile(name, (bom ? '\uFEFF' : '') + text), [ItemFileError], `parseItemFile(${name})`);
    }), { numRuns: RUNS * 3 });
  });

  test('odd encodings: UTF-16 (read as UTF-8), Latin-1 bytes, NULs, a BOM in the middle, CR-only lines', () => {
    const csv = 'sku,name\nMB-01,Café crème\nMB-02,Ærø\n';
    const variants = [
      Buffer.from('\uFEFF' + csv, 'utf16le').toString('utf8'),
      Buffer.from(csv, 'latin1').toString('utf8'),
      csv.replace(/\n/g, '\r'),
      csv.replace('MB-02', 'MB\u000002'),
      csv.replace('MB-02', '\uFEFFMB-02'),
      '\uFEFF\uFEFF' + csv,
    ];
    for (const text of variants) {
      for (const name of ['items.csv', 'items.json', 'items.jsonl']) {
        const loaded = noCrash(() => parseItemFile(name, text), [ItemFileError], `parseItemFile(${name}, odd encoding)`);
        if (loaded) assert.ok(Array.isArray(loaded.items));
      }
    }
  });

  test('a BOM is not part of the first CSV column; broken JSON names the line', () => {
    const loaded = parseItemFile('p.csv', '\uFEFFsku,price\nA,1\n');
    assert.deepEqual(Object.keys(loaded.items[0] as object), ['sku', 'price']);
    assert.throws(() => parseItemFile('p.jsonl', '{"sku":"A"}\n{"sku":\n'), (e: unknown) => e instanceof ItemFileError && /line 2/.test(e.message));
  });

  test('huge lines: one 8 MB JSON line, an 8 MB CSV cell, 200,000 short lines', () => {
    const big = 'x'.repeat(8 * 1024 * 1024);
    noCrash(() => parseItemFile('a.jsonl', `{"sku":"${big}"}\n`), [ItemFileError], 'huge JSON line');
    noCrash(() => parseItemFile('a.csv', `sku\n${big}\n`), [ItemFileError], 'huge CSV cell');
    noCrash(() => parseItemFile('a.csv', 'sku\n' + 'A\n'.repeat(LONG ? 1_000_000 : 200_000)), [ItemFileError], 'many CSV lines');
    noCrash(() => parseItemFile('a.json', deepJson(100_000)), [ItemFileError], 'deeply nested JSON');
  });
});

describe('bad input: profile settings and webview messages', () => {
  after(() => reportBadInputs('profiles and webview messages'));

  test('parseProfile: a Profile or a ProfileError listing the fields, for anything', () => {
    const profileLike = fc.record({
      id: fc.oneof(nastyString, fc.integer()),
      label: nastyString,
      baseUrl: fc.oneof(nastyString, fc.constantFrom('https://shop.example.com', 'http://localhost:8080/', 'https://x/rest', 'javascript:alert(1)', 'file:///etc/passwd', 'https://user:pw@x.test')),
      storeCode: fc.oneof(nastyString, fc.constant('default')),
      auth: fc.oneof(fc.record({ kind: fc.constantFrom('admin', 'customer', 'integration-bearer', 'oauth1', 'root', ''), username: nastyString, email: nastyString }, { requiredKeys: ['kind'] }), fc.anything()),
      tls: fc.oneof(fc.record({ verify: fc.anything(), caFile: fc.anything() }, { requiredKeys: [] }), fc.anything()),
      production: fc.anything(),
      tokenLifetimeMinutes: fc.anything(),
    }, { requiredKeys: [] });
    fc.assert(fc.property(fc.oneof(profileLike, fc.anything()), (input) => {
      noCrash(() => parseProfile(input), [ProfileError], 'parseProfile');
    }), { numRuns: RUNS * 3 });
  });

  test('webview messages: anything is either a valid message or rejected with a reason; never thrown', () => {
    const messageLike = fc.oneof(
      fc.record({ type: fc.constantFrom('request', 'ready', 'log', 'state', 'openFile', ''), id: fc.oneof(fc.string(), fc.integer()), method: fc.oneof(fc.constantFrom(...requestMethods), nastyString), params: fc.anything() }, { requiredKeys: ['type'] }),
      fc.anything(),
      fc.jsonValue(),
    );
    let rejected = 0;
    fc.assert(fc.property(messageLike, (raw) => {
      const outcome = noCrash(() => parseWebviewMessage(raw), [], 'parseWebviewMessage');
      if (outcome && !outcome.ok) {
        rejected++;
        assert.ok(outcome.error.length > 0 && outcome.error.length < 5000);
      }
    }), { numRuns: RUNS * 3 });
    assert.ok(rejected > 0);
  });

  test('a webview message with a 10 MB string is rejected or accepted without hanging, and prototype keys do nothing', () => {
    noCrash(() => parseWebviewMessage({ type: 'request', id: '1', method: requestMethods[0], params: { x: 'y'.repeat(10 * 1024 * 1024) } }), [], '10 MB message');
    const polluted = JSON.parse('{"type":"ready","__proto__":{"polluted":true}}') as unknown;
    noCrash(() => parseWebviewMessage(polluted), [], 'prototype key');
    assert.equal(({} as { polluted?: boolean }).polluted, undefined);
  });
});
