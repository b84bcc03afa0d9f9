import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMapping } from '../../../src/cli/commands/bulkSubmit';
import { checkPendingBatch } from '../../../src/core/convert/pendingBatchCheck';
import { type BulkStatusApi, type BulkSearchOperation } from '../../../src/core/bulk/bulkStatusApi';
import { type JournalBatch } from '../../../src/core/convert/submissionJournal';

describe('bulk submit CLI helpers', () => {
  test('--map COLUMN=FIELD[:TYPE]', () => {
    assert.deepEqual(parseMapping(['SKU=product.sku', 'Price=product.price:number', 'Ext=product.extension_attributes:json']), [
      { column: 'SKU', field: 'product.sku' },
      { column: 'Price', field: 'product.price', type: 'number' },
      { column: 'Ext', field: 'product.extension_attributes', type: 'json' },
    ]);
    assert.throws(() => parseMapping(['SKU']), /COLUMN=FIELD/);
    assert.throws(() => parseMapping(['SKU=a:float']), /type must be one of/);
  });
});

describe('pending batch check', () => {
  const batch: JournalBatch = { batchId: 's#0', at: Date.UTC(2026, 10, 22, 12, 0, 0), profileId: 'p', storeCode: 'default', method: 'PUT', path: '/async/bulk/V1/products/bySku', firstItemIndex: 0, itemCount: 2, state: 'pending', file: 'f' };
  function api(ops: Array<[string, number]>, seen: string[]): BulkStatusApi {
    return {
      shortStatus: () => Promise.reject(new Error('unused')),
      detailedStatus: () => Promise.reject(new Error('unused')),
      searchOperations: async (query) => {
        seen.push(query);
        return { items: ops.map(([bulkUuid, id]) => ({ bulkUuid, id, status: 4, resultMessage: null, errorCode: null, topicName: null, serializedData: null, resultSerializedData: null }) as BulkSearchOperation), totalCount: ops.length };
      },
    };
  }

  test('one bulk with the batch\'s operation count in the window: probably accepted', async () => {
    const seen: string[] = [];
    const result = await checkPendingBatch(api([['u1', 0], ['u1', 1], ['u2', 0]], seen), batch);
    assert.equal(result.verdict, 'probably-accepted');
    assert.deepEqual(result.candidates, ['u1']);
    assert.match(decodeURIComponent(seen[0]!), /start_time.*2026-11-22 11:58:00.*gteq.*2026-11-22 12:10:00.*lteq/);
  });

  test('none or several', async () => {
    assert.equal((await checkPendingBatch(api([['u2', 0]], []), batch)).verdict, 'not-found');
    assert.equal((await checkPendingBatch(api([['a', 0], ['a', 1], ['b', 0], ['b', 1]], []), batch)).verdict, 'ambiguous');
  });
});
