// Which operations of a bulk to resubmit, where their payloads come from, and the new bulk
// request that carries them. Magento has no REST retry (the Admin's retry button posts to an
// admin controller), so a retry is a new async/bulk request linked to its parent.
//
// Rules: retriably failed (2) by default; not retriably failed (3) and rejected (5) only when the
// caller asks (after the user confirmed); complete (1) and open (4) never; an operation already
// resubmitted from this bulk never twice.
import { bulkTemplateOf } from '../convert/asyncConversion';
import { type HttpMethod, type MagentoRequest } from '../http/types';
import { OperationStatus, type OperationSummary, type TrackedBulk } from './bulkState';
import { type BulkDetailedStatus, type DetailedOperation } from './bulkStatusApi';

export type RetrySkipReason = 'complete' | 'open' | 'already-retried' | 'not-retriable' | 'unknown-status' | 'not-in-bulk';

export interface RetrySelectionOptions {
  /** Also take status 3 (not retriably failed) and 5 (rejected); the host confirms first. */
  includeNonRetriable?: boolean;
  /** Only these operations (the user's selection in the tree); default every failed one. */
  operationIds?: readonly number[];
}

export interface RetrySelection {
  selected: OperationSummary[];
  skipped: { id: number; reason: RetrySkipReason }[];
  /** Selected operations that Magento marked not retriable (the host warns about them). */
  nonRetriableSelected: number;
}

export function selectForRetry(
  operations: readonly OperationSummary[],
  alreadyRetried: readonly number[],
  options: RetrySelectionOptions = {},
): RetrySelection {
  const retried = new Set(alreadyRetried);
  const wanted = options.operationIds ? new Set(options.operationIds) : undefined;
  const selection: RetrySelection = { selected: [], skipped: [], nonRetriableSelected: 0 };
  const seen = new Set<number>();
  for (const op of operations) {
    if (wanted && !wanted.has(op.id)) continue;
    seen.add(op.id);
    const skip = (reason: RetrySkipReason): void => {
      // Only explain skips the user would wonder about: the ones they picked, or failed ones.
      if (wanted || op.status !== OperationStatus.Complete) selection.skipped.push({ id: op.id, reason });
    };
    if (op.status === OperationStatus.Complete) { skip('complete'); continue; }
    if (op.status === OperationStatus.Open) { skip('open'); continue; }
    if (retried.has(op.id)) { skip('already-retried'); continue; }
    if (op.status === OperationStatus.RetriablyFailed) { selection.selected.push(op); continue; }
    if (op.status === OperationStatus.NotRetriablyFailed || op.status === OperationStatus.Rejected) {
      if (options.includeNonRetriable) {
        selection.selected.push(op);
        selection.nonRetriableSelected++;
      } else {
        skip('not-retriable');
      }
      continue;
    }
    skip('unknown-status');
  }
  for (const id of wanted ?? []) if (!seen.has(id)) selection.skipped.push({ id, reason: 'not-in-bulk' });
  return selection;
}

export function selectForRetryFromBulk(bulk: TrackedBulk, options: RetrySelectionOptions = {}): RetrySelection {
  return selectForRetry(bulk.operations ?? [], bulk.retriedOperationIds, options);
}

/** The async/bulk route a retry goes to. */
export interface RetryRoute {
  method: HttpMethod;
  /** `/async/bulk/V1/products/bySku` */
  bulkPath: string;
}

/** What the submission journal remembers of a bulk. */
export interface JournalPayloads {
  route?: RetryRoute;
  storeCode?: string;
  /** Original request items by operation id (= index in the submitted list). */
  payloads: ReadonlyMap<number, unknown>;
}

/** Where payloads come from first (Convert's submission journal); undefined when it has no record. */
export interface RetryPayloadSource {
  payloadsFor(bulkUuid: string, operationIds: readonly number[]): Promise<JournalPayloads | undefined>;
}

/** The minimal route shape needed to map a topic back to a route (Convert's CatalogRoute fits). */
export interface TopicRouteCandidate {
  method: string;
  pathTemplate: string;
  operationId?: string;
}

/**
 * Topic → route via the schema. The topic is `async.<service interface, lower, \ → .>.<method>.<verb>`;
 * Swagger's operationId is serviceName + Method + Verb where serviceName is
 * `<module, lcfirst><Interface without "Interface">V<n>`: `async.magento.catalog.api.productrepositoryinterface.save.put`
 * ↔ `catalogProductRepositoryV1SavePut`.
 */
