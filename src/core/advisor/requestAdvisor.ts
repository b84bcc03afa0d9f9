// Performance and correctness hints for a request being built, drawn from how Magento
// executes REST list calls (contract §4-5): every `getList` loads full entities unless
// `fields` trims the output, EAV attributes are joined rather than indexed, absent
// `pageSize` returns *all* rows from 2.4.4 (#35310), and deep `currentPage` offsets make
// MySQL scan and discard every earlier row. Pure: the UI and the host both call it; each
// hint carries a data-only fix that `applyAdvisorFix` turns into a new request.

export interface AdvisorFilter { field: string; value: string; conditionType: string }
export interface AdvisorSearchCriteria {
  filterGroups: { filters: AdvisorFilter[] }[];
  sortOrders: { field: string; direction: 'ASC' | 'DESC' }[];
  pageSize?: number;
  currentPage?: number;
}

export interface AdvisorRequest {
  method: string;
  /** Path template or concrete path after `/rest/<store>`, e.g. `/V1/products`. */
  path: string;
  /** The endpoint is a searchCriteria list (repository getList). */
  isList: boolean;
  searchCriteria: AdvisorSearchCriteria;
  fields: string;
}

export interface AdvisorContext {
  /** Top-level scalar fields of the list item (used to suggest `fields`). */
  itemFields?: readonly string[];
  /** Input limits enabled on the store (`webapi/validation/input_limit_enabled`). */
  inputLimits?: boolean;
  /** `webapi/validation/maximum_page_size` (300 by default). */
  maxPageSize?: number;
  /** `total_count` of the last response for this list, when known. */
  lastTotalCount?: number;
  /** Largest entity id seen on the current page, to start cursor paging after it. */
  lastEntityId?: number;
  /** Facts about the last response. */
  lastResponse?: { contentEncoding?: string; decodedBytes: number; wireBytes: number };
  /** The `fields` string fails Magento's grammar (from validateFields): Magento returns `[]`. */
  fieldsError?: string;
}

export type AdvisorFix =
  | { kind: 'setFields'; fields: string }
  | { kind: 'setPageSize'; pageSize: number }
  | { kind: 'cursorPaging'; field: string; after: number }
  | { kind: 'replaceCondition'; group: number; filter: number; conditionType: string }
  | { kind: 'splitRange'; group: number; filter: number }
  | { kind: 'setFilterValue'; group: number; filter: number; value: string };

export interface AdvisorHint {
  /** Stable rule id (tests and telemetry-free dedupe in the UI). */
  rule: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  fix?: { label: string; fix: AdvisorFix };
}

export const DEFAULT_MAX_PAGE_SIZE = 300;
/** Beyond this many rows, OFFSET paging gets visibly slower on MySQL and cursor paging pays off. */
export const HUGE_LIST_ROWS = 10_000;
const UNCOMPRESSED_HINT_BYTES = 10 * 1024;

/**
 * Columns that are real, indexed columns of the main table of common list endpoints.
 * Anything else on these endpoints is usually an EAV attribute or an unindexed column.
 * `updated_at` is listed separately: indexed on sales tables, not on catalog_product_entity.
 */
const INDEXED_FIELDS: ReadonlyArray<{ path: RegExp; fields: readonly string[]; careful: readonly string[] }> = [
  { path: /^\/V1\/products\/?$/, fields: ['entity_id', 'sku', 'type_id', 'attribute_set_id', 'category_id', 'store_id', 'website_id'], careful: ['updated_at', 'created_at'] },
  { path: /^\/V1\/orders\/?$/, fields: ['entity_id', 'increment_id', 'status', 'state', 'store_id', 'customer_id', 'created_at', 'updated_at', 'quote_id'], careful: [] },
  { path: /^\/V1\/customers\/search\/?$/, fields: ['entity_id', 'email', 'website_id', 'group_id', 'store_id', 'created_at', 'updated_at'], careful: [] },
  { path: /^\/V1\/invoices\/?$|^\/V1\/shipments\/?$|^\/V1\/creditmemos\/?$/, fields: ['entity_id', 'increment_id', 'order_id', 'store_id', 'created_at', 'updated_at', 'state'], careful: [] },
  { path: /^\/V1\/inventory\/source-items\/?$/, fields: ['sku', 'source_code', 'status', 'source_item_id'], careful: [] },
  { path: /^\/V1\/categories\/list\/?$/, fields: ['entity_id', 'parent_id', 'path', 'level'], careful: ['updated_at'] },
];

/** Entity lists where `entity_id gt N` cursor paging is possible. */
const CURSOR_PAGEABLE = /^\/V1\/(products|orders|customers\/search|invoices|shipments|creditmemos|categories\/list)\/?$/;

/** Fields worth suggesting first when a list has no `fields`. */
const PREFERRED_ITEM_FIELDS = ['id', 'entity_id', 'sku', 'increment_id', 'name', 'email', 'status', 'price', 'updated_at'];

