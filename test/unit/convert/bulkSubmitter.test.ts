import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { type MagentoRequest, type MagentoResponse, type MagentoTransport } from '../../../src/core/http/types';
import { prepareBatches, progressMessage, submitBatches, type SubmitProgress } from '../../../src/core/convert/bulkSubmitter';
import { SubmissionJournal } from '../../../src/core/convert/submissionJournal';

function response(status: number, body: unknown): MagentoResponse {
  const text = JSON.stringify(body);
  return { status, headers: {}, body, text, timings: { headersMs: 0, totalMs: 0 }, bytes: { wire: text.length, decoded: text.length }, url: 'http://x' };
}

/** A fake store: answers per batch through `answer`, records concurrency. */
class FakeStore implements MagentoTransport {
  readonly sent: MagentoRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;
  constructor(private readonly answer: (items: unknown[], n: number) => MagentoResponse | Error, private readonly delayMs = 2) {}
  async send<T>(request: MagentoRequest): Promise<MagentoResponse<T>> {
    const n = this.sent.push(request) - 1;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((r) => setTimeout(r, this.delayMs));
    this.inFlight--;
    assert.equal(typeof request.body, 'string', 'the body goes out pre-serialised');
    const result = this.answer(JSON.parse(request.body as string) as unknown[], n);
    if (result instanceof Error) throw result;
    return result as MagentoResponse<T>;
  }
}

const accepted = (items: unknown[], n: number) => response(202, {
  bulk_uuid: `uuid-${n}`,
  request_items: items.map((_v, id) => ({ id, data_hash: `h${id}`, status: 'accepted' })),
  errors: false,
});

function batches(count: number, size = 3) {
  const requests = Array.from({ length: count }, (_v, b) => ({
    method: 'PUT' as const, path: '/async/bulk/V1/products/bySku', storeCode: 'default',
    body: Array.from({ length: size }, (_w, i) => ({ sku: `s${b * size + i}` })), firstItemIndex: b * size, itemCount: size,
  }));
  return prepareBatches(requests);
}

