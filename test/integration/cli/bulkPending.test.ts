// `magento-rest bulk pending` as a real CLI process against the sandbox store: a batch left pending
// by a connection reset after the store queued it is listed (exit 1), checked and matched to its
// own bulk (not another batch's, not a same-sized stranger's) and tracked; a batch journalled but
// never sent checks as not found and is resubmitted once; a batch the store already has is not
// resubmitted without --yes; dismiss, unknown ids and a batch of another profile are explained.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BULK_STORE_KEY } from '../../../src/core/bulk/bulkTracker';
import { SubmissionJournal } from '../../../src/core/convert/submissionJournal';
import { buildCliBundle, runCliProcess, sandboxAdminCliEnv, stdoutJson, type CliBundle, type CliRun } from '../../support/cliProcess';
import { openFaultStore, productItems, type FaultStore } from '../faults/faultHarness';

const BULK_PATH = '/async/bulk/V1/products/bySku';

interface PendingJson { batch_id: string; profile_id: string; store: string; method: string; path: string; item_count: number; first_item_index: number; journalled_at: string; session_file: string }
interface CheckJson { checked: Array<PendingJson & { verdict: string; candidates: string[]; tracked_as?: string; resolved: boolean; next: string }>; skipped?: Array<{ batch_id: string; reason: string }> }
interface OperationsRecord { total: number; bulks: Array<{ uuid: string; operations: Array<{ skus: string[] }> }> }

let store: FaultStore;
let cli: CliBundle;
let tmp: string;
let home: string;

function env(): Record<string, string> {
  return sandboxAdminCliEnv({ baseUrl: store.baseUrl, credentials: store.handle.credentials }, tmp, home);
}

function run(...args: string[]): Promise<CliRun> {
  return runCliProcess(cli.path, ['bulk', ...args], env(), tmp);
}

async function pendingList(): Promise<{ code: number; pending: PendingJson[] }> {
  const r = await run('pending');
  return { code: r.code, pending: stdoutJson<{ pending: PendingJson[] }>(r).pending };
}

async function operations(): Promise<OperationsRecord> {
  return store.control<OperationsRecord>('operations');
}

/** SKU → how many operations the store holds for it, over every bulk. */
async function heldBySku(prefix: string): Promise<Map<string, number>> {
  return store.acceptedBySku(prefix);
}

/** The bulk holding exactly these SKUs (in order). */
async function bulkHolding(skus: readonly string[]): Promise<string[]> {
  return (await operations()).bulks.filter((b) => JSON.stringify(b.operations.flatMap((o) => o.skus)) === JSON.stringify(skus)).map((b) => b.uuid);
}

/** Journals a batch as `bulk submit` would before sending it, and records no answer. */
async function journalOnly(items: readonly unknown[], profileId = 'cli'): Promise<string> {
  const journal = new SubmissionJournal({ folder: join(home, 'journal') });
  const session = await journal.startSession();
  try {
    return await session.recordBatch({ profileId, storeCode: 'default', method: 'PUT', path: BULK_PATH, firstItemIndex: 0, itemCount: items.length }, JSON.stringify(items));
  } finally {
    await session.close();
    await journal.idle();
  }
}

