// Sync → async and sync → bulk conversion (contract §6.1), pure: no I/O, no clock.
//
//   PUT /V1/products/24-MB01 {"product":{...}}
//     async → PUT /async/V1/products/24-MB01 {"product":{...}}              (same body)
//     bulk  → PUT /async/bulk/V1/products/bySku [{"sku":"24-MB01","product":{...}}]
//
// Which segments are parameters comes from the store's schema (a RouteCatalog), never from a
// list in this file: a path the schema cannot resolve is an error that names the segment.
import { type HttpMethod } from '../http/types';
import { canonicalKey, hasPathValue, lintItems, type LintIssue } from './payloadLint';
import { explainUnmatched, pathSegments, placeholderName, type CatalogRoute, type RouteCatalog } from './routeCatalog';
import { routeKind } from './restUrl';

export type ConversionTarget = 'async' | 'bulk';

export interface SyncRequest {
  method: string;
  /**
   * Sync route path after `/rest/<store>`: concrete (`/V1/products/24-MB01`), or with
   * placeholders (`/V1/products/{sku}`, `/V1/products/:sku`) whose values come from the items.
   * An already-bulk path (`/async/bulk/V1/products/bySku`) is accepted for item submission.
   */
  path: string;
  storeCode?: string;
  /** Query without `?`, kept as is. */
  query?: string;
  /** The sync body (one operation). Ignored when `items` is given. */
  body?: unknown;
  /** Several sync bodies (one operation each). */
  items?: readonly unknown[];
}

export interface ConversionOptions {
  /** Items per bulk request (default 100). */
  batchSize?: number;
  /** The store's async input array limit when input limits are on (5,000 by default in Magento); undefined = off. */
  asyncInputLimit?: number;
  /** Skip payload lint (the caller lints separately). */
  lint?: boolean;
}

export interface ConvertedRequest {
  method: HttpMethod;
  /** `/async/V1/...` or `/async/bulk/V1/...` */
  path: string;
  storeCode?: string;
  query?: string;
  /** Async: the sync body. Bulk: the JSON list of items. */
  body: unknown;
  /** Index of this request's first item among all items (for progress and the journal). */
  firstItemIndex: number;
  itemCount: number;
}

export interface ResolvedRoute {
  method: HttpMethod;
  pathTemplate: string;
  /** `/V1/products/bySku` (without `/async/bulk`). */
  bulkTemplate: string;
  pathParamNames: string[];
  /** Values found in the request path, by parameter name (placeholders excluded). */
  pathValues: Record<string, string>;
  /** Parameters written as `{name}` / `:name` / `byName`: their values come from each item. */
  valuesFromItems: string[];
  route: CatalogRoute;
}

export type ConversionErrorCode = 'get-not-async' | 'unsupported-method' | 'unknown-route' | 'already-async' | 'no-items' | 'bad-batch-size';

export class ConversionError extends Error {
  constructor(readonly code: ConversionErrorCode, message: string) {
    super(message);
    this.name = 'ConversionError';
  }
}

export interface ConversionResult {
  target: ConversionTarget;
  route: ResolvedRoute;
  requests: ConvertedRequest[];
  /** All items after path values were moved in (bulk) — what the journal stores. */
  items: unknown[];
  issues: LintIssue[];
}

const WRITE_METHODS = new Set<HttpMethod>(['POST', 'PUT', 'DELETE', 'PATCH']);
export const DEFAULT_BATCH_SIZE = 100;
export const MAGENTO_ASYNC_INPUT_LIMIT = 5000;

function ucfirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** `/V1/products/{sku}/media/{entryId}` → `/V1/products/bySku/media/byEntryId` (BulkServiceConfig). */
export function bulkTemplateOf(pathTemplate: string): string {
  return pathTemplate.replace(/\{([^}/]+)\}/g, (_m, name: string) => `by${ucfirst(name)}`);
}

