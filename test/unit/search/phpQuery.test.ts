import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  PHP_DEFAULT_MAX_INPUT_VARS,
  countQueryVariables,
  encodePhpQuery,
  encodeRfc3986,
  isPhpIntegerKey,
  parsePhpQuery,
  parsePhpQueryOrdered,
  phpUrlDecode,
  type PhpArray,
} from '../../../src/core/search/phpQuery';

describe('phpUrlDecode (PHP urldecode)', () => {
  test('plus is a space, %XX is a byte, UTF-8 is reassembled', () => {
    assert.equal(phpUrlDecode('a+b%20c'), 'a b c');
    assert.equal(phpUrlDecode('%C3%A9t%C3%A9'), 'été');
    assert.equal(phpUrlDecode('%F0%9F%98%80'), '😀');
  });
  test('bad escapes are kept literally, as PHP does', () => {
    assert.equal(phpUrlDecode('100%'), '100%');
    assert.equal(phpUrlDecode('%zz%4'), '%zz%4');
    assert.equal(phpUrlDecode('%%41'), '%A');
    assert.equal(phpUrlDecode('%2'), '%2');
  });
  test('invalid UTF-8 bytes become U+FFFD instead of failing', () => {
    assert.equal(phpUrlDecode('a%FFb'), 'a\uFFFDb');
  });
});

describe('parsePhpQuery', () => {
  test('nested brackets build nested objects with string keys', () => {
    assert.deepEqual(parsePhpQuery('a[b][0][c]=v'), { a: { b: { '0': { c: 'v' } } } });
  });
  test('`[]` appends after the largest integer key', () => {
    assert.deepEqual(parsePhpQuery('a[]=x&a[]=y'), { a: { '0': 'x', '1': 'y' } });
    assert.deepEqual(parsePhpQuery('a[5]=x&a[]=y&a[k]=z&a[]=w'), { a: { '5': 'x', '6': 'y', k: 'z', '7': 'w' } });
  });
  test('the last value wins for a repeated scalar key, keeping its first position', () => {
    const ordered = parsePhpQueryOrdered('x=1&y=2&x=3');
    assert.deepEqual([...ordered.entries()], [['x', '3'], ['y', '2']]);
  });
  test('insertion order is kept for integer keys (PHP arrays are ordered)', () => {
    const ordered = parsePhpQueryOrdered('g[5]=a&g[1]=b&g[3]=c');
    const g = ordered.get('g') as PhpArray;
    assert.deepEqual([...g.keys()], ['5', '1', '3']);
  });
  test('a nested key replaces an earlier scalar and vice versa', () => {
    assert.deepEqual(parsePhpQuery('a=1&a[b]=2'), { a: { b: '2' } });
    assert.deepEqual(parsePhpQuery('a[b]=2&a=1'), { a: '1' });
  });
  test('name mangling: leading spaces dropped, dots and spaces become _ in the base name only', () => {
    assert.deepEqual(parsePhpQuery('%20%20a.b%20c=1'), { a_b_c: '1' });
    assert.deepEqual(parsePhpQuery('a.b[c.d]=1'), { a_b: { 'c.d': '1' } });
  });
  test('an unterminated bracket is part of the name; after an index the rest is ignored', () => {
    assert.deepEqual(parsePhpQuery('a[b=1'), { a_b: '1' });
    assert.deepEqual(parsePhpQuery('a[b][c=1'), { a: { b: '1' } });
    assert.deepEqual(parsePhpQuery('a[b]junk[c]=1'), { a: { b: '1' } });
  });
  test('empty names are dropped; missing `=` gives an empty value', () => {
    assert.deepEqual(parsePhpQuery('=1&[a]=2&flag&&b='), { flag: '', b: '' });
  });
  test('encoded brackets in the name still nest (PHP decodes before reading brackets)', () => {
    assert.deepEqual(parsePhpQuery('a%5Bb%5D=1'), { a: { b: '1' } });
  });
  test('leading ? is ignored; + in values is a space, %2B a plus', () => {
    assert.deepEqual(parsePhpQuery('?q=a+b%2Bc'), { q: 'a b+c' });
  });
  test('nesting deeper than max_input_nesting_level drops the variable', () => {
    const deep = 'a' + '[x]'.repeat(64) + '=1';
    assert.deepEqual(parsePhpQuery(deep + '&b=2'), { b: '2' });
    const ok = 'a' + '[x]'.repeat(63) + '=1';
    assert.ok('a' in parsePhpQuery(ok));
  });
  test('a __proto__ key stays an ordinary data key', () => {
    const parsed = parsePhpQuery('__proto__[polluted]=1&a[__proto__][x]=2');
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
    assert.deepEqual(Object.keys(parsed), ['__proto__', 'a']);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });
  test('max_input_vars: variables past the limit are dropped, as PHP does', () => {
    const query = Array.from({ length: 1005 }, (_, i) => `v${i}=${i}`).join('&');
    assert.equal(countQueryVariables(query + '&&'), 1005);
    const parsed = parsePhpQuery(query, { maxInputVars: PHP_DEFAULT_MAX_INPUT_VARS });
    assert.equal(Object.keys(parsed).length, 1000);
    assert.equal(parsed['v999'], '999');
    assert.equal(parsed['v1000'], undefined);
    assert.equal(Object.keys(parsePhpQuery(query)).length, 1005);
  });
  test('integer-key detection follows PHP', () => {
    assert.ok(isPhpIntegerKey('0'));
    assert.ok(isPhpIntegerKey('-5'));
    assert.ok(!isPhpIntegerKey('01'));
    assert.ok(!isPhpIntegerKey('-0'));
    assert.ok(!isPhpIntegerKey('99999999999999999999'));
  });
});

