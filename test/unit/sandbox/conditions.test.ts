import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesCondition, sortCompare, sqlScalar } from '../../../src/sandbox/search/conditions';

describe('matchesCondition (MySQL semantics of prepareSqlCondition)', () => {
  test('NULL only matches null; every other condition is false on NULL', () => {
    for (const type of ['eq', 'neq', 'like', 'nlike', 'in', 'nin', 'gt', 'lt', 'gteq', 'lteq', 'finset', 'nfinset', 'from', 'to', 'moreq', 'bogus']) {
      assert.equal(matchesCondition(null, type, 'x'), false, type);
    }
    assert.equal(matchesCondition(null, 'null', ''), true);
    assert.equal(matchesCondition(undefined, 'notnull', ''), false);
    assert.equal(matchesCondition('', 'notnull', ''), true, 'an empty string is not NULL');
  });

  test('numbers compare numerically, text case-insensitively', () => {
    assert.equal(matchesCondition(10, 'gt', '9'), true);
    assert.equal(matchesCondition('10', 'gt', '9'), true, 'numeric-looking strings compare as numbers');
    assert.equal(matchesCondition('b', 'gt', 'A'), true);
    assert.equal(matchesCondition('Foo', 'eq', 'foo'), true);
    assert.equal(matchesCondition(5, 'eq', '5.0'), true);
    assert.equal(matchesCondition(true, 'eq', '1'), true);
  });

  test('like/nlike wildcards % and _ with escapes; full match', () => {
    assert.equal(matchesCondition('MB-00001', 'like', 'MB%'), true);
    assert.equal(matchesCondition('MB-00001', 'like', 'MB'), false);
    assert.equal(matchesCondition('MB-00001', 'like', 'MB-0000_'), true);
    assert.equal(matchesCondition('50%', 'like', '50\\%'), true);
    assert.equal(matchesCondition('500', 'like', '50\\%'), false);
    assert.equal(matchesCondition('a.b', 'like', 'a_b'), true);
    assert.equal(matchesCondition('a(b', 'like', 'a(b'), true, 'regex metacharacters are literal');
    assert.equal(matchesCondition('abc', 'nlike', '%z%'), true);
  });

  test('in/nin split on commas without trimming', () => {
    assert.equal(matchesCondition('b', 'in', 'a,b,c'), true);
    assert.equal(matchesCondition('b', 'in', 'a, b'), false);
    assert.equal(matchesCondition('d', 'nin', 'a,b,c'), true);
  });

  test('finset/nfinset on comma lists and arrays', () => {
    assert.equal(matchesCondition('8,12,14', 'finset', '12'), true);
    assert.equal(matchesCondition(['3', '13'], 'finset', '13'), true);
    assert.equal(matchesCondition('8,12', 'nfinset', '1'), true);
  });

  test('from/to are >= and <=; moreq and unknown types are equality', () => {
    assert.equal(matchesCondition(5, 'from', '5'), true);
    assert.equal(matchesCondition(5, 'to', '4'), false);
    assert.equal(matchesCondition(5, 'moreq', '6'), false, 'moreq is not >=');
    assert.equal(matchesCondition(5, 'moreq', '5'), true);
    assert.equal(matchesCondition('x', 'whatever', 'x'), true);
  });

  test('sortCompare puts NULL first and compares mixed values like MySQL', () => {
    const values: unknown[] = ['b', null, 'A', 'c'];
    assert.deepEqual([...values].sort(sortCompare), [null, 'A', 'b', 'c']);
    assert.deepEqual([10, 9, 100].sort(sortCompare), [9, 10, 100]);
    assert.equal(sqlScalar(['1', '2']), '1,2');
  });
});
