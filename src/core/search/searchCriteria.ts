// The searchCriteria model of `*Repository::getList` endpoints (contract §4): parsing a query the
// way Magento binds it, encoding it back, and Magento's snake_case `search_criteria` echo.
//
// Binding rules reproduced here (contract §1.3/§4.1):
// - top level: `searchCriteria` or `search_criteria` (camelCase wins when both are present,
//   `ServiceInputProcessor::process` checks it first);
// - nested keys find their setter through `snakeCaseToUpperCamelCase` and PHP's case-insensitive
//   method lookup, so underscores and letter case do not matter (`filter_groups`, `filterGroups`,
//   `FILTERGROUPS` all bind);
// - indices are PHP array keys: they need not be contiguous and iterate in insertion order;
// - `direction` is upper-cased and must then be ASC or DESC; a sort field outside `[a-z0-9_]`
//   (case-insensitive) is rejected by `SortOrder::validateField`.

import {
  encodePhpQueryPair,
  parsePhpQueryOrdered,
  phpUrlDecode,
  type EncodeOptions,
  type PhpArray,
  type PhpValue,
} from './phpQuery';

export type ConditionType =
  | 'eq' | 'neq' | 'like' | 'nlike' | 'in' | 'nin' | 'notnull' | 'null'
  | 'gt' | 'lt' | 'gteq' | 'lteq' | 'finset' | 'nfinset' | 'from' | 'to' | 'moreq'
  | 'seq' | 'sneq' | 'regexp' | 'ntoa';

export interface SearchFilter {
  field: string;
  value: string;
  conditionType: ConditionType | string;
  /** The query had no `value` key (typical for null/notnull): Magento then echoes no `value`. */
  valueAbsent?: boolean;
}

export interface SearchFilterGroup {
  filters: SearchFilter[];
}

export interface SearchSortOrder {
  field: string;
  direction: 'ASC' | 'DESC';
  /** No direction was given: Magento's SortingProcessor sorts DESC, and echoes no `direction`. */
  directionImplicit?: boolean;
}

export interface SearchCriteria {
  filterGroups: SearchFilterGroup[];
  sortOrders: SearchSortOrder[];
  pageSize?: number;
  currentPage?: number;
}

export interface ConditionTypeInfo {
  name: ConditionType;
  label: string;
  hint: string;
  /** Listed in Adobe's "performing searches" page (the others are adapter-only). */
  documented: boolean;
  /** How the UI should treat the value box. */
  value: 'single' | 'list' | 'pattern' | 'ignored';
  /** SQL the MySQL adapter produces (for tooltips). */
  sql: string;
}

