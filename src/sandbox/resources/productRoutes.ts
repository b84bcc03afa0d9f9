// Catalog product repository (Magento_Catalog webapi.xml): save (POST/PUT), get, getList, deleteById.
import { magentoDateTime } from '../clock';
import type { SandboxApp } from '../app';
import { WebapiError, inputError, noSuchEntity } from '../errors';
import { camelToSnake } from '../routing/inputBinding';
import type { SyncRoute } from '../routing/routeTypes';
import { T, bodyParam, pathParam, searchCriteriaParam } from '../routing/types';
import { criteriaFromParam, searchCollection } from '../search/collectionSearch';
import type { StoreView } from '../stores';
import { STORE_SCOPED_CUSTOM_ATTRIBUTES, STORE_SCOPED_PRODUCT_FIELDS, type ProductRecord } from './sandboxData';
import { stockItem, type Json, type JsonObject } from './seed';

export const PRODUCT_NOT_FOUND = "The product that was requested doesn't exist. Verify the product and try again.";
const PRODUCT_CLASS = 'Magento\\Catalog\\Api\\Data\\ProductInterface';
const SERVICE = { className: 'Magento\\Catalog\\Api\\ProductRepositoryInterface', name: 'catalogProductRepositoryV1' };
const ACL = ['Magento_Catalog::products'];

/** ProductInterface getters (output order). Anything else at the top level has no accessor. */
const PRODUCT_FIELDS = ['id', 'sku', 'name', 'attribute_set_id', 'price', 'status', 'visibility', 'type_id', 'created_at', 'updated_at', 'weight', 'extension_attributes', 'product_links', 'options', 'media_gallery_entries', 'tier_prices', 'custom_attributes'];

/** camelCase → snake_case at every level except inside custom attribute values. */
export function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const key = camelToSnake(k);
    out[key] = key === 'value' ? v : snakeKeys(v);
  }
  return out;
}

function studly(snake: string): string {
  return snake.replace(/(^|_)([a-z0-9])/g, (_m, _u: string, c: string) => c.toUpperCase());
}

export function productView(record: ProductRecord, store: StoreView): JsonObject {
  const override = store.id === 0 ? undefined : record.storeOverrides.get(store.id);
  if (!override) return record.data;
  const view: JsonObject = { ...record.data, ...override.fields };
  if (override.customAttributes.size > 0) {
    view.custom_attributes = (record.data.custom_attributes as JsonObject[]).map((ca) =>
      override.customAttributes.has(ca.attribute_code as string) ? { attribute_code: ca.attribute_code as string, value: override.customAttributes.get(ca.attribute_code as string) as Json } : ca,
    );
  }
  // Keep ProductInterface key order.
  const ordered: JsonObject = {};
  for (const k of PRODUCT_FIELDS) if (k in view) ordered[k] = view[k] as Json;
  return ordered;
}

/** Field lookup for filters/sorting: product columns, then EAV attributes in custom_attributes. */
export function productFieldValue(product: JsonObject, field: string): unknown {
  if (field in product && field !== 'custom_attributes' && field !== 'extension_attributes') return product[field];
  if (field === 'category_id') {
    const links = ((product.extension_attributes as JsonObject | undefined)?.category_links as JsonObject[] | undefined) ?? [];
    return links.map((l) => l.category_id as string);
  }
  if (field === 'website_id') return (product.extension_attributes as JsonObject | undefined)?.website_ids ?? null;
  const ca = (product.custom_attributes as JsonObject[] | undefined)?.find((c) => c.attribute_code === field);
  return ca ? ca.value : null;
}

