// Turns the builder's draft into the request the host sends and the URLs the UI previews. Pure
// and browser-safe: the webview imports it for the live preview, the host for sending, so what
// is shown is exactly what goes out.
import { buildRequestUrl, parseRequestUrl, type OtherQueryParam, type SearchCriteria } from '../search/searchCriteria';
import { encodePhpQueryPair, phpUrlDecode } from '../search/phpQuery';
import { type HttpMethod, type MagentoRequest } from '../http/types';
import { type RequestDraft } from '../../protocol/requestBuilderProtocol';

export interface DraftTarget {
  /** Store base URL without `/rest` (from the profile). */
  baseUrl: string;
  /** The profile's store code, used when the draft leaves it empty. */
  storeCode: string;
}

export interface BuiltDraft {
  method: HttpMethod;
  /** Concrete path after `/rest/<store>`, path parameters encoded. */
  path: string;
  storeCode: string;
  /** Encoded query string without `?` (empty when none). */
  query: string;
  /** Full URL, encoded as sent. */
  url: string;
  /** Full URL with brackets and commas left readable (display only). */
  readableUrl: string;
  /** JSON body text for writes; undefined for GET/DELETE or an empty editor. */
  body?: string;
  /** Problems that stop the request from being sent (missing path parameter, invalid JSON body). */
  errors: string[];
}

const PATH_PARAM = /\{([^}]+)\}/g;

export function pathParamNames(pathTemplate: string): string[] {
  return [...pathTemplate.matchAll(PATH_PARAM)].map((m) => m[1] ?? '');
}

/** `a=1&b[c]=2` (encoded, as typed) → ordered decoded pairs. */
export function parseExtraQuery(extraQuery: string): OtherQueryParam[] {
  const params: OtherQueryParam[] = [];
  for (const pair of extraQuery.replace(/^[?&]+/, '').split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    params.push({ key: phpUrlDecode(eq >= 0 ? pair.slice(0, eq) : pair), value: phpUrlDecode(eq >= 0 ? pair.slice(eq + 1) : '') });
  }
  return params;
}

export function buildDraftRequest(draft: RequestDraft, target: DraftTarget): BuiltDraft {
  const errors: string[] = [];
  const path = draft.pathTemplate.trim().replace(PATH_PARAM, (_, name: string) => {
    const value = draft.pathParams[name];
    if (value === undefined || value === '') {
      errors.push(`Path parameter {${name}} is empty.`);
      return `{${name}}`;
    }
    return encodeURIComponent(value);
  });
  if (path === '') errors.push('Pick an endpoint or type a path such as /V1/products.');
  else if (!path.startsWith('/')) errors.push('The path must start with "/", e.g. /V1/products.');

  const storeCode = (draft.storeCode ?? '').trim() || target.storeCode || 'default';
  if (!/^[A-Za-z0-9_]+$/.test(storeCode)) errors.push(`Store code "${storeCode}" is not a valid store code (letters, digits, _).`);

  const otherParams = parseExtraQuery(draft.extraQuery).filter((p) => p.key !== 'fields');
  if (draft.fields.trim() !== '') otherParams.unshift({ key: 'fields', value: draft.fields.trim() });
  const searchCriteria: SearchCriteria | undefined = draft.useSearchCriteria ? draft.searchCriteria : undefined;

  const base = `${target.baseUrl.replace(/\/+$/, '')}/rest/${storeCode}${path}`;
  const url = buildRequestUrl({ origin: '', path: base, searchCriteria, otherParams, brackets: 'encoded' });
  const readableUrl = buildRequestUrl({ origin: '', path: base, searchCriteria, otherParams, brackets: 'readable' });
  const queryAt = url.indexOf('?');
  const query = queryAt >= 0 ? url.slice(queryAt + 1) : '';

  let body: string | undefined;
  if (draft.method !== 'GET' && draft.method !== 'DELETE' && draft.body.trim() !== '') {
    body = draft.body;
    try {
      JSON.parse(draft.body);
    } catch (error) {
      errors.push(`The body is not valid JSON: ${(error as Error).message}`);
    }
  }
  return { method: draft.method, path, storeCode, query, url, readableUrl, ...(body !== undefined ? { body } : {}), errors };
}

/** The request for the MagentoTransport (query already encoded; body as JSON text). */
export function toMagentoRequest(built: BuiltDraft, signal?: AbortSignal): MagentoRequest {
  return {
    method: built.method,
    path: built.path,
    storeCode: built.storeCode,
    ...(built.query ? { query: built.query } : {}),
    ...(built.body !== undefined ? { body: built.body } : {}),
    headers: { Accept: 'application/json', ...(built.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(signal ? { signal } : {}),
  };
}

/** A copy of the draft on another page (1-based), for next/previous and fetch-all. */
export function draftForPage(draft: RequestDraft, page: number): RequestDraft {
  return { ...draft, useSearchCriteria: true, searchCriteria: { ...draft.searchCriteria, currentPage: Math.max(1, page) } };
}

/** Whether another page exists: Magento may repeat the last page instead of returning [] (#26986). */
export function hasNextPage(paging: { totalCount: number; pageSize?: number; currentPage?: number }): boolean {
  if (!paging.pageSize) return false;
  return (paging.currentPage ?? 1) * paging.pageSize < paging.totalCount;
}

export interface RawRequest {
  method: string;
  /** Absolute URL, `/rest/<store>/V1/...`, or a path after `/rest/<store>`; `{{variables}}` are not resolved here. */
  url: string;
  body?: string;
  profileId?: string;
}

/**
 * A request from elsewhere (a `.http` file, the CLI, history of another tool) as a draft:
 * `/rest/<store>` is split off into the store code, searchCriteria and `fields` go to their
 * editors, other query parameters stay as typed. Throws SearchCriteriaError for criteria the
 * store would reject, with Magento's message.
 */
export function draftFromRequest(request: RawRequest): RequestDraft {
  const parsed = parseRequestUrl(request.url);
  let path = (parsed.path ?? '').replace(/^\/index\.php(?=\/)/, '');
  let storeCode: string | undefined;
  const rest = /^\/rest(?:\/([^/]+))?(\/.*)?$/.exec(path);
  if (rest) {
    const [, first, tail] = rest;
    if (first && !/^V\d+$/.test(first) && first !== 'async' && first !== 'schema') {
      storeCode = first;
      path = tail ?? '/';
    } else {
      path = path.slice('/rest'.length) || '/';
    }
  }
  const method = request.method.toUpperCase();
  const known = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;
  const sc = parsed.searchCriteria;
  return {
    ...(request.profileId ? { profileId: request.profileId } : {}),
    method: (known as readonly string[]).includes(method) ? (method as RequestDraft['method']) : 'GET',
    pathTemplate: path,
    pathParams: {},
    ...(storeCode ? { storeCode } : {}),
    useSearchCriteria: parsed.hasSearchCriteria,
    searchCriteria: {
      filterGroups: sc.filterGroups.map((g) => ({ filters: g.filters.map((f) => ({ field: f.field, value: f.value, conditionType: f.conditionType })) })),
      sortOrders: sc.sortOrders.map((s) => ({ field: s.field, direction: s.direction })),
      ...(sc.pageSize !== undefined ? { pageSize: sc.pageSize } : {}),
      ...(sc.currentPage !== undefined ? { currentPage: sc.currentPage } : {}),
    },
    fields: parsed.fields ?? '',
    extraQuery: parsed.otherParams.filter((p) => p.key !== 'fields').map((p) => encodePhpQueryPair(p.key, p.value)).join('&'),
    body: request.body ?? '',
  };
}
