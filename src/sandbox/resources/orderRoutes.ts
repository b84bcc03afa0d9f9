// Sales orders and shipping (Magento_Sales webapi.xml).
import { magentoDateTime } from '../clock';
import type { SandboxApp } from '../app';
import { WebapiError, noSuchEntity } from '../errors';
import type { SyncRoute } from '../routing/routeTypes';
import { T, bodyParam, pathParam, searchCriteriaParam } from '../routing/types';
import { criteriaFromParam, searchCollection } from '../search/collectionSearch';
import type { JsonObject } from './seed';

const ENTITY_NOT_FOUND = "The entity that was requested doesn't exist. Verify the entity and try again.";
const SHIPMENT_ERROR = 'Shipment Document Validation Error(s):\n%1';

export function orderRoutes(app: SandboxApp): SyncRoute[] {
  return [
    {
      method: 'GET',
      path: '/V1/orders/:id',
      service: { className: 'Magento\\Sales\\Api\\OrderRepositoryInterface', name: 'salesOrderRepositoryV1', method: 'get' },
      acl: ['Magento_Sales::actions_view'],
      params: [pathParam('id', T.int)],
      response: T.ref('sales-data-order-interface'),
      summary: 'Loads a specified order.',
      throws: [404],
      handler: ({ params }) => {
        const order = app.data.orders.get(params.id as number);
        if (!order) throw noSuchEntity(ENTITY_NOT_FOUND);
        return order;
      },
    },
    {
      method: 'GET',
      path: '/V1/orders',
      service: { className: 'Magento\\Sales\\Api\\OrderRepositoryInterface', name: 'salesOrderRepositoryV1', method: 'getList' },
      acl: ['Magento_Sales::actions_view'],
      params: [searchCriteriaParam()],
      response: T.ref('sales-data-order-search-result-interface'),
      summary: 'Lists orders that match specified search criteria.',
      handler: ({ params }) => searchCollection(app.data.orders.values(), criteriaFromParam(params.searchCriteria), app.settings, (o, f) => o[f] ?? null),
    },
    {
      method: 'POST',
      path: '/V1/order/:orderId/ship',
      service: { className: 'Magento\\Sales\\Api\\ShipOrderInterface', name: 'salesShipOrderV1', method: 'execute' },
      acl: ['Magento_Sales::ship'],
      params: [
        pathParam('orderId', T.int),
        bodyParam('items', T.array(T.ref('sales-data-shipment-item-creation-interface')), false),
        bodyParam('notify', T.bool, false),
        bodyParam('appendComment', T.bool, false),
        bodyParam('comment', T.ref('sales-data-shipment-comment-creation-interface'), false),
        bodyParam('tracks', T.array(T.ref('sales-data-shipment-track-creation-interface')), false),
        bodyParam('packages', T.array(T.ref('sales-data-shipment-package-creation-interface')), false),
        bodyParam('arguments', T.ref('sales-data-shipment-creation-arguments-interface'), false),
      ],
      response: T.int,
      summary: 'Creates new Shipment for given Order.',
      throws: [400, 404],
      handler: ({ params }) => {
        const order = app.data.orders.get(params.orderId as number);
        if (!order) throw noSuchEntity(ENTITY_NOT_FOUND);
        const items = order.items as JsonObject[];
        const requested = Array.isArray(params.items) ? (params.items as Array<Record<string, unknown>>) : undefined;
        const toShip = new Map<number, number>();
        for (const item of items) {
          const remaining = (item.qty_ordered as number) - (item.qty_shipped as number) - (item.qty_canceled as number);
          if (requested) {
            const r = requested.find((x) => Number(x.order_item_id ?? x.orderItemId) === item.item_id);
            if (r) toShip.set(item.item_id as number, Math.min(remaining, Number(r.qty ?? 0)));
          } else if (remaining > 0) toShip.set(item.item_id as number, remaining);
        }
        const problems: string[] = [];
        if (order.state === 'canceled' || order.state === 'complete' || order.state === 'closed') problems.push('The order does not allow a shipment to be created.');
        if (![...toShip.values()].some((q) => q > 0)) problems.push("You can't create a shipment without products.");
        if (problems.length > 0) throw new WebapiError(400, SHIPMENT_ERROR, [problems.join('\n')]);
        for (const item of items) {
          const q = toShip.get(item.item_id as number);
          if (q) item.qty_shipped = (item.qty_shipped as number) + q;
        }
        const allShipped = items.every((i) => (i.qty_shipped as number) + (i.qty_canceled as number) >= (i.qty_ordered as number));
        if (allShipped && order.state === 'processing') {
          order.state = 'complete';
          order.status = 'complete';
        }
        const now = magentoDateTime(app.clock.now());
        order.updated_at = now;
        const id = app.data.nextShipmentId++;
        app.data.shipments.set(id, { entity_id: id, order_id: order.entity_id as number, created_at: now, items: [...toShip].map(([order_item_id, qty]) => ({ order_item_id, qty })) });
        return id;
      },
    },
  ];
}