export const CONDITION_TYPES: readonly ConditionTypeInfo[] = [
  { name: 'eq', label: 'equals', sql: '=', documented: true, value: 'single', hint: 'Exact match. This is the default when condition_type is omitted.' },
  { name: 'neq', label: 'not equal', sql: '!=', documented: true, value: 'single', hint: 'Rows whose value differs; rows where the field is NULL are not returned (SQL semantics).' },
  { name: 'like', label: 'like (pattern)', sql: 'LIKE', documented: true, value: 'pattern', hint: 'The value is used verbatim: add % wildcards yourself, e.g. %bag% (sent as %25bag%25).' },
  { name: 'nlike', label: 'not like (pattern)', sql: 'NOT LIKE', documented: true, value: 'pattern', hint: 'The value is used verbatim: add % wildcards yourself.' },
  { name: 'in', label: 'in list', sql: 'IN (...)', documented: true, value: 'list', hint: 'A comma-separated list, e.g. 1,2,3. Magento splits on commas without trimming spaces.' },
  { name: 'nin', label: 'not in list', sql: 'NOT IN (...)', documented: true, value: 'list', hint: 'A comma-separated list. Magento splits on commas without trimming spaces.' },
  { name: 'notnull', label: 'is not null', sql: 'IS NOT NULL', documented: true, value: 'ignored', hint: 'The value is ignored.' },
  { name: 'null', label: 'is null', sql: 'IS NULL', documented: true, value: 'ignored', hint: 'The value is ignored.' },
  { name: 'gt', label: 'greater than', sql: '>', documented: true, value: 'single', hint: 'Strictly greater than the value.' },
  { name: 'lt', label: 'less than', sql: '<', documented: true, value: 'single', hint: 'Strictly less than the value.' },
  { name: 'gteq', label: 'greater than or equal', sql: '>=', documented: true, value: 'single', hint: 'Greater than or equal. Use this instead of moreq.' },
  { name: 'lteq', label: 'less than or equal', sql: '<=', documented: true, value: 'single', hint: 'Less than or equal.' },
  { name: 'finset', label: 'in set (FIND_IN_SET)', sql: 'FIND_IN_SET(value, field)', documented: true, value: 'single', hint: 'The field holds a comma-separated set (e.g. a multiselect attribute) and contains this one value.' },
  { name: 'nfinset', label: 'not in set', sql: 'NOT FIND_IN_SET(value, field)', documented: true, value: 'single', hint: 'The field\'s comma-separated set does not contain this value.' },
  { name: 'from', label: 'from (range start)', sql: '>=', documented: true, value: 'single', hint: 'Range start (>=). Put from and to in separate filter groups: in one group they would be ORed.' },
  { name: 'to', label: 'to (range end)', sql: '<=', documented: true, value: 'single', hint: 'Range end (<=). Put from and to in separate filter groups: in one group they would be ORed.' },
  { name: 'moreq', label: 'more or equal (behaves like eq)', sql: '= (not in the adapter map)', documented: true, value: 'single', hint: 'Documented, but the MySQL adapter does not know it: it falls back to equality, like eq. Use gteq.' },
  { name: 'seq', label: 'equals, NULL-safe for empty', sql: '= or IS NULL', documented: false, value: 'single', hint: 'Adapter only: an empty value matches NULL, otherwise equality.' },
  { name: 'sneq', label: 'not equal, NULL-safe for empty', sql: '!= or IS NOT NULL', documented: false, value: 'single', hint: 'Adapter only: an empty value matches NOT NULL, otherwise inequality.' },
  { name: 'regexp', label: 'regular expression', sql: 'REGEXP', documented: false, value: 'pattern', hint: 'Adapter only: a MySQL regular expression; may be slow on large tables.' },
  { name: 'ntoa', label: 'IP number to address', sql: 'INET_NTOA(field) LIKE', documented: false, value: 'pattern', hint: 'Adapter only: compares INET_NTOA(field) with LIKE; for integer-stored IPv4 addresses.' },
];

const KNOWN_CONDITION_TYPES = new Set<string>(CONDITION_TYPES.map((info) => info.name));

/** The condition type's info, or undefined for strings Magento treats as equality (unknown). */
export function conditionTypeInfo(name: string): ConditionTypeInfo | undefined {
  return CONDITION_TYPES.find((info) => info.name === name);
}

export function isKnownConditionType(name: string): name is ConditionType {
  return KNOWN_CONDITION_TYPES.has(name);
}

/** A Magento error the store would answer with: raw phrase + parameters, as in §3. */
export class SearchCriteriaError extends Error {
  constructor(
    readonly magentoMessage: string,
    readonly parameters: readonly string[] | Readonly<Record<string, string>> | undefined,
    /** HTTP status Magento would use. */
    readonly status: number,
  ) {
    super(substitute(magentoMessage, parameters));
    this.name = 'SearchCriteriaError';
  }

  /** Magento's JSON error body for this error. */
  toMagentoBody(): { message: string; parameters?: readonly string[] | Readonly<Record<string, string>> } {
    return this.parameters === undefined
      ? { message: this.magentoMessage }
      : { message: this.magentoMessage, parameters: this.parameters };
  }
}

function substitute(message: string, parameters: SearchCriteriaError['parameters']): string {
  if (!parameters) return message;
  if (Array.isArray(parameters)) {
    const list = parameters as readonly string[];
    return message.replace(/%(\d+)/g, (whole, index: string) => list[Number(index) - 1] ?? whole);
  }
  const named = parameters as Readonly<Record<string, string>>;
  return message.replace(/%([A-Za-z_][A-Za-z0-9_]*)/g, (whole, name: string) => named[name] ?? whole);
}