describe('bulk submitter', () => {
  test('bounded concurrency, progress, a uuid reported per accepted batch', async () => {
    const store = new FakeStore(accepted);
    const progress: SubmitProgress[] = [];
    const uuids: string[] = [];
    const summary = await submitBatches(batches(7), { transport: store, concurrency: 2, onProgress: (p) => progress.push(p), onAccepted: (o) => uuids.push(o.bulkUuid!) });
    assert.equal(store.sent.length, 7);
    assert.equal(store.maxInFlight, 2);
    assert.equal(summary.acceptedOperations, 21);
    assert.equal(summary.bulkUuids.length, 7);
    assert.deepEqual([...uuids].sort(), [...summary.bulkUuids].sort());
    assert.deepEqual(progress.map((p) => p.done), [1, 2, 3, 4, 5, 6, 7]);
    assert.equal(progress.at(-1)?.operationsDone, 21);
    assert.equal(store.sent[0]?.storeCode, 'default');
  });

  test('a failed batch is reported with Magento\'s error and does not stop the others', async () => {
    const store = new FakeStore((items, n) => (n === 1
      ? response(400, { message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: 'product' } })
      : n === 3 ? new Error('socket hang up') : accepted(items, n)));
    const failed: string[] = [];
    const summary = await submitBatches(batches(5), { transport: store, concurrency: 1, onFailed: (o) => failed.push(o.error!.message) });
    assert.equal(summary.failedBatches, 2);
    assert.equal(summary.acceptedOperations, 9);
    assert.equal(summary.unsentOperations, 6);
    assert.deepEqual(failed, ['HTTP 400: "product" is required. Enter and try again.', 'socket hang up']);
    assert.equal(summary.outcomes[1]?.error?.status, 400);
  });

  test('a thrown MagentoApiError-like error keeps its status', async () => {
    const error = Object.assign(new Error('400 Request body must be an array'), { status: 400 });
    const summary = await submitBatches(batches(1), { transport: new FakeStore(() => error) });
    assert.deepEqual(summary.outcomes[0]?.error, { status: 400, message: '400 Request body must be an array' });
  });

  test('partial acceptance is reported item by item with global item indexes', async () => {
    const store = new FakeStore((items, n) => response(202, {
      bulk_uuid: `u${n}`,
      request_items: items.map((_v, id) => (id === 1 ? { id, data_hash: null, status: 'rejected', error_message: 'Cannot encode', error_code: 0 } : { id, data_hash: 'h', status: 'accepted' })),
      errors: true,
    }));
    const summary = await submitBatches(batches(2), { transport: store, concurrency: 1 });
    assert.equal(summary.outcomes[1]?.status, 'partially-accepted');
    assert.deepEqual(summary.outcomes[1]?.rejected, [{ itemIndex: 4, operationId: 1, message: 'Cannot encode', errorCode: 0 }]);
    assert.equal(summary.rejectedOperations, 2);
    assert.equal(summary.acceptedOperations, 4);
  });

  test('cancel stops after the batches in flight', async () => {
    const controller = new AbortController();
    let sentAtAbort = -1;
    const store = new FakeStore((items, n) => {
      if (n === 2) {
        controller.abort();
        sentAtAbort = store.sent.length;
      }
      return accepted(items, n);
    });
    const summary = await submitBatches(batches(10), { transport: store, concurrency: 2, signal: controller.signal });
    // The batch in flight beside batch 2 finishes; nothing starts after the abort.
    assert.equal(sentAtAbort, 4);
    assert.equal(store.sent.length, sentAtAbort);
    assert.equal(summary.cancelledBatches, 6);
    assert.deepEqual(summary.outcomes.slice(4).map((o) => o.status), Array(6).fill('cancelled'));
    assert.equal(summary.outcomes.filter((o) => o.status === 'accepted').length, store.sent.length);
  });

  test('journal: each batch is recorded before it is sent and updated after; a journal failure blocks the send', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'submit-'));
    try {
      const journal = new SubmissionJournal({ folder });
      const session = await journal.startSession();
      let pendingAtSend = 0;
      const store = new FakeStore((items, n) => {
        pendingAtSend = Math.max(pendingAtSend, n + 1);
        return n === 1 ? response(400, { message: 'Request body must be an array' }) : accepted(items, n);
      }, 1);
      await submitBatches(batches(3), { transport: store, journal: session, profileId: 'p1', concurrency: 1 });
      await session.close();
      const recorded = await journal.batches();
      assert.deepEqual(recorded.map((b) => [b.state, b.bulkUuid, b.firstItemIndex]), [['accepted', 'uuid-0', 0], ['failed', undefined, 3], ['accepted', 'uuid-2', 6]]);
      assert.deepEqual((await journal.payloadsFor('uuid-2', [2])).payloads.get(2), { sku: 's8' });

      // A closed session cannot record: the batch is failed, nothing is sent.
      const store2 = new FakeStore(accepted);
      const summary = await submitBatches(batches(1), { transport: store2, journal: session });
      assert.equal(store2.sent.length, 0);
      assert.match(summary.outcomes[0]?.error?.message ?? '', /journal could not be written/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  test('journal write-ahead: every batch is on disk before it is sent; cancelled look-ahead batches are not left pending', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'submit-ahead-'));
    try {
      const journal = new SubmissionJournal({ folder });
      const session = await journal.startSession();
      const controller = new AbortController();
      const store = new FakeStore((items, n) => {
        const onDisk = readFileSync(session.file, 'utf8').split('\n').filter((l) => l.startsWith('{"t":"batch"')).length;
        assert.ok(onDisk >= n + 1, `batch ${n} sent with only ${onDisk} batch records on disk`);
        if (n === 3) controller.abort();
        return accepted(items, n);
      }, 1);
      const summary = await submitBatches(batches(20), { transport: store, journal: session, concurrency: 2, journalLookahead: 6, signal: controller.signal });
      await session.close();
      assert.ok(summary.cancelledBatches > 0);
      const recorded = await journal.batches();
      assert.ok(recorded.length > store.sent.length, 'some batches were journalled ahead');
      assert.ok(recorded.length <= store.sent.length + 6);
      assert.deepEqual(await journal.pendingBatches(), []);
      assert.ok(recorded.filter((b) => b.state === 'failed').every((b) => b.error === 'not sent: the submission was cancelled'));
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  test('progress message', () => {
    assert.equal(progressMessage({ done: 11, total: 50, batchNumber: 11, operationsDone: 1100, operationsTotal: 5000 }), 'Submitting 5,000 operations — batch 12 of 50');
  });
});
