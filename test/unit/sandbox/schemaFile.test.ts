import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadSchemaFile, registerSchemaFileRoutes, serviceOf } from '../../../src/sandbox/schemaFile/schemaFileRoutes';
import { validateAgainstSchema } from '../../../src/sandbox/schemaFile/schemaBodyValidator';
import { RouteTable } from '../../../src/sandbox/routing/routeTable';
import { bindRouteInput } from '../../../src/sandbox/routing/inputBinding';
import { adminCaller } from '../../../src/sandbox/auth/caller';
import { DEFAULT_STORE } from '../../../src/sandbox/stores';
import { WebapiError } from '../../../src/sandbox/errors';
import { MagentoSchema } from '../../../src/core/schema/swaggerSchema';

const ADMIN_SCHEMA = path.resolve(__dirname, '../../../../shared/fixtures/magento-schema/admin-2.4.9.json');

describe('--schema FILE routes', () => {
  const schema = loadSchemaFile(ADMIN_SCHEMA);

  test('every GET/POST/PUT/DELETE operation becomes a route, natively served ones are skipped', () => {
    const routes = new RouteTable();
    const added = registerSchemaFileRoutes({ routes }, schema);
    assert.equal(added, schema.operations().length);
    const again = registerSchemaFileRoutes({ routes }, schema);
    assert.equal(again, 0);
    const match = routes.match('PUT', '/V1/products/24-MB01/media/7');
    assert.ok(match);
    assert.deepEqual(match.pathParams, { sku: '24-MB01', entryId: '7' });
  });

  test('bodies are validated against the definitions; responses are synthesized', async () => {
    const routes = new RouteTable();
    registerSchemaFileRoutes({ routes }, schema);
    const create = routes.match('POST', '/V1/products')!.route;
    const caller = adminCaller(1);
    const ok = bindRouteInput(create, { product: { sku: 'S1', price: '12.5' } }, { method: 'POST', caller });
    const saved = (await create.handler({ params: ok, store: DEFAULT_STORE, caller })) as Record<string, unknown>;
    assert.equal(saved.sku, 'S1');
    assert.equal(saved.price, '12.5');

    assert.throws(() => bindRouteInput(create, {}, { method: 'POST', caller }), (e: unknown) => e instanceof WebapiError && e.status === 400 && e.phrase === '"%fieldName" is required. Enter and try again.');
    const noSku = bindRouteInput(create, { product: { price: 1 } }, { method: 'POST', caller });
    await assert.rejects(async () => create.handler({ params: noSku, store: DEFAULT_STORE, caller }), (e: unknown) => e instanceof WebapiError && e.status === 400 && JSON.stringify(e.parameters) === '{"fieldName":"sku"}');
    const badType = bindRouteInput(create, { product: { sku: 'S', price: 'cheap' } }, { method: 'POST', caller });
    await assert.rejects(async () => create.handler({ params: badType, store: DEFAULT_STORE, caller }), (e: unknown) => e instanceof WebapiError && e.phrase.startsWith('The "%value" value\'s type is invalid.'));

    // PUT forces the path value into the entity, so a body without sku is fine.
    const update = routes.match('PUT', '/V1/products/ABC')!;
    const put = bindRouteInput(update.route, { product: { price: 3 } }, { method: 'PUT', caller, pathParams: update.pathParams });
    assert.equal(((await update.route.handler({ params: put, store: DEFAULT_STORE, caller })) as { sku: string }).sku, 'ABC');

    const remove = routes.match('DELETE', '/V1/products/ABC')!;
    assert.equal(await remove.route.handler({ params: { sku: 'ABC' }, store: DEFAULT_STORE, caller }), true);
  });

  test('service identity from a store-style operationId, synthetic for AdobeDocs dumps', () => {
    const op = { operationId: 'catalogProductRepositoryV1SavePost', tag: 'catalogProductRepositoryV1', method: 'POST' } as Parameters<typeof serviceOf>[0];
    assert.deepEqual(serviceOf(op), { className: 'Magento\\Catalog\\Api\\ProductRepositoryInterface', name: 'catalogProductRepositoryV1', method: 'save' });
    const dump = { operationId: 'PostV1Products', tag: 'products', method: 'POST' } as Parameters<typeof serviceOf>[0];
    assert.equal(serviceOf(dump).className, 'Magento\\SchemaFile\\Api\\PostV1ProductsInterface');
  });

  test('nested required keys aggregate, lists are checked item by item', () => {
    const doc = MagentoSchema.parse({
      swagger: '2.0', paths: {},
      definitions: { thing: { type: 'object', required: ['a', 'b'], properties: { a: { type: 'string' }, b: { type: 'integer' }, list: { type: 'array', items: { $ref: '#/definitions/thing' } } } } },
    });
    assert.throws(() => validateAgainstSchema(doc, { $ref: '#/definitions/thing' }, {}), (e: unknown) => e instanceof WebapiError && e.phrase === 'One or more input exceptions have occurred.' && e.errors?.length === 2);
    assert.throws(() => validateAgainstSchema(doc, { $ref: '#/definitions/thing' }, { a: 'x', b: 1, list: [{ a: 'y', b: 'two' }] }), (e: unknown) => e instanceof WebapiError && JSON.stringify(e.parameters) === '{"value":"two","type":"int"}');
    validateAgainstSchema(doc, { $ref: '#/definitions/thing' }, { a: 'x', b: '7', list: [] });
  });

  test('a missing or broken file gives a clear error', () => {
    assert.throws(() => loadSchemaFile('/nonexistent/schema.json'), /cannot read the --schema file/);
  });
});