export const SORT_DIRECTION_MESSAGE = 'The sort order has to be specified as %1 for ascending order or %2 for descending order.';
export const SORT_FIELD_MESSAGE = 'Sort order field %1 contains restricted symbols';
export const INVALID_TYPE_MESSAGE = 'The "%value" value\'s type is invalid. The "%type" type was expected. Verify and try again.';
export const REQUIRED_MESSAGE = '"%fieldName" is required. Enter and try again.';
export const NO_ACCESSOR_MESSAGE = 'Property "%1" does not have accessor method "%2" in class "%3".';

export function emptySearchCriteria(): SearchCriteria {
  return { filterGroups: [], sortOrders: [] };
}

/** The form a key takes for setter lookup: `filter_groups`, `filterGroups`, `FILTERGROUPS` → `filtergroups`. */
function setterKey(key: string): string {
  return key.replace(/_/g, '').toLowerCase();
}

function upperCamel(key: string): string {
  return key.split('_').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}

type PropertyOf<T extends string> = { [K in T]: K };

function bindProperties<T extends string>(
  node: PhpArray,
  properties: PropertyOf<T>,
  className: string,
): Map<T, PhpValue> {
  const bound = new Map<T, PhpValue>();
  const lookup = new Map<string, T>();
  for (const name of Object.keys(properties) as T[]) lookup.set(setterKey(name), name);
  for (const [key, value] of node) {
    const property = lookup.get(setterKey(key));
    if (property === undefined) {
      const camel = upperCamel(key);
      // A LogicException in Magento: 500 "Internal Error" in production mode (contract §1.3).
      throw new SearchCriteriaError(NO_ACCESSOR_MESSAGE, [camel, `get${camel}`, className], 500);
    }
    // Setters run in key order; a later spelling of the same property overwrites an earlier one.
    bound.set(property, value);
  }
  return bound;
}

function asArray(value: PhpValue | undefined): PhpArray {
  // `_createFromArray` treats a non-array as an empty object; an array type given a scalar is null.
  return value instanceof Map ? value : new Map();
}

function asString(value: PhpValue | undefined, allowMissing: true): string | undefined;
function asString(value: PhpValue | undefined, allowMissing: false): string;
function asString(value: PhpValue | undefined, allowMissing: boolean): string | undefined {
  if (value === undefined) return allowMissing ? undefined : '';
  if (value instanceof Map) {
    throw new SearchCriteriaError(INVALID_TYPE_MESSAGE, { value: 'array', type: 'string' }, 400);
  }
  return value;
}

/** PHP's is_numeric (leading and, since PHP 8, trailing whitespace allowed). */
function isPhpNumeric(text: string): boolean {
  return /^[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\v\f]*$/.test(text);
}

function asInt(value: PhpValue): number {
  if (value instanceof Map) {
    throw new SearchCriteriaError(INVALID_TYPE_MESSAGE, { value: 'array', type: 'int' }, 400);
  }
  if (!isPhpNumeric(value)) {
    throw new SearchCriteriaError(INVALID_TYPE_MESSAGE, { value, type: 'int' }, 400);
  }
  // settype($v, 'int') truncates toward zero ("2.9" → 2, "1e2" → 100).
  const number = Math.trunc(Number(value.trim()));
  return Number.isFinite(number) ? number : 0;
}

/** Filter::getConditionType() is `$value ?: 'eq'`: unset, "" and "0" (falsy in PHP) mean eq. */
function defaultConditionType(value: string | undefined): string {
  return value === undefined || value === '' || value === '0' ? 'eq' : value;
}

function bindFilter(node: PhpValue): SearchFilter {
  const bound = bindProperties(asArray(node), { field: 'field', value: 'value', condition_type: 'condition_type' }, 'Magento\\Framework\\Api\\Filter');
  const value = asString(bound.get('value'), true);
  const filter: SearchFilter = {
    field: asString(bound.get('field'), false),
    value: value ?? '',
    conditionType: defaultConditionType(asString(bound.get('condition_type'), true)),
  };
  if (value === undefined) filter.valueAbsent = true;
  return filter;
}

