// getList() over an in-memory collection: filter groups (OR inside, AND across), sort orders,
// paging and Magento's search-results envelope (contract §4).
import { SearchCriteriaError, echoSearchCriteria, searchCriteriaFromQuery, type SearchCriteria } from '../../core/search/searchCriteria';
import { WebapiError } from '../errors';
import { matchesCondition, sortCompare } from './conditions';

export interface ListSettings {
  inputLimits: boolean;
  maximumPageSize: number;
  defaultPageSize: number;
}

export interface SearchResults<T> {
  items: T[];
  search_criteria: ReturnType<typeof echoSearchCriteria>;
  total_count: number;
}

export const MAX_PAGE_SIZE_MESSAGE = 'Maximum SearchCriteria pageSize is %max';

/** The bound `searchCriteria` parameter (an object from the query) → the model; Magento's errors as WebapiError. */
export function criteriaFromParam(param: unknown): SearchCriteria {
  try {
    return searchCriteriaFromQuery({ searchCriteria: param ?? '' });
  } catch (error) {
    if (error instanceof SearchCriteriaError) {
      // A 500 is masked as in production mode (the real message goes to the log only).
      if (error.status >= 500) throw error;
      throw new WebapiError(error.status, error.magentoMessage, error.parameters);
    }
    throw error;
  }
}

export function searchCollection<T>(
  all: Iterable<T>,
  criteria: SearchCriteria,
  settings: ListSettings,
  fieldValue: (item: T, field: string) => unknown,
): SearchResults<T> {
  const sc: SearchCriteria = { ...criteria };
  // SearchCriteriaValidator + DefaultPageSizeSetter run only with input limits on (2.4.4+).
  if (settings.inputLimits) {
    if (sc.pageSize === undefined) sc.pageSize = settings.defaultPageSize;
    else if (sc.pageSize > settings.maximumPageSize) {
      throw new WebapiError(400, MAX_PAGE_SIZE_MESSAGE, { max: settings.maximumPageSize });
    }
  }
  let matched: T[] = [];
  for (const item of all) {
    const ok = sc.filterGroups.every((group) => group.filters.length === 0 || group.filters.some((f) => matchesCondition(fieldValue(item, f.field), f.conditionType || 'eq', f.value)));
    if (ok) matched.push(item);
  }
  if (sc.sortOrders.length > 0) {
    const orders = sc.sortOrders;
    matched = matched
      .map((item, index) => ({ item, index }))
      .sort((a, b) => {
        for (const order of orders) {
          const c = sortCompare(fieldValue(a.item, order.field), fieldValue(b.item, order.field));
          if (c !== 0) return order.direction === 'DESC' ? -c : c;
        }
        return a.index - b.index;
      })
      .map((x) => x.item);
  }
  const total = matched.length;
  let page = matched;
  if (sc.pageSize !== undefined && sc.pageSize > 0) {
    const current = Math.max(1, sc.currentPage ?? 1);
    const start = (current - 1) * sc.pageSize;
    page = start >= total ? [] : matched.slice(start, start + sc.pageSize);
  }
  return { items: page, search_criteria: echoSearchCriteria(sc), total_count: total };
}

