// Categories (read) and store configuration routes.
import type { SandboxApp } from '../app';
import { noSuchEntity } from '../errors';
import type { SyncRoute } from '../routing/routeTypes';
import { T, pathParam, queryParam } from '../routing/types';
import { ADMIN_STORE, STORE_VIEWS } from '../stores';
import { CATEGORIES, type CategorySeed, type JsonObject } from './seed';

const NO_SUCH_ENTITY = 'No such entity with %fieldName = %fieldValue';
const CATEGORY_CREATED = '2025-01-15 09:00:00';

function categoryPath(c: CategorySeed): string {
  const ids: number[] = [];
  let current: CategorySeed | undefined = c;
  while (current) {
    ids.unshift(current.id);
    const parentId: number = current.parent_id;
    current = CATEGORIES.find((x) => x.id === parentId);
  }
  return ids.join('/');
}

function productCount(app: SandboxApp, categoryId: number): number {
  let n = 0;
  for (const r of app.data.products.values()) {
    const links = ((r.data.extension_attributes as JsonObject).category_links as JsonObject[] | undefined) ?? [];
    if (links.some((l) => String(l.category_id) === String(categoryId))) n++;
  }
  return n;
}

function tree(app: SandboxApp, c: CategorySeed, depth: number | undefined): JsonObject {
  const children = CATEGORIES.filter((x) => x.parent_id === c.id);
  return {
    id: c.id,
    parent_id: c.parent_id,
    name: c.name,
    is_active: c.is_active,
    position: c.position,
    level: c.level,
    product_count: productCount(app, c.id),
    children_data: depth === undefined || depth > 0 ? children.map((x) => tree(app, x, depth === undefined ? undefined : depth - 1)) : [],
  };
}

export function catalogStoreRoutes(app: SandboxApp): SyncRoute[] {
  return [
    {
      method: 'GET',
      path: '/V1/categories',
      service: { className: 'Magento\\Catalog\\Api\\CategoryManagementInterface', name: 'catalogCategoryManagementV1', method: 'getTree' },
      acl: ['Magento_Catalog::categories'],
      params: [queryParam('rootCategoryId', T.int), queryParam('depth', T.int)],
      response: T.ref('catalog-data-category-tree-interface'),
      summary: 'Retrieve list of categories',
      throws: [404],
      handler: ({ params }) => {
        const rootId = (params.rootCategoryId as number | undefined) ?? 2;
        const root = CATEGORIES.find((c) => c.id === rootId);
        if (!root) throw noSuchEntity(NO_SUCH_ENTITY, { fieldName: 'id', fieldValue: rootId });
        return tree(app, root, params.depth as number | undefined);
      },
    },
    {
      method: 'GET',
      path: '/V1/categories/:categoryId',
      service: { className: 'Magento\\Catalog\\Api\\CategoryRepositoryInterface', name: 'catalogCategoryRepositoryV1', method: 'get' },
      acl: ['Magento_Catalog::categories'],
      params: [pathParam('categoryId', T.int), queryParam('storeId', T.int)],
      response: T.ref('catalog-data-category-interface'),
      summary: 'Get info about category by category id',
      throws: [404],
      handler: ({ params }) => {
        const c = CATEGORIES.find((x) => x.id === params.categoryId);
        if (!c) throw noSuchEntity(NO_SUCH_ENTITY, { fieldName: 'id', fieldValue: params.categoryId as number });
        return {
          id: c.id,
          parent_id: c.parent_id,
          name: c.name,
          is_active: c.is_active,
          position: c.position,
          level: c.level,
          children: CATEGORIES.filter((x) => x.parent_id === c.id).map((x) => x.id).join(','),
          created_at: CATEGORY_CREATED,
          updated_at: CATEGORY_CREATED,
          path: categoryPath(c),
          available_sort_by: [],
          include_in_menu: true,
          custom_attributes: [
            { attribute_code: 'url_key', value: c.url_key },
            { attribute_code: 'url_path', value: c.url_key },
            { attribute_code: 'display_mode', value: 'PRODUCTS' },
            { attribute_code: 'is_anchor', value: '1' },
            { attribute_code: 'children_count', value: String(CATEGORIES.filter((x) => categoryPath(x).startsWith(`${categoryPath(c)}/`)).length) },
          ],
        };
      },
    },
    {
      method: 'GET',
      path: '/V1/store/storeViews',
      service: { className: 'Magento\\Store\\Api\\StoreRepositoryInterface', name: 'storeStoreRepositoryV1', method: 'getList' },
      acl: ['Magento_Backend::store'],
      params: [],
      response: T.array(T.ref('store-data-store-interface')),
      summary: 'Retrieve list of all stores',
      handler: () =>
        [ADMIN_STORE, ...STORE_VIEWS].map((s) => ({ id: s.id, code: s.code, name: s.name, website_id: s.websiteId, store_group_id: s.storeGroupId, is_active: 1, extension_attributes: {} })),
    },
    {
      method: 'GET',
      path: '/V1/store/storeConfigs',
      service: { className: 'Magento\\Store\\Api\\StoreConfigManagerInterface', name: 'storeStoreConfigManagerV1', method: 'getStoreConfigs' },
      acl: ['Magento_Backend::store'],
      params: [queryParam('storeCodes', T.array(T.string))],
      response: T.array(T.ref('store-data-store-config-interface')),
      summary: 'Get store configs',
      handler: ({ params }) => {
        const codes = Array.isArray(params.storeCodes) ? (params.storeCodes as unknown[]).map(String) : undefined;
        return STORE_VIEWS.filter((s) => !codes || codes.includes(s.code)).map((s) => ({
          id: s.id,
          code: s.code,
          website_id: s.websiteId,
          locale: s.locale,
          base_currency_code: s.baseCurrency,
          default_display_currency_code: s.baseCurrency,
          timezone: s.code === 'de' ? 'Europe/Berlin' : 'America/Chicago',
          weight_unit: s.code === 'de' ? 'kgs' : 'lbs',
          base_url: 'http://sandbox.magento.local/',
          base_link_url: 'http://sandbox.magento.local/',
          base_static_url: 'http://sandbox.magento.local/static/',
          base_media_url: 'http://sandbox.magento.local/media/',
          secure_base_url: 'https://sandbox.magento.local/',
          secure_base_link_url: 'https://sandbox.magento.local/',
          secure_base_static_url: 'https://sandbox.magento.local/static/',
          secure_base_media_url: 'https://sandbox.magento.local/media/',
          extension_attributes: {},
        }));
      },
    },
  ];
}
