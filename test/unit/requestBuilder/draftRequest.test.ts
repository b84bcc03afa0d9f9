import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildDraftRequest, draftForPage, draftFromRequest, hasNextPage, parseExtraQuery, pathParamNames, toMagentoRequest } from '../../../src/core/requestBuilder/draftRequest';
import { parseRequestUrl } from '../../../src/core/search/searchCriteria';
import { emptyDraft, type RequestDraft } from '../../../src/protocol/requestBuilderProtocol';

const target = { baseUrl: 'https://shop.example.com/', storeCode: 'default' };

describe('draft → request', () => {
  test('path parameters are encoded, the store code defaults to the profile\'s', () => {
    const built = buildDraftRequest({ ...emptyDraft(), pathTemplate: '/V1/products/{sku}', pathParams: { sku: 'a/b c&d' } }, target);
    assert.deepEqual(built.errors, []);
    assert.equal(built.path, '/V1/products/a%2Fb%20c%26d');
    assert.equal(built.url, 'https://shop.example.com/rest/default/V1/products/a%2Fb%20c%26d');
    assert.deepEqual(pathParamNames('/V1/carts/{cartId}/items/{itemId}'), ['cartId', 'itemId']);
  });

  test('problems are listed instead of sending a broken request', () => {
    const built = buildDraftRequest({ ...emptyDraft(), method: 'POST', pathTemplate: '/V1/products/{sku}', storeCode: 'bad store', body: '{' }, target);
    assert.equal(built.errors.length, 3);
    assert.match(built.errors.join(' '), /\{sku\} is empty.*not a valid store code.*not valid JSON/);
  });

  test('searchCriteria, fields and other parameters make the query; readable and encoded agree', () => {
    const draft: RequestDraft = {
      ...emptyDraft(), pathTemplate: '/V1/products', useSearchCriteria: true,
      searchCriteria: { filterGroups: [{ filters: [{ field: 'name', value: '%bag%', conditionType: 'like' }] }], sortOrders: [{ field: 'price', direction: 'DESC' }], pageSize: 10, currentPage: 2 },
      fields: 'items[sku,name],total_count', extraQuery: 'storeId=1&fields=ignored',
    };
    const built = buildDraftRequest(draft, { ...target, storeCode: 'en' });
    assert.equal(built.storeCode, 'en');
    assert.match(built.readableUrl, /\/rest\/en\/V1\/products\?searchCriteria\[filter_groups\]\[0\]\[filters\]\[0\]\[field\]=name&.*\[value\]=%25bag%25&.*&fields=items\[sku,name\],total_count&storeId=1$/);
    const request = toMagentoRequest(built);
    assert.equal(request.query, built.query);
    assert.equal(request.body, undefined);
    assert.equal(request.headers?.Accept, 'application/json');
    const back = parseRequestUrl(built.url);
    assert.equal(back.fields, 'items[sku,name],total_count');
    assert.equal(back.searchCriteria.filterGroups[0]?.filters[0]?.value, '%bag%');
    assert.equal(back.searchCriteria.currentPage, 2);
  });

  test('property: whatever the values, the URL the builder sends parses back to the same criteria and fields', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '_', ' ', '&', '%', '[', ']', '=', '+', ',', '#', '?', 'é', '€', '😀', '/') , maxLength: 12 });
    fc.assert(fc.property(
      fc.array(fc.array(fc.record({ field: text.filter((s) => s.length > 0), value: text, conditionType: fc.constantFrom('eq', 'like', 'in', 'gteq', 'null') }), { minLength: 1, maxLength: 3 }), { maxLength: 3 }),
      fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }),
      fc.string({ unit: fc.constantFrom('a', 'b', '_', '[', ']', ','), maxLength: 15 }),
      (groups, pageSize, fields) => {
        const draft: RequestDraft = {
          ...emptyDraft(), pathTemplate: '/V1/products', useSearchCriteria: true, fields,
          searchCriteria: { filterGroups: groups.map((filters) => ({ filters })), sortOrders: [], ...(pageSize !== undefined ? { pageSize } : {}) },
        };
        const back = parseRequestUrl(buildDraftRequest(draft, target).url);
        assert.deepEqual(back.searchCriteria.filterGroups.map((g) => g.filters.map((f) => ({ field: f.field, value: f.value, conditionType: f.conditionType }))), groups.map((g) => g.map((f) => ({ field: f.field, value: f.value, conditionType: f.conditionType }))));
        assert.equal(back.searchCriteria.pageSize, pageSize);
        assert.equal(back.fields, fields.trim() === '' ? undefined : fields.trim());
      },
    ), { numRuns: 200 });
  });

  test('paging helpers stop on current_page × page_size ≥ total_count', () => {
    assert.equal(hasNextPage({ totalCount: 45, pageSize: 20, currentPage: 2 }), true);
    assert.equal(hasNextPage({ totalCount: 40, pageSize: 20, currentPage: 2 }), false);
    assert.equal(hasNextPage({ totalCount: 40 }), false);
    assert.equal(draftForPage(emptyDraft(), 0).searchCriteria.currentPage, 1);
    assert.deepEqual(parseExtraQuery('?a=1&b%5B0%5D=x%20y&&c'), [{ key: 'a', value: '1' }, { key: 'b[0]', value: 'x y' }, { key: 'c', value: '' }]);
  });
});

describe('request → draft (opening a request from elsewhere)', () => {
  test('splits the store code, fills the editors and keeps other parameters', () => {
    const draft = draftFromRequest({
      method: 'get',
      url: 'https://shop.example.com/rest/en/V1/products?searchCriteria[filter_groups][0][filters][0][field]=sku&searchCriteria[filter_groups][0][filters][0][value]=MB%25&searchCriteria[filter_groups][0][filters][0][condition_type]=like&searchCriteria[pageSize]=5&fields=items[sku]&storeId=2',
    });
    assert.equal(draft.method, 'GET');
    assert.equal(draft.storeCode, 'en');
    assert.equal(draft.pathTemplate, '/V1/products');
    assert.equal(draft.useSearchCriteria, true);
    assert.deepEqual(draft.searchCriteria.filterGroups, [{ filters: [{ field: 'sku', value: 'MB%', conditionType: 'like' }] }]);
    assert.equal(draft.searchCriteria.pageSize, 5);
    assert.equal(draft.fields, 'items[sku]');
    assert.equal(draft.extraQuery, 'storeId=2');
    const post = draftFromRequest({ method: 'POST', url: '/rest/V1/products', body: '{"product":{}}' });
    assert.equal(post.storeCode, undefined);
    assert.equal(post.pathTemplate, '/V1/products');
    assert.equal(post.body, '{"product":{}}');
    assert.equal(draftFromRequest({ method: 'GET', url: '/V1/orders' }).pathTemplate, '/V1/orders');
  });
});