export function adviseRequest(request: AdvisorRequest, context: AdvisorContext = {}): AdvisorHint[] {
  const hints: AdvisorHint[] = [];
  const sc = request.searchCriteria;
  const maxPageSize = context.maxPageSize ?? DEFAULT_MAX_PAGE_SIZE;

  if (request.fields.trim() !== '' && context.fieldsError) {
    hints.push({
      rule: 'fields-invalid',
      severity: 'error',
      message: `Magento would answer 200 with an empty body ([]) for this fields string: ${context.fieldsError}`,
    });
  }

  if (request.isList && request.method === 'GET') {
    if (request.fields.trim() === '') {
      const suggested = suggestFields(context.itemFields ?? []);
      hints.push({
        rule: 'list-without-fields',
        severity: 'warning',
        message: 'List request without `fields`: Magento loads and serialises every attribute of every item. Ask only for what you use.',
        fix: { label: `Use fields=${suggested}`, fix: { kind: 'setFields', fields: suggested } },
      });
    }

    if (sc.pageSize === undefined || sc.pageSize === 0) {
      const huge = context.lastTotalCount !== undefined && context.lastTotalCount > maxPageSize;
      hints.push({
        rule: 'page-size-absent',
        severity: huge || context.lastTotalCount === undefined ? 'warning' : 'info',
        message: context.inputLimits
          ? `No pageSize: the store applies its default page size (20 unless configured).`
          : `No pageSize: from Magento 2.4.4 (without input limits) every matching row is returned in one response${context.lastTotalCount !== undefined ? ` (${context.lastTotalCount} here)` : ''}.`,
        fix: { label: 'Set pageSize=100', fix: { kind: 'setPageSize', pageSize: Math.min(100, maxPageSize) } },
      });
    } else if (sc.pageSize > maxPageSize) {
      hints.push({
        rule: 'page-size-too-large',
        severity: context.inputLimits ? 'error' : 'warning',
        message: context.inputLimits
          ? `pageSize ${sc.pageSize} is above the store's maximum: Magento answers 400 "Maximum SearchCriteria pageSize is ${maxPageSize}".`
          : `pageSize ${sc.pageSize} is above ${maxPageSize}, the maximum Magento enforces when input limits are on; large pages are slow and memory-hungry.`,
        fix: { label: `Set pageSize=${maxPageSize}`, fix: { kind: 'setPageSize', pageSize: maxPageSize } },
      });
    }

    const rowsBefore = sc.pageSize && sc.currentPage ? (sc.currentPage - 1) * sc.pageSize : 0;
    const hugeList = (context.lastTotalCount ?? 0) > HUGE_LIST_ROWS || rowsBefore > HUGE_LIST_ROWS;
    const alreadyCursor = sc.filterGroups.some((g) => g.filters.length === 1 && g.filters[0]?.field === 'entity_id' && g.filters[0].conditionType === 'gt');
    if (hugeList && !alreadyCursor && CURSOR_PAGEABLE.test(request.path)) {
      hints.push({
        rule: 'cursor-paging',
        severity: 'info',
        message: `Paging ${context.lastTotalCount ?? 'many'} rows by currentPage makes MySQL skip every earlier row (OFFSET) and shifts when rows change meanwhile; paging by entity_id > last seen id (sorted by entity_id) stays fast and steady.`,
        fix: { label: 'Switch to entity_id cursor paging', fix: { kind: 'cursorPaging', field: 'entity_id', after: context.lastEntityId ?? 0 } },
      });
    }

    hints.push(...filterHints(request));
  }

  const last = context.lastResponse;
  if (last && !last.contentEncoding && last.decodedBytes >= UNCOMPRESSED_HINT_BYTES) {
    hints.push({
      rule: 'uncompressed-response',
      severity: 'info',
      message: `The response (${formatBytes(last.decodedBytes)}) came back uncompressed: enable gzip for application/json on the web server (e.g. nginx gzip_types) — JSON usually shrinks 5–10×.`,
    });
  }
  return hints;
}

