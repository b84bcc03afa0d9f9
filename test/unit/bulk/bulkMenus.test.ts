// The view/item/context menus are driven by regexes over contextValue flags: check them against
// the flags the node builders really produce, so a renamed flag cannot silently hide a menu.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildBulkNode, buildGroupNode, buildNoticeNode, buildOperationNode, operationById } from '../../../src/host/bulk/bulkTreeNodes';
import { bulk, ops } from './bulkFixtures';

interface MenuItem { command: string; when?: string; group?: string }
const manifest = JSON.parse(readFileSync(resolve(__dirname, '../../../package.json'), 'utf8')) as { contributes: { menus: Record<string, MenuItem[]> } };
const itemMenus = manifest.contributes.menus['view/item/context'] ?? [];

function shownFor(command: string, contextValue: string): boolean {
  return itemMenus.filter((m) => m.command === command).some((m) => {
    const re = /viewItem =~ \/(.+)\/(?:\s|$)/.exec(m.when ?? '')?.[1];
    assert.ok(re, `menu entry for ${command} has no viewItem regex: ${m.when}`);
    return new RegExp(re).test(contextValue);
  });
}

const T0 = Date.UTC(2026, 0, 1);
const ctx = { now: T0 + 1000, stuckThresholdMs: 120_000 };

describe('bulk tree menus', () => {
  test('Retry Failed shows where something can be retried, and only there', () => {
    const retry = 'magentoWorkbench.bulk.retryFailed';
    const running = bulk({ operations: ops(1, 2, 4) });
    assert.ok(shownFor(retry, buildBulkNode(running, ctx).contextValue));
    assert.ok(shownFor(retry, buildBulkNode(bulk({ operations: ops(1, 3) }), ctx).contextValue), 'non-retriable ones (after confirmation)');
    assert.ok(shownFor(retry, buildGroupNode(running, 'failed-retriable').contextValue));
    assert.ok(shownFor(retry, buildOperationNode(running, operationById(running, 1)!, new Set()).contextValue));
    assert.ok(!shownFor(retry, buildBulkNode(bulk({ operations: ops(1, 1) }), ctx).contextValue));
    const retried = bulk({ operations: ops(1, 2), retriedOperationIds: [1] });
    assert.ok(!shownFor(retry, buildBulkNode(retried, ctx).contextValue), 'everything already retried');
    assert.ok(!shownFor(retry, buildOperationNode(retried, operationById(retried, 1)!, new Set([1])).contextValue));
    assert.ok(!shownFor(retry, buildOperationNode(running, operationById(running, 0)!, new Set()).contextValue), 'a complete operation');
    assert.ok(!shownFor(retry, buildGroupNode(running, 'complete').contextValue));
  });

  test('What to Do shows on stuck bulks and their notice; Show Operation on operations; Remove on bulks', () => {
    const stuck = bulk({ operations: ops(4, 4) });
    const late = { ...ctx, now: T0 + 600_000 };
    assert.ok(shownFor('magentoWorkbench.bulk.whatToDo', buildBulkNode(stuck, late).contextValue));
    assert.ok(shownFor('magentoWorkbench.bulk.whatToDo', buildNoticeNode(stuck, 'stuck', late).contextValue));
    assert.ok(!shownFor('magentoWorkbench.bulk.whatToDo', buildBulkNode(stuck, ctx).contextValue), 'not stuck yet');
    assert.ok(shownFor('magentoWorkbench.bulk.showOperation', buildOperationNode(stuck, operationById(stuck, 0)!, new Set()).contextValue));
    assert.ok(shownFor('magentoWorkbench.bulk.remove', buildBulkNode(stuck, ctx).contextValue));
    assert.ok(!shownFor('magentoWorkbench.bulk.remove', buildGroupNode(stuck, 'open').contextValue));
  });
});
