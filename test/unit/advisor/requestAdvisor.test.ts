import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { adviseRequest, applyAdvisorFix, type AdvisorRequest } from '../../../src/core/advisor/requestAdvisor';

function list(overrides: Partial<AdvisorRequest> = {}): AdvisorRequest {
  return {
    method: 'GET', path: '/V1/products', isList: true, fields: 'items[sku],total_count',
    searchCriteria: { filterGroups: [], sortOrders: [], pageSize: 50, currentPage: 1 },
    ...overrides,
  };
}
const rules = (hints: { rule: string }[]): string[] => hints.map((h) => h.rule).sort();

describe('request advisor', () => {
  test('a tidy list request gets no hints', () => {
    assert.deepEqual(adviseRequest(list()), []);
  });

  test('list without fields → fix sets fields from the item definition', () => {
    const hints = adviseRequest(list({ fields: '' }), { itemFields: ['id', 'sku', 'name', 'price', 'attribute_set_id', 'status'] });
    const hint = hints.find((h) => h.rule === 'list-without-fields');
    assert.ok(hint?.fix);
    const fixed = applyAdvisorFix(list({ fields: '' }), hint.fix.fix);
    assert.equal(fixed.fields, 'items[id,sku,name,status,price],total_count');
    assert.deepEqual(rules(adviseRequest(fixed)), []);
  });

  test('non-list and write requests are not told to add fields or a page size', () => {
    assert.deepEqual(adviseRequest(list({ isList: false, fields: '', searchCriteria: { filterGroups: [], sortOrders: [] } })), []);
    assert.deepEqual(adviseRequest(list({ method: 'POST', fields: '' })), []);
  });

  test('filters on usually unindexed fields are flagged, indexed ones are not', () => {
    const hints = adviseRequest(list({ searchCriteria: { filterGroups: [{ filters: [{ field: 'color', value: '5', conditionType: 'eq' }, { field: 'sku', value: 'a', conditionType: 'eq' }] }], sortOrders: [], pageSize: 20 } }));
    assert.deepEqual(rules(hints), ['filter-unindexed-field']);
    assert.match(hints[0]!.message, /color/);
    const careful = adviseRequest(list({ searchCriteria: { filterGroups: [{ filters: [{ field: 'updated_at', value: '2026-01-01', conditionType: 'gt' }] }], sortOrders: [], pageSize: 20 } }));
    assert.deepEqual(rules(careful), ['filter-careful-field']);
  });

  test('page size above the maximum: error with input limits, warning without; fix clamps it', () => {
    const big = list({ searchCriteria: { filterGroups: [], sortOrders: [], pageSize: 1000 } });
    const withLimits = adviseRequest(big, { inputLimits: true });
    assert.equal(withLimits[0]?.rule, 'page-size-too-large');
    assert.equal(withLimits[0]?.severity, 'error');
    assert.match(withLimits[0]!.message, /Maximum SearchCriteria pageSize is 300/);
    assert.equal(adviseRequest(big)[0]?.severity, 'warning');
    const fixed = applyAdvisorFix(big, withLimits[0]!.fix!.fix);
    assert.equal(fixed.searchCriteria.pageSize, 300);
    assert.equal(big.searchCriteria.pageSize, 1000, 'input not mutated');
  });

  test('absent page size on a list → set one', () => {
    const hints = adviseRequest(list({ searchCriteria: { filterGroups: [], sortOrders: [] } }), { lastTotalCount: 25_000 });
    const hint = hints.find((h) => h.rule === 'page-size-absent');
    assert.equal(hint?.severity, 'warning');
    assert.match(hint!.message, /25000/);
    assert.deepEqual(applyAdvisorFix(list(), hint!.fix!.fix).searchCriteria.pageSize, 100);
  });

  test('deep currentPage paging on a huge list → cursor paging by entity_id gt', () => {
    const deep = list({ searchCriteria: { filterGroups: [{ filters: [{ field: 'type_id', value: 'simple', conditionType: 'eq' }] }], sortOrders: [{ field: 'sku', direction: 'ASC' }], pageSize: 100, currentPage: 7 } });
    const hints = adviseRequest(deep, { lastTotalCount: 80_000, lastEntityId: 700 });
    const hint = hints.find((h) => h.rule === 'cursor-paging');
    assert.ok(hint?.fix);
    const fixed = applyAdvisorFix(deep, hint.fix.fix);
    assert.deepEqual(fixed.searchCriteria.filterGroups, [
      { filters: [{ field: 'type_id', value: 'simple', conditionType: 'eq' }] },
      { filters: [{ field: 'entity_id', value: '700', conditionType: 'gt' }] },
    ]);
    assert.deepEqual(fixed.searchCriteria.sortOrders, [{ field: 'entity_id', direction: 'ASC' }]);
    assert.equal(fixed.searchCriteria.currentPage, 1);
    assert.equal(adviseRequest(fixed, { lastTotalCount: 80_000 }).some((h) => h.rule === 'cursor-paging'), false, 'not offered again once applied');
    assert.equal(adviseRequest(deep, { lastTotalCount: 500 }).some((h) => h.rule === 'cursor-paging'), false, 'small lists page fine');
  });

  test('uncompressed responses are reported, compressed or tiny ones are not', () => {
    assert.deepEqual(rules(adviseRequest(list(), { lastResponse: { decodedBytes: 200_000, wireBytes: 200_000 } })), ['uncompressed-response']);
    assert.deepEqual(adviseRequest(list(), { lastResponse: { contentEncoding: 'gzip', decodedBytes: 200_000, wireBytes: 20_000 } }), []);
    assert.deepEqual(adviseRequest(list(), { lastResponse: { decodedBytes: 500, wireBytes: 500 } }), []);
  });

  test('condition-type mistakes: moreq, like without %, in with spaces, from/to in one group', () => {
    const sc = {
      filterGroups: [
        { filters: [{ field: 'entity_id', value: '5', conditionType: 'moreq' }] },
        { filters: [{ field: 'sku', value: 'shirt', conditionType: 'like' }] },
        { filters: [{ field: 'sku', value: 'a, b ,c', conditionType: 'in' }] },
        { filters: [{ field: 'entity_id', value: '1', conditionType: 'from' }, { field: 'entity_id', value: '9', conditionType: 'to' }] },
      ],
      sortOrders: [], pageSize: 20,
    };
    const request = list({ searchCriteria: sc });
    const hints = adviseRequest(request);
    assert.deepEqual(rules(hints), ['condition-in-spaces', 'condition-like-without-wildcard', 'condition-moreq', 'condition-range-same-group']);
    let fixed = request;
    for (const h of hints) if (h.fix) fixed = applyAdvisorFix(fixed, h.fix.fix);
    // Fixes are applied in hint order; splitting the range last keeps earlier indices valid.
    assert.equal(fixed.searchCriteria.filterGroups[0]?.filters[0]?.conditionType, 'gteq');
    assert.equal(fixed.searchCriteria.filterGroups[1]?.filters[0]?.value, '%shirt%');
    assert.equal(fixed.searchCriteria.filterGroups[2]?.filters[0]?.value, 'a,b,c');
    assert.equal(fixed.searchCriteria.filterGroups.length, 5);
    assert.deepEqual(fixed.searchCriteria.filterGroups[4], { filters: [{ field: 'entity_id', value: '9', conditionType: 'to' }] });
    assert.deepEqual(adviseRequest(fixed).map((h) => h.rule), ['condition-leading-wildcard']);
  });

  test('invalid fields and restricted sort fields are errors', () => {
    const hints = adviseRequest(list({ fields: 'items[sku', searchCriteria: { filterGroups: [], sortOrders: [{ field: 'name-x', direction: 'ASC' }], pageSize: 5 } }), { fieldsError: 'unclosed [' });
    assert.deepEqual(rules(hints), ['fields-invalid', 'sort-field-restricted']);
    assert.ok(hints.every((h) => h.severity === 'error'));
  });
});
