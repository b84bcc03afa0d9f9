// `--latency none|realistic`: what a call costs on a real Magento 2.4 store, so the sandbox can
// show (and the benchmark can measure) why bulk beats a loop of sync calls.
//
// Numbers for `realistic` (milliseconds of server time, one request at a time). They are
// estimates for a mid-size production-mode store (OPcache on, Redis cache, MySQL 8, indexers
// "Update on Save"), not measurements of this project:
// - request bootstrap + routing + token auth: ~60 ms. An empty authenticated REST call on such a
//   store typically answers in 50–80 ms; most of it is the framework bootstrap every request pays.
// - reads: +25 ms for one entity (a product GET loads ~10 EAV tables), lists +40 ms + 0.5 ms/item.
// - product save: +170 ms (≈230 ms per call): EAV writes, URL rewrites, media, and the
//   price / inventory / category-product / search indexers that "Update on Save" runs inline.
//   Community reports of sync catalog imports land at 3–6 products per second per worker.
// - customer create/save: +140 ms (password hashing, grid reindex, welcome e-mail queueing).
// - other writes +90 ms, deletes +80 ms.
// - async/bulk accept: bootstrap + ~0.8 ms per item (input validation through the service input
//   processor, json_encode, multi-row insert into magento_operation, one AMQP publish batch).
// - consumer, per operation: the service cost without the bootstrap (the consumer is a long-lived
//   process), e.g. ~170 ms per product save.
// `none` adds no delay anywhere; tests and the throughput benchmark use it.
import type { SyncRoute } from '../routing/routeTypes';

export type LatencyMode = 'none' | 'realistic';

export const REALISTIC_COSTS_MS = {
  bootstrap: 60,
  readOne: 25,
  list: 40,
  listPerItem: 0.5,
  productSave: 170,
  customerSave: 140,
  otherWrite: 90,
  delete: 80,
  acceptPerItem: 0.8,
} as const;

type RouteShape = Pick<SyncRoute, 'method' | 'service'>;

/** The service part of a call: what the work itself costs, without the request bootstrap. */
export function serviceCostMs(route: RouteShape, listItems = 0): number {
  const c = REALISTIC_COSTS_MS;
  const cls = route.service.className;
  if (route.method === 'GET') {
    return route.service.method === 'getList' ? c.list + c.listPerItem * listItems : c.readOne;
  }
  if (route.method === 'DELETE') return c.delete;
  if (/\\Catalog\\Api\\Product[A-Za-z]*Interface$/.test(cls)) return c.productSave;
  if (/\\Customer\\Api\\(AccountManagement|CustomerRepository)Interface$/.test(cls)) return c.customerSave;
  return c.otherWrite;
}

export class LatencyModel {
  constructor(readonly mode: LatencyMode) {}

  /** A synchronous REST call to this route. */
  syncRequestMs(route: RouteShape, listItems = 0): number {
    if (this.mode === 'none') return 0;
    return REALISTIC_COSTS_MS.bootstrap + serviceCostMs(route, listItems);
  }

  /** Accepting an async (1 item) or bulk (n items) request. */
  asyncAcceptMs(itemCount: number): number {
    if (this.mode === 'none') return 0;
    return REALISTIC_COSTS_MS.bootstrap + REALISTIC_COSTS_MS.acceptPerItem * itemCount;
  }

  /** One queued operation in the consumer. */
  operationMs(route: RouteShape): number {
    if (this.mode === 'none') return 0;
    return serviceCostMs(route);
  }
}
