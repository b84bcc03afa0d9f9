import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualScheduler } from '../../src/core/ports';

test('ManualScheduler fires due timers in order and only when advanced', () => {
  const s = new ManualScheduler(1000);
  const fired: string[] = [];
  s.setTimeout(() => fired.push('b'), 200);
  s.setTimeout(() => fired.push('a'), 100);
  const c = s.setTimeout(() => fired.push('c'), 150);
  c.cancel();
  s.advance(99);
  assert.deepEqual(fired, []);
  s.advance(200);
  assert.deepEqual(fired, ['a', 'b']);
  assert.equal(s.now(), 1299);
});

test('ManualScheduler fires timers scheduled by other timers when they fall due', () => {
  const s = new ManualScheduler(0);
  const fired: number[] = [];
  s.setTimeout(() => {
    fired.push(s.now());
    s.setTimeout(() => fired.push(s.now()), 50);
  }, 10);
  s.advance(100);
  assert.deepEqual(fired, [10, 60]);
  assert.equal(s.pendingTimers, 0);
});
