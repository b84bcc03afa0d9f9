import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  emptyDraft,
  parseHostMessage,
  parseReplyResult,
  parseWebviewMessage,
  type RequestDraft,
} from '../../../src/protocol/requestBuilderProtocol';

function draft(overrides: Partial<RequestDraft> = {}): RequestDraft {
  return { ...emptyDraft(), pathTemplate: '/V1/products', profileId: 'p1', ...overrides };
}

describe('request builder protocol: webview → host', () => {
  test('accepts ready and the commands', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { ok: true, message: { type: 'ready' } });
    const changed = parseWebviewMessage({ type: 'draftChanged', draft: draft() });
    assert.equal(changed.ok, true);
    const cancel = parseWebviewMessage({ type: 'cancel', jobId: 'j1' });
    assert.equal(cancel.ok, true);
  });

  test('firstPaint carries the webview time origin and its marks; incomplete ones are rejected', () => {
    const message = { type: 'firstPaint', timeOrigin: 1_763_000_000_000.5, scriptStartMs: 120.1, shellRenderedMs: 160.4, paintedMs: 201.9 };
    assert.deepEqual(parseWebviewMessage(message), { ok: true, message });
    const missing = parseWebviewMessage({ type: 'firstPaint', timeOrigin: 1, scriptStartMs: 2, shellRenderedMs: 3 });
    assert.equal(missing.ok, false);
    if (!missing.ok) assert.match(missing.error, /paintedMs/);
    assert.equal(parseWebviewMessage({ ...message, paintedMs: '201' }).ok, false);
  });

  test('accepts a request with valid params and keeps id and method', () => {
    const out = parseWebviewMessage({ type: 'request', id: 'r1', method: 'send', params: { draft: draft() } });
    assert.equal(out.ok, true);
    if (out.ok && out.message.type === 'request') {
      assert.equal(out.message.id, 'r1');
      assert.equal(out.message.method, 'send');
    } else assert.fail('expected a request');
  });

  test('rejects unknown types, unknown methods, bad params and non-objects with a reason', () => {
    const cases: unknown[] = [
      null,
      'ready',
      42,
      { type: 'nope' },
      { type: 'request', id: 'x', method: 'deleteEverything', params: {} },
      { type: 'request', method: 'send', params: { draft: draft() } }, // no id
      { type: 'request', id: 'x', method: 'send', params: { draft: { ...draft(), method: 'TRACE' } } },
      { type: 'request', id: 'x', method: 'loadSchema', params: {} },
      { type: 'draftChanged', draft: { ...draft(), searchCriteria: { filterGroups: 'a', sortOrders: [] } } },
      { type: 'draftChanged', draft: { ...draft(), searchCriteria: { filterGroups: [], sortOrders: [{ field: 'x', direction: 'UP' }] } } },
      { type: 'cancel' },
    ];
    for (const raw of cases) {
      const out = parseWebviewMessage(raw);
      assert.equal(out.ok, false, `should reject ${JSON.stringify(raw)}`);
      if (!out.ok) assert.ok(out.error.length > 0);
    }
  });

  test('names the invalid params path in the error', () => {
    const out = parseWebviewMessage({ type: 'request', id: 'r9', method: 'send', params: { draft: { ...draft(), pathParams: { sku: 5 } } } });
    assert.equal(out.ok, false);
    if (!out.ok) {
      assert.match(out.error, /send/);
      assert.match(out.error, /r9/);
      assert.match(out.error, /pathParams/);
    }
  });
});

describe('request builder protocol: host → webview', () => {
  test('accepts init, notifications and replies', () => {
    const init = parseHostMessage({
      type: 'init', draft: draft(), profiles: [{ id: 'p1', label: 'Local', baseUrl: 'http://127.0.0.1', storeCode: 'default', authKind: 'admin', production: false }],
      history: [], convertAvailable: false, largeBodyThresholdBytes: 2 * 1024 * 1024,
    });
    assert.equal(init.ok, true);
    assert.equal(parseHostMessage({ type: 'reply', id: 'r1', ok: true, result: { anything: 1 } }).ok, true);
    assert.equal(parseHostMessage({ type: 'reply', id: 'r1', ok: false, error: { message: 'no' } }).ok, true);
    assert.equal(parseHostMessage({ type: 'fetchAllProgress', jobId: 'j', pages: 2, items: 40, totalCount: 100 }).ok, true);
  });

  test('rejects malformed host messages', () => {
    assert.equal(parseHostMessage({ type: 'reply', id: 'r1', ok: false }).ok, false);
    assert.equal(parseHostMessage({ type: 'init' }).ok, false);
    assert.equal(parseHostMessage({ type: 'fetchAllProgress', jobId: 'j', pages: 'two', items: 1 }).ok, false);
    assert.equal(parseHostMessage(undefined).ok, false);
  });

  test('validates reply results per method', () => {
    const good = parseReplyResult('loadSchema', { operations: [{ method: 'GET', pathTemplate: '/V1/products', pathParams: [], tag: 'catalogProductRepositoryV1', summary: 'Get list', operationId: 'x', hasBody: false, isList: true }], fetchedAt: 1, source: 'store' });
    assert.equal(good.ok, true);
    const bad = parseReplyResult('send', { status: 200 });
    assert.equal(bad.ok, false);
    const body = parseReplyResult('send', {
      status: 200, timeMs: 3, headersMs: 1, bytes: { wire: 10, decoded: 20 }, headers: {}, requestHeaders: {}, url: 'http://x',
      body: { kind: 'file', path: '/tmp/x.json', bytes: 5, reason: 'large' },
    });
    assert.equal(body.ok, true);
  });
});