function bindSortOrder(node: PhpValue): SearchSortOrder {
  const bound = bindProperties(asArray(node), { field: 'field', direction: 'direction' }, 'Magento\\Framework\\Api\\SortOrder');
  const field = asString(bound.get('field'), false);
  if (/[^a-z0-9_]/i.test(field)) throw new SearchCriteriaError(SORT_FIELD_MESSAGE, [field], 400);
  const direction = asString(bound.get('direction'), true);
  if (direction === undefined) return { field, direction: 'DESC', directionImplicit: true };
  const normalized = direction.toUpperCase();
  if (normalized !== 'ASC' && normalized !== 'DESC') {
    throw new SearchCriteriaError(SORT_DIRECTION_MESSAGE, ['ASC', 'DESC'], 400);
  }
  return { field, direction: normalized };
}

/** Binds an already parsed `searchCriteria` value (PHP array or the string of `searchCriteria=`). */
export function bindSearchCriteria(node: PhpValue | undefined): SearchCriteria {
  const criteria = emptySearchCriteria();
  const bound = bindProperties(
    asArray(node),
    { filter_groups: 'filter_groups', sort_orders: 'sort_orders', page_size: 'page_size', current_page: 'current_page' },
    'Magento\\Framework\\Api\\SearchCriteriaInterface',
  );
  for (const [, groupNode] of asArray(bound.get('filter_groups'))) {
    const group = bindProperties(asArray(groupNode), { filters: 'filters' }, 'Magento\\Framework\\Api\\Search\\FilterGroup');
    criteria.filterGroups.push({ filters: [...asArray(group.get('filters')).values()].map(bindFilter) });
  }
  for (const [, sortNode] of asArray(bound.get('sort_orders'))) criteria.sortOrders.push(bindSortOrder(sortNode));
  const pageSize = bound.get('page_size');
  if (pageSize !== undefined) criteria.pageSize = asInt(pageSize);
  const currentPage = bound.get('current_page');
  if (currentPage !== undefined) criteria.currentPage = asInt(currentPage);
  return criteria;
}

function toPhpArray(value: Record<string, unknown>): PhpArray {
  const out: PhpArray = new Map();
  for (const [key, child] of Object.entries(value)) {
    if (child === null || child === undefined) continue;
    if (typeof child === 'object') out.set(key, toPhpArray(child as Record<string, unknown>));
    else out.set(key, String(child));
  }
  return out;
}

/** Finds the `searchCriteria` parameter the way ServiceInputProcessor does (camelCase first). */
function findCriteriaParameter(params: PhpArray): PhpValue | undefined {
  return params.get('searchCriteria') ?? params.get('search_criteria');
}

export interface FromQueryOptions {
  /** Throw Magento's "required" error when neither `searchCriteria` nor `search_criteria` is present. */
  required?: boolean;
}

/**
 * Parses a query string (or an already parsed PHP structure) into the model, the way Magento binds
 * it. Throws SearchCriteriaError with Magento's phrase for what the store would reject.
 */
export function searchCriteriaFromQuery(
  query: string | PhpArray | Record<string, unknown>,
  options: FromQueryOptions = {},
): SearchCriteria {
  const params = typeof query === 'string' ? parsePhpQueryOrdered(query) : query instanceof Map ? query : toPhpArray(query);
  const node = findCriteriaParameter(params);
  if (node === undefined && options.required) {
    throw new SearchCriteriaError(REQUIRED_MESSAGE, { fieldName: 'searchCriteria' }, 400);
  }
  return bindSearchCriteria(node);
}

export type QueryStyle = 'snake' | 'camel';

