import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebapiError, inputError, notAuthorized, requiredField } from '../../../src/sandbox/errors';
import { acceptTypes, chooseRenderer, decodeBody, parseContentType } from '../../../src/sandbox/http/negotiation';
import { chooseEncoding, phpJsonEncode, renderXml } from '../../../src/sandbox/http/render';
import { RouteTable } from '../../../src/sandbox/routing/routeTable';
import { bindRouteInput } from '../../../src/sandbox/routing/inputBinding';
import type { SyncRoute } from '../../../src/sandbox/routing/routeTypes';
import { T, bodyParam, pathParam } from '../../../src/sandbox/routing/types';
import { resolveStore } from '../../../src/sandbox/stores';
import { adminCaller, customerCaller } from '../../../src/sandbox/auth/caller';

function route(method: SyncRoute['method'], path: string, extra: Partial<SyncRoute> = {}): SyncRoute {
  return { method, path, service: { className: 'X', name: 'xV1', method: 'm' }, acl: ['anonymous'], params: [], response: T.mixed, summary: '', handler: () => path, ...extra };
}

describe('errors', () => {
  test('body key order message, errors, code, parameters; empty members omitted', () => {
    assert.deepEqual(Object.keys(new WebapiError(400, 'm', ['p'], [{ message: 'e' }], 7).toBody()), ['message', 'errors', 'code', 'parameters']);
    assert.deepEqual(new WebapiError(400, 'm', [], [], 0).toBody(), { message: 'm' });
    assert.deepEqual(inputError([requiredField('a')]).toBody(), { message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: 'a' } });
    assert.equal(inputError([requiredField('a'), requiredField('b')]).toBody().message, 'One or more input exceptions have occurred.');
    assert.deepEqual(notAuthorized(['A::a', 'B::b']).toBody().parameters, { resources: 'A::a, B::b' });
  });
});

describe('negotiation', () => {
  test('Accept order by q, stable; empty means */*', () => {
    assert.deepEqual(acceptTypes(undefined), ['*/*']);
    assert.deepEqual(acceptTypes('text/xml;q=0.5, application/json, text/html;q=0.9'), ['application/json', 'text/html', 'text/xml']);
    assert.equal(chooseRenderer('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'), 'xml');
    assert.equal(chooseRenderer('text/*'), 'xml');
    assert.equal(chooseRenderer('application/*'), 'json');
    assert.throws(() => chooseRenderer('image/png'), (e: unknown) => e instanceof WebapiError && e.status === 406);
  });

  test('Content-Type parsing and body decoding', () => {
    assert.equal(parseContentType('Application/JSON; charset=UTF-8'), 'application/json');
    assert.throws(() => parseContentType(undefined), /Content-Type header is empty/);
    assert.throws(() => parseContentType('application/json; boundary=x'), /Content-Type header is invalid/);
    assert.throws(() => parseContentType('application/json;charset=latin1'), /UTF-8 is the only supported charset/);
    assert.deepEqual(decodeBody(Buffer.from('"x"'), 'application/json'), ['x']);
    assert.throws(() => decodeBody(Buffer.from('{'), 'application/json'), /Decoding error/);
  });

  test('PHP-style JSON and minimal XML', () => {
    assert.equal(phpJsonEncode({ a: '/x/é' }), '{"a":"\\/x\\/\\u00e9"}');
    assert.equal(phpJsonEncode({ a: '/x' }, false), '{"a":"/x"}');
    assert.equal(phpJsonEncode([]), '[]');
    assert.equal(renderXml({ items: [{ sku: 'a&b' }], ok: true }), '<?xml version="1.0"?>\n<response><items><item><sku>a&amp;b</sku></item></items><ok>1</ok></response>\n');
  });

  test('Accept-Encoding', () => {
    assert.equal(chooseEncoding('gzip, deflate, br'), 'br');
    assert.equal(chooseEncoding('gzip'), 'gzip');
    assert.equal(chooseEncoding('br;q=0, gzip'), 'gzip');
    assert.equal(chooseEncoding('*'), 'br');
    assert.equal(chooseEncoding('identity'), undefined);
    assert.equal(chooseEncoding(undefined), undefined);
  });
});

describe('stores and routing', () => {
  test('PathProcessor: known view codes and all are stripped, anything else stays', () => {
    assert.deepEqual([resolveStore('/default/V1/x').store.code, resolveStore('/default/V1/x').path], ['default', '/V1/x']);
    assert.deepEqual([resolveStore('/de/V1/x').store.id, resolveStore('/all/V1/x').store.id], [2, 0]);
    assert.deepEqual([resolveStore('/V1/x').store.code, resolveStore('/V1/x').path], ['default', '/V1/x']);
    assert.deepEqual([resolveStore('/admin/V1/x').path, resolveStore('/nope/V1/x').path], ['/admin/V1/x', '/nope/V1/x']);
  });

  test('literal segments beat placeholders; path params are URL-decoded', () => {
    const table = new RouteTable();
    table.add(route('GET', '/V1/customers/:customerId'));
    table.add(route('GET', '/V1/customers/me'));
    table.add(route('GET', '/V1/products/:sku'));
    assert.equal(table.match('GET', '/V1/customers/me')?.route.path, '/V1/customers/me');
    assert.deepEqual(table.match('GET', '/V1/customers/5')?.pathParams, { customerId: '5' });
    assert.deepEqual(table.match('GET', '/V1/products/a%20b%2Fc')?.pathParams, { sku: 'a b/c' });
    assert.equal(table.match('POST', '/V1/products/x'), undefined);
    assert.equal(table.match('GET', '/V1/products/x/y'), undefined);
  });

  test('input binding: camel/snake keys, required aggregate, PUT override, forced params', () => {
    const r = route('PUT', '/V1/things/:sku', {
      params: [pathParam('sku'), bodyParam('product', T.ref('p')), bodyParam('saveOptions', T.bool, false), bodyParam('count', T.int, false)],
      pathOverrides: { sku: { param: 'product', field: 'sku' } },
    });
    const bound = bindRouteInput(r, { product: { sku: 'other', name: 'n' }, save_options: '1', count: '3' }, { method: 'PUT', caller: adminCaller(1), pathParams: { sku: 'url-sku' } });
    assert.deepEqual(bound, { sku: 'url-sku', product: { sku: 'url-sku', name: 'n' }, saveOptions: true, count: 3 });
    assert.throws(() => bindRouteInput(r, {}, { method: 'PUT', caller: adminCaller(1), pathParams: { sku: 'x' } }), (e: unknown) => e instanceof WebapiError && e.toBody().parameters !== undefined && (e.toBody().parameters as { fieldName: string }).fieldName === 'product');
    assert.throws(() => bindRouteInput(r, { product: {}, count: 'many' }, { method: 'PUT', caller: adminCaller(1), pathParams: { sku: 'x' } }), /value's type is invalid/);
    const me = route('GET', '/V1/me', { params: [{ name: 'customerId', in: 'path', type: T.int, required: true }], forced: { customerId: 'customer_id' } });
    assert.deepEqual(bindRouteInput(me, { customerId: 99 }, { method: 'GET', caller: customerCaller(7) }), { customerId: 7 });
  });
});
