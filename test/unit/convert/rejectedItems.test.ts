// Rejected items found in a real submission journal (records written through JournalSession), and
// the guards of resubmitRejected. Sending them to a store is covered against the sandbox in
// test/integration/convert/partialAcceptance.test.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { SubmissionJournal, type RequestItemStatus } from '../../../src/core/convert/submissionJournal';
import { rejectedItemSku, rejectedItemsInJournal, resubmitRejected, RejectedItemsError } from '../../../src/core/convert/rejectedItems';
import { type MagentoTransport } from '../../../src/core/http/types';

let root: string;
let n = 0;

const PATH = '/async/bulk/V1/products/bySku';
const item = (sku: string) => ({ product: { sku, price: 5 } });
const accepted = (id: number): RequestItemStatus => ({ id, data_hash: 'h'.repeat(64), status: 'accepted' });
const rejected = (id: number, message = 'no'): RequestItemStatus => ({ id, data_hash: null, status: 'rejected', error_message: message, error_code: 0 });

async function journalWith(batches: Array<{ items: unknown[]; answer?: RequestItemStatus[] | 'failed'; path?: string; storeCode?: string; firstItemIndex?: number }>): Promise<SubmissionJournal> {
  const journal = new SubmissionJournal({ folder: join(root, `j${n++}`), durable: false });
  const session = await journal.startSession();
  for (const [i, b] of batches.entries()) {
    const id = await session.recordBatch({ profileId: 'p', storeCode: b.storeCode ?? 'default', method: 'PUT', path: b.path ?? PATH, firstItemIndex: b.firstItemIndex ?? 0, itemCount: b.items.length }, JSON.stringify(b.items));
    if (b.answer === 'failed') await session.recordFailed(id, 'HTTP 400');
    else if (b.answer) await session.recordAccepted(id, `bulk-${i}`, b.answer);
  }
  await session.close();
  return journal;
}

const noTransport: MagentoTransport = { send: () => Promise.reject(new Error('must not send')) };

