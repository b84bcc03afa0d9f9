import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, appendFile, writeFile } from 'node:fs/promises';
import { closeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { tmpdir } from 'node:os';
import { SubmissionJournal } from '../../../src/core/convert/submissionJournal';

async function withFolder(fn: (folder: string) => Promise<void>): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'journal-'));
  try {
    await fn(folder);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

const header = { profileId: 'prod', storeCode: 'default', method: 'PUT', path: '/async/bulk/V1/products/bySku', firstItemIndex: 0, itemCount: 2 };
const items = [{ sku: 'a', product: { price: 1 } }, { sku: 'b', product: { price: 2 } }];

describe('submission journal', () => {
  test('crash before send: the batch is pending on the next start, with its items', () => withFolder(async (folder) => {
    const session = await new SubmissionJournal({ folder }).startSession();
    const batchId = await session.recordBatch(header, JSON.stringify(items));
    // "crash": the process never closes the session nor writes anything else
    const reopened = new SubmissionJournal({ folder });
    const pending = await reopened.pendingBatches();
    assert.equal(pending.length, 1);
    assert.equal(pending[0]?.batchId, batchId);
    assert.equal(pending[0]?.path, header.path);
    assert.deepEqual(await reopened.itemsOf(batchId), items);
    await reopened.resolve(batchId, 'resubmitted');
    assert.deepEqual(await new SubmissionJournal({ folder }).pendingBatches(), []);
    await session.close();
  }));

  test('crash after send, before the UUID was written (torn write): still pending, the torn line ignored', () => withFolder(async (folder) => {
    const journal = new SubmissionJournal({ folder });
    const session = await journal.startSession();
    const batchId = await session.recordBatch(header, JSON.stringify(items));
    await session.close();
    const [file] = await readdir(folder);
    await appendFile(join(folder, file!), `{"t":"accepted","batchId":"${batchId}","at":1,"bulkUu`);
    const pending = await new SubmissionJournal({ folder }).pendingBatches();
    assert.deepEqual(pending.map((b) => b.batchId), [batchId]);
    // Resolving it after the crash starts a new line: the torn record does not swallow it.
    await new SubmissionJournal({ folder }).resolve(batchId, 'checked: not queued');
    assert.deepEqual(await new SubmissionJournal({ folder }).pendingBatches(), []);
  }));

  test('after the UUID: accepted, not pending, payloads available for retry by operation id', () => withFolder(async (folder) => {
    const session = await new SubmissionJournal({ folder }).startSession();
    const first = await session.recordBatch(header, JSON.stringify(items));
    await session.recordAccepted(first, 'uuid-1', [{ id: 0, data_hash: 'h0', status: 'accepted' }, { id: 1, data_hash: 'h1', status: 'accepted' }]);
    const second = await session.recordBatch({ ...header, firstItemIndex: 2, itemCount: 1 }, JSON.stringify([{ sku: 'c' }]));
    await session.recordFailed(second, 'HTTP 400: "product" is required');
    // Outcome records need no sync of their own: they are written with the next batch record or at close.
    await session.close();
    const journal = new SubmissionJournal({ folder });
    assert.deepEqual(await journal.pendingBatches(), []);
    const all = await journal.batches();
    assert.deepEqual(all.map((b) => [b.state, b.bulkUuid, b.error]), [['accepted', 'uuid-1', undefined], ['failed', undefined, 'HTTP 400: "product" is required']]);
    assert.deepEqual(all[0]?.requestItems?.map((r) => r.data_hash), ['h0', 'h1']);
    const payloads = await journal.payloadsFor('uuid-1', [1, 5]);
    assert.deepEqual([...payloads.payloads], [[1, items[1]]]);
    assert.deepEqual(payloads.missing, [5]);
    assert.deepEqual((await journal.payloadsFor('unknown', [0])).missing, [0]);
  }));

  test('outcome records are written at once (a killed process keeps them), synced with the next batch or at close', () => withFolder(async (folder) => {
    const session = await new SubmissionJournal({ folder }).startSession();
    const id = await session.recordBatch(header, JSON.stringify(items));
    await session.recordAccepted(id, 'uuid-9', [{ id: 0, status: 'accepted' }]);
    // no close(): the process is killed here; the OS already has the record
    assert.deepEqual((await new SubmissionJournal({ folder }).batches()).map((b) => [b.state, b.bulkUuid]), [['accepted', 'uuid-9']]);
    await session.close();
  }));

  test('holds no secrets: only items, profile id, store, method and path', () => withFolder(async (folder) => {
    const session = await new SubmissionJournal({ folder }).startSession();
    const id = await session.recordBatch(header, JSON.stringify(items));
    await session.recordAccepted(id, 'uuid-2', [{ id: 0, status: 'accepted' }]);
    await session.close();
    const [file] = await readdir(folder);
    const lines = (await readFile(join(folder, file!), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(Object.keys(lines[0]!).sort(), ['at', 'batchId', 'firstItemIndex', 'itemCount', 'items', 'method', 'path', 'profileId', 'storeCode', 't']);
    assert.deepEqual(Object.keys(lines[1]!).sort(), ['at', 'batchId', 'bulkUuid', 'requestItems', 't']);
  }));

  test('pruning: old sessions go, the size cap holds, unresolved pending batches are kept', () => withFolder(async (folder) => {
    let now = 1_000_000;
    const clock = { now: () => now };
    const journal = new SubmissionJournal({ folder, clock, maxBytes: 1500, maxAgeMs: 10_000 });
    const big = JSON.stringify(Array.from({ length: 10 }, (_v, i) => ({ sku: `s${i}`, product: { name: 'x'.repeat(40) } })));
    const ids: string[] = [];
    for (let k = 0; k < 4; k++) {
      now += 1;
      const s = await journal.startSession();
      const id = await s.recordBatch(header, big);
      if (k !== 1) await s.recordAccepted(id, `uuid-${k}`, []);
      ids.push(id);
      await s.close();
    }
    now += 1;
    // startSession prunes in the background; wait for that, then prune once more by hand.
    await journal.idle();
    await journal.prune();
    const remaining = (await journal.batches()).map((b) => b.batchId);
    assert.ok(remaining.includes(ids[1]!), 'the pending batch survives size pruning');
    assert.ok(remaining.includes(ids[3]!), 'the newest session survives');
    assert.ok(!remaining.includes(ids[0]!), 'the oldest completed session is pruned');
    // Age: everything (also pending) older than maxAgeMs goes.
    now += 20_000;
    await journal.prune();
    assert.deepEqual(await journal.batches(), []);
  }));

  test('pruning leaves sessions still being written alone: open ones of this process, recent ones of another', () => withFolder(async (folder) => {
    let now = 1_000_000;
    const clock = { now: () => now };
    const journal = new SubmissionJournal({ folder, clock, maxBytes: 100, maxAgeMs: 10_000 });
    const open = await journal.startSession();
    const openId = await open.recordBatch(header, JSON.stringify(items));
    await open.recordAccepted(openId, 'uuid-open', []);
    // Another process's session (pid 1 is never ours), finished but written to a moment ago.
    const foreign = join(folder, `submission-${now - 5}-1-0.jsonl`);
    await writeFile(foreign, `${JSON.stringify({ t: 'batch', batchId: 'f#0', at: now - 5, ...header, items })}\n${JSON.stringify({ t: 'accepted', batchId: 'f#0', at: now - 5, bulkUuid: 'uuid-f', requestItems: [] })}\n`);
    now += 1;
    const later = await journal.startSession();
    await journal.idle();
    await journal.prune();
    const files = await readdir(folder);
    assert.ok(files.includes(basename(open.file)), 'the open session is kept although over the cap');
    assert.ok(files.includes(basename(foreign)), 'the other process\'s recent session is kept');
    await open.close();
    await later.close();
    await journal.prune();
    assert.ok(!(await readdir(folder)).includes(basename(open.file)), 'once closed and complete, it can go');
  }));

  test('a failed write ends the session: that batch and every later record are refused, nothing half-written is sent', () => withFolder(async (folder) => {
    const session = await new SubmissionJournal({ folder }).startSession();
    const first = await session.recordBatch(header, JSON.stringify(items));
    // Pull the file out from under the session (what a full disk or a removed volume looks like to a write).
    closeSync((session as unknown as { handle: { fd: number } }).handle.fd);
    await assert.rejects(session.recordBatch(header, JSON.stringify(items)), /could not be written/);
    await assert.rejects(session.recordAccepted(first, 'uuid-x', []), /could not be written/);
    await session.close().catch(() => undefined);
  }));

  test('ignores foreign files and survives a missing folder', () => withFolder(async (folder) => {
    await writeFile(join(folder, 'notes.txt'), 'hello');
    const journal = new SubmissionJournal({ folder: join(folder, 'nope') });
    assert.deepEqual(await journal.pendingBatches(), []);
    await assert.rejects(journal.resolve('x#0', 'n'), /not in the journal/);
  }));
});