export function productRoutes(app: SandboxApp): SyncRoute[] {
  const save = (params: Record<string, unknown>, store: StoreView): JsonObject => saveProduct(app, params.product, store);
  return [
    {
      method: 'POST',
      path: '/V1/products',
      service: { ...SERVICE, method: 'save' },
      acl: ACL,
      params: [bodyParam('product', T.ref('catalog-data-product-interface')), bodyParam('saveOptions', T.bool, false)],
      response: T.ref('catalog-data-product-interface'),
      summary: 'Create product',
      throws: [400],
      handler: ({ params, store }) => save(params, store),
    },
    {
      method: 'PUT',
      path: '/V1/products/:sku',
      service: { ...SERVICE, method: 'save' },
      acl: ACL,
      params: [pathParam('sku'), bodyParam('product', T.ref('catalog-data-product-interface')), bodyParam('saveOptions', T.bool, false)],
      pathOverrides: { sku: { param: 'product', field: 'sku' } },
      response: T.ref('catalog-data-product-interface'),
      summary: 'Create product',
      throws: [400],
      handler: ({ params, store }) => save(params, store),
    },
    {
      method: 'GET',
      path: '/V1/products/:sku',
      service: { ...SERVICE, method: 'get' },
      acl: ACL,
      params: [pathParam('sku'), { name: 'editMode', in: 'query', type: T.bool, required: false }, { name: 'storeId', in: 'query', type: T.int, required: false }, { name: 'forceReload', in: 'query', type: T.bool, required: false }],
      response: T.ref('catalog-data-product-interface'),
      summary: 'Get info about product by product SKU',
      throws: [404],
      handler: ({ params, store }) => {
        const record = app.data.products.get(params.sku as string);
        if (!record) throw noSuchEntity(PRODUCT_NOT_FOUND);
        return productView(record, store);
      },
    },
    {
      method: 'DELETE',
      path: '/V1/products/:sku',
      service: { ...SERVICE, method: 'deleteById' },
      acl: ACL,
      params: [pathParam('sku')],
      response: T.bool,
      summary: 'Delete product by sku',
      throws: [404],
      handler: ({ params }) => {
        const sku = params.sku as string;
        if (!app.data.products.delete(sku)) throw noSuchEntity(PRODUCT_NOT_FOUND);
        for (const key of [...app.data.sourceItems.keys()]) if (key.startsWith(`${sku}|`)) app.data.sourceItems.delete(key);
        return true;
      },
    },
    {
      method: 'GET',
      path: '/V1/products',
      service: { ...SERVICE, method: 'getList' },
      acl: ACL,
      params: [searchCriteriaParam()],
      response: T.ref('catalog-data-product-search-results-interface'),
      summary: 'Get product list',
      handler: ({ params, store }) => {
        const criteria = criteriaFromParam(params.searchCriteria);
        const views = [...app.data.products.values()].map((r) => productView(r, store));
        return searchCollection(views, criteria, app.settings, productFieldValue);
      },
    },
  ];
}

