// Splits a Magento REST URL (or a bare path) into the parts conversion works on, and joins
// them back without touching what it does not understand (a `{{host}}` variable, a scheme,
// `index.php/`), so converting a `.http` request keeps its base exactly as the user wrote it.

export interface RestUrlParts {
  /** Everything before the route, including `/rest` when present, e.g. `{{host}}/rest`, `https://x/index.php/rest`, or ''. */
  base: string;
  /** Store code segment after `/rest/`; undefined when the URL has none (default store view). */
  storeCode?: string;
  /** Route path starting with `/V1`, `/async/V1` or `/async/bulk/V1` (never with a query). */
  path: string;
  /** Query without `?`, undefined when absent. */
  query?: string;
}

const VERSION_SEGMENT = /^V\d+$/;
/** Segments that start a route right after `/rest/`, so they are not store codes. */
const ROUTE_STARTS = new Set(['async', 'schema']);

export function splitRestUrl(url: string): RestUrlParts {
  const hashless = url.split('#', 1)[0] ?? '';
  const q = hashless.indexOf('?');
  const beforeQuery = q >= 0 ? hashless.slice(0, q) : hashless;
  const query = q >= 0 ? hashless.slice(q + 1) : undefined;
  const withQuery = (parts: RestUrlParts): RestUrlParts => (query !== undefined ? { ...parts, query } : parts);

  const restAt = beforeQuery.indexOf('/rest/');
  if (restAt >= 0) {
    const base = beforeQuery.slice(0, restAt + '/rest'.length);
    const rest = beforeQuery.slice(restAt + '/rest'.length); // starts with '/'
    const first = rest.split('/')[1] ?? '';
    if (first && !VERSION_SEGMENT.test(first) && !ROUTE_STARTS.has(first)) {
      return withQuery({ base, storeCode: first, path: rest.slice(first.length + 1) || '/' });
    }
    return withQuery({ base, path: rest });
  }
  // No `/rest/`: a bare route (`/V1/...`) possibly behind a base such as `{{host}}`.
  const m = /\/(?:async\/(?:bulk\/)?)?V\d+(?:\/|$)/.exec(beforeQuery);
  if (m) return withQuery({ base: beforeQuery.slice(0, m.index), path: beforeQuery.slice(m.index) });
  return withQuery({ base: '', path: beforeQuery });
}

export function joinRestUrl(parts: RestUrlParts): string {
  const store = parts.storeCode !== undefined ? `/${parts.storeCode}` : '';
  const query = parts.query !== undefined ? `?${parts.query}` : '';
  return `${parts.base}${store}${parts.path}${query}`;
}

export type RouteKind = 'sync' | 'async' | 'bulk';

/** Which request processor Magento would pick for this route path (contract §1.1). */
export function routeKind(path: string): RouteKind {
  if (path.startsWith('/async/bulk/')) return 'bulk';
  if (path.startsWith('/async/')) return 'async';
  return 'sync';
}
