// AsynchronousRequestProcessor and its bulk twin (contract §6.1–§6.4): validate every item the way
// the sync route would, then store one bulk with one open operation per accepted item and answer
// 202. An item rejected at submit time (injected, see `rejectOnSubmit`) gets no operation; the 202
// says so item by item. Nothing runs here; the consumer replays each operation later.
import { isAllowed, type Caller } from '../auth/caller';
import { MESSAGES, WebapiError, badRequest, inputError, notAuthorized, requiredField } from '../errors';
import { bindRouteInput, camelToSnake } from '../routing/inputBinding';
import { type RouteTable } from '../routing/routeTable';
import { topicName, type SyncRoute } from '../routing/routeTypes';
import { type StoreView } from '../stores';
import { type OperationStore } from '../queue/operationStore';
import { skusOf, type InjectedRejection } from '../queue/operationFaults';
import { bulkItemParams, matchBulkRoute, routeParamNames } from './bulkRoutes';
import { buildSerializedData, dataHash, newBulkUuid } from './serializedData';
import { bulkDescription } from './topicName';
import { hasParamValidation } from '../schemaFile/schemaFileRoutes';

/** What the consumer needs to replay an operation; kept beside the stored row, never rendered. */
export interface OperationPayload {
  route: SyncRoute;
  /** Bound service-method parameters (camelCase), exactly what the sync handler receives. */
  params: Record<string, unknown>;
  pathParams: Record<string, string>;
  /** The item as stored in `meta_information` (used for SKU fault rules). */
  item: unknown;
  store: StoreView;
  caller: Caller;
}

export type RequestItem =
  | { id: number; data_hash: string; status: 'accepted' }
  // data_hash is printed as null, not omitted: its getter is not documented nullable (§6.3 [inferred]).
  | { id: number; data_hash: null; status: 'rejected'; error_message: string; error_code: number };

export interface AcceptedBody {
  bulk_uuid: string;
  request_items: RequestItem[];
  /** True when at least one item was rejected; the answer is still 202 (§6.3). */
  errors: boolean;
}

export interface AsyncRequest {
  method: string;
  /** The path after `/async` or `/async/bulk`, e.g. `/V1/products/bySku`. */
  path: string;
  /**
   * Single: the request data as the sync route would bind it (body + query). Bulk: the decoded
   * body (undefined when the request had none).
   */
  body: unknown;
  store: StoreView;
  /** RequestValidator::checkPermissions for the matched route: returns the caller or throws 401. */
  authorize(route: SyncRoute): Caller;
}

/** Decides at submit time whether creating an item's operation fails (fault injection). */
export interface SubmitRejections {
  rejectOnSubmit(skus: readonly string[], topic: string): InjectedRejection | undefined;
}

export interface AsyncProcessorDeps {
  routes: RouteTable;
  operations: OperationStore<OperationPayload>;
  now(): number;
  rejections?: SubmitRejections;
}

/** Message of the 2025+ bulk body check (`Asynchronous\InputParamsResolver`) [test]. */
export const BULK_BODY_NOT_LIST = 'Request body must be an array';

// Async customer creation with a group needs this on top of the route's ACL
// (AsyncRequestCustomerGroupAuthorization) [code].
const CUSTOMER_GROUP_RESOURCE = 'Magento_Customer::manage';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The body as PHP sees a list: a JSON array, or an object whose keys are exactly "0".."n-1"
 * (json_decode gives the same PHP array for both; `{}` is the empty list). Anything else is not a list.
 */
function asPhpList(body: unknown): unknown[] | undefined {
  if (Array.isArray(body)) return body;
  if (!isRecord(body)) return undefined;
  const keys = Object.keys(body);
  if (!keys.every((k, i) => k === String(i))) return undefined;
  return keys.map((k) => body[k]);
}

function asInput(body: unknown): Record<string, unknown> {
  return isRecord(body) ? body : {};
}

/**
 * The item as `meta_information` stores it: the body merged with the path values (array_merge, as
 * the sync resolver merges request params) and, for PUT, the path id forced into the entity.
 */
function metaItem(route: SyncRoute, method: string, body: unknown, pathParams: Record<string, string>): unknown {
  const merged: Record<string, unknown> = { ...asInput(body), ...pathParams };
  if (method === 'PUT') {
    for (const [pathName, target] of Object.entries(route.pathOverrides ?? {})) {
      const pathValue = pathParams[pathName];
      const entityKey = Object.keys(merged).find((k) => k === target.param || camelToSnake(target.param) === k);
      const entity = entityKey === undefined ? undefined : merged[entityKey];
      if (pathValue === undefined || entityKey === undefined || !isRecord(entity)) continue;
      const existing = Object.keys(entity).find((k) => k === target.field || camelToSnake(k) === target.field);
      merged[entityKey] = { ...entity, [existing ?? target.field]: pathValue };
    }
  }
  return merged;
}

