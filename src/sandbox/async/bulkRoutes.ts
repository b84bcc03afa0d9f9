// Bulk route templates (contract §6.1): every `/:param` segment of a sync route becomes the
// literal `/by` + ucfirst(param), and each list item supplies the values itself.

export function ucfirst(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}

/** `/V1/products/:sku/media/:entryId` → `/V1/products/bySku/media/byEntryId` (BulkServiceConfig). */
export function toBulkPath(syncTemplate: string): string {
  return syncTemplate.replace(/\/:([A-Za-z0-9_]+)/g, (_m, name: string) => `/by${ucfirst(name)}`);
}

/** Names of the `:param` segments of a sync route template, in path order. */
export function routeParamNames(syncTemplate: string): string[] {
  return [...syncTemplate.matchAll(/\/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
}

export interface HasTemplate {
  method: string;
  path: string;
}

/**
 * The sync route a bulk path stands for. The `by…` segments are literal, so this is a plain
 * comparison of rewritten templates; as in Magento's router the last matching route wins.
 */
export function matchBulkRoute<R extends HasTemplate>(method: string, bulkPath: string, routes: readonly R[]): R | undefined {
  const wanted = bulkPath.replace(/\/+$/, '');
  let found: R | undefined;
  for (const route of routes) {
    if (route.method.toUpperCase() === method.toUpperCase() && toBulkPath(route.path) === wanted) found = route;
  }
  return found;
}

/** `entryId` → `entry_id`; Magento accepts both spellings for method parameters (§1.3). */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalarParam(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export type BulkItemParams =
  | { ok: true; params: Record<string, string> }
  | { ok: false; missing: string[] };

/**
 * Route parameter values for one bulk item: a top-level key with the parameter's name
 * (camelCase or snake_case), else the same key inside the item's entity object — where the
 * sync PUT would have substituted the path value (`[{"product":{"sku":"x"}}]` for `bySku`).
 */
export function bulkItemParams(item: unknown, paramNames: readonly string[]): BulkItemParams {
  const params: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of paramNames) {
    const spellings = [name, snakeCase(name)];
    let value: string | undefined;
    if (isRecord(item)) {
      for (const key of spellings) {
        value ??= scalarParam(item[key]);
      }
      if (value === undefined) {
        for (const nested of Object.values(item)) {
          if (!isRecord(nested)) continue;
          for (const key of spellings) value ??= scalarParam(nested[key]);
          if (value !== undefined) break;
        }
      }
    }
    if (value === undefined) missing.push(name);
    else params[name] = value;
  }
  return missing.length > 0 ? { ok: false, missing } : { ok: true, params };
}