function filterHints(request: AdvisorRequest): AdvisorHint[] {
  const hints: AdvisorHint[] = [];
  const indexed = INDEXED_FIELDS.find((e) => e.path.test(request.path));
  request.searchCriteria.filterGroups.forEach((group, g) => {
    group.filters.forEach((filter, f) => {
      const condition = (filter.conditionType || 'eq').toLowerCase();
      if (indexed && filter.field && !indexed.fields.includes(filter.field)) {
        if (indexed.careful.includes(filter.field)) {
          hints.push({
            rule: 'filter-careful-field',
            severity: 'info',
            message: `Filtering on ${filter.field} works but is not indexed on every table: combine it with a narrow range and entity_id paging on large catalogues.`,
          });
        } else {
          hints.push({
            rule: 'filter-unindexed-field',
            severity: 'warning',
            message: `"${filter.field}" is usually an unindexed (often EAV) attribute here: the filter joins and scans. Prefer ${indexed.fields.slice(0, 3).join(', ')}${indexed.careful.length ? ` (or ${indexed.careful.join('/')} with care)` : ''}.`,
          });
        }
      }
      if (condition === 'moreq') {
        hints.push({
          rule: 'condition-moreq',
          severity: 'warning',
          message: '`moreq` is not in Magento\'s SQL condition map and behaves like `eq`. Use `gteq` for "greater or equal".',
          fix: { label: 'Use gteq', fix: { kind: 'replaceCondition', group: g, filter: f, conditionType: 'gteq' } },
        });
      }
      if ((condition === 'like' || condition === 'nlike') && !filter.value.includes('%')) {
        hints.push({
          rule: 'condition-like-without-wildcard',
          severity: 'info',
          message: `\`${condition}\` uses the value verbatim: without % it matches exactly like eq. Add % where you want a wildcard.`,
          fix: { label: `Use %${filter.value}%`, fix: { kind: 'setFilterValue', group: g, filter: f, value: `%${filter.value}%` } },
        });
      }
      if ((condition === 'like' || condition === 'nlike') && filter.value.startsWith('%')) {
        hints.push({
          rule: 'condition-leading-wildcard',
          severity: 'info',
          message: `A leading % in "${filter.value}" cannot use an index: the whole table is scanned.`,
        });
      }
      if ((condition === 'in' || condition === 'nin') && /,\s|\s,/.test(filter.value)) {
        hints.push({
          rule: 'condition-in-spaces',
          severity: 'warning',
          message: `Magento splits \`${condition}\` values on "," without trimming: " b" will not match "b".`,
          fix: { label: 'Remove spaces around commas', fix: { kind: 'setFilterValue', group: g, filter: f, value: filter.value.split(',').map((v) => v.trim()).join(',') } },
        });
      }
      if ((condition === 'from' || condition === 'to') && group.filters.length > 1 && group.filters.some((o, i) => i !== f && ['from', 'to'].includes((o.conditionType || '').toLowerCase()))) {
        if (condition === 'to') {
          hints.push({
            rule: 'condition-range-same-group',
            severity: 'warning',
            message: '`from` and `to` in the same filter group are ORed (matching almost everything). Put them in separate groups to get a range.',
            fix: { label: 'Move `to` into its own group', fix: { kind: 'splitRange', group: g, filter: f } },
          });
        }
      }
      if (condition === 'null' || condition === 'notnull') {
        if (filter.value !== '') {
          hints.push({ rule: 'condition-null-value', severity: 'info', message: `\`${condition}\` ignores the value "${filter.value}".` });
        }
      }
    });
  });
  request.searchCriteria.sortOrders.forEach((order) => {
    if (order.field && !/^[a-z0-9_]+$/.test(order.field)) {
      hints.push({
        rule: 'sort-field-restricted',
        severity: 'error',
        message: `Sort field "${order.field}" contains characters outside [a-z0-9_]: Magento answers 400 "Sort order field ${order.field} contains restricted symbols".`,
      });
    }
  });
  return hints;
}

function suggestFields(itemFields: readonly string[]): string {
  const preferred = PREFERRED_ITEM_FIELDS.filter((f) => itemFields.includes(f));
  const picked = (preferred.length > 0 ? preferred : itemFields.slice(0, 5)).slice(0, 5);
  if (picked.length === 0) picked.push('id');
  return `items[${picked.join(',')}],total_count`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Applies a hint's fix to the request; returns a new request (inputs are not mutated). */
export function applyAdvisorFix<R extends AdvisorRequest>(request: R, fix: AdvisorFix): R {
  const sc: AdvisorSearchCriteria = structuredClone(request.searchCriteria);
  switch (fix.kind) {
    case 'setFields':
      return { ...request, fields: fix.fields };
    case 'setPageSize':
      return { ...request, searchCriteria: { ...sc, pageSize: fix.pageSize, currentPage: sc.currentPage ?? 1 } };
    case 'cursorPaging': {
      // Drop earlier cursor groups, then filter after the last seen id and sort by it:
      // page 1 of "id > N" is always cheap, however deep into the list we are.
      const groups = sc.filterGroups.filter((g) => !(g.filters.length === 1 && g.filters[0]?.field === fix.field && g.filters[0].conditionType === 'gt'));
      groups.push({ filters: [{ field: fix.field, value: String(fix.after), conditionType: 'gt' }] });
      return {
        ...request,
        searchCriteria: {
          ...sc,
          filterGroups: groups,
          sortOrders: [{ field: fix.field, direction: 'ASC' }],
          pageSize: sc.pageSize && sc.pageSize > 0 ? sc.pageSize : 100,
          currentPage: 1,
        },
      };
    }
    case 'replaceCondition': {
      const filter = sc.filterGroups[fix.group]?.filters[fix.filter];
      if (filter) filter.conditionType = fix.conditionType;
      return { ...request, searchCriteria: sc };
    }
    case 'setFilterValue': {
      const filter = sc.filterGroups[fix.group]?.filters[fix.filter];
      if (filter) filter.value = fix.value;
      return { ...request, searchCriteria: sc };
    }
    case 'splitRange': {
      const group = sc.filterGroups[fix.group];
      const moved = group?.filters.splice(fix.filter, 1)[0];
      if (group && moved) sc.filterGroups.splice(fix.group + 1, 0, { filters: [moved] });
      return { ...request, searchCriteria: sc };
    }
  }
}
