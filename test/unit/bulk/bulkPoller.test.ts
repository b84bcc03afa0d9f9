import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualScheduler } from '../../../src/core/ports';
import { BulkPoller, type BulkPollerOptions } from '../../../src/core/bulk/bulkPoller';
import { BulkTracker } from '../../../src/core/bulk/bulkTracker';
import { BulkNotFoundError, BulkStatusError, type BulkShortStatus } from '../../../src/core/bulk/bulkStatusApi';
import { type OperationSummary, type TrackedBulk } from '../../../src/core/bulk/bulkState';
import { MemoryStore, opsCounts, settle, shortStatus, UUID_A, UUID_B } from './bulkFixtures';

const OPTIONS: Partial<BulkPollerOptions> = { initialIntervalMs: 1000, maxIntervalMs: 8000, backoffFactor: 2, maxErrorIntervalMs: 30_000, jitterRatio: 0 };

/** A fake store: per-UUID answers the test changes; records every call and can hold answers back. */
class FakeStatusSource {
  readonly operations = new Map<string, OperationSummary[]>();
  readonly calls: { uuid: string; at: number }[] = [];
  failWith: Error | undefined;
  hold = false;
  private held: (() => void)[] = [];
  constructor(private readonly scheduler: ManualScheduler) {}

  readonly fetch = async (bulk: TrackedBulk): Promise<BulkShortStatus> => {
    this.calls.push({ uuid: bulk.uuid, at: this.scheduler.now() });
    if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
    if (this.failWith) throw this.failWith;
    const list = this.operations.get(bulk.uuid);
    if (!list) throw new BulkNotFoundError(bulk.uuid);
    return shortStatus(bulk.uuid, list.map((o) => ({ ...o })));
  };

  release(): void {
    this.hold = false;
    for (const r of this.held.splice(0)) r();
  }

  callsFor(uuid: string): number[] {
    return this.calls.filter((c) => c.uuid === uuid).map((c) => c.at);
  }
}

function setup(options: Partial<BulkPollerOptions> = OPTIONS) {
  const scheduler = new ManualScheduler(0);
  const store = new MemoryStore();
  const tracker = new BulkTracker({ store, clock: scheduler });
  const source = new FakeStatusSource(scheduler);
  const poller = new BulkPoller({ tracker, fetchStatus: source.fetch, scheduler, random: () => 0.5, options });
  return { scheduler, store, tracker, source, poller };
}

/** Advances the manual clock step by step, letting the async poll bodies run in between. */
async function advance(scheduler: ManualScheduler, ms: number, step = 100): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    scheduler.advance(Math.min(step, ms - t));
    await settle(3);
  }
}