function checkMethod(method: string): HttpMethod {
  const upper = method.toUpperCase();
  if (upper === 'GET' || upper === 'HEAD') {
    throw new ConversionError('get-not-async', `${upper} cannot be made async: Magento has no asynchronous reads (GET /async/... answers 400 "Specified request cannot be processed."). Send it as a normal request.`);
  }
  if (!WRITE_METHODS.has(upper as HttpMethod)) {
    throw new ConversionError('unsupported-method', `${method} is not a Magento REST write method (POST, PUT, DELETE, PATCH)`);
  }
  return upper as HttpMethod;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Resolves the request path to a schema route; throws ConversionError('unknown-route') naming the bad segment. */
export function resolveRoute(catalog: RouteCatalog, methodIn: string, pathIn: string): ResolvedRoute {
  const method = checkMethod(methodIn);
  const kind = routeKind(pathIn);
  if (kind === 'async') {
    throw new ConversionError('already-async', `${pathIn} is already an async route; convert the sync request (${pathIn.slice('/async'.length)})`);
  }
  const path = kind === 'bulk' ? pathIn.slice('/async/bulk'.length) : pathIn;
  const segs = pathSegments(path);

  const candidates = catalog.routes().filter((r) => r.method.toUpperCase() === method && pathSegments(r.pathTemplate).length === segs.length);
  const placeholders = segs.map((s) => placeholderName(s));

  let route: CatalogRoute | undefined;
  let pathValues: Record<string, string> = {};
  if (kind === 'sync' && placeholders.every((p) => p === undefined)) {
    const match = catalog.match(method, path);
    if (match) {
      route = match.route;
      pathValues = match.pathParams;
    }
  } else {
    // Placeholders (`{sku}`, `:sku`) or `by<Param>` segments: match them against the templates
    // themselves; a placeholder only fills a parameter segment, and literal matches win ties.
    let bestScore = -1;
    for (const r of candidates) {
      const tSegs = pathSegments(kind === 'bulk' ? bulkTemplateOf(r.pathTemplate) : r.pathTemplate);
      let score = 0;
      const ok = tSegs.every((t, i) => {
        const seg = segs[i] ?? '';
        if (kind === 'sync' && placeholderName(t) !== undefined) return true;
        if (t === seg) { score++; return true; }
        return false;
      });
      if (ok && score > bestScore) { bestScore = score; route = r; }
    }
    if (route) {
      pathSegments(route.pathTemplate).forEach((t, i) => {
        const name = placeholderName(t);
        const seg = segs[i] ?? '';
        if (name !== undefined && kind === 'sync' && placeholderName(seg) === undefined) pathValues[name] = safeDecode(seg);
      });
    }
  }
  if (!route) {
    throw new ConversionError('unknown-route', `${method} ${pathIn} is not a route of this store's schema: ${explainUnmatched(catalog, method, path)}. Check the path, or refresh the schema.`);
  }
  const pathParamNames = pathSegments(route.pathTemplate).map(placeholderName).filter((n): n is string => n !== undefined);
  const valuesFromItems = pathParamNames.filter((n) => !(n in pathValues));
  return {
    method,
    pathTemplate: route.pathTemplate,
    bulkTemplate: bulkTemplateOf(route.pathTemplate),
    pathParamNames,
    pathValues,
    valuesFromItems,
    route,
  };
}

function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}/]+)\}/g, (_m, name: string) => encodeURIComponent(values[name] ?? ''));
}

/** Items the request stands for: `items`, a list body, or the single body (`{}` for a bodiless DELETE). */
function itemsOf(request: SyncRequest): unknown[] {
  if (request.items) return [...request.items];
  if (Array.isArray(request.body)) return [...request.body];
  return [request.body ?? {}];
}

function withPathValues(item: unknown, route: ResolvedRoute): { item: unknown; conflicts: string[] } {
  const names = Object.keys(route.pathValues);
  if (names.length === 0 || typeof item !== 'object' || item === null || Array.isArray(item)) return { item, conflicts: [] };
  const record = item as Record<string, unknown>;
  const added: Record<string, unknown> = {};
  const conflicts: string[] = [];
  for (const name of names) {
    const value = route.pathValues[name] ?? '';
    const existingKey = Object.keys(record).find((k) => canonicalKey(k) === canonicalKey(name));
    if (existingKey === undefined) {
      added[name] = value;
    } else if (String(record[existingKey]) !== value) {
      conflicts.push(`${existingKey} is ${JSON.stringify(record[existingKey])} but the path says ${JSON.stringify(value)}`);
    }
  }
  // Path values first, like Magento's own examples: [{"sku":"...","option":{...}}].
  return { item: Object.keys(added).length > 0 ? { ...added, ...record } : item, conflicts };
}

