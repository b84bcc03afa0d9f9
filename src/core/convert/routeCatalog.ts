// What conversion needs to know about the store's routes. It always comes from the store's
// Swagger schema (the profile's `/rest/<store>/schema`, or `--schema FILE` in the CLI) through
// `schemaRouteCatalog()` in schemaRouteCatalog.ts; tests may build one from a literal. Never a
// hard-coded route list: a path the schema does not know is reported, not guessed.

/** The subset of a Swagger 2.0 schema object that payload lint reads. */
export interface JsonSchemaNode {
  type?: string;
  $ref?: string;
  properties?: Record<string, JsonSchemaNode>;
  required?: readonly string[];
  items?: JsonSchemaNode;
  additionalProperties?: boolean | JsonSchemaNode;
  description?: string;
}

export interface RouteParam {
  name: string;
  /** Swagger type of the path parameter (`string`, `integer`). */
  type?: string;
}

export interface CatalogRoute {
  method: string;
  /** `/V1/products/{sku}/media/{entryId}` */
  pathTemplate: string;
  pathParams: readonly RouteParam[];
  /** The body parameter's schema (the wrapper object: `{product, saveOptions}`), when the route takes a body. */
  bodySchema?: JsonSchemaNode;
  operationId?: string;
  summary?: string;
}

export interface CatalogMatch {
  route: CatalogRoute;
  /** Decoded path values by parameter name. */
  pathParams: Record<string, string>;
}

export interface RouteCatalog {
  /** Matches a concrete sync path (`/V1/products/24-MB01`) for a method. */
  match(method: string, path: string): CatalogMatch | undefined;
  /** Every route (used to explain a miss and to map a bulk path back to its template). */
  routes(): readonly CatalogRoute[];
  /** Resolves `#/definitions/name`. */
  resolveRef(ref: string): JsonSchemaNode | undefined;
}

/** Splits a route path into segments, ignoring the leading slash. */
export function pathSegments(path: string): string[] {
  return path.split('/').slice(1);
}

/** `{sku}` → `sku`, `:sku` → `sku`, anything else → undefined. */
export function placeholderName(segment: string): string | undefined {
  const braces = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(segment);
  if (braces) return braces[1];
  const colon = /^:([A-Za-z_][A-Za-z0-9_]*)$/.exec(segment);
  return colon ? colon[1] : undefined;
}

/**
 * Explains why no route matched: the longest run of leading segments that some route of this
 * method accepts, and the first segment after it that none does.
 */
export function explainUnmatched(catalog: RouteCatalog, method: string, path: string): string {
  const segs = pathSegments(path);
  const candidates = catalog.routes().filter((r) => r.method.toUpperCase() === method.toUpperCase());
  let best = 0;
  for (const route of candidates) {
    const t = pathSegments(route.pathTemplate);
    let i = 0;
    while (i < segs.length && i < t.length && (t[i] === segs[i] || placeholderName(t[i] ?? '') !== undefined)) i++;
    best = Math.max(best, i);
  }
  if (candidates.length === 0) return `the schema has no ${method.toUpperCase()} routes`;
  if (best >= segs.length) {
    return `no ${method.toUpperCase()} route in the schema has exactly the segments of ${path} (a route may exist for another method, or with more segments)`;
  }
  const bad = segs[best] ?? '';
  const prefix = '/' + segs.slice(0, best).join('/');
  return `segment ${best + 1} ("${bad}") after ${prefix} matches no ${method.toUpperCase()} route in the schema`;
}
