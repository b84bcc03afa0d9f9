// GET /rest/<store>/schema (contract §8.1): Swagger 2.0 shape generated from the route table,
// ACL-filtered, checked against the real Magento 2.4.9 admin schema (read at test time).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SandboxClient } from './sandboxTestHelpers';

interface Operation { tags: string[]; operationId: string; parameters: Array<{ name: string; in: string; type?: string; required?: boolean; schema?: { properties: Record<string, unknown>; required?: string[] } }>; responses: Record<string, { description: string; schema?: { $ref?: string } }> }
interface Swagger { swagger: string; info: { version: string; title: string }; host: string; basePath: string; schemes: string[]; tags: Array<{ name: string }>; paths: Record<string, Record<string, Operation>>; definitions: Record<string, { properties?: Record<string, unknown>; required?: string[] }> }

const reference = JSON.parse(readFileSync(path.resolve(__dirname, '../../../../shared/fixtures/magento-schema/admin-2.4.9.json'), 'utf8')) as Swagger;

let sb: SandboxClient;
let admin: Swagger;
let guest: Swagger;

before(async () => {
  sb = await SandboxClient.start();
  const token = await sb.adminToken();
  admin = (await sb.request('GET', '/rest/default/schema?services=all', { token })).json as Swagger;
  guest = (await sb.request('GET', '/rest/default/schema?services=all')).json as Swagger;
});
after(() => sb.close());