describe('encodePhpQuery', () => {
  test('RFC 3986: spaces as %20, reserved characters encoded, brackets encoded by default', () => {
    assert.equal(encodePhpQuery({ q: "a b!'()*" }), "q=a%20b%21%27%28%29%2A");
    assert.equal(encodePhpQuery({ a: { b: ['x'] } }), 'a%5Bb%5D%5B0%5D=x');
  });
  test('readable brackets for display', () => {
    assert.equal(encodePhpQuery({ a: { b: 'x,y' } }, { brackets: 'readable' }), 'a[b]=x,y');
  });
  test('booleans become 1/0, null is skipped', () => {
    assert.equal(encodePhpQuery({ t: true, f: false, n: null }), 't=1&f=0');
  });
  test('keys with brackets are rejected with a reason', () => {
    assert.throws(() => encodePhpQuery({ a: { 'b[c': 'x' } }), /bracket/);
    assert.throws(() => encodePhpQuery({ '': 'x' }), /empty/);
  });
  test('an ordered PhpArray keeps its order when encoded', () => {
    const ordered = parsePhpQueryOrdered('g[5]=a&g[1]=b');
    assert.equal(encodePhpQuery(ordered, { brackets: 'readable' }), 'g[5]=a&g[1]=b');
  });
  test('encodeRfc3986 leaves only unreserved characters', () => {
    assert.equal(encodeRfc3986('AZaz09-._~'), 'AZaz09-._~');
    assert.equal(encodeRfc3986('[]&=+%'), '%5B%5D%26%3D%2B%25');
  });
});

// Odd characters that must survive a trip through the query string.
const oddPiece = fc.constantFrom('&', '%', '[', ']', '=', '+', ' ', '#', '?', ',', '%zz', '%41', 'é', '日本', '😀', '\u00a0', '"', "'");
const oddText = fc.array(fc.oneof(oddPiece, fc.string({ maxLength: 4 })), { maxLength: 6 }).map((parts) => parts.join(''));
const segmentKey = fc.oneof(fc.string({ minLength: 1, maxLength: 6 }), oddText).filter((key) => key.length > 0 && !key.includes('[') && !key.includes(']'));
// Top-level names are mangled by PHP (leading spaces, dots, spaces), so keep them plain.
const topKey = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);

// fast-check builds null-prototype objects; compare with ordinary ones (JSON keeps `__proto__` as data).
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

type Tree = { [key: string]: string | Tree };
const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.dictionary(segmentKey, fc.oneof({ depthSize: 'small' }, oddText, tie('node')), { minKeys: 1, maxKeys: 4 }),
})).node;

describe('round trips (property-based)', () => {
  for (const brackets of ['encoded', 'readable'] as const) {
    test(`parse(encode(x)) == x with ${brackets} brackets`, () => {
      fc.assert(
        fc.property(fc.dictionary(topKey, fc.oneof(oddText, tree), { minKeys: 1, maxKeys: 4 }), (value) => {
          const query = encodePhpQuery(value, { brackets });
          assert.deepEqual(parsePhpQuery(query), plain(value));
        }),
        { numRuns: 300 },
      );
    });
  }
  test('decoding never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.string(), (text) => {
      parsePhpQuery(text);
    }), { numRuns: 500 });
  });
});