/** Converts a sync request (or a list of items for one endpoint) into async or bulk requests. */
export function convertRequest(catalog: RouteCatalog, request: SyncRequest, target: ConversionTarget, options: ConversionOptions = {}): ConversionResult {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ConversionError('bad-batch-size', `batch size must be a positive integer, got ${String(options.batchSize)}`);
  }
  const route = resolveRoute(catalog, request.method, request.path);
  const rawItems = itemsOf(request);
  if (rawItems.length === 0) throw new ConversionError('no-items', 'there are no items to send');
  const issues: LintIssue[] = [];

  const items: unknown[] = new Array(rawItems.length);
  for (let i = 0; i < rawItems.length; i++) {
    const { item, conflicts } = target === 'bulk' ? withPathValues(rawItems[i], route) : { item: rawItems[i], conflicts: [] };
    items[i] = item;
    for (const c of conflicts) {
      issues.push({ severity: 'warning', code: 'path-value-conflict', itemIndex: i, message: `item ${i + 1}: ${c}; in a bulk request Magento uses the item's value` });
    }
  }

  if (options.lint !== false) {
    issues.push(...lintItems(items, {
      bodySchema: route.route.bodySchema,
      resolveRef: (ref) => catalog.resolveRef(ref),
      // Async single keeps the values in the URL, so only bulk items must carry them.
      pathParamNames: target === 'bulk' ? route.pathParamNames : [],
    }));
  }

  const base = { storeCode: request.storeCode, query: request.query };
  const requests: ConvertedRequest[] = [];
  if (target === 'async') {
    // One async request per operation; each needs its own path values.
    for (let i = 0; i < items.length; i++) {
      const values = { ...route.pathValues };
      for (const name of route.valuesFromItems) values[name] = itemValue(items[i], name) ?? '';
      const missing = route.valuesFromItems.filter((n) => !values[n]);
      if (missing.length > 0) {
        issues.push({ severity: 'error', code: 'missing-path-value', itemIndex: i, message: `item ${i + 1} has no ${missing.map((m) => `"${m}"`).join(', ')} for the async URL` });
      }
      // A concrete path is kept byte for byte (its encoding, a `{{variable}}` segment); only placeholders are filled.
      const path = route.valuesFromItems.length === 0 && routeKind(request.path) === 'sync' ? request.path : fillTemplate(route.pathTemplate, values);
      requests.push(clean({ method: route.method, path: '/async' + path, ...base, body: items[i], firstItemIndex: i, itemCount: 1 }));
    }
  } else {
    const path = '/async/bulk' + route.bulkTemplate;
    for (let start = 0; start < items.length; start += batchSize) {
      const batch = items.slice(start, start + batchSize);
      requests.push(clean({ method: route.method, path, ...base, body: batch, firstItemIndex: start, itemCount: batch.length }));
    }
    if (options.asyncInputLimit !== undefined && Math.min(batchSize, items.length) > options.asyncInputLimit) {
      issues.push({ severity: 'error', code: 'batch-over-limit', message: `a batch of ${Math.min(batchSize, items.length)} items is above the store's async input limit (${options.asyncInputLimit}); use a batch size of at most ${options.asyncInputLimit}` });
    }
  }
  return { target, route, requests, items, issues };
}

function itemValue(item: unknown, name: string): string | undefined {
  if (typeof item !== 'object' || item === null || !hasPathValue(item as Record<string, unknown>, name)) return undefined;
  const canonical = canonicalKey(name);
  const record = item as Record<string, unknown>;
  for (const [k, v] of Object.entries(record)) if (canonicalKey(k) === canonical) return String(v);
  for (const v of Object.values(record)) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) continue;
    for (const [k, inner] of Object.entries(v)) if (canonicalKey(k) === canonical) return String(inner);
  }
  return undefined;
}

function clean(r: ConvertedRequest): ConvertedRequest {
  if (r.storeCode === undefined) delete r.storeCode;
  if (r.query === undefined) delete r.query;
  return r;
}

/** True when any issue would make Magento reject the request. */
export function hasBlockingIssues(issues: readonly LintIssue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}
