// PHP-style query strings: what `$_GET` / `parse_str()` make of `a[b][0][c]=v`, and the reverse.
//
// Magento never sees the raw query string: PHP has already turned it into nested arrays
// (main/php_variables.c: php_default_treat_data + php_register_variable_ex). Reproducing that
// exactly is what lets the request builder show what the store will really receive, and lets
// the sandbox store bind `searchCriteria[...]` the way Magento does.
//
// Two result shapes:
// - `parsePhpQueryOrdered` returns `PhpArray` (a Map): PHP arrays keep insertion order even for
//   integer keys (`filter_groups[5]` before `filter_groups[1]` iterates 5 then 1), which a plain
//   JS object cannot do (it lists integer-like keys first, ascending).
// - `parsePhpQuery` returns plain objects for convenience (integer-like keys reordered by JS).

/** A PHP array as PHP sees it: ordered keys (always strings here), values are strings or arrays. */
export type PhpArray = Map<string, PhpValue>;
export type PhpValue = string | PhpArray;

/** PHP's `max_input_nesting_level` default: deeper variables are dropped entirely. */
export const PHP_MAX_INPUT_NESTING_LEVEL = 64;

/**
 * PHP's `max_input_vars` default: variables after the 1000th are dropped with a warning that
 * the client never sees — a very long searchCriteria silently loses its tail.
 */
export const PHP_DEFAULT_MAX_INPUT_VARS = 1000;

export interface ParseOptions {
  /** Stop after this many variables, like PHP's `max_input_vars` (default: no limit). */
  maxInputVars?: number;
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: false });
const utf8Encoder = new TextEncoder();

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10;
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
  return -1;
}

/**
 * PHP's `urldecode()`: `+` is a space, `%XX` is a byte, and a `%` not followed by two hex
 * digits is kept literally (PHP never rejects a bad escape). Bytes are then read as UTF-8;
 * sequences that are not valid UTF-8 become U+FFFD since a JS string cannot hold raw bytes.
 */
export function phpUrlDecode(input: string): string {
  if (!input.includes('%') && !input.includes('+')) return input;
  const source = utf8Encoder.encode(input);
  const out = new Uint8Array(source.length);
  let n = 0;
  for (let i = 0; i < source.length; i++) {
    const byte = source[i]!;
    if (byte === 0x2b /* + */) {
      out[n++] = 0x20;
    } else if (byte === 0x25 /* % */ && i + 2 < source.length) {
      const hi = hexValue(source[i + 1]!);
      const lo = hexValue(source[i + 2]!);
      if (hi >= 0 && lo >= 0) {
        out[n++] = hi * 16 + lo;
        i += 2;
      } else {
        out[n++] = byte;
      }
    } else {
      out[n++] = byte;
    }
  }
  return utf8Decoder.decode(out.subarray(0, n));
}

/** PHP turns a string key that looks like a canonical decimal integer into an integer key. */
export function isPhpIntegerKey(key: string): boolean {
  if (!/^(0|-?[1-9][0-9]*)$/.test(key)) return false;
  // Beyond the 64-bit range PHP keeps the key as a string.
  const big = BigInt(key);
  return big <= 9223372036854775807n && big >= -9223372036854775808n;
}

/** The key `$a[] = v` would use: one more than the largest integer key, 0 when there is none. */
function nextFreeIndex(array: PhpArray): string {
  let max: bigint | undefined;
  for (const key of array.keys()) {
    if (isPhpIntegerKey(key)) {
      const value = BigInt(key);
      if (max === undefined || value > max) max = value;
    }
  }
  return max === undefined ? '0' : (max + 1n).toString();
}

/** The variable name split into its base and bracket segments (`undefined` segment = `[]`). */
interface ParsedVariableName {
  base: string;
  segments: (string | undefined)[];
}

/**
 * php_register_variable_ex's name handling: leading spaces dropped; in the base name ` ` and `.`
 * become `_`; a `[` opens an index up to the next `]`; after a `]` anything not starting with `[`
 * is ignored; a `[` without a closing `]` is not an index: it becomes `_` and the rest is part of
 * the base name (PHP 8 behaviour). Returns undefined when PHP would drop the variable.
 */
function parseVariableName(rawName: string): ParsedVariableName | undefined {
  const name = rawName.replace(/^ +/, '');
  const open = name.indexOf('[');
  // Only the part before the first `[` is mangled (PHP 8 leaves the rest alone).
  const mangle = (text: string): string => text.replace(/[ .]/g, '_');
  let base = mangle(open >= 0 ? name.slice(0, open) : name);
  // An empty name before the first `[` (or an empty name at all) drops the variable.
  if (base.length === 0) return undefined;
  const segments: (string | undefined)[] = [];
  if (open >= 0) {
    let position = open;
    for (;;) {
      // `position` is at a `[`.
      const close = name.indexOf(']', position + 1);
      if (close < 0) {
        // Not an index after all: as the first bracket, the `[` becomes `_` and the rest is part
        // of the base name; after indices were read, PHP stops at the unterminated part.
        if (segments.length === 0) base = base + '_' + name.slice(position + 1);
        break;
      }
      segments.push(close === position + 1 ? undefined : name.slice(position + 1, close));
      if (name[close + 1] !== '[') break;
      position = close + 1;
    }
  }
  if (base.length === 0) return undefined;
  if (segments.length + 1 > PHP_MAX_INPUT_NESTING_LEVEL) return undefined;
  return { base, segments };
}