describe('bulk poller', () => {
  test('polls soon after tracking, then backs off while nothing changes', async () => {
    const { scheduler, tracker, source, poller } = setup();
    source.operations.set(UUID_A, opsCounts(10, 0));
    poller.start();
    tracker.track({ uuid: UUID_A, profileId: 'p', storeCode: 'default', description: 'd' });
    await advance(scheduler, 20_000);
    // first at 500 (half the initial interval), then +1000 (first answer is a change), +2000, +4000, +8000, +8000
    assert.deepEqual(source.callsFor(UUID_A), [500, 1500, 3500, 7500, 15500]);
    poller.dispose();
  });

  test('a change resets the interval to the fast one', async () => {
    const { scheduler, tracker, source, poller } = setup();
    source.operations.set(UUID_A, opsCounts(10, 0));
    poller.start();
    tracker.track({ uuid: UUID_A, profileId: 'p', storeCode: 'default', description: 'd' });
    await advance(scheduler, 7600); // polls at 500, 1500, 3500, 7500 — next would be at 15500
    source.operations.set(UUID_A, opsCounts(10, 3));
    await advance(scheduler, 8000); // poll at 15500 sees the change
    await advance(scheduler, 1100);
    assert.deepEqual(source.callsFor(UUID_A), [500, 1500, 3500, 7500, 15500, 16500]);
    poller.dispose();
  });

  test('stops once every operation is terminal, and finished bulks cost nothing', async () => {
    const { scheduler, tracker, source, poller } = setup();
    source.operations.set(UUID_A, opsCounts(4, 2, 0, 0));
    const finished: string[] = [];
    tracker.onDidChange((e) => { if (e.kind === 'finished') finished.push(e.uuid); });
    poller.start();
    tracker.track({ uuid: UUID_A, profileId: 'p', storeCode: 'default', description: 'd' });
    await advance(scheduler, 600);
    source.operations.set(UUID_A, opsCounts(4, 3, 1));
    await advance(scheduler, 5000);
    const count = source.callsFor(UUID_A).length;
    assert.equal(count, 2);
    assert.deepEqual(finished, [UUID_A]);
    await advance(scheduler, 60_000, 1000);
    assert.equal(source.callsFor(UUID_A).length, 2);
    assert.equal(scheduler.pendingTimers, 0);
    assert.equal(poller.activeCount, 0);
    poller.dispose();
  });

  test('never has two requests in flight for one bulk, even with a manual refresh', async () => {
    const { scheduler, tracker, source, poller } = setup();
    source.operations.set(UUID_A, opsCounts(3, 0));
    poller.start();
    tracker.track({ uuid: UUID_A, profileId: 'p', storeCode: 'default', description: 'd' });
    source.hold = true;
    await advance(scheduler, 600);
    assert.equal(source.calls.length, 1);
    // The store hangs: time passes, refresh is clicked twice, still only one request.
    const a = poller.pollNow(UUID_A);
    const b = poller.pollNow(UUID_A);
    await advance(scheduler, 60_000, 1000);
    assert.equal(source.calls.length, 1);
    assert.equal(poller.inFlightCount, 1);
    source.release();
    await Promise.all([a, b]);
    await settle();
    assert.equal(poller.inFlightCount, 0);
    assert.ok(poller.nextPollAt(UUID_A) !== undefined, 'the next poll is chained after the answer');
    poller.dispose();
  });

  test('errors keep the last known state marked stale and back off; recovery clears stale', async () => {
    const { scheduler, tracker, source, poller } = setup();
    source.operations.set(UUID_A, opsCounts(4, 1));
    poller.start();
    tracker.track({ uuid: UUID_A, profileId: 'p', storeCode: 'default', description: 'd' });
    await advance(scheduler, 600); // first poll at 500 ok
    source.failWith = new BulkStatusError('connect ECONNREFUSED 127.0.0.1:1', undefined);
    await advance(scheduler, 1000); // poll at 1500 fails
    const bulk = tracker.get(UUID_A)!;
    assert.equal(bulk.stale, true);
    assert.match(bulk.staleReason ?? '', /ECONNREFUSED/);
    assert.equal(bulk.operations?.filter((o) => o.status === 1).length, 1, 'last known operations kept');
    await advance(scheduler, 40_000);
    // after the failure at 1500: +2000 (1000·2), +4000, +8000, +16000
    assert.deepEqual(source.callsFor(UUID_A), [500, 1500, 3500, 7500, 15500, 31500]);
    source.failWith = undefined;
    await advance(scheduler, 35_000);
    assert.equal(tracker.get(UUID_A)!.stale, false);
    poller.dispose();
  });

  test('404 "Bulk uuid ... not exist" marks the bulk not found and stops polling it', async () => {
    const { scheduler, tracker, source, poller } = setup();
    poller.start();
    tracker.track({ uuid: UUID_B, profileId: 'p', storeCode: 'default', description: 'd' });
    await advance(scheduler, 10_000);
    assert.equal(source.callsFor(UUID_B).length, 1);
    assert.equal(tracker.get(UUID_B)!.notFound, true);
    assert.equal(tracker.state(UUID_B)!.verdict, 'unknown');
    poller.dispose();
  });

  test('pause stops scheduling; resume polls what fell due', async () => {
    const { scheduler, tracker, source, poller } = setup();
    source.operations.set(UUID_A, opsCounts(3, 0));
    poller.start();
    tracker.track({ uuid: UUID_A, profileId: 'p', storeCode: 'default', description: 'd' });
    await advance(scheduler, 600);
    poller.pause();
    assert.equal(scheduler.pendingTimers, 0);
    await advance(scheduler, 30_000, 1000);
    assert.equal(source.calls.length, 1);
    // Tracking while paused does not poll either.
    source.operations.set(UUID_B, opsCounts(3, 0));
    tracker.track({ uuid: UUID_B, profileId: 'p', storeCode: 'default', description: 'd' });
    await advance(scheduler, 5000, 1000);
    assert.equal(source.calls.length, 1);
    poller.resume();
    await advance(scheduler, 1000);
    assert.deepEqual(source.calls.map((c) => c.uuid).sort(), [UUID_A, UUID_A, UUID_B].sort());
    poller.dispose();
  });

  test('a request in flight when the bulk is removed does not resurrect it', async () => {
    const { scheduler, tracker, source, poller } = setup();
    source.operations.set(UUID_A, opsCounts(3, 0));
    poller.start();
    tracker.track({ uuid: UUID_A, profileId: 'p', storeCode: 'default', description: 'd' });
    source.hold = true;
    await advance(scheduler, 600);
    tracker.remove(UUID_A);
    source.release();
    await settle();
    assert.equal(tracker.get(UUID_A), undefined);
    assert.equal(scheduler.pendingTimers, 0);
    poller.dispose();
  });

  test('jitter spreads the delay within ±ratio', async () => {
    const scheduler = new ManualScheduler(0);
    const tracker = new BulkTracker({ store: new MemoryStore(), clock: scheduler });
    let r = 0;
    const randoms = [0, 1, 0, 1, 0, 1];
    const calls: number[] = [];
    const poller = new BulkPoller({
      tracker, scheduler, random: () => randoms[r++ % randoms.length]!,
      options: { ...OPTIONS, jitterRatio: 0.2 },
      fetchStatus: async (b) => { calls.push(scheduler.now()); return shortStatus(b.uuid, opsCounts(2, 0)); },
    });
    poller.start();
    tracker.track({ uuid: UUID_A, profileId: 'p', storeCode: 'default', description: 'd' });
    await advance(scheduler, 4000, 50);
    // 500·0.8 = 400; then interval 1000·1.2 = 1200 → 1600; then 2000·0.8 = 1600 → 3200
    assert.deepEqual(calls, [400, 1600, 3200]);
    poller.dispose();
  });

  test('resumes polling after a reload (new tracker over the same store), slower for old quiet bulks', async () => {
    const scheduler = new ManualScheduler(0);
    const store = new MemoryStore();
    const tracker1 = new BulkTracker({ store, clock: scheduler });
    tracker1.track({ uuid: UUID_A, profileId: 'p', storeCode: 'default', description: 'd' });
    tracker1.applyStatus(UUID_A, shortStatus(UUID_A, opsCounts(5, 2)));
    await tracker1.flush();
    scheduler.advance(10 * 60_000);
    const tracker2 = new BulkTracker({ store, clock: scheduler });
    assert.deepEqual(tracker2.get(UUID_A)!.operations, tracker1.get(UUID_A)!.operations);
    const calls: number[] = [];
    const poller = new BulkPoller({
      tracker: tracker2, scheduler, random: () => 0.5, options: { ...OPTIONS, maxIntervalMs: 60_000 },
      fetchStatus: async (b) => { calls.push(scheduler.now()); return shortStatus(b.uuid, opsCounts(5, 2)); },
    });
    poller.start();
    await advance(scheduler, 1000);
    // quiet for 10 min → starting interval 60 s (a tenth, capped), which is long overdue → polled at once
    assert.equal(calls.length, 1);
    poller.dispose();
  });
});
