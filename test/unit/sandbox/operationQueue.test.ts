import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { OperationStore, type OperationOutcome, type StoredOperation } from '../../../src/sandbox/queue/operationStore';
import { OperationConsumer, type OperationRunner } from '../../../src/sandbox/queue/operationConsumer';
import { OperationFaultInjector, operationFaultsSchema, skusOf } from '../../../src/sandbox/queue/operationFaults';

interface Payload { sku: string; fail?: boolean }

function addBulk(store: OperationStore<Payload>, uuid: string, skus: string[]): void {
  store.addBulk({
    uuid, userId: 1, userType: 2, description: 'Topic t', startTime: 0,
    operations: skus.map((sku) => ({ topicName: 't', serializedData: `{"sku":"${sku}"}`, payload: { sku, fail: sku.startsWith('DUP') } })),
  });
}

const runner: OperationRunner<Payload> = {
  async run(op: StoredOperation<Payload>): Promise<OperationOutcome> {
    if (op.payload.fail) return { status: 3, resultMessage: 'duplicate', errorCode: 0 };
    return { status: 1, resultMessage: 'ok', errorCode: null, resultSerializedData: `{"sku":"${op.payload.sku}"}` };
  },
  skus: (op) => [op.payload.sku],
  costMs: () => 0,
};

function consumer(store: OperationStore<Payload>, running: boolean, faults = new OperationFaultInjector()): OperationConsumer<Payload> {
  return new OperationConsumer({ store, runner, faults, clock: { now: () => 1000 } }, { running, concurrency: 2 });
}

describe('operation store and consumer', () => {
  test('operations start open (4) and stay open while the consumer is stopped', async () => {
    const store = new OperationStore<Payload>();
    const c = consumer(store, false);
    addBulk(store, 'b1', ['A', 'B']);
    await c.whenIdle();
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(store.countsByStatus(), { 1: 0, 2: 0, 3: 0, 4: 2, 5: 0 });
    assert.deepEqual(store.getBulk('b1')?.operations.map((o) => [o.id, o.status, o.startedAt]), [[0, 4, null], [1, 4, null]]);
    c.dispose();
  });

  test('a started consumer completes operations: success drops serialized_data, failures keep it', async () => {
    const store = new OperationStore<Payload>();
    const c = consumer(store, false);
    addBulk(store, 'b1', ['A', 'DUP-1', 'C']);
    c.configure({ running: true });
    await c.whenIdle();
    const ops = store.getBulk('b1')!.operations;
    assert.deepEqual(ops.map((o) => o.status), [1, 3, 1]);
    assert.equal(ops[0]!.serializedData, null);
    assert.equal(ops[0]!.resultSerializedData, '{"sku":"A"}');
    assert.equal(ops[1]!.serializedData, '{"sku":"DUP-1"}');
    assert.equal(ops[1]!.resultMessage, 'duplicate');
    assert.equal(ops[0]!.startedAt, 1000);
    assert.deepEqual(store.countsByStatus(), { 1: 2, 2: 0, 3: 1, 4: 0, 5: 0 });
    c.dispose();
  });

  test('stopping mid-way leaves the rest open; restarting finishes them', async () => {
    const store = new OperationStore<Payload>();
    const c = new OperationConsumer({ store, runner, faults: new OperationFaultInjector(), clock: { now: () => 0 } }, { running: true, concurrency: 1, latencyMs: 5 });
    addBulk(store, 'b1', Array.from({ length: 20 }, (_, i) => `S${i}`));
    await new Promise((r) => setTimeout(r, 30));
    c.configure({ running: false });
    await c.whenIdle();
    const open = store.countsByStatus()[4];
    assert.ok(open > 0 && open < 20, `some but not all open: ${open}`);
    c.configure({ running: true, latencyMs: 0 });
    await c.whenIdle();
    assert.equal(store.countsByStatus()[1], 20);
    c.dispose();
  });

  test('fault injection by SKU pattern and by share, deterministic per seed', async () => {
    const store = new OperationStore<Payload>();
    const faults = new OperationFaultInjector({ skuRules: [{ skuPattern: 'BAD-*', status: 3, message: 'nope' }] });
    const c = consumer(store, true, faults);
    addBulk(store, 'b1', ['BAD-1', 'GOOD']);
    await c.whenIdle();
    const ops = store.getBulk('b1')!.operations;
    assert.deepEqual(ops.map((o) => [o.status, o.resultMessage]), [[3, 'nope'], [1, 'ok']]);

    const run = async (): Promise<number[]> => {
      const s = new OperationStore<Payload>();
      const f = new OperationFaultInjector(operationFaultsSchema.parse({ failRetriablyShare: 0.3, failShare: 0.2, seed: 42 }));
      const k = consumer(s, true, f);
      addBulk(s, 'x', Array.from({ length: 200 }, (_, i) => `P${i}`));
      await k.whenIdle();
      k.dispose();
      return s.getBulk('x')!.operations.map((o) => o.status);
    };
    const first = await run();
    assert.deepEqual(await run(), first);
    const retriable = first.filter((s) => s === 2).length;
    const failed = first.filter((s) => s === 3).length;
    assert.ok(retriable > 35 && retriable < 85, `retriable share near 30%: ${retriable}`);
    assert.ok(failed > 20 && failed < 60, `failed share near 20%: ${failed}`);
    c.dispose();
  });

  test('fault settings are validated', () => {
    assert.throws(() => operationFaultsSchema.parse({ failShare: 0.8, failRetriablyShare: 0.5 }));
    assert.throws(() => operationFaultsSchema.parse({ failShare: -1 }));
  });

  test('skusOf finds path, top-level, entity and list SKUs', () => {
    assert.deepEqual(skusOf({ sku: 'P' }, {}), ['P']);
    assert.deepEqual(skusOf({}, { product: { sku: 'E' } }), ['E']);
    assert.deepEqual(skusOf({}, { sourceItems: [{ sku: 'S1' }, { sku: 'S2' }] }).sort(), ['S1', 'S2']);
  });

  test('clear empties bulks, queue and counts', () => {
    const store = new OperationStore<Payload>();
    addBulk(store, 'b1', ['A']);
    store.clear();
    assert.equal(store.getBulk('b1'), undefined);
    assert.equal(store.pendingCount(), 0);
    assert.equal(store.countsByStatus()[4], 0);
  });
});