const KEY_NAMES: Record<QueryStyle, Record<'filterGroups' | 'conditionType' | 'sortOrders' | 'pageSize' | 'currentPage', string>> = {
  // Fully snake_case (the form of Magento's output and of most docs' filter examples).
  snake: { filterGroups: 'filter_groups', conditionType: 'condition_type', sortOrders: 'sort_orders', pageSize: 'page_size', currentPage: 'current_page' },
  // The Swagger schema's form.
  camel: { filterGroups: 'filterGroups', conditionType: 'conditionType', sortOrders: 'sortOrders', pageSize: 'pageSize', currentPage: 'currentPage' },
};

/** The model as ordered `key=value` pairs (decoded), indices renumbered from 0. */
export function searchCriteriaToPairs(sc: SearchCriteria, style: QueryStyle = 'snake'): [string, string][] {
  const names = KEY_NAMES[style];
  const root = 'searchCriteria';
  const pairs: [string, string][] = [];
  sc.filterGroups.forEach((group, g) => {
    group.filters.forEach((filter, f) => {
      const prefix = `${root}[${names.filterGroups}][${g}][filters][${f}]`;
      pairs.push([`${prefix}[field]`, filter.field]);
      if (!filter.valueAbsent) pairs.push([`${prefix}[value]`, filter.value]);
      pairs.push([`${prefix}[${names.conditionType}]`, filter.conditionType]);
    });
  });
  sc.sortOrders.forEach((sort, s) => {
    const prefix = `${root}[${names.sortOrders}][${s}]`;
    pairs.push([`${prefix}[field]`, sort.field]);
    if (!sort.directionImplicit) pairs.push([`${prefix}[direction]`, sort.direction]);
  });
  if (sc.pageSize !== undefined) pairs.push([`${root}[${names.pageSize}]`, String(sc.pageSize)]);
  if (sc.currentPage !== undefined) pairs.push([`${root}[${names.currentPage}]`, String(sc.currentPage)]);
  // `searchCriteria=` is Magento's idiom for "no criteria": the parameter is required.
  if (pairs.length === 0) pairs.push([root, '']);
  return pairs;
}

/**
 * Encodes the model as a query string (RFC 3986). A filter group without filters cannot be
 * expressed in a query string and is dropped (Magento would ignore it anyway).
 */
export function searchCriteriaToQuery(sc: SearchCriteria, style: QueryStyle = 'snake', options?: EncodeOptions): string {
  return searchCriteriaToPairs(sc, style).map(([key, value]) => encodePhpQueryPair(key, value, options)).join('&');
}

export interface SearchCriteriaEcho {
  filter_groups: { filters: { field?: string; value?: string; condition_type: string }[] }[];
  sort_orders?: { field?: string; direction?: string }[];
  page_size?: number;
  current_page?: number;
}

/** Magento's `search_criteria` echo: snake_case, absent members omitted, `filter_groups` always there. */
export function echoSearchCriteria(sc: SearchCriteria): SearchCriteriaEcho {
  const echo: SearchCriteriaEcho = {
    filter_groups: sc.filterGroups.map((group) => ({
      filters: group.filters.map((filter) => {
        const out: { field?: string; value?: string; condition_type: string } = { field: filter.field, condition_type: filter.conditionType };
        if (!filter.valueAbsent) {
          // Key order of Magento's getters: field, value, condition_type.
          return { field: filter.field, value: filter.value, condition_type: filter.conditionType };
        }
        return out;
      }),
    })),
  };
  if (sc.sortOrders.length > 0) {
    echo.sort_orders = sc.sortOrders.map((sort) =>
      sort.directionImplicit ? { field: sort.field } : { field: sort.field, direction: sort.direction },
    );
  }
  if (sc.pageSize !== undefined) echo.page_size = sc.pageSize;
  if (sc.currentPage !== undefined) echo.current_page = sc.currentPage;
  return echo;
}

// ---------------------------------------------------------------------------------------------
// Helpers for the request builder: a whole URL or query string in, the editor's state out.

/** A query parameter that is not part of searchCriteria (kept in order, decoded). */
export interface OtherQueryParam {
  key: string;
  value: string;
}