describe('magento-rest bulk pending against the sandbox', () => {
  before(async () => {
    [store, cli] = await Promise.all([openFaultStore(), buildCliBundle()]);
    tmp = await mkdtemp(join(tmpdir(), 'bulk-pending-'));
    home = join(tmp, '.magento-rest');
  });
  after(async () => {
    await store.close();
    cli.dispose();
    await rm(tmp, { recursive: true, force: true });
  });

  test('no journal folder yet: an empty list, exit 0', async () => {
    const r = await run('pending', 'list');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(stdoutJson<{ pending: unknown[] }>(r).pending, []);
  });

  let resetBatch: PendingJson;
  const submitted = productItems('PND-', 6);

  test('a connection reset after the store queued a batch: bulk submit leaves it pending, list shows it and exits 1', async () => {
    const file = join(tmp, 'items.json');
    await writeFile(file, JSON.stringify(submitted));
    // The second of three batches is queued by the store, then its connection dies before the answer.
    await store.setHttpFaults([{ fault: 'reset-before-headers', method: 'PUT', path: '/rest/*/async/bulk/*', processed: true, after: 1, times: 1 }]);
    const submit = await run('submit', '--method', 'PUT', '--path', '/V1/products/{sku}', '--items', file, '--batch-size', '2', '--concurrency', '1');
    await store.clearHttpFaults();
    assert.equal(submit.code, 1, submit.stderr);
    assert.equal(stdoutJson<{ unknown_batches: number }>(submit).unknown_batches, 1);
    // A stranger's bulk of the same size in the same minutes (different items): not a candidate.
    await store.adminClient().send({ method: 'PUT', path: BULK_PATH, body: productItems('OTHER-', 2) });

    const list = await pendingList();
    assert.equal(list.code, 1, 'some are pending');
    assert.equal(list.pending.length, 1);
    resetBatch = list.pending[0]!;
    assert.equal(resetBatch.profile_id, 'cli');
    assert.equal(resetBatch.store, 'default');
    assert.equal(resetBatch.method, 'PUT');
    assert.equal(resetBatch.path, BULK_PATH);
    assert.equal(resetBatch.item_count, 2);
    assert.equal(resetBatch.first_item_index, 2);
    assert.ok(Math.abs(Date.parse(resetBatch.journalled_at) - Date.now()) < 60_000, resetBatch.journalled_at);
    assert.match(resetBatch.session_file, /^submission-\d+-\d+-\d+\.jsonl$/);
    assert.deepEqual([...(await heldBySku('PND-')).values()], [1, 1, 1, 1, 1, 1], 'the store queued every item once, the reset one too');
  });

  test('check --track names the batch\'s own bulk, tracks it and resolves the batch', async () => {
    const own = await bulkHolding(['PND-00002', 'PND-00003']);
    assert.equal(own.length, 1);
    const r = await run('pending', 'check', resetBatch.batch_id, '--track');
    assert.equal(r.code, 0, r.stderr);
    const checked = stdoutJson<CheckJson>(r).checked;
    assert.equal(checked.length, 1);
    assert.equal(checked[0]!.verdict, 'probably-accepted');
    assert.deepEqual(checked[0]!.candidates, own, 'neither the other batches\' bulks nor the stranger\'s');
    assert.equal(checked[0]!.tracked_as, own[0]);
    assert.equal(checked[0]!.resolved, true);
    const tracked = JSON.parse(await readFile(join(home, 'bulks.json'), 'utf8')) as Record<string, { bulks: Array<{ uuid: string; description: string }> }>;
    const entry = tracked[BULK_STORE_KEY]!.bulks.find((b) => b.uuid === own[0]);
    assert.ok(entry, 'the matched bulk is in bulks.json');
    assert.match(entry.description, /recovered from journal batch/);
    assert.deepEqual(await pendingList(), { code: 0, pending: [] });
    const status = await run('status', own[0]!);
    assert.equal(stdoutJson<{ bulk_uuid: string }>(status).bulk_uuid, own[0], status.stderr);
  });

  test('a batch journalled but never sent: not found, resubmitted once, then nothing pending', async () => {
    const items = productItems('PNX-', 2);
    const batchId = await journalOnly(items);
    // A torn line (a crash mid-write) in the journal is skipped, not fatal.
    const session = (await new SubmissionJournal({ folder: join(home, 'journal') }).batches()).find((b) => b.batchId === batchId)!.file;
    await appendFile(session, '{"t":"batch","batchId":"torn#0","items":[{"prod');

    const check = await run('pending', 'check', batchId);
    assert.equal(check.code, 1, 'still pending after a plain check');
    const checked = stdoutJson<CheckJson>(check).checked[0]!;
    assert.equal(checked.verdict, 'not-found');
    assert.deepEqual(checked.candidates, []);
    assert.match(checked.next, /resubmit/);
    assert.equal((await pendingList()).pending.length, 1);

    const before = (await operations()).total;
    const r = await run('pending', 'resubmit', batchId);
    assert.equal(r.code, 0, r.stderr);
    const out = stdoutJson<{ resubmission: { status: string; bulk_uuid: string }; resolved: boolean }>(r);
    assert.equal(out.resubmission.status, 'accepted');
    assert.equal(out.resolved, true);
    assert.deepEqual(await bulkHolding(['PNX-00000', 'PNX-00001']), [out.resubmission.bulk_uuid]);
    assert.equal((await operations()).total, before + 2);
    assert.deepEqual(Object.fromEntries(await heldBySku('PNX-')), { 'PNX-00000': 1, 'PNX-00001': 1 });
    assert.ok([...(await heldBySku('PND-')).values()].every((n) => n === 1), 'nothing of the earlier submission was sent again');
    assert.deepEqual(await pendingList(), { code: 0, pending: [] });

    // Resolved now: a second resubmit is refused with the reason.
    const again = await run('pending', 'resubmit', batchId);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /not pending: it was already checked, resubmitted or dismissed/);
    assert.equal((await operations()).total, before + 2);
  });

  test('a resubmission whose answer is lost too: the old batch hands over to the new pending one, which is resubmitted once', async () => {
    const items = productItems('PNW-', 3);
    const batchId = await journalOnly(items);
    // The store never reads the resubmission, but the client cannot know that.
    await store.setHttpFaults([{ fault: 'reset-before-headers', method: 'PUT', path: '/rest/*/async/bulk/*', processed: false, times: 1 }]);
    const lost = await run('pending', 'resubmit', batchId);
    await store.clearHttpFaults();
    assert.equal(lost.code, 1, lost.stderr);
    const out = stdoutJson<{ resubmission: { status: string; journal_batch_id: string }; resolved: boolean; next: string }>(lost);
    assert.equal(out.resubmission.status, 'unknown');
    assert.equal(out.resolved, true);
    const successor = out.resubmission.journal_batch_id;
    assert.notEqual(successor, batchId);
    assert.match(out.next, new RegExp(`bulk pending check ${successor.replace(/[#-]/g, '\\$&')}`));
    const list = await pendingList();
    assert.deepEqual(list.pending.map((b) => b.batch_id), [successor], 'only the new batch is pending: the items are listed once');
    assert.equal((await heldBySku('PNW-')).size, 0);

    const check = await run('pending', 'check', successor);
    assert.equal(stdoutJson<CheckJson>(check).checked[0]!.verdict, 'not-found', check.stderr);
    const r = await run('pending', 'resubmit', successor);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(Object.fromEntries(await heldBySku('PNW-')), { 'PNW-00000': 1, 'PNW-00001': 1, 'PNW-00002': 1 });
    assert.deepEqual(await pendingList(), { code: 0, pending: [] });
  });

  test('a pending batch the store already queued: resubmit refuses without --yes and says why; dismiss resolves it', async () => {
    const items = productItems('PNY-', 2);
    const batchId = await journalOnly(items);
    // Really sent, answer never recorded: the state a killed run leaves.
    await store.adminClient().send({ method: 'PUT', path: BULK_PATH, body: items });
    const before = (await operations()).total;

    const r = await run('pending', 'resubmit', batchId);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /probably queued it already as bulk [0-9a-f-]{36}/);
    assert.match(r.stderr, /apply it twice/);
    const out = stdoutJson<{ verdict: string; resubmitted: boolean; candidates: string[] }>(r);
    assert.equal(out.verdict, 'probably-accepted');
    assert.equal(out.resubmitted, false);
    assert.deepEqual(out.candidates, await bulkHolding(['PNY-00000', 'PNY-00001']));
    assert.equal((await operations()).total, before, 'nothing sent');
    assert.equal((await pendingList()).pending.length, 1);

    const noNote = await run('pending', 'dismiss', batchId);
    assert.equal(noNote.code, 2);
    assert.match(noNote.stderr, /--note/);
    const dismissed = await run('pending', 'dismiss', batchId, '--note', 'checked by hand in the admin');
    assert.equal(dismissed.code, 0, dismissed.stderr);
    assert.equal(stdoutJson<{ dismissed: boolean }>(dismissed).dismissed, true);
    assert.deepEqual(await pendingList(), { code: 0, pending: [] });
  });

  test('unknown batch ids: exit 1 with what to do', async () => {
    for (const args of [['check', 'nope#1'], ['resubmit', 'nope#1'], ['dismiss', 'nope#1', '--note', 'x']]) {
      const r = await run('pending', ...args);
      assert.equal(r.code, 1, args.join(' '));
      assert.match(r.stderr, /no batch "nope#1" in the submission journal .*bulk pending` lists/, r.stderr);
    }
  });

  test('a batch of another profile: named, it is refused with the profile to use; unnamed, it is skipped', async () => {
    const batchId = await journalOnly(productItems('PNZ-', 2), 'staging');
    const named = await run('pending', 'check', batchId);
    assert.equal(named.code, 2);
    assert.match(named.stderr, /sent with profile id "staging".*this run uses the --base-url store.*run it with --profile staging/);
    const all = await run('pending', 'check');
    assert.equal(all.code, 0, all.stderr);
    const out = stdoutJson<CheckJson>(all);
    assert.deepEqual(out.checked, []);
    assert.deepEqual(out.skipped?.map((s) => s.batch_id), [batchId]);
    const resubmit = await run('pending', 'resubmit', batchId);
    assert.equal(resubmit.code, 2);
    assert.equal((await heldBySku('PNZ-')).size, 0, 'nothing sent to the wrong store');
    assert.equal((await pendingList()).code, 1, 'still listed');
  });
});