describe('rejected items in the journal', () => {
  before(async () => { root = await mkdtemp(join(tmpdir(), 'rejected-items-')); });
  after(async () => { await rm(root, { recursive: true, force: true }); });

  test('lists rejected items of accepted batches with payload, indexes and Magento\'s message', async () => {
    const journal = await journalWith([
      { items: [item('A'), item('B'), item('C')], answer: [accepted(0), rejected(1, 'bad B'), accepted(2)] },
      { items: [item('D'), item('E')], answer: [rejected(0, 'bad D'), accepted(1)], firstItemIndex: 3 },
    ]);
    const found = await rejectedItemsInJournal(journal);
    assert.deepEqual(found.map((f) => [f.bulkUuid, f.operationId, f.itemIndex, f.payload, f.message, f.errorCode]), [
      ['bulk-0', 1, 1, item('B'), 'bad B', 0],
      ['bulk-1', 0, 3, item('D'), 'bad D', 0],
    ]);
    assert.deepEqual((await rejectedItemsInJournal(journal, { bulkUuids: ['bulk-1'] })).map((f) => f.payload), [item('D')]);
  });

  test('a later accepted or pending batch carrying the same payload to the same route resolves it; a failed one does not', async () => {
    const journal = await journalWith([
      { items: [item('A'), item('B'), item('C')], answer: [rejected(0), rejected(1), rejected(2)] },
      { items: [item('A')], answer: [accepted(0)] }, // resubmitted and accepted
      { items: [item('B')] }, // pending: may have been sent, so never again automatically
      { items: [item('C')], answer: 'failed' }, // refused as a whole: still to do
    ]);
    assert.deepEqual((await rejectedItemsInJournal(journal)).map((f) => f.payload), [item('C')]);
  });

  test('rejected again: the newer rejection is listed, the older one is not', async () => {
    const journal = await journalWith([
      { items: [item('A')], answer: [rejected(0, 'first')] },
      { items: [item('A')], answer: [rejected(0, 'second')] },
    ]);
    assert.deepEqual((await rejectedItemsInJournal(journal)).map((f) => [f.bulkUuid, f.message]), [['bulk-1', 'second']]);
  });

  test('same payload to another store or route, or earlier in time, resolves nothing; one resend resolves one rejection', async () => {
    const journal = await journalWith([
      { items: [item('A')], answer: [accepted(0)] },
      { items: [item('A'), item('A')], answer: [rejected(0), rejected(1)] },
      { items: [item('A')], answer: [accepted(0)], storeCode: 'de' },
      { items: [item('A')], answer: [accepted(0)], path: '/async/bulk/V1/products' },
      { items: [item('A')], answer: [accepted(0)] },
    ]);
    assert.deepEqual((await rejectedItemsInJournal(journal)).map((f) => [f.bulkUuid, f.operationId]), [['bulk-1', 1]]);
  });

  test('resubmitRejected refuses an empty selection, mixed profiles and duplicates before sending', async () => {
    const journal = await journalWith([{ items: [item('A')], answer: [rejected(0)] }]);
    const [one] = await rejectedItemsInJournal(journal);
    await assert.rejects(resubmitRejected({ journal, transport: noTransport, items: [] }), RejectedItemsError);
    await assert.rejects(resubmitRejected({ journal, transport: noTransport, items: [one!, { ...one!, profileId: 'other' }] }), /2 profiles/);
    await assert.rejects(resubmitRejected({ journal, transport: noTransport, items: [one!, one!] }), /selected twice/);
    assert.equal((await journal.batches()).length, 1, 'nothing was journalled');
  });

  test('resubmitRejected hands each batch to onProgress and onAccepted as it is answered', async () => {
    const journal = await journalWith([{ items: [item('A'), item('B'), item('C')], answer: [rejected(0), accepted(1), rejected(2)] }]);
    const items = await rejectedItemsInJournal(journal);
    const sent: unknown[] = [];
    const transport: MagentoTransport = {
      send: async <T>(request: { body?: unknown }) => {
        sent.push(request.body);
        const body = { bulk_uuid: `new-${sent.length}`, request_items: [{ id: 0, data_hash: 'h'.repeat(64), status: 'accepted' }], errors: false };
        return { status: 202, headers: {}, body: body as T, text: JSON.stringify(body), timings: { headersMs: 0, totalMs: 0 }, bytes: { wire: 0, decoded: 0 }, url: 'http://127.0.0.1/' };
      },
    };
    const acceptedUuids: string[] = [];
    const progress: number[] = [];
    const { summary } = await resubmitRejected({ journal, transport, items, batchSize: 1, concurrency: 1, onAccepted: (o) => acceptedUuids.push(o.bulkUuid!), onProgress: (p) => progress.push(p.done) });
    assert.equal(sent.length, 2, 'one request per item at batch size 1');
    assert.deepEqual(acceptedUuids, ['new-1', 'new-2']);
    assert.deepEqual(summary.bulkUuids, acceptedUuids);
    assert.ok(progress.includes(2), `progress reached 2 of 2: ${progress.join(',')}`);
    assert.deepEqual(await rejectedItemsInJournal(journal), [], 'the journal records the resubmission');
  });

  test('rejectedItemSku: the bySku item\'s sku, else product.sku, else nothing', () => {
    assert.equal(rejectedItemSku({ sku: 'A-1', product: { sku: 'B-2' } }), 'A-1');
    assert.equal(rejectedItemSku(item('C-3')), 'C-3');
    assert.equal(rejectedItemSku({ customer: { email: 'x@example.com' } }), undefined);
    assert.equal(rejectedItemSku({ sku: 7 }), undefined);
    assert.equal(rejectedItemSku(null), undefined);
    assert.equal(rejectedItemSku('A-1'), undefined);
  });
});
