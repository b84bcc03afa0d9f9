// MSI source items (Magento_InventoryApi webapi.xml).
import type { SandboxApp } from '../app';
import { WebapiError, type ErrorEntry } from '../errors';
import type { SyncRoute } from '../routing/routeTypes';
import { T, bodyParam, searchCriteriaParam } from '../routing/types';
import { criteriaFromParam, searchCollection } from '../search/collectionSearch';
import { SOURCES, type JsonObject } from './seed';
import { snakeKeys } from './productRoutes';

const SOURCE_ITEM_DEF = 'inventory-api-data-source-item-interface';

export function inventoryRoutes(app: SandboxApp): SyncRoute[] {
  return [
    {
      method: 'POST',
      path: '/V1/inventory/source-items',
      service: { className: 'Magento\\InventoryApi\\Api\\SourceItemsSaveInterface', name: 'inventoryApiSourceItemsSaveV1', method: 'execute' },
      acl: ['Magento_InventoryApi::source_item'],
      params: [bodyParam('sourceItems', T.array(T.ref(SOURCE_ITEM_DEF)))],
      response: T.mixed,
      summary: 'Save Multiple Source item data',
      throws: [400],
      handler: ({ params }) => {
        const items = params.sourceItems;
        if (!Array.isArray(items) || items.length === 0) throw new WebapiError(400, 'Input data is empty');
        const errors: ErrorEntry[] = [];
        const normalised = items.map((raw) => snakeKeys(raw) as JsonObject);
        for (const item of normalised) {
          if (typeof item.sku !== 'string' || item.sku.trim() === '') errors.push({ message: '"%field" can not be empty.', parameters: { field: 'sku' } });
          if (typeof item.source_code !== 'string' || item.source_code.trim() === '') errors.push({ message: '"%field" can not be empty.', parameters: { field: 'source_code' } });
          else if (!SOURCES.some((s) => s.source_code === item.source_code)) errors.push({ message: 'Source with code "%code" does not exist.', parameters: { code: item.source_code } });
          if (item.quantity === undefined || item.quantity === null || Number.isNaN(Number(item.quantity))) errors.push({ message: '"%field" should be numeric.', parameters: { field: 'quantity' } });
          if (item.status !== undefined && item.status !== 0 && item.status !== 1 && item.status !== '0' && item.status !== '1') errors.push({ message: '"%field" should be numeric.', parameters: { field: 'status' } });
          if (typeof item.sku === 'string' && !app.data.products.has(item.sku)) errors.push({ message: 'Product with SKU "%sku" does not exist.', parameters: { sku: item.sku } });
        }
        if (errors.length > 0) throw new WebapiError(400, 'Validation Failed', undefined, errors);
        for (const item of normalised) {
          const quantity = Number(item.quantity);
          const status = Number(item.status ?? (quantity > 0 ? 1 : 0));
          app.data.sourceItems.set(`${item.sku as string}|${item.source_code as string}`, { sku: item.sku as string, source_code: item.source_code as string, quantity, status });
          if (item.source_code === 'default') {
            const product = app.data.products.get(item.sku as string);
            const stock = (product?.data.extension_attributes as JsonObject | undefined)?.stock_item as JsonObject | undefined;
            if (stock) {
              stock.qty = quantity;
              stock.is_in_stock = status === 1;
            }
          }
        }
        return [];
      },
    },
    {
      method: 'GET',
      path: '/V1/inventory/source-items',
      service: { className: 'Magento\\InventoryApi\\Api\\SourceItemRepositoryInterface', name: 'inventoryApiSourceItemRepositoryV1', method: 'getList' },
      acl: ['Magento_InventoryApi::source_item'],
      params: [searchCriteriaParam()],
      response: T.ref('inventory-api-data-source-item-search-results-interface'),
      summary: 'Find Source Items by SearchCriteria',
      handler: ({ params }) => searchCollection(app.data.sourceItems.values(), criteriaFromParam(params.searchCriteria), app.settings, (s, f) => s[f] ?? null),
    },
  ];
}
