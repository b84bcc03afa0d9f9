import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildBulkNode, buildGroupNode, buildMoreNode, buildNoticeNode, buildOperationNode, bulkChildren, groupChildren, operationById,
  OPERATION_PAGE_SIZE, type BuildContext,
} from '../../../src/host/bulk/bulkTreeNodes';
import { bulk, ops, opsCounts, UUID_A, UUID_B } from './bulkFixtures';

const T0 = Date.UTC(2026, 0, 1);
const ctx: BuildContext = { now: T0 + 10_000, stuckThresholdMs: 120_000, profileLabel: (id) => (id === 'local' ? 'Local sandbox' : undefined) };

describe('bulk tree node builders', () => {
  test('bulk node: label from the topic + short UUID, summary description, stable id, flags', () => {
    const b = bulk({ operations: opsCounts(50, 37, 2, 1) });
    const node = buildBulkNode(b, ctx);
    assert.equal(node.id, `bulk:${UUID_A}`);
    assert.equal(node.label, 'products · save · put 799a59c0');
    assert.equal(node.description, '37/50 done · 3 failed');
    assert.equal(node.contextValue, 'bulk:running:hasFailures:retriable:nonRetriable');
    assert.deepEqual(node.icon, { id: 'sync~spin', color: 'charts.blue' });
    assert.match(node.tooltip!, /Profile: Local sandbox · store `default`/);
    assert.match(node.tooltip!, /\| complete \| 37 \| 74 \|/);
    assert.equal(node.collapsible, 'collapsed');
  });

  test('icons and flags by state; the same id whatever the state', () => {
    const finished = buildBulkNode(bulk({ operations: ops(1, 1) }), ctx);
    assert.deepEqual(finished.icon, { id: 'pass-filled', color: 'charts.green' });
    assert.equal(finished.contextValue, 'bulk:finished');
    const partly = buildBulkNode(bulk({ operations: ops(1, 3) }), ctx);
    assert.deepEqual(partly.icon, { id: 'warning', color: 'charts.orange' });
    assert.equal(partly.contextValue, 'bulk:finished-with-failures:hasFailures:nonRetriable');
    const stuck = buildBulkNode(bulk({ operations: ops(4, 4) }), { ...ctx, now: T0 + 200_000 });
    assert.equal(stuck.contextValue, 'bulk:stuck:stuck');
    assert.match(stuck.description!, /stuck\?/);
    assert.match(stuck.tooltip!, /bin\/magento queue:consumers:start async\.operations\.all/);
    const stale = buildBulkNode(bulk({ operations: ops(1, 4), stale: true, staleReason: 'HTTP 503' }), ctx);
    assert.match(stale.contextValue, /:stale/);
    assert.match(stale.description!, /stale/);
    const retry = buildBulkNode(bulk({ uuid: UUID_B, parentUuid: UUID_A, operations: ops(4) }), ctx);
    assert.match(retry.description!, /retry of 799a59c0/);
    assert.match(retry.contextValue, /:retry$/);
    assert.equal(new Set([finished.id, partly.id, stuck.id, stale.id]).size, 1);
    assert.equal(buildBulkNode(bulk({ notFound: true }), ctx).description, 'not found on the store');
  });

  test('already retried failures no longer flag the bulk as retriable', () => {
    const node = buildBulkNode(bulk({ operations: ops(1, 2, 2), retriedOperationIds: [1, 2], childUuids: [UUID_B] }), ctx);
    assert.equal(node.contextValue, 'bulk:finished-with-failures:hasFailures');
    assert.match(node.tooltip!, /Retried in `fbfca270` \(2 operations\)/);
  });

  test('children: notices first, then non-empty status groups, failures first', () => {
    const stuckChildren = bulkChildren(bulk({ operations: ops(4, 4), stale: true }), { ...ctx, now: T0 + 600_000 });
    assert.deepEqual(stuckChildren.map((c) => (c.kind === 'notice' ? c.notice : c.kind === 'group' ? c.group : c.kind)), ['stuck', 'stale', 'open']);
    const mixed = bulkChildren(bulk({ operations: ops(1, 2, 3, 4, 5) }), ctx);
    assert.deepEqual(mixed.map((c) => (c.kind === 'group' ? c.group : c.kind)), ['failed-retriable', 'failed', 'rejected', 'open', 'complete']);
    const stuckNotice = buildNoticeNode(bulk({ operations: ops(4) }), 'stuck', { ...ctx, now: T0 + 600_000 });
    assert.equal(stuckNotice.command?.command, 'magentoWorkbench.bulk.whatToDo');
    assert.match(stuckNotice.description!, /all open for 10 min/);
  });

  test('group nodes carry counts and percentages', () => {
    const b = bulk({ operations: opsCounts(50, 37, 2, 1), retriedOperationIds: [37] });
    const failed = buildGroupNode(b, 'failed');
    assert.equal(failed.id, `bulk:${UUID_A}:group:failed`);
    assert.equal(failed.description, '2 · 4% · 1 retried');
    assert.equal(failed.contextValue, 'bulkGroup:failed:nonRetriable');
    assert.equal(buildGroupNode(b, 'complete').collapsible, 'collapsed');
  });

  test('operation nodes: id, status, message, error code, show command', () => {
    const b = bulk({ operations: ops(1, 3, 2), retriedOperationIds: [2] });
    const retried = new Set(b.retriedOperationIds);
    const failed = buildOperationNode(b, operationById(b, 1)!, retried);
    assert.equal(failed.id, `bulk:${UUID_A}:op:1`);
    assert.equal(failed.label, '#1 failed');
    assert.equal(failed.description, 'The product with the SKU "%1" does not exist. [code 0]');
    assert.equal(failed.contextValue, 'operation:failed:nonRetriable');
    assert.deepEqual(failed.command, { command: 'magentoWorkbench.bulk.showOperation', title: 'Show Operation', args: [UUID_A, 1] });
    const again = buildOperationNode(b, operationById(b, 2)!, retried);
    assert.equal(again.contextValue, 'operation:failed-retriable:retried');
    assert.match(again.description!, /\[code 1213\] · retried/);
    assert.equal(buildOperationNode(b, operationById(b, 0)!, retried).description, '');
  });

  test('a 10,000-operation group pages its children 500 at a time', () => {
    const b = bulk({ operations: opsCounts(10_000, 10_000) });
    const first = groupChildren(b, 'complete');
    assert.equal(first.length, OPERATION_PAGE_SIZE + 1);
    const more = first[first.length - 1]!;
    assert.equal(more.kind, 'more');
    const moreNode = buildMoreNode(b, 'complete', OPERATION_PAGE_SIZE);
    assert.equal(moreNode.label, 'Show 500 more…');
    assert.equal(moreNode.description, '500 of 10,000 shown');
    assert.equal(groupChildren(b, 'complete', 10_000).length, 10_000);
    assert.equal(groupChildren(b, 'failed').length, 0);
  });
});
