import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bulkLabel, computeBulkState, countOperations, finishedMessage, summarize, topicFromDescription, topicLabel,
} from '../../../src/core/bulk/bulkState';
import { detectStuck, stuckExplanationMarkdown, START_CONSUMER_COMMAND } from '../../../src/core/bulk/stuckDetector';
import { bulk, ops, opsCounts } from './bulkFixtures';

const T0 = Date.UTC(2026, 0, 1);

describe('bulk state from operation counts', () => {
  test('counts every status separately with percentages', () => {
    const state = computeBulkState(bulk({ operations: ops(1, 1, 2, 3, 4, 5, 9) }), T0);
    assert.deepEqual(state.counts, { total: 7, open: 1, complete: 2, failedRetriable: 1, failedNotRetriable: 1, rejected: 1, unknown: 1, missing: 0 });
    assert.equal(state.percentages.complete, 28.6);
    assert.equal(state.percentages.open, 14.3);
    assert.equal(state.failed, 3);
  });

  test('summary phrase "37/50 done · 3 failed"', () => {
    const state = computeBulkState(bulk({ operations: opsCounts(50, 37, 2, 1) }), T0 + 1000);
    assert.equal(state.summary, '37/50 done · 3 failed');
    assert.equal(state.verdict, 'running');
  });

  test('open operations with failures are still running, not "finished with failure" (#36911)', () => {
    const state = computeBulkState(bulk({ operations: ops(3, 4, 4) }), T0 + 1000);
    assert.equal(state.verdict, 'running');
    assert.equal(state.terminal, false);
  });

  test('finished and finished-with-failures only once nothing is open', () => {
    assert.equal(computeBulkState(bulk({ operations: ops(1, 1) }), T0).verdict, 'finished');
    const failed = computeBulkState(bulk({ operations: ops(1, 3, 2) }), T0);
    assert.equal(failed.verdict, 'finished-with-failures');
    assert.equal(failed.terminal, true);
  });

  test('operation_count above the returned rows keeps the bulk non-terminal (#31213)', () => {
    const state = computeBulkState(bulk({ operations: ops(1, 1), operationCount: 3 }), T0);
    assert.equal(state.counts.missing, 1);
    assert.equal(state.terminal, false);
    assert.match(state.summary, /1 not stored/);
  });

  test('unknown before the first answer and when the store does not know the UUID', () => {
    assert.equal(computeBulkState(bulk(), T0).verdict, 'unknown');
    assert.equal(computeBulkState(bulk({ operations: ops(4), notFound: true }), T0).verdict, 'unknown');
  });

  test('a bulk the store holds with no operations (every item rejected at submit) is finished, not polled forever', () => {
    const empty = computeBulkState(bulk({ operations: [], operationCount: 0 }), T0 + 3_600_000);
    assert.equal(empty.verdict, 'finished');
    assert.equal(empty.terminal, true);
    assert.equal(empty.summary, 'no operations');
    // No operations reported but no count either: the store may just not have answered fully.
    assert.equal(computeBulkState(bulk({ operations: [] }), T0).terminal, false);
    assert.equal(computeBulkState(bulk({ operations: [], operationCount: 0, notFound: true }), T0).verdict, 'unknown');
  });

  test('stuck when every operation stays open past the threshold', () => {
    const b = bulk({ operations: ops(4, 4, 4), submittedAt: T0 });
    assert.equal(computeBulkState(b, T0 + 119_000).verdict, 'running');
    assert.equal(computeBulkState(b, T0 + 120_000).verdict, 'stuck');
    assert.equal(computeBulkState(b, T0 + 30_000, 10_000).verdict, 'stuck');
    // One operation moved: a consumer runs, so not stuck however long the rest takes.
    assert.equal(computeBulkState(bulk({ operations: ops(1, 4, 4) }), T0 + 3_600_000).verdict, 'running');
  });

  test('detectStuck explains the missing consumer', () => {
    const report = detectStuck(bulk({ operations: ops(4, 4) }), T0 + 5 * 60_000);
    assert.equal(report.stuck, true);
    assert.match(report.headline, /All 2 operations still open after 5 min: no consumer .*async\.operations\.all/);
    const md = stuckExplanationMarkdown();
    assert.ok(md.includes(START_CONSUMER_COMMAND));
    assert.match(md, /cron_consumers_runner/);
    assert.match(md, /Unknown connection name amqp/);
    assert.match(md, /#25142/);
    assert.equal(detectStuck(bulk({ operations: ops(4, 1) }), T0 + 5 * 60_000).stuck, false);
  });

  test('summaries and notification text', () => {
    assert.equal(summarize(countOperations(ops(4, 4))), '0/2 done · 2 open');
    assert.equal(summarize(countOperations(opsCounts(5000, 5000))), '5,000/5,000 done');
    assert.equal(finishedMessage(countOperations(opsCounts(5000, 4950, 50))), '4,950 complete, 50 failed');
  });

  test('labels from topics', () => {
    assert.equal(topicFromDescription('Topic async.magento.catalog.api.productrepositoryinterface.save.put'), 'async.magento.catalog.api.productrepositoryinterface.save.put');
    assert.equal(topicFromDescription('my own words'), undefined);
    assert.equal(topicLabel('async.magento.catalog.api.productrepositoryinterface.save.put'), 'products · save · put');
    assert.equal(topicLabel('async.magento.customer.api.accountmanagementinterface.createaccount.post'), 'customers · createaccount · post');
    assert.equal(topicLabel('weird'), 'weird');
    assert.equal(bulkLabel(bulk()), 'products · save · put 799a59c0');
    assert.equal(bulkLabel(bulk({ topic: undefined, description: 'Price import' })), 'Price import 799a59c0');
  });
});
