import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualScheduler, type KeyValueStore } from '../../../src/core/ports';
import { RequestHistory } from '../../../src/core/history/requestHistory';
import { emptyDraft, type RequestDraft } from '../../../src/protocol/requestBuilderProtocol';

class MapStore implements KeyValueStore {
  readonly map = new Map<string, unknown>();
  get<T>(key: string): T | undefined { return this.map.get(key) as T | undefined; }
  async update(key: string, value: unknown): Promise<void> { this.map.set(key, structuredClone(value)); }
}

const draft = (path: string, body = ''): RequestDraft => ({ ...emptyDraft(), pathTemplate: path, body, profileId: 'p1' });

describe('request history', () => {
  test('keeps the newest entries per profile, capped', async () => {
    const clock = new ManualScheduler();
    const history = new RequestHistory(new MapStore(), clock, { maxEntriesPerProfile: 3 });
    for (let i = 0; i < 5; i++) { await history.add('p1', draft(`/V1/p${i}`)); clock.advance(1000); }
    await history.add('p2', draft('/V1/other'));
    const list = history.list('p1');
    assert.deepEqual(list.map((e) => e.draft.pathTemplate), ['/V1/p4', '/V1/p3', '/V1/p2']);
    assert.equal(history.list('p2').length, 1);
  });

  test('does not keep bodies beyond the size cap and masks secrets in kept ones', async () => {
    const store = new MapStore();
    const history = new RequestHistory(store, new ManualScheduler(), { maxBodyChars: 100 });
    const big = await history.add('p1', draft('/V1/products', JSON.stringify({ product: { description: 'x'.repeat(500) } })));
    assert.equal(big.draft.body, '');
    assert.ok((big.bodyOmittedChars ?? 0) > 500);
    const token = await history.add('p1', draft('/V1/integration/admin/token', '{"username":"admin","password":"hunter22"}'));
    assert.ok(!token.draft.body.includes('hunter22'));
    assert.ok(!JSON.stringify([...store.map.values()]).includes('hunter22'));
  });

  test('sending the same request again moves it to the top instead of duplicating it', async () => {
    const clock = new ManualScheduler();
    const history = new RequestHistory(new MapStore(), clock);
    await history.add('p1', draft('/V1/a'));
    await history.add('p1', draft('/V1/b'));
    await history.add('p1', draft('/V1/a'), { status: 200, timeMs: 12.6 });
    const list = history.list('p1');
    assert.deepEqual(list.map((e) => e.draft.pathTemplate), ['/V1/a', '/V1/b']);
    assert.equal(list[0]?.status, 200);
    assert.equal(list[0]?.timeMs, 13);
    assert.equal(history.find('p1', list[1]!.id)?.draft.pathTemplate, '/V1/b');
  });

  test('skips stored entries that no longer validate, and clears', async () => {
    const store = new MapStore();
    store.map.set('magentoWorkbench.requestHistory.p1', [{ bogus: true }, 'x']);
    const history = new RequestHistory(store, new ManualScheduler());
    assert.deepEqual(history.list('p1'), []);
    await history.add('p1', draft('/V1/a'));
    assert.equal(history.list('p1').length, 1);
    await history.clear('p1');
    assert.deepEqual(history.list('p1'), []);
  });
});