export interface ParsedRequestUrl {
  /** `scheme://host[:port]` when the input was an absolute URL. */
  origin?: string;
  /** The path (e.g. `/rest/default/V1/products`), when the input had one. */
  path?: string;
  searchCriteria: SearchCriteria;
  /** Whether the query named searchCriteria/search_criteria at all. */
  hasSearchCriteria: boolean;
  /** The `fields` value, when present (PHP: the last one wins). */
  fields?: string;
  /** Every other parameter, in order, including `fields`. */
  otherParams: OtherQueryParam[];
  /** URL fragment, if any (never sent to the store). */
  hash?: string;
}

/** The PHP base name of a decoded query key: what `$_GET` files it under. */
function phpBaseName(decodedKey: string): string {
  const trimmed = decodedKey.replace(/^ +/, '');
  const open = trimmed.indexOf('[');
  const base = open >= 0 && trimmed.indexOf(']', open) >= 0 ? trimmed.slice(0, open) : trimmed;
  return base.replace(/[ .]/g, '_');
}

function splitUrl(input: string): { origin?: string; path?: string; query: string; hash?: string } {
  let text = input.trim();
  let hash: string | undefined;
  const hashAt = text.indexOf('#');
  if (hashAt >= 0) {
    hash = text.slice(hashAt + 1);
    text = text.slice(0, hashAt);
  }
  const queryAt = text.indexOf('?');
  const beforeQuery = queryAt >= 0 ? text.slice(0, queryAt) : text;
  const query = queryAt >= 0 ? text.slice(queryAt + 1) : '';
  const absolute = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)(.*)$/i.exec(beforeQuery);
  if (absolute) return { origin: absolute[1], path: absolute[2] || '/', query, hash };
  if (queryAt >= 0 || beforeQuery.startsWith('/')) return { path: beforeQuery || undefined, query, hash };
  // A bare query string (`searchCriteria[...]=...&fields=...`).
  return { query: beforeQuery, hash };
}

/**
 * Parses a full URL, a path with a query, or a bare query string. searchCriteria is bound as
 * Magento would bind it (throws SearchCriteriaError for what the store would reject); every
 * other parameter is preserved in order.
 */
export function parseRequestUrl(input: string): ParsedRequestUrl {
  const { origin, path, query, hash } = splitUrl(input);
  const params = parsePhpQueryOrdered(query);
  const otherParams: OtherQueryParam[] = [];
  for (const pair of query.split('&')) {
    if (pair.length === 0) continue;
    const eq = pair.indexOf('=');
    const key = phpUrlDecode(eq >= 0 ? pair.slice(0, eq) : pair);
    const base = phpBaseName(key);
    if (base === 'searchCriteria' || base === 'search_criteria') continue;
    otherParams.push({ key, value: phpUrlDecode(eq >= 0 ? pair.slice(eq + 1) : '') });
  }
  const fieldsValue = params.get('fields');
  const result: ParsedRequestUrl = {
    searchCriteria: searchCriteriaFromQuery(params),
    hasSearchCriteria: findCriteriaParameter(params) !== undefined,
    otherParams,
  };
  if (origin !== undefined) result.origin = origin;
  if (path !== undefined) result.path = path;
  if (typeof fieldsValue === 'string') result.fields = fieldsValue;
  if (hash !== undefined) result.hash = hash;
  return result;
}

export interface BuildRequestUrlInput {
  origin?: string;
  path?: string;
  searchCriteria?: SearchCriteria;
  otherParams?: readonly OtherQueryParam[];
  style?: QueryStyle;
  brackets?: EncodeOptions['brackets'];
}

/** Builds `origin + path + ?query` with searchCriteria first and the other parameters after. */
export function buildRequestUrl(input: BuildRequestUrlInput): string {
  const options: EncodeOptions = { brackets: input.brackets ?? 'encoded' };
  const parts: string[] = [];
  if (input.searchCriteria) parts.push(searchCriteriaToQuery(input.searchCriteria, input.style ?? 'snake', options));
  for (const param of input.otherParams ?? []) parts.push(encodePhpQueryPair(param.key, param.value, options));
  const query = parts.join('&');
  const base = `${input.origin ?? ''}${input.path ?? ''}`;
  return query.length > 0 ? `${base}?${query}` : base;
}
