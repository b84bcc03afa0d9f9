import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BulkNotFoundError, BulkStatusError, createBulkStatusApi, formatMagentoUtc, parseDetailedStatus, parseMagentoUtc, parseShortStatus,
  type BulkSearchOperation, type BulkStatusApi,
} from '../../../src/core/bulk/bulkStatusApi';
import { findRecentBulks, parseDuration, searchQuery } from '../../../src/core/bulk/recentBulks';
import { MagentoApiError } from '../../../src/core/http/magentoError';
import { type MagentoRequest, type MagentoResponse, type MagentoTransport } from '../../../src/core/http/types';
import { UUID_A, UUID_B, UUID_C } from './bulkFixtures';

function reply<T>(status: number, body: T): MagentoResponse<T> {
  return { status, headers: {}, body, text: JSON.stringify(body), timings: { headersMs: 1, totalMs: 1 }, bytes: { wire: 0, decoded: 0 }, url: 'http://store/rest/default/V1/bulk' };
}

describe('bulk status API', () => {
  test('parses the short status of the docs sample (nulls, start_time in UTC, topic description)', () => {
    const status = parseShortStatus({
      operations_list: [{ id: 0, status: 1, result_message: 'Service execution success Magento\\Catalog\\Model\\ProductRepository\\Interceptor::save', error_code: null }],
      user_type: 2, bulk_id: UUID_B, description: 'Topic async.magento.catalog.api.productrepositoryinterface.save.put',
      start_time: '2018-07-12 16:07:53', user_id: 1, operation_count: 1,
    });
    assert.equal(status.startedAt, Date.UTC(2018, 6, 12, 16, 7, 53));
    assert.equal(status.operationCount, 1);
    assert.deepEqual(status.operations[0], { id: 0, status: 1, resultMessage: 'Service execution success Magento\\Catalog\\Model\\ProductRepository\\Interceptor::save', errorCode: null });
    assert.equal(formatMagentoUtc(status.startedAt!), '2018-07-12 16:07:53');
    assert.equal(parseMagentoUtc('yesterday'), undefined);
  });

  test('detailed status keeps serialized_data and result_serialized_data; a wrong shape is a clear error', () => {
    const detailed = parseDetailedStatus({ bulk_id: UUID_A, operations_list: [{ id: 3, bulk_uuid: UUID_A, topic_name: 't', serialized_data: '{"meta_information":"{}"}', result_serialized_data: null, status: 3, result_message: 'x', error_code: 0 }] });
    assert.equal(detailed.operations[0]!.serializedData, '{"meta_information":"{}"}');
    assert.equal(detailed.operations[0]!.errorCode, 0);
    assert.throws(() => parseShortStatus({ operations_list: 'nope' }), BulkStatusError);
  });

  test('404 "Bulk uuid %bulkUuid not exist" → BulkNotFoundError, whether thrown by the client or returned', async () => {
    const thrown: MagentoTransport = {
      send: async () => { throw new MagentoApiError({ status: 404, body: { message: 'Bulk uuid %bulkUuid not exist', parameters: { bulkUuid: UUID_A } }, method: 'GET', url: 'http://store/rest/default/V1/bulk/x/status' }); },
    };
    await assert.rejects(createBulkStatusApi(thrown).shortStatus(UUID_A), BulkNotFoundError);
    const returned: MagentoTransport = { send: async <T>() => reply(404, { message: 'Bulk uuid %bulkUuid not exist', parameters: { bulkUuid: UUID_A } }) as MagentoResponse<T> };
    await assert.rejects(createBulkStatusApi(returned).detailedStatus(UUID_A), BulkNotFoundError);
    // Any other 404 (a wrong route) is a status error, not "not found".
    const route: MagentoTransport = { send: async <T>() => reply(404, { message: 'Request does not match any route.' }) as MagentoResponse<T> };
    await assert.rejects(createBulkStatusApi(route).shortStatus(UUID_A), (e: unknown) => e instanceof BulkStatusError && /does not match any route/.test(e.message));
  });

  test('requests go to the short status route with the bulk\'s store code', async () => {
    const sent: MagentoRequest[] = [];
    const transport: MagentoTransport = { send: async <T>(r: MagentoRequest) => { sent.push(r); return reply(200, { bulk_id: UUID_A, operations_list: [] }) as MagentoResponse<T>; } };
    await createBulkStatusApi(transport).shortStatus(UUID_A, 'de');
    assert.deepEqual(sent.map((r) => [r.method, r.path, r.storeCode]), [['GET', `/V1/bulk/${UUID_A}/status`, 'de']]);
  });
});

describe('recent bulks', () => {
  test('searchCriteria query: AND of groups, sort, page', () => {
    assert.equal(
      searchQuery([{ field: 'start_time', value: '2026-01-01 00:00:00', conditionType: 'gteq' }], { pageSize: 1, sort: { field: 'start_time', direction: 'DESC' } }),
      'searchCriteria[filterGroups][0][filters][0][field]=start_time&searchCriteria[filterGroups][0][filters][0][value]=2026-01-01%2000%3A00%3A00'
      + '&searchCriteria[filterGroups][0][filters][0][conditionType]=gteq&searchCriteria[sortOrders][0][field]=start_time'
      + '&searchCriteria[sortOrders][0][direction]=DESC&searchCriteria[pageSize]=1',
    );
    assert.equal(searchQuery([]), 'searchCriteria=');
  });

  test('asks one operation at a time, excluding bulks already found (#29579), until none is left or the limit', async () => {
    const operations: BulkSearchOperation[] = [UUID_A, UUID_A, UUID_B, UUID_C].map((bulkUuid, i) => ({
      id: 0, status: 1, resultMessage: null, errorCode: null, topicName: 't', serializedData: null, resultSerializedData: null, bulkUuid, bulkStartedAt: 1000 * i,
    }));
    const queries: string[] = [];
    const api: BulkStatusApi = {
      shortStatus: async () => { throw new Error('unused'); },
      detailedStatus: async () => { throw new Error('unused'); },
      async searchOperations(query) {
        queries.push(decodeURIComponent(query));
        const nin = /\[field\]=bulk_uuid&[^&]*\[value\]=([^&]*)&[^&]*\[conditionType\]=nin/.exec(decodeURIComponent(query))?.[1]?.split(',') ?? [];
        const rest = operations.filter((op) => !nin.includes(op.bulkUuid));
        return { items: rest.slice(0, 1), totalCount: rest.length };
      },
    };
    const found = await findRecentBulks(api, { since: 0, statuses: [2, 3] });
    assert.deepEqual(found.map((f) => f.bulkUuid), [UUID_C, UUID_B, UUID_A]);
    assert.equal(queries.length, 3);
    assert.ok(queries.every((q) => q.includes('[pageSize]=1') && q.includes('[value]=2,3&') ));
    assert.equal((await findRecentBulks(api, { since: 0, limit: 2 })).length, 2);
  });

  test('durations', () => {
    assert.equal(parseDuration('30m'), 1_800_000);
    assert.equal(parseDuration('7d'), 604_800_000);
    assert.throws(() => parseDuration('soon'), /'soon' is not a duration/);
  });
});
