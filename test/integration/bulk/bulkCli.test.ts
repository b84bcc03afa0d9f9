// `magento-rest bulk status|retry|list` in-process against the sandbox: JSON on stdout, exit 1
// while failures remain, retry state kept between runs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createBulkCommand, defaultBulkCliDeps, type BulkCliDeps } from '../../../src/cli/commands/bulk';
import { type CliIo } from '../../../src/cli/cliTypes';
import { openBulkSandbox, PROFILE_ID, type BulkSandbox } from './bulkSandbox';

interface Run { code: number; json: Record<string, unknown>; stderr: string }

describe('bulk CLI against the sandbox', () => {
  let sb: BulkSandbox;
  let deps: BulkCliDeps;
  let submitted: string[][] = [];
  before(async () => {
    sb = await openBulkSandbox({ consumers: true });
    deps = {
      ...defaultBulkCliDeps,
      connect: async () => ({ transport: sb.client, profileId: PROFILE_ID, storeCode: 'default', close: async () => undefined }),
      home: () => sb.tmp,
      submit: async (args) => { submitted.push(args); return 0; },
    };
  });
  after(async () => {
    await sb.close();
  });

  async function run(...args: string[]): Promise<Run> {
    let out = '';
    let err = '';
    const io: CliIo = { stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, env: {}, cwd: sb.tmp, isTty: false };
    const code = await createBulkCommand(deps).run(args, io);
    return { code, json: out ? (JSON.parse(out) as Record<string, unknown>) : {}, stderr: err };
  }

  test('status --wait: exit 0 when everything completed', async () => {
    const uuid = await sb.submitProducts(['CLI-1', 'CLI-2']);
    const r = await run('status', uuid, '--wait', '--interval', '0.05');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.verdict, 'finished');
    assert.equal(r.json.summary, '2/2 done');
    assert.equal(r.json.topic, 'async.magento.catalog.api.productrepositoryinterface.save.post');
  });

  test('status --detailed with failures: exit 1 and every operation with payload and message', async () => {
    await sb.control('faults', { operations: { skuRules: [{ skuPattern: 'CLI-BAD', status: 3, message: 'Rejected by rule' }, { skuPattern: 'CLI-FLAKY', status: 2 }] } });
    const uuid = await sb.submitProducts(['CLI-3', 'CLI-BAD', 'CLI-FLAKY']);
    const r = await run('status', uuid, '--wait', '--detailed', '--interval', '0.05');
    assert.equal(r.code, 1);
    assert.equal(r.json.verdict, 'finished-with-failures');
    const ops = r.json.operations as { id: number; status: number; result_message: string | null; payload: { product: { sku: string } } | null }[];
    assert.deepEqual(ops.map((o) => o.status), [1, 3, 2]);
    assert.equal(ops[1]!.result_message, 'Rejected by rule');
    assert.equal(ops[1]!.payload!.product.sku, 'CLI-BAD');
    assert.equal(ops[0]!.payload, null);

    // retry: only the retriable one, then nothing more without --include-non-retriable.
    await sb.control('faults', { operations: { skuRules: [] } });
    const retry = await run('retry', uuid);
    assert.equal(retry.code, 0, retry.stderr);
    assert.deepEqual(retry.json.retried_operation_ids, [2]);
    assert.equal(retry.json.route, 'POST /async/bulk/V1/products');
    assert.match(String(retry.json.retry_bulk_uuid), /^[0-9a-f-]{36}$/);
    const again = await run('retry', uuid);
    assert.equal(again.code, 1, 'a non-retriable failure remains');
    assert.equal(again.json.retried, 0);
    assert.match(String(again.json.message), /--include-non-retriable/);
    const forced = await run('retry', uuid, '--include-non-retriable', '--dry-run');
    assert.equal(forced.code, 0);
    assert.deepEqual(forced.json.operation_ids, [1]);
    assert.deepEqual(forced.json.payload_sources, ['detailed-status']);
  });

  test('status of an unknown UUID: exit 1 with the store\'s reason', async () => {
    const r = await run('status', '00000000-0000-4000-8000-00000000abcd');
    assert.equal(r.code, 1);
    assert.match(String(r.json.error), /not exist/);
  });

  test('list --since finds the bulks; usage errors exit 2; submit is dispatched to Convert', async () => {
    const r = await run('list', '--since', '1h');
    const bulks = r.json.bulks as { bulk_uuid: string; summary: string }[];
    assert.ok(bulks.length >= 2);
    assert.equal(r.code, 1, 'one listed bulk still has a failure');
    await assert.rejects(run('list', '--since', 'soon'), /not a duration/);
    await assert.rejects(run('frobnicate'), /unknown bulk subcommand/);
    submitted = [];
    assert.equal((await run('submit', '--method', 'POST')).code, 0);
    assert.deepEqual(submitted, [['--method', 'POST']]);
  });
});
