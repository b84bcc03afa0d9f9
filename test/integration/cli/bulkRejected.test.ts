// `magento-rest bulk rejected` as a real CLI process against the sandbox store, whose
// `rejectOnSubmit` rule makes Magento reject items at submit time (202, `errors: true`): `bulk
// submit` leaves three rejected items, `bulk rejected` lists exactly those, a resubmission while
// the rule holds gets them rejected again (and still listed), once the rule is lifted a
// resubmission is accepted and tracked, and the store's own record holds every item exactly once.
// Items journalled under another profile are refused when named and skipped otherwise, and sent
// with that profile (production: only with --yes).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BULK_STORE_KEY } from '../../../src/core/bulk/bulkTracker';
import { SubmissionJournal } from '../../../src/core/convert/submissionJournal';
import { buildCliBundle, runCliProcess, sandboxAdminCliEnv, stdoutJson, type CliBundle, type CliRun } from '../../support/cliProcess';
import { openFaultStore, type FaultStore } from '../faults/faultHarness';

const BULK_PATH = '/async/bulk/V1/products/bySku';

interface RejectedJson { item: number; bulk_uuid: string; operation_id: number; sku?: string; message: string; profile_id: string; store: string; method: string; path: string; journal_batch_id: string; payload: unknown }
interface ResubmitJson {
  resubmitted: number;
  accepted: number;
  rejected_again: number;
  bulk_uuids: string[];
  outcomes: Array<{ status: string; bulk_uuid?: string; items: Array<{ item: number; from_bulk: string }>; rejected_again?: Array<{ item: number; from_bulk: string; message: string }> }>;
  skipped?: Array<{ item: number; bulk_uuid: string; reason: string }>;
}

let store: FaultStore;
let cli: CliBundle;
let tmp: string;
let home: string;

// Eight products; the three BAD ones are rejected while the rule holds. In batches of 3 the
// rejections fall into all three batches (items 1, 4 and 6).
const SKUS = ['RJT-OK-0', 'RJT-BAD-1', 'RJT-OK-2', 'RJT-OK-3', 'RJT-BAD-4', 'RJT-OK-5', 'RJT-BAD-6', 'RJT-OK-7'];
const ITEMS = SKUS.map((sku, i) => ({ product: { sku, price: 10 + i } }));

function env(): Record<string, string> {
  return sandboxAdminCliEnv({ baseUrl: store.baseUrl, credentials: store.handle.credentials }, tmp, home);
}

function run(...args: string[]): Promise<CliRun> {
  return runCliProcess(cli.path, ['bulk', ...args], env(), tmp);
}

async function rejectedList(...args: string[]): Promise<{ code: number; rejected: RejectedJson[] }> {
  const r = await run('rejected', ...args);
  return { code: r.code, rejected: stdoutJson<{ rejected: RejectedJson[] }>(r).rejected };
}

async function setRejectRule(pattern: string | undefined): Promise<void> {
  await store.control('faults', { operations: { rejectOnSubmit: pattern === undefined ? [] : [{ skuPattern: pattern, message: 'Could not create the operation', errorCode: 7 }] } });
}

