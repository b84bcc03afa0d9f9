// Store views the sandbox knows. PathProcessor strips the first path segment only when it is a
// known store *view* code or `all` (the admin scope, store_id 0); anything else stays in the path.

export interface StoreView {
  id: number;
  code: string;
  name: string;
  websiteId: number;
  storeGroupId: number;
  locale: string;
  baseCurrency: string;
}

export const ADMIN_STORE: StoreView = { id: 0, code: 'admin', name: 'Admin', websiteId: 0, storeGroupId: 0, locale: 'en_US', baseCurrency: 'USD' };

export const STORE_VIEWS: readonly StoreView[] = [
  { id: 1, code: 'default', name: 'Default Store View', websiteId: 1, storeGroupId: 1, locale: 'en_US', baseCurrency: 'USD' },
  { id: 2, code: 'de', name: 'German Store View', websiteId: 1, storeGroupId: 1, locale: 'de_DE', baseCurrency: 'USD' },
];

export const DEFAULT_STORE = STORE_VIEWS[0] as StoreView;

export interface StoreResolution {
  store: StoreView;
  /** The path after the store segment (or the whole path when nothing was stripped). */
  path: string;
  /** The store code as it appeared in the URL (`all` for the admin scope), or undefined. */
  urlCode?: string;
}

/** `/rest/<segment>/rest-of-path` → store + remaining path (PathProcessor). `restPath` starts after `/rest`. */
export function resolveStore(restPath: string): StoreResolution {
  const match = /^\/([^/]*)(\/.*)?$/.exec(restPath);
  const first = match?.[1] ?? '';
  const rest = match?.[2] ?? '';
  if (first === 'all') return { store: ADMIN_STORE, path: rest || '/', urlCode: 'all' };
  const view = STORE_VIEWS.find((s) => s.code === first);
  if (view) return { store: view, path: rest || '/', urlCode: view.code };
  return { store: DEFAULT_STORE, path: restPath || '/' };
}

export function storeByCode(code: string): StoreView | undefined {
  if (code === 'all' || code === 'admin') return ADMIN_STORE;
  return STORE_VIEWS.find((s) => s.code === code);
}