export function routeForTopic(topic: string, routes: readonly TopicRouteCandidate[]): RetryRoute | undefined {
  const parts = topic.toLowerCase().split('.');
  if (parts[0] !== 'async' || parts.length < 5) return undefined;
  const verb = parts[parts.length - 1]!;
  const method = parts[parts.length - 2]!;
  const serviceParts = parts.slice(1, -2);
  const apiIndex = serviceParts.lastIndexOf('api');
  if (apiIndex < 1) return undefined;
  const moduleName = serviceParts.slice(1, apiIndex).join('');
  const iface = serviceParts.slice(apiIndex + 1).join('').replace(/interface$/, '');
  const pattern = new RegExp(`^${escapeRe(moduleName + iface)}v\\d+${escapeRe(method)}${escapeRe(verb)}$`);
  for (const route of routes) {
    if (route.method.toLowerCase() !== verb || !route.operationId) continue;
    if (pattern.test(route.operationId.toLowerCase())) {
      return { method: route.method.toUpperCase() as HttpMethod, bulkPath: `/async/bulk${bulkTemplateOf(route.pathTemplate)}` };
    }
  }
  return undefined;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export type PayloadParse = { ok: true; payload: unknown; storeId?: number } | { ok: false; reason: string };

/**
 * `serialized_data` of a failed operation: `{"entity_id":null,"entity_link":"","meta_information":"<item JSON>","store_id":1}`.
 * Complete operations have `serialized_data: null` (the consumer clears it).
 */
export function payloadFromSerializedData(serializedData: string | null): PayloadParse {
  if (serializedData === null || serializedData === '') return { ok: false, reason: 'the store no longer holds its payload (serialized_data is null)' };
  let outer: unknown;
  try {
    outer = JSON.parse(serializedData);
  } catch {
    return { ok: false, reason: 'serialized_data is not JSON' };
  }
  if (!outer || typeof outer !== 'object' || Array.isArray(outer)) return { ok: false, reason: 'serialized_data is not an object' };
  const record = outer as Record<string, unknown>;
  const meta = record.meta_information;
  let payload: unknown;
  if (typeof meta === 'string') {
    try {
      payload = JSON.parse(meta);
    } catch {
      return { ok: false, reason: 'meta_information is not JSON' };
    }
  } else if (meta && typeof meta === 'object') {
    payload = meta;
  } else {
    return { ok: false, reason: 'serialized_data has no meta_information' };
  }
  const storeId = typeof record.store_id === 'number' ? record.store_id : undefined;
  return { ok: true, payload, ...(storeId !== undefined ? { storeId } : {}) };
}

export interface RetryPlanItem {
  /** The operation id in the parent bulk. */
  operationId: number;
  payload: unknown;
  source: 'journal' | 'detailed-status';
}

export interface RetryPlan {
  parentUuid: string;
  route: RetryRoute;
  storeCode: string;
  /** In request order: item i of the new bulk retries `items[i].operationId`. */
  items: RetryPlanItem[];
  /** Selected operations without a usable payload. */
  missing: { id: number; reason: string }[];
  selection: RetrySelection;
}

export interface BuildRetryPlanDeps {
  bulk: TrackedBulk;
  selection: RetrySelection;
  journal?: RetryPayloadSource;
  /** Fetches `detailed-status` (only called when the journal cannot supply everything). */
  detailedStatus: () => Promise<BulkDetailedStatus>;
  /** Routes from the store's schema, for topic → route when the journal has none. */
  routes?: () => Promise<readonly TopicRouteCandidate[]>;
}

export class RetryPlanError extends Error {}

export async function buildRetryPlan(deps: BuildRetryPlanDeps): Promise<RetryPlan> {
  const { bulk, selection } = deps;
  const ids = selection.selected.map((op) => op.id);
  if (ids.length === 0) throw new RetryPlanError('Nothing to retry: no failed operation that was not retried already.');
  const payloads = new Map<number, RetryPlanItem>();
  let route: RetryRoute | undefined;
  let storeCode = bulk.storeCode;
  const journal = await deps.journal?.payloadsFor(bulk.uuid, ids);
  if (journal) {
    route = journal.route;
    if (journal.storeCode) storeCode = journal.storeCode;
    for (const id of ids) {
      if (journal.payloads.has(id)) payloads.set(id, { operationId: id, payload: journal.payloads.get(id), source: 'journal' });
    }
  }
  const missing: { id: number; reason: string }[] = [];
  let topic = bulk.topic;
  if (payloads.size < ids.length || !route) {
    const detailed = await deps.detailedStatus();
    const byId = new Map<number, DetailedOperation>(detailed.operations.map((op) => [op.id, op]));
    for (const id of ids) {
      const op = byId.get(id);
      if (!topic && op?.topicName) topic = op.topicName;
      if (payloads.has(id)) continue;
      if (!op) { missing.push({ id, reason: 'not in the detailed status' }); continue; }
      const parsed = payloadFromSerializedData(op.serializedData);
      if (parsed.ok) payloads.set(id, { operationId: id, payload: parsed.payload, source: 'detailed-status' });
      else missing.push({ id, reason: parsed.reason });
    }
  }
  if (!route) {
    if (!topic) throw new RetryPlanError(`Cannot tell which route bulk ${bulk.uuid} used: no topic and no journal record.`);
    const routes = deps.routes ? await deps.routes() : [];
    route = routeForTopic(topic, routes);
    if (!route) throw new RetryPlanError(`No route in the store's schema matches topic ${topic}; cannot build the retry request.`);
  }
  return {
    parentUuid: bulk.uuid,
    route,
    storeCode,
    items: ids.filter((id) => payloads.has(id)).map((id) => payloads.get(id)!),
    missing,
    selection,
  };
}

/** The new bulk request: same route and store, the payloads as a JSON list in plan order. */
export function retryRequest(plan: RetryPlan, payloads: readonly unknown[] = plan.items.map((i) => i.payload)): MagentoRequest {
  return { method: plan.route.method, path: plan.route.bulkPath, storeCode: plan.storeCode, body: payloads };
}
