import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  CONDITION_TYPES,
  SearchCriteriaError,
  buildRequestUrl,
  conditionTypeInfo,
  echoSearchCriteria,
  parseRequestUrl,
  searchCriteriaFromQuery,
  searchCriteriaToQuery,
  type SearchCriteria,
} from '../../../src/core/search/searchCriteria';

function magentoError(fn: () => unknown): SearchCriteriaError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof SearchCriteriaError, `expected SearchCriteriaError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a SearchCriteriaError');
}

describe('CONDITION_TYPES', () => {
  test('lists every documented type and the adapter-only ones', () => {
    const names = CONDITION_TYPES.map((info) => info.name).sort();
    assert.deepEqual(names, ['eq', 'finset', 'from', 'gt', 'gteq', 'in', 'like', 'lt', 'lteq', 'moreq', 'neq', 'nfinset', 'nin', 'nlike', 'notnull', 'ntoa', 'null', 'regexp', 'seq', 'sneq', 'to'].sort());
    const documented = CONDITION_TYPES.filter((info) => info.documented).map((info) => info.name).sort();
    assert.deepEqual(documented, 'eq finset from gt gteq in like lt lteq moreq neq nfinset nin nlike notnull null to'.split(' ').sort());
  });
  test('hints carry the advice the request builder must show', () => {
    assert.match(conditionTypeInfo('in')!.hint, /comma/);
    assert.match(conditionTypeInfo('from')!.hint, /separate filter groups/);
    assert.match(conditionTypeInfo('like')!.hint, /%/);
    assert.match(conditionTypeInfo('moreq')!.hint, /gteq/);
    assert.equal(conditionTypeInfo('null')!.value, 'ignored');
    assert.equal(conditionTypeInfo('notnull')!.value, 'ignored');
    assert.equal(conditionTypeInfo('nin')!.value, 'list');
    assert.equal(conditionTypeInfo('nosuch'), undefined);
  });
});

describe('searchCriteriaFromQuery', () => {
  test("Magento's docs example (snake filters, camel paging, two groups for a range)", () => {
    const query = [
      'searchCriteria[filter_groups][0][filters][0][field]=created_at',
      'searchCriteria[filter_groups][0][filters][0][value]=2016-07-01 00:00:00',
      'searchCriteria[filter_groups][0][filters][0][condition_type]=from',
      'searchCriteria[filter_groups][1][filters][0][field]=created_at',
      'searchCriteria[filter_groups][1][filters][0][value]=2016-07-31 23:59:59',
      'searchCriteria[filter_groups][1][filters][0][condition_type]=to',
      'searchCriteria[sortOrders][0][field]=created_at',
      'searchCriteria[sortOrders][0][direction]=asc',
      'searchCriteria[pageSize]=10',
      'searchCriteria[currentPage]=1',
    ].join('&');
    assert.deepEqual(searchCriteriaFromQuery(query), {
      filterGroups: [
        { filters: [{ field: 'created_at', value: '2016-07-01 00:00:00', conditionType: 'from' }] },
        { filters: [{ field: 'created_at', value: '2016-07-31 23:59:59', conditionType: 'to' }] },
      ],
      sortOrders: [{ field: 'created_at', direction: 'ASC' }],
      pageSize: 10,
      currentPage: 1,
    });
  });
  test('Swagger camelCase, search_criteria, and any casing or underscores of nested keys', () => {
    const camel = searchCriteriaFromQuery('searchCriteria[filterGroups][0][filters][0][field]=sku&searchCriteria[filterGroups][0][filters][0][value]=24-MB01&searchCriteria[filterGroups][0][filters][0][conditionType]=eq');
    const snake = searchCriteriaFromQuery('search_criteria[filter_groups][0][filters][0][field]=sku&search_criteria[filter_groups][0][filters][0][value]=24-MB01&search_criteria[filter_groups][0][filters][0][condition_type]=eq');
    const odd = searchCriteriaFromQuery('searchCriteria[FILTER_GROUPS][0][Filters][0][FIELD]=sku&searchCriteria[FILTER_GROUPS][0][Filters][0][Value]=24-MB01&searchCriteria[FILTER_GROUPS][0][Filters][0][Condition_Type]=eq');
    assert.deepEqual(camel, snake);
    assert.deepEqual(odd, snake);
    assert.deepEqual(snake.filterGroups[0]!.filters[0], { field: 'sku', value: '24-MB01', conditionType: 'eq' });
    const paging = searchCriteriaFromQuery('search_criteria[page_size]=5&search_criteria[current_page]=2&search_criteria[sort_orders][0][field]=id&search_criteria[sort_orders][0][direction]=DESC');
    assert.equal(paging.pageSize, 5);
    assert.equal(paging.currentPage, 2);
    assert.deepEqual(paging.sortOrders, [{ field: 'id', direction: 'DESC' }]);
  });
  test('searchCriteria (camelCase) wins over search_criteria when both are present', () => {
    const sc = searchCriteriaFromQuery('search_criteria[pageSize]=1&searchCriteria[pageSize]=2');
    assert.equal(sc.pageSize, 2);
  });
  test('indices are keys: non-contiguous, insertion order kept (5 before 1)', () => {
    const sc = searchCriteriaFromQuery('searchCriteria[filter_groups][5][filters][9][field]=a&searchCriteria[filter_groups][5][filters][9][value]=1&searchCriteria[filter_groups][1][filters][0][field]=b&searchCriteria[filter_groups][1][filters][0][value]=2');
    assert.deepEqual(sc.filterGroups.map((group) => group.filters[0]!.field), ['a', 'b']);
  });
  test('filters default to eq; a missing value is remembered so the echo omits it', () => {
    const sc = searchCriteriaFromQuery('searchCriteria[filter_groups][0][filters][0][field]=special_price&searchCriteria[filter_groups][0][filters][0][condition_type]=notnull&searchCriteria[filter_groups][0][filters][1][field]=sku&searchCriteria[filter_groups][0][filters][1][value]=x');
    assert.deepEqual(sc.filterGroups[0]!.filters, [
      { field: 'special_price', value: '', conditionType: 'notnull', valueAbsent: true },
      { field: 'sku', value: 'x', conditionType: 'eq' },
    ]);
    assert.deepEqual(echoSearchCriteria(sc).filter_groups[0]!.filters, [
      { field: 'special_price', condition_type: 'notnull' },
      { field: 'sku', value: 'x', condition_type: 'eq' },
    ]);
  });
  test('condition_type "" and "0" are falsy in PHP: eq', () => {
    for (const value of ['', '0']) {
      const sc = searchCriteriaFromQuery(`searchCriteria[filter_groups][0][filters][0][field]=a&searchCriteria[filter_groups][0][filters][0][value]=1&searchCriteria[filter_groups][0][filters][0][condition_type]=${value}`);
      assert.equal(sc.filterGroups[0]!.filters[0]!.conditionType, 'eq');
    }
  });
  test('`searchCriteria=` is empty criteria; absence is allowed unless required', () => {
    assert.deepEqual(searchCriteriaFromQuery('searchCriteria='), { filterGroups: [], sortOrders: [] });
    assert.deepEqual(searchCriteriaFromQuery('fields=items'), { filterGroups: [], sortOrders: [] });
    const error = magentoError(() => searchCriteriaFromQuery('fields=items', { required: true }));
    assert.equal(error.status, 400);
    assert.deepEqual(error.toMagentoBody(), { message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: 'searchCriteria' } });
  });
  test('direction is case-insensitive; anything else is Magento’s 400 with ["ASC","DESC"]', () => {
    assert.equal(searchCriteriaFromQuery('searchCriteria[sortOrders][0][field]=a&searchCriteria[sortOrders][0][direction]=dEsC').sortOrders[0]!.direction, 'DESC');
    const error = magentoError(() => searchCriteriaFromQuery('searchCriteria[sortOrders][0][field]=a&searchCriteria[sortOrders][0][direction]=up'));
    assert.equal(error.status, 400);
    assert.deepEqual(error.toMagentoBody(), {
      message: 'The sort order has to be specified as %1 for ascending order or %2 for descending order.',
      parameters: ['ASC', 'DESC'],
    });
    assert.equal(error.message, 'The sort order has to be specified as ASC for ascending order or DESC for descending order.');
  });
  test('sort field with restricted symbols → Magento’s message; letters of any case are fine', () => {
    assert.equal(searchCriteriaFromQuery('searchCriteria[sortOrders][0][field]=Created_At2').sortOrders[0]!.field, 'Created_At2');
    const error = magentoError(() => searchCriteriaFromQuery('searchCriteria[sortOrders][0][field]=name;drop'));
    assert.deepEqual(error.toMagentoBody(), { message: 'Sort order field %1 contains restricted symbols', parameters: ['name;drop'] });
  });
  test('sort without direction sorts DESC and round-trips without a direction', () => {
    const sc = searchCriteriaFromQuery('searchCriteria[sortOrders][0][field]=price');
    assert.deepEqual(sc.sortOrders, [{ field: 'price', direction: 'DESC', directionImplicit: true }]);
    assert.deepEqual(echoSearchCriteria(sc).sort_orders, [{ field: 'price' }]);
    assert.equal(searchCriteriaToQuery(sc, 'camel', { brackets: 'readable' }), 'searchCriteria[sortOrders][0][field]=price');
  });
  test('pageSize must be numeric (PHP is_numeric), truncated like settype', () => {
    assert.equal(searchCriteriaFromQuery('searchCriteria[pageSize]=2.9').pageSize, 2);
    assert.equal(searchCriteriaFromQuery('searchCriteria[pageSize]= 1e2').pageSize, 100);
    const error = magentoError(() => searchCriteriaFromQuery('searchCriteria[pageSize]=ten'));
    assert.deepEqual(error.toMagentoBody(), {
      message: 'The "%value" value\'s type is invalid. The "%type" type was expected. Verify and try again.',
      parameters: { value: 'ten', type: 'int' },
    });
  });
  test('an unknown property is the LogicException Magento turns into a 500', () => {
    const error = magentoError(() => searchCriteriaFromQuery('searchCriteria[filter_groups][0][filters][0][operator]=eq'));
    assert.equal(error.status, 500);
    assert.equal(error.message, 'Property "Operator" does not have accessor method "getOperator" in class "Magento\\Framework\\Api\\Filter".');
  });
  test('an array where a string is expected is rejected like TypeProcessor does', () => {
    const error = magentoError(() => searchCriteriaFromQuery('searchCriteria[filter_groups][0][filters][0][value][]=a'));
    assert.deepEqual(error.parameters, { value: 'array', type: 'string' });
  });
  test('accepts an already parsed object (e.g. from a framework)', () => {
    const sc = searchCriteriaFromQuery({ searchCriteria: { pageSize: 3, filterGroups: [{ filters: [{ field: 'a', value: 'b' }] }] } });
    assert.equal(sc.pageSize, 3);
    assert.deepEqual(sc.filterGroups[0]!.filters[0], { field: 'a', value: 'b', conditionType: 'eq' });
  });
});

describe('searchCriteriaToQuery and echo', () => {
  const sample: SearchCriteria = {
    filterGroups: [{ filters: [{ field: 'sku', value: '%bag%', conditionType: 'like' }, { field: 'type_id', value: 'simple,virtual', conditionType: 'in' }] }],
    sortOrders: [{ field: 'price', direction: 'ASC' }],
    pageSize: 20,
    currentPage: 2,
  };
  test('snake and camel styles, readable and encoded brackets', () => {
    assert.equal(
      searchCriteriaToQuery(sample, 'snake', { brackets: 'readable' }),
      'searchCriteria[filter_groups][0][filters][0][field]=sku&searchCriteria[filter_groups][0][filters][0][value]=%25bag%25&searchCriteria[filter_groups][0][filters][0][condition_type]=like'
        + '&searchCriteria[filter_groups][0][filters][1][field]=type_id&searchCriteria[filter_groups][0][filters][1][value]=simple,virtual&searchCriteria[filter_groups][0][filters][1][condition_type]=in'
        + '&searchCriteria[sort_orders][0][field]=price&searchCriteria[sort_orders][0][direction]=ASC&searchCriteria[page_size]=20&searchCriteria[current_page]=2',
    );
    const camel = searchCriteriaToQuery(sample, 'camel');
    assert.ok(camel.startsWith('searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B0%5D%5Bfield%5D=sku'));
    assert.ok(camel.includes('%5BconditionType%5D=like'));
    assert.ok(camel.endsWith('searchCriteria%5BpageSize%5D=20&searchCriteria%5BcurrentPage%5D=2'));
    assert.ok(!/[[\]]/.test(camel), 'encoded form has no raw brackets');
    assert.ok(camel.includes('simple%2Cvirtual'));
  });
  test('empty criteria is `searchCriteria=`', () => {
    assert.equal(searchCriteriaToQuery({ filterGroups: [], sortOrders: [] }), 'searchCriteria=');
  });
  test('echo: snake_case, filter_groups always present, absent members omitted', () => {
    assert.deepEqual(echoSearchCriteria({ filterGroups: [], sortOrders: [] }), { filter_groups: [] });
    assert.deepEqual(echoSearchCriteria(sample), {
      filter_groups: [{ filters: [{ field: 'sku', value: '%bag%', condition_type: 'like' }, { field: 'type_id', value: 'simple,virtual', condition_type: 'in' }] }],
      sort_orders: [{ field: 'price', direction: 'ASC' }],
      page_size: 20,
      current_page: 2,
    });
    assert.deepEqual(Object.keys(echoSearchCriteria(sample).filter_groups[0]!.filters[0]!), ['field', 'value', 'condition_type']);
  });
});

describe('request URLs', () => {
  test('a full URL: searchCriteria bound, other params (fields) preserved in order', () => {
    const parsed = parseRequestUrl('https://shop.example.com/rest/default/V1/products?fields=items[sku,name],total_count&searchCriteria[pageSize]=5&storeId=1#top');
    assert.equal(parsed.origin, 'https://shop.example.com');
    assert.equal(parsed.path, '/rest/default/V1/products');
    assert.equal(parsed.fields, 'items[sku,name],total_count');
    assert.equal(parsed.searchCriteria.pageSize, 5);
    assert.equal(parsed.hasSearchCriteria, true);
    assert.deepEqual(parsed.otherParams, [{ key: 'fields', value: 'items[sku,name],total_count' }, { key: 'storeId', value: '1' }]);
    assert.equal(parsed.hash, 'top');
    const rebuilt = buildRequestUrl({ origin: parsed.origin, path: parsed.path, searchCriteria: parsed.searchCriteria, otherParams: parsed.otherParams, style: 'camel', brackets: 'readable' });
    assert.equal(rebuilt, 'https://shop.example.com/rest/default/V1/products?searchCriteria[pageSize]=5&fields=items[sku,name],total_count&storeId=1');
  });
  test('a bare query string and a path-only URL', () => {
    const bare = parseRequestUrl('search_criteria[filter_groups][0][filters][0][field]=sku&search_criteria[filter_groups][0][filters][0][value]=a');
    assert.equal(bare.origin, undefined);
    assert.equal(bare.path, undefined);
    assert.equal(bare.searchCriteria.filterGroups[0]!.filters[0]!.field, 'sku');
    assert.deepEqual(bare.otherParams, []);
    const pathOnly = parseRequestUrl('/V1/orders?searchCriteria=');
    assert.equal(pathOnly.path, '/V1/orders');
    assert.equal(pathOnly.hasSearchCriteria, true);
    assert.equal(parseRequestUrl('/V1/orders').hasSearchCriteria, false);
  });
  test('mangled names (search.criteria → search_criteria) are recognised like PHP does', () => {
    const parsed = parseRequestUrl('search.criteria[pageSize]=7&x=1');
    assert.equal(parsed.searchCriteria.pageSize, 7);
    assert.deepEqual(parsed.otherParams, [{ key: 'x', value: '1' }]);
  });
});

// ---- property-based round trips ---------------------------------------------------------------

// fast-check builds null-prototype records; the parser builds ordinary objects.
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const oddPiece = fc.constantFrom('&', '%', '[', ']', '=', '+', ' ', '#', ',', '%25', '%zz', 'é', '日本', '😀', '"', '\\', '%5B');
const oddText = fc.array(fc.oneof(oddPiece, fc.string({ maxLength: 5 })), { maxLength: 6 }).map((parts) => parts.join(''));
const conditionType = fc.oneof(fc.constantFrom(...CONDITION_TYPES.map((info) => info.name)), oddText.filter((text) => text.length > 0 && text !== '0'));
const filter = fc.record({ field: oddText, value: oddText, conditionType }).chain((base) =>
  fc.boolean().map((absent) => (absent ? { ...base, value: '', valueAbsent: true as const } : base)),
);
const sortOrder = fc.record({
  field: fc.stringMatching(/^[A-Za-z0-9_]{0,12}$/),
  direction: fc.constantFrom('ASC' as const, 'DESC' as const),
  implicit: fc.boolean(),
}).map(({ field, direction, implicit }) => (implicit ? { field, direction: 'DESC' as const, directionImplicit: true as const } : { field, direction }));
const criteria: fc.Arbitrary<SearchCriteria> = fc.record(
  {
    filterGroups: fc.array(fc.record({ filters: fc.array(filter, { minLength: 1, maxLength: 3 }) }), { maxLength: 3 }),
    sortOrders: fc.array(sortOrder, { maxLength: 2 }),
    pageSize: fc.integer({ min: -5, max: 100000 }),
    currentPage: fc.integer({ min: 0, max: 1000 }),
  },
  { requiredKeys: ['filterGroups', 'sortOrders'] },
);

describe('round trips (property-based)', () => {
  for (const style of ['snake', 'camel'] as const) {
    for (const brackets of ['encoded', 'readable'] as const) {
      test(`fromQuery(toQuery(sc, ${style}, ${brackets})) == sc`, () => {
        fc.assert(
          fc.property(criteria, (sc) => {
            assert.deepEqual(searchCriteriaFromQuery(searchCriteriaToQuery(sc, style, { brackets })), plain(sc));
          }),
          { numRuns: 300 },
        );
      });
    }
  }
  test('through a whole URL with other parameters kept', () => {
    fc.assert(
      fc.property(criteria, oddText, (sc, fields) => {
        const url = buildRequestUrl({ origin: 'https://h.test', path: '/rest/default/V1/products', searchCriteria: sc, otherParams: [{ key: 'fields', value: fields }] });
        const parsed = parseRequestUrl(url);
        assert.deepEqual(parsed.searchCriteria, plain(sc));
        assert.equal(parsed.fields, fields);
        assert.equal(parsed.path, '/rest/default/V1/products');
      }),
      { numRuns: 200 },
    );
  });
});