describe('schema document', () => {
  test('Swagger 2.0 envelope: info, host, basePath, schemes, tags', () => {
    assert.equal(admin.swagger, '2.0');
    assert.deepEqual(admin.info, { version: '2.4', title: 'Magento Community' });
    assert.equal(admin.host, new URL(sb.baseUrl).host);
    assert.equal(admin.basePath, '/rest/default');
    assert.deepEqual(admin.schemes, ['http']);
    assert.ok(admin.tags.some((t) => t.name === 'catalogProductRepositoryV1'));
  });

  test('basePath follows the store segment', async () => {
    const de = (await sb.request('GET', '/rest/de/schema')).json as Swagger;
    assert.equal(de.basePath, '/rest/de');
    const none = (await sb.request('GET', '/rest/schema')).json as Swagger;
    assert.equal(none.basePath, '/rest');
  });

  test('slashes are not escaped in the schema document', async () => {
    const r = await sb.request('GET', '/rest/default/schema');
    assert.ok(r.text.includes('"/V1/integration/admin/token"'));
    assert.ok(!r.text.includes('\\/V1'));
  });

  test('paths use {param}, lower-case verbs, operationId = service + Method + Verb', () => {
    const get = admin.paths['/V1/products/{sku}']?.get;
    assert.equal(get?.operationId, 'catalogProductRepositoryV1GetGet');
    assert.equal(admin.paths['/V1/products']?.get?.operationId, 'catalogProductRepositoryV1GetListGet');
    assert.equal(admin.paths['/V1/products']?.post?.operationId, 'catalogProductRepositoryV1SavePost');
    assert.equal(admin.paths['/V1/customers/search']?.get?.operationId, 'customerCustomerRepositoryV1GetListGet');
    assert.deepEqual(get?.tags, ['catalogProductRepositoryV1']);
  });

  test('every sandbox path and verb exists in the real 2.4.9 schema', () => {
    const missing: string[] = [];
    for (const [p, ops] of Object.entries(admin.paths)) {
      for (const verb of Object.keys(ops)) {
        if (p.startsWith('/V1/tfa/')) continue; // TwoFactorAuth is not in the published dump
        if (!reference.paths[p]?.[verb]) missing.push(`${verb} ${p}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  test('flattened searchCriteria query parameters match the reference schema', () => {
    const mine = admin.paths['/V1/products']?.get?.parameters.map((p) => [p.name, p.in, p.type]);
    const theirs = reference.paths['/V1/products']?.get?.parameters.map((p) => [p.name, p.in, p.type]);
    assert.deepEqual(mine, theirs);
  });

  test('path and query parameters of GET /V1/products/{sku} match the reference', () => {
    const strip = (ps: Operation['parameters'] | undefined) => ps?.map((p) => ({ name: p.name, in: p.in, type: p.type, required: p.required }));
    assert.deepEqual(strip(admin.paths['/V1/products/{sku}']?.get?.parameters), strip(reference.paths['/V1/products/{sku}']?.get?.parameters));
  });

  test('the body parameter is $body with the method parameters as properties', () => {
    const body = admin.paths['/V1/products/{sku}']?.put?.parameters.find((p) => p.in === 'body');
    assert.equal(body?.name, '$body');
    assert.deepEqual(Object.keys(body?.schema?.properties ?? {}), ['product', 'saveOptions']);
    assert.deepEqual(body?.schema?.required, ['product']);
    const refBody = reference.paths['/V1/products/{sku}']?.put?.parameters.find((p) => p.in === 'body');
    assert.deepEqual(Object.keys(body?.schema?.properties ?? {}), Object.keys(refBody?.schema?.properties ?? {}));
  });

  test('responses: 200 Success with the definition, 401 only when not anonymous, default error-response', () => {
    const r = admin.paths['/V1/products/{sku}']?.get?.responses;
    assert.deepEqual(r?.['200'], { description: '200 Success.', schema: { $ref: '#/definitions/catalog-data-product-interface' } });
    assert.equal(r?.['401']?.description, '401 Unauthorized');
    assert.equal(r?.default?.schema?.$ref, '#/definitions/error-response');
    const token = admin.paths['/V1/integration/admin/token']?.post?.responses;
    assert.equal(token?.['401'], undefined, 'the token route is anonymous');
    assert.deepEqual(guest.paths['/V1/integration/admin/token']?.post?.responses['200'], { description: '200 Success.', schema: { type: 'string' } });
  });

  test('definitions are lower-dash and their properties exist in the reference definitions', () => {
    for (const name of ['catalog-data-product-interface', 'customer-data-customer-interface', 'customer-data-address-interface', 'framework-search-criteria-interface', 'error-response', 'catalog-inventory-data-stock-item-interface']) {
      const mine = admin.definitions[name];
      const theirs = reference.definitions[name];
      assert.ok(mine, `${name} defined`);
      assert.ok(theirs, `${name} in the reference`);
      const extra = Object.keys(mine.properties ?? {}).filter((k) => !(k in (theirs.properties ?? {})));
      assert.deepEqual(extra, [], `${name} has properties the real schema does not`);
    }
    assert.deepEqual(admin.definitions['catalog-data-product-interface']?.required, ['sku']);
    for (const ref of JSON.stringify(admin).match(/#\/definitions\/[a-z0-9-]+/g) ?? []) {
      assert.ok(admin.definitions[ref.slice('#/definitions/'.length)], `dangling ${ref}`);
    }
  });

  test('every generated definition exists in the reference with the same property names and types', () => {
    const problems: string[] = [];
    for (const [name, def] of Object.entries(admin.definitions)) {
      const theirs = reference.definitions[name];
      if (!theirs) {
        problems.push(`missing ${name}`);
        continue;
      }
      for (const [key, prop] of Object.entries((def.properties ?? {}) as Record<string, { type?: string; $ref?: string }>)) {
        const other = (theirs.properties ?? {})[key] as { type?: string; $ref?: string } | undefined;
        if (!other) problems.push(`${name}.${key} not in the reference`);
        else if ((prop.type ?? prop.$ref) !== (other.type ?? other.$ref)) problems.push(`${name}.${key}: ${prop.type ?? prop.$ref} vs ${other.type ?? other.$ref}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  test('ACL: an anonymous caller only sees anonymous routes; services= filters by service name', async () => {
    assert.deepEqual(Object.keys(guest.paths).sort(), ['/V1/customers', '/V1/integration/admin/token', '/V1/integration/customer/token', '/V1/tfa/provider/google/authenticate']);
    const customerToken = await sb.customerToken();
    const customer = (await sb.request('GET', '/rest/default/schema', { token: customerToken })).json as Swagger;
    assert.ok(customer.paths['/V1/customers/me']);
    assert.equal(customer.paths['/V1/products'], undefined);
    const token = await sb.adminToken();
    const only = (await sb.request('GET', '/rest/default/schema?services=catalogProductRepositoryV1,cmsPageRepositoryV1', { token })).json as Swagger;
    assert.deepEqual(Object.keys(only.paths).sort(), ['/V1/cmsPage', '/V1/cmsPage/search', '/V1/cmsPage/{id}', '/V1/cmsPage/{pageId}', '/V1/products', '/V1/products/{sku}']);
  });
});
