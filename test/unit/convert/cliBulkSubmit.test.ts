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
  /** A store that answers like Magento 2.4: searches return one operation (pageSize=1), honour `bulk_uuid nin`, and bulks are read per uuid. */
  function api(ops: Array<[string, number]>, seen: string[], serialized: Record<string, string> = {}): BulkStatusApi {
    const operation = (bulkUuid: string, id: number): BulkSearchOperation => ({ bulkUuid, id, status: 4, resultMessage: null, errorCode: null, topicName: null, serializedData: serialized[`${bulkUuid}#${id}`] ?? null, resultSerializedData: null });
    return {
      shortStatus: () => Promise.reject(new Error('unused')),
      detailedStatus: async (uuid) => ({ bulkUuid: uuid, description: '', operations: ops.filter(([u]) => u === uuid).map(([u, id]) => operation(u, id)) }),
      searchOperations: async (query) => {
        seen.push(query);
        const excluded = /bulk_uuid&[^&]*value\]=([^&]*)&[^&]*conditionType\]=nin/.exec(decodeURIComponent(query))?.[1]?.split(',') ?? [];
        const left = ops.filter(([u]) => !excluded.includes(u));
        if (!/pageSize\]=1/.test(decodeURIComponent(query)) && new Set(left.map(([u]) => u)).size > 1) throw new Error('Item (Magento\\AsynchronousOperations\\Model\\Operation) with the same ID "0" already exists.');
        return { items: left.slice(0, 1).map(([u, id]) => operation(u, id)), totalCount: left.length };
      },
    };
  }

  test('one bulk with the batch\'s operation count in the window: probably accepted', async () => {
    const seen: string[] = [];
    const result = await checkPendingBatch(api([['u1', 0], ['u1', 1], ['u2', 0]], seen), batch);
    assert.equal(result.verdict, 'probably-accepted');
    assert.deepEqual(result.candidates, ['u1']);
    assert.match(decodeURIComponent(seen[0]!), /start_time.*2026-11-22 11:58:00.*gteq.*start_time.*2026-11-22 12:10:00.*lteq/);
    assert.ok(seen.every((q) => /pageSize\]=1/.test(decodeURIComponent(q))), 'one operation per search (#29579)');
  });

  test('bulks the journal already knows are not candidates; stored items must match the journalled ones', async () => {
    const ops: Array<[string, number]> = [['known', 0], ['known', 1], ['other', 0], ['other', 1], ['mine', 0], ['mine', 1]];
    const enc = (item: unknown): string => JSON.stringify({ entity_id: null, entity_link: '', meta_information: JSON.stringify(item), store_id: 1 });
    const serialized = { 'other#0': enc({ product: { sku: 'X' } }), 'mine#0': enc({ product: { sku: 'A' } }) };
    const result = await checkPendingBatch(api(ops, [], serialized), batch, { knownBulkUuids: new Set(['known']), items: [{ product: { sku: 'A' } }, { product: { sku: 'B' } }] });
    assert.deepEqual(result.candidates, ['mine']);
    assert.equal(result.verdict, 'probably-accepted');
  });

  test('none or several', async () => {
    assert.equal((await checkPendingBatch(api([['u2', 0]], []), batch)).verdict, 'not-found');
    assert.equal((await checkPendingBatch(api([['a', 0], ['a', 1], ['b', 0], ['b', 1]], []), batch)).verdict, 'ambiguous');
  });
});