function assign(target: PhpArray, path: ParsedVariableName, value: string): void {
  const keys: (string | undefined)[] = [path.base, ...path.segments];
  let current = target;
  for (let i = 0; i < keys.length; i++) {
    const isLast = i === keys.length - 1;
    const key = keys[i] ?? nextFreeIndex(current);
    if (isLast) {
      // A scalar overwrites whatever was there (last value wins), keeping the key's position.
      current.set(key, value);
      return;
    }
    const existing = current.get(key);
    if (existing instanceof Map) {
      current = existing;
    } else {
      // A nested key over a scalar replaces the scalar with an array, as PHP does.
      const created: PhpArray = new Map();
      current.set(key, created);
      current = created;
    }
  }
}

/** Parses a query string (with or without the leading `?`) the way PHP fills `$_GET`, in order. */
export function parsePhpQueryOrdered(query: string, options: ParseOptions = {}): PhpArray {
  const result: PhpArray = new Map();
  const text = query.startsWith('?') ? query.slice(1) : query;
  if (text.length === 0) return result;
  const limit = options.maxInputVars ?? Number.POSITIVE_INFINITY;
  let count = 0;
  for (const pair of text.split('&')) {
    if (pair.length === 0) continue;
    if (++count > limit) break;
    const eq = pair.indexOf('=');
    const rawName = eq >= 0 ? pair.slice(0, eq) : pair;
    const rawValue = eq >= 0 ? pair.slice(eq + 1) : '';
    const parsedName = parseVariableName(phpUrlDecode(rawName));
    if (!parsedName) continue;
    assign(result, parsedName, phpUrlDecode(rawValue));
  }
  return result;
}

/** Converts an ordered PHP array into plain objects (JS lists integer-like keys first). */
export function phpArrayToObject(array: PhpArray): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of array) {
    // defineProperty: a `__proto__` key from a query must stay data, never a prototype.
    Object.defineProperty(out, key, {
      value: value instanceof Map ? phpArrayToObject(value) : value,
      enumerable: true, writable: true, configurable: true,
    });
  }
  return out;
}

/** Parses like PHP's `parse_str()` into nested plain objects; keys are strings. */
export function parsePhpQuery(query: string, options: ParseOptions = {}): Record<string, unknown> {
  return phpArrayToObject(parsePhpQueryOrdered(query, options));
}

/** How many variables PHP counts in a query (non-empty `&`-separated pairs), for max_input_vars warnings. */
export function countQueryVariables(query: string): number {
  const text = query.startsWith('?') ? query.slice(1) : query;
  return text.split('&').filter((pair) => pair.length > 0).length;
}

export interface EncodeOptions {
  /**
   * `encoded` (default): `[` and `]` are percent-encoded as RFC 3986 requires in a query.
   * `readable`: brackets (and commas) are left as typed, for display; PHP decodes both forms
   * identically because it decodes the name before reading brackets.
   */
  brackets?: 'encoded' | 'readable';
}

/** RFC 3986 percent-encoding of everything but unreserved characters. */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (ch) => '%' + ch.charCodeAt(0).toString(16).toUpperCase());
}

function encodeComponent(text: string, options: EncodeOptions | undefined): string {
  const encoded = encodeRfc3986(text);
  if (options?.brackets !== 'readable') return encoded;
  return encoded.replace(/%5B/g, '[').replace(/%5D/g, ']').replace(/%2C/g, ',');
}

/** Encodes one `key=value` pair, the key already holding its `[...]` segments. */
export function encodePhpQueryPair(key: string, value: string, options?: EncodeOptions): string {
  return `${encodeComponent(key, options)}=${encodeComponent(value, options)}`;
}

type Encodable = PhpArray | Record<string, unknown> | readonly unknown[];

function scalarText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined; // http_build_query skips nulls
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  return undefined;
}

function entriesOf(value: Encodable): [string, unknown][] {
  if (value instanceof Map) return [...value.entries()];
  if (Array.isArray(value)) return value.map((item, index) => [String(index), item] as [string, unknown]);
  return Object.entries(value);
}

function isEncodable(value: unknown): value is Encodable {
  return value instanceof Map || Array.isArray(value) || (typeof value === 'object' && value !== null);
}

/**
 * The reverse of `parsePhpQuery`: nested objects, arrays and `PhpArray` maps become
 * `a[b][0][c]=v` pairs (like `http_build_query`, but RFC 3986: spaces are `%20`).
 * Booleans become `1`/`0`; null/undefined are skipped. A key containing `[` or `]` cannot
 * survive PHP's parsing whatever the encoding, so such keys are rejected.
 */
export function encodePhpQuery(value: Encodable, options?: EncodeOptions): string {
  const pairs: string[] = [];
  const walk = (prefix: string, node: unknown): void => {
    if (isEncodable(node)) {
      for (const [key, child] of entriesOf(node)) walk(`${prefix}[${checkKey(key)}]`, child);
      return;
    }
    const text = scalarText(node);
    if (text !== undefined) pairs.push(encodePhpQueryPair(prefix, text, options));
  };
  for (const [key, child] of entriesOf(value)) {
    if (key.length === 0) throw new RangeError('A top-level query key cannot be empty: PHP drops such a variable.');
    walk(checkKey(key), child);
  }
  return pairs.join('&');
}

function checkKey(key: string): string {
  if (key.includes('[') || key.includes(']')) {
    throw new RangeError(`Query key "${key}" contains a bracket: PHP would read it as nesting, so it cannot be sent.`);
  }
  return key;
}
