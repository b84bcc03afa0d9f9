// "Find Recent Bulks": the store's `GET /V1/bulk` operation search, grouped into bulks.
//
// Unlike the Admin's Bulk Actions grid, the search also returns bulks made by integrations.
// A result set that spans several bulks can fail in 2.4 with `Item (...Operation) with the same
// ID "0" already exists.` because operation ids (operation_key) repeat per bulk (#29579). So the
// cross-bulk queries ask for one operation at a time (a single item cannot collide), excluding
// the bulks already found, and everything per bulk is filtered by `bulk_uuid`.
import { type BulkSearchOperation, type BulkStatusApi, formatMagentoUtc } from './bulkStatusApi';

export interface RecentBulkQuery {
  /** Only bulks started at or after this time (ms since epoch). */
  since: number;
  /** Only bulks having at least one operation in one of these statuses. */
  statuses?: readonly number[];
  /** Stop after this many bulks (default 50). */
  limit?: number;
}

export interface RecentBulk {
  bulkUuid: string;
  startedAt?: number;
  topicName: string | null;
}

interface Filter { field: string; value: string; conditionType: string }

/** AND of single-filter groups, as a `searchCriteria[...]` query string. */
export function searchQuery(filters: readonly Filter[], options: { pageSize?: number; currentPage?: number; sort?: { field: string; direction: 'ASC' | 'DESC' } } = {}): string {
  const parts: string[] = [];
  const add = (key: string, value: string): void => {
    parts.push(`${encodeURIComponent(key).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(value)}`);
  };
  filters.forEach((f, i) => {
    add(`searchCriteria[filterGroups][${i}][filters][0][field]`, f.field);
    add(`searchCriteria[filterGroups][${i}][filters][0][value]`, f.value);
    add(`searchCriteria[filterGroups][${i}][filters][0][conditionType]`, f.conditionType);
  });
  if (options.sort) {
    add('searchCriteria[sortOrders][0][field]', options.sort.field);
    add('searchCriteria[sortOrders][0][direction]', options.sort.direction);
  }
  if (options.pageSize !== undefined) add('searchCriteria[pageSize]', String(options.pageSize));
  if (options.currentPage !== undefined) add('searchCriteria[currentPage]', String(options.currentPage));
  return parts.length > 0 ? parts.join('&') : 'searchCriteria=';
}

export async function findRecentBulks(api: BulkStatusApi, query: RecentBulkQuery, storeCode?: string): Promise<RecentBulk[]> {
  const limit = query.limit ?? 50;
  const found = new Map<string, RecentBulk>();
  const base: Filter[] = [{ field: 'start_time', value: formatMagentoUtc(query.since), conditionType: 'gteq' }];
  if (query.statuses && query.statuses.length > 0) {
    base.push({ field: 'status', value: query.statuses.join(','), conditionType: 'in' });
  }
  while (found.size < limit) {
    const filters = [...base];
    if (found.size > 0) filters.push({ field: 'bulk_uuid', value: [...found.keys()].join(','), conditionType: 'nin' });
    const result = await api.searchOperations(searchQuery(filters, { pageSize: 1, currentPage: 1, sort: { field: 'start_time', direction: 'DESC' } }), storeCode);
    const op: BulkSearchOperation | undefined = result.items[0];
    if (!op || found.has(op.bulkUuid)) break;
    found.set(op.bulkUuid, { bulkUuid: op.bulkUuid, topicName: op.topicName, ...(op.bulkStartedAt !== undefined ? { startedAt: op.bulkStartedAt } : {}) });
    if (result.totalCount <= 1) break;
  }
  return [...found.values()].sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0));
}

/** `90s`, `15m`, `2h`, `7d` → ms. */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)\s*$/i.exec(text);
  if (!m) throw new Error(`'${text}' is not a duration: use a number and a unit, e.g. 30m, 24h, 7d.`);
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2]!.toLowerCase() as 's' | 'm' | 'h' | 'd' | 'w'];
  return Math.round(Number(m[1]) * unit);
}