/** ServiceInputProcessor at submit time: binding, types and (schema-file routes) nested structure. */
function bindParams(route: SyncRoute, input: Record<string, unknown>, method: string, caller: Caller, pathParams: Record<string, string>): Record<string, unknown> {
  const params = bindRouteInput(route, input, { method, caller, pathParams });
  if (hasParamValidation(route)) route.validateParams(params);
  return params;
}

function checkCustomerGroup(route: SyncRoute, params: Record<string, unknown>, caller: Caller): void {
  if (route.service.className !== 'Magento\\Customer\\Api\\AccountManagementInterface' || route.service.method !== 'createAccount') return;
  const customer = params.customer;
  if (!isRecord(customer)) return;
  const group = customer.group_id ?? customer.groupId;
  if (group !== undefined && group !== null && !isAllowed(caller, [CUSTOMER_GROUP_RESOURCE])) {
    throw notAuthorized([CUSTOMER_GROUP_RESOURCE]);
  }
}

export class AsyncRequestProcessor {
  constructor(private readonly deps: AsyncProcessorDeps) {}

  /** `POST|PUT|DELETE|PATCH /async/V1/...`: one operation, the sync body unchanged. */
  single(request: AsyncRequest): { status: 202; body: AcceptedBody } {
    if (request.method === 'GET') throw badRequest(MESSAGES.cannotProcess);
    const match = this.deps.routes.match(request.method, request.path);
    if (!match || match.route.synchronousOnly) throw new WebapiError(404, MESSAGES.noRoute);
    const { route, pathParams } = match;
    const caller = request.authorize(route);
    const params = bindParams(route, asInput(request.body), request.method, caller, pathParams);
    checkCustomerGroup(route, params, caller);
    const item = metaItem(route, request.method, request.body, pathParams);
    return this.accept(route, request.store, caller, [{ params, pathParams, item }]);
  }

  /** `/async/bulk/V1/...` with `by<Param>` segments: a JSON list, one operation per item. */
  bulk(request: AsyncRequest): { status: 202; body: AcceptedBody } {
    if (request.method === 'GET') throw badRequest(MESSAGES.cannotProcess);
    const route = matchBulkRoute(request.method, request.path, this.deps.routes.all().filter((r) => !r.synchronousOnly));
    if (!route) throw new WebapiError(404, MESSAGES.noRoute);
    const caller = request.authorize(route);
    // An empty body reads as an empty PHP array, which is a (zero-item) list.
    const body = asPhpList(request.body === undefined ? [] : request.body);
    if (!body) throw badRequest(BULK_BODY_NOT_LIST);
    const names = routeParamNames(route.path);
    // Validate everything before storing anything: the first bad item fails the whole request.
    const items = body.map((item: unknown) => {
      const found = bulkItemParams(item, names);
      if (!found.ok) throw inputError(found.missing.map(requiredField));
      const params = bindParams(route, asInput(item), request.method, caller, found.params);
      checkCustomerGroup(route, params, caller);
      return { params, pathParams: found.params, item };
    });
    return this.accept(route, request.store, caller, items);
  }

  private accept(
    route: SyncRoute,
    store: StoreView,
    caller: Caller,
    items: { params: Record<string, unknown>; pathParams: Record<string, string>; item: unknown }[],
  ): { status: 202; body: AcceptedBody } {
    const topic = topicName(route);
    const uuid = newBulkUuid();
    const requestItems: RequestItem[] = [];
    const operations = [];
    // publishMass: each operation is created in its own try; one that throws rejects that item
    // only. The others keep their request index as operation key, so a rejection leaves a gap.
    for (const [index, entry] of items.entries()) {
      const rejection = this.deps.rejections?.rejectOnSubmit(skusOf(entry.pathParams, entry.item), topic);
      if (rejection) {
        requestItems.push({ id: index, data_hash: null, status: 'rejected', error_message: rejection.message, error_code: rejection.errorCode });
        continue;
      }
      const serializedData = buildSerializedData(entry.item, store.id);
      requestItems.push({ id: index, data_hash: dataHash(serializedData), status: 'accepted' });
      operations.push({
        id: index,
        topicName: topic,
        serializedData,
        payload: { route, params: entry.params, pathParams: entry.pathParams, item: entry.item, store, caller },
      });
    }
    // The bulk is scheduled even when every item was rejected: it exists with zero operations.
    this.deps.operations.addBulk({
      uuid,
      userId: caller.userId,
      userType: caller.userType,
      description: bulkDescription(topic),
      startTime: this.deps.now(),
      operations,
    });
    const errors = operations.length < items.length;
    return { status: 202, body: { bulk_uuid: uuid, request_items: requestItems, errors } };
  }
}