describe('magento-rest bulk rejected against the sandbox', () => {
  before(async () => {
    [store, cli] = await Promise.all([openFaultStore(), buildCliBundle()]);
    tmp = await mkdtemp(join(tmpdir(), 'bulk-rejected-'));
    home = join(tmp, '.magento-rest');
  });
  after(async () => {
    await store.close();
    cli.dispose();
    await rm(tmp, { recursive: true, force: true });
  });

  test('no journal yet: an empty list, exit 0', async () => {
    assert.deepEqual(await rejectedList(), { code: 0, rejected: [] });
  });

  let firstBulks: string[] = [];

  test('bulk submit with a rejectOnSubmit rule leaves three rejected items; bulk rejected lists exactly those (exit 1)', async () => {
    await setRejectRule('RJT-BAD-*');
    const file = join(tmp, 'items.json');
    await writeFile(file, JSON.stringify(ITEMS));
    const submit = await run('submit', '--method', 'PUT', '--path', '/V1/products/{sku}', '--items', file, '--batch-size', '3', '--concurrency', '1');
    assert.equal(submit.code, 1, `rejections make submit exit 1: ${submit.stderr}`);
    const submitted = stdoutJson<{ rejected: number; bulk_uuids: string[] }>(submit);
    assert.equal(submitted.rejected, 3);
    firstBulks = submitted.bulk_uuids;
    assert.equal(firstBulks.length, 3);

    const list = await rejectedList();
    assert.equal(list.code, 1, 'some are waiting');
    assert.deepEqual(list.rejected.map((r) => [r.item, r.sku]), [[1, 'RJT-BAD-1'], [4, 'RJT-BAD-4'], [6, 'RJT-BAD-6']]);
    for (const r of list.rejected) {
      assert.equal(r.message, 'Could not create the operation');
      assert.equal(r.profile_id, 'cli');
      assert.equal(r.store, 'default');
      assert.equal(r.method, 'PUT');
      assert.equal(r.path, BULK_PATH);
      assert.deepEqual(r.payload, ITEMS[r.item], 'the payload as journalled');
    }
    assert.deepEqual(list.rejected.map((r) => r.bulk_uuid), firstBulks, 'one rejection in each of the three bulks');
    assert.deepEqual(await store.acceptedBySku('RJT-BAD-'), new Map(), 'rejected items never became operations');

    const filtered = await rejectedList('--bulk', firstBulks[1]!);
    assert.deepEqual(filtered.rejected.map((r) => r.item), [4]);
  });

  test('bad selections are usage errors (exit 2) and send nothing', async () => {
    const before = (await store.stats()).requests_total;
    const unknown = await run('rejected', 'resubmit', '--items', '2');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no rejected item 2 waits for resubmission \(items: 1, 4, 6\)/);
    const garbage = await run('rejected', 'resubmit', '--items', '1,x');
    assert.equal(garbage.code, 2);
    assert.match(garbage.stderr, /--items takes item numbers separated by commas/);
    const sub = await run('rejected', 'resend');
    assert.equal(sub.code, 2);
    assert.match(sub.stderr, /unknown bulk rejected subcommand 'resend'/);
    assert.equal((await store.stats()).requests_total, before, 'no request reached the store');
  });

  test('while the rule holds, resubmit gets them rejected again (exit 1) and they are still listed', async () => {
    const r = await run('rejected', 'resubmit');
    assert.equal(r.code, 1, r.stderr);
    const out = stdoutJson<ResubmitJson>(r);
    assert.equal(out.resubmitted, 3);
    assert.equal(out.accepted, 0);
    assert.equal(out.rejected_again, 3);
    // One request (batch size 100) for the single route; every item is rejected in it.
    assert.equal(out.outcomes.length, 1);
    assert.deepEqual(out.outcomes[0]!.rejected_again!.map((x) => [x.item, x.from_bulk]), [[1, firstBulks[0]], [4, firstBulks[1]], [6, firstBulks[2]]]);

    const list = await rejectedList();
    assert.equal(list.code, 1);
    // Numbered as items of the resubmission that last sent them.
    assert.deepEqual(list.rejected.map((x) => [x.item, x.sku]), [[0, 'RJT-BAD-1'], [1, 'RJT-BAD-4'], [2, 'RJT-BAD-6']]);
    // The newer rejections are the listed ones: the first bulks' are resolved by the resend.
    assert.ok(list.rejected.every((x) => !firstBulks.includes(x.bulk_uuid)), 'the listed rejections are the resubmission\'s');
    assert.deepEqual(await store.acceptedBySku('RJT-BAD-'), new Map());
  });

  test('items journalled under another profile are refused when named and skipped otherwise; nothing is sent', async () => {
    const journal = new SubmissionJournal({ folder: join(home, 'journal') });
    const session = await journal.startSession();
    try {
      const id = await session.recordBatch({ profileId: 'staging', storeCode: 'default', method: 'PUT', path: BULK_PATH, firstItemIndex: 40, itemCount: 1 }, JSON.stringify([{ sku: 'RJT-STG-0', product: { sku: 'RJT-STG-0', price: 1 } }]));
      await session.recordAccepted(id, 'staging-bulk-0000', [{ id: 0, data_hash: null, status: 'rejected', error_message: 'Could not create the operation', error_code: 7 }]);
    } finally {
      await session.close();
      await journal.idle();
    }
    const before = (await store.stats()).requests_total;
    const named = await run('rejected', 'resubmit', '--bulk', 'staging-bulk-0000');
    assert.equal(named.code, 2);
    assert.match(named.stderr, /item 40 of bulk staging-bulk-0000 was sent with profile id "staging".*this run uses the --base-url store.*run it with --profile staging/);

    // Unnamed with the rule still in place: the staging item is skipped, ours are rejected again.
    const all = await run('rejected', 'resubmit');
    assert.equal(all.code, 1);
    const out = stdoutJson<ResubmitJson>(all);
    assert.deepEqual(out.skipped?.map((s) => [s.item, s.bulk_uuid]), [[40, 'staging-bulk-0000']]);
    assert.equal(out.resubmitted, 3);
    assert.ok(((await store.stats()).requests_total) > before);
    assert.deepEqual(await store.acceptedBySku('RJT-STG-'), new Map(), 'the staging item never reached this store');
  });

  test('rule lifted: resubmit is accepted (exit 0), tracked in bulks.json, nothing is left; the store holds every item once', async () => {
    await setRejectRule(undefined);
    const waiting = (await rejectedList()).rejected.filter((x) => x.profile_id === 'cli');
    const latest = [...new Set(waiting.map((x) => x.bulk_uuid))];
    assert.equal(latest.length, 1, 'the last resubmission holds all three rejections');
    const r = await run('rejected', 'resubmit', '--bulk', latest[0]!);
    assert.equal(r.code, 0, r.stderr);
    const out = stdoutJson<ResubmitJson>(r);
    assert.equal(out.accepted, 3);
    assert.equal(out.rejected_again, 0);
    assert.equal(out.skipped, undefined, 'the staging item is outside --bulk');
    assert.equal(out.bulk_uuids.length, 1);
    const uuid = out.bulk_uuids[0]!;

    const tracked = JSON.parse(await readFile(join(home, 'bulks.json'), 'utf8')) as Record<string, { bulks: Array<{ uuid: string; description: string; operationCount: number }> }>;
    const entry = tracked[BULK_STORE_KEY]!.bulks.find((b) => b.uuid === uuid);
    assert.ok(entry, 'the new bulk is tracked');
    assert.match(entry.description, /resubmitted rejected items/);
    assert.equal(entry.operationCount, 3);

    const list = await rejectedList();
    assert.deepEqual(list.rejected.map((x) => x.profile_id), ['staging'], 'only the other profile\'s item is left');
    const mine = await rejectedList(...[...firstBulks, latest[0]!].flatMap((u) => ['--bulk', u]));
    assert.deepEqual(mine, { code: 0, rejected: [] });

    const held = await store.acceptedBySku('RJT-');
    assert.deepEqual([...held.entries()].sort(), SKUS.map((s) => [s, 1]).sort(), 'each item exactly once overall');

    const again = await run('rejected', 'resubmit', '--bulk', firstBulks[0]!);
    assert.equal(again.code, 0);
    assert.match(again.stderr, /nothing to resubmit/);
    assert.deepEqual(await store.acceptedBySku('RJT-'), held, 'nothing was sent again');
  });

  test('with the profile they were sent with: a production profile needs --yes, then the other profile\'s item is resubmitted once', async () => {
    const profileFile = join(tmp, 'profiles.json');
    await writeFile(profileFile, JSON.stringify({ profiles: [{ id: 'staging', label: 'Staging (production)', baseUrl: store.baseUrl, storeCode: 'default', production: true, auth: { kind: 'admin', username: store.handle.credentials.admin.username } }] }));
    const before = (await store.stats()).requests_total;
    const refused = await run('rejected', 'resubmit', '--bulk', 'staging-bulk-0000', '--profile', 'staging', '--profile-file', profileFile);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /'Staging \(production\)' is a production profile: add --yes to resubmit 1 rejected item/);
    assert.equal((await store.stats()).requests_total, before, 'nothing was sent');

    const r = await run('rejected', 'resubmit', '--bulk', 'staging-bulk-0000', '--profile', 'staging', '--profile-file', profileFile, '--yes');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(stdoutJson<ResubmitJson>(r).accepted, 1);
    assert.deepEqual(await store.acceptedBySku('RJT-STG-'), new Map([['RJT-STG-0', 1]]));
    assert.deepEqual(await rejectedList(), { code: 0, rejected: [] });
  });
});