function saveProduct(app: SandboxApp, rawProduct: unknown, store: StoreView): JsonObject {
  const input = snakeKeys(rawProduct) as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!PRODUCT_FIELDS.includes(key)) {
      // ServiceInputProcessor's LogicException: a 500 in production mode (masked), contract §1.3.
      throw new Error(`Property "${studly(key)}" does not have accessor method "get${studly(key)}" in class "${PRODUCT_CLASS}".`);
    }
  }
  const sku = typeof input.sku === 'string' ? input.sku.trim() : '';
  if (sku === '') throw new WebapiError(400, 'Invalid value of "%value" provided for the %fieldName field.', { fieldName: 'sku', value: '' });
  if (sku.length > 64) throw new WebapiError(400, 'SKU length should be %1 characters maximum.', [64]);
  const now = magentoDateTime(app.clock.now());
  const existing = app.data.products.get(sku);
  if (!existing) {
    const missing = ['name', 'price'].filter((f) => input[f] === undefined || input[f] === null || input[f] === '');
    if (missing.length > 0) throw inputError(missing.map((f) => ({ message: 'The value of attribute "%1" must be set', parameters: [f] })));
    const id = app.data.nextProductId++;
    const ext = (input.extension_attributes ?? {}) as JsonObject;
    const stockInput = (ext.stock_item ?? {}) as JsonObject;
    const qty = typeof stockInput.qty === 'number' ? stockInput.qty : Number(stockInput.qty ?? 0) || 0;
    const data: JsonObject = {
      id,
      sku,
      name: String(input.name),
      attribute_set_id: Number(input.attribute_set_id ?? 4),
      price: Number(input.price),
      status: Number(input.status ?? 1),
      visibility: Number(input.visibility ?? 4),
      type_id: String(input.type_id ?? 'simple'),
      created_at: now,
      updated_at: now,
      weight: input.weight === undefined ? null : Number(input.weight),
      extension_attributes: {
        website_ids: (ext.website_ids as Json) ?? [1],
        category_links: (ext.category_links as Json) ?? [],
        stock_item: { ...stockItem(id, qty, stockInput.is_in_stock === undefined ? qty > 0 : Boolean(stockInput.is_in_stock)), ...(stockInput as JsonObject), item_id: id, product_id: id, qty },
      },
      product_links: (input.product_links as Json) ?? [],
      options: (input.options as Json) ?? [],
      media_gallery_entries: (input.media_gallery_entries as Json) ?? [],
      tier_prices: (input.tier_prices as Json) ?? [],
      custom_attributes: normaliseCustomAttributes(input.custom_attributes, []),
    };
    if (!(data.custom_attributes as JsonObject[]).some((c) => c.attribute_code === 'url_key')) {
      (data.custom_attributes as JsonObject[]).push({ attribute_code: 'url_key', value: `${String(data.name).toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${id}` });
    }
    app.data.products.set(sku, { data, storeOverrides: new Map() });
    app.data.sourceItems.set(`${sku}|default`, { sku, source_code: 'default', quantity: qty, status: qty > 0 ? 1 : 0 });
    return data;
  }
  // Update: store-scoped values through a store view become overrides for that view (admin scope `all` writes globally).
  const record = existing;
  const global = { ...record.data };
  const override = store.id === 0 ? undefined : (record.storeOverrides.get(store.id) ?? { fields: {}, customAttributes: new Map<string, unknown>() });
  for (const [key, value] of Object.entries(input)) {
    if (key === 'id' || key === 'sku' || key === 'created_at' || key === 'updated_at') continue;
    if (key === 'custom_attributes') {
      const incoming = normaliseCustomAttributes(value, []);
      const merged = [...(global.custom_attributes as JsonObject[])];
      for (const ca of incoming) {
        const code = ca.attribute_code as string;
        if (override && STORE_SCOPED_CUSTOM_ATTRIBUTES.has(code)) {
          override.customAttributes.set(code, ca.value);
          continue;
        }
        const i = merged.findIndex((m) => m.attribute_code === code);
        if (i >= 0) merged[i] = ca;
        else merged.push(ca);
      }
      global.custom_attributes = merged;
    } else if (key === 'extension_attributes') {
      const ext = { ...(global.extension_attributes as JsonObject) };
      const incoming = value as JsonObject;
      for (const [ek, ev] of Object.entries(incoming ?? {})) {
        if (ek === 'stock_item' && ev && typeof ev === 'object') {
          const merged: JsonObject = { ...(ext.stock_item as JsonObject), ...(ev as JsonObject), item_id: global.id as number, product_id: global.id as number };
          if (merged.qty !== undefined) merged.qty = Number(merged.qty);
          ext.stock_item = merged;
          app.data.sourceItems.set(`${record.data.sku as string}|default`, { sku: record.data.sku as string, source_code: 'default', quantity: merged.qty as number, status: merged.is_in_stock ? 1 : 0 });
        } else ext[ek] = ev as Json;
      }
      global.extension_attributes = ext;
    } else if (override && STORE_SCOPED_PRODUCT_FIELDS.has(key)) {
      override.fields[key] = value as Json;
    } else {
      global[key] = (key === 'price' || key === 'weight' || key === 'status' || key === 'visibility' || key === 'attribute_set_id') && value !== null ? Number(value) : (value as Json);
    }
  }
  global.updated_at = now;
  record.data = global;
  if (override) record.storeOverrides.set(store.id, override);
  return productView(record, store);
}

function normaliseCustomAttributes(value: unknown, fallback: JsonObject[]): JsonObject[] {
  if (!Array.isArray(value)) return fallback;
  return value
    .filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object')
    .map((v) => ({ attribute_code: String(v.attribute_code ?? v.attributeCode ?? ''), value: (v.value ?? null) as Json }))
    .filter((v) => v.attribute_code !== '');
}
