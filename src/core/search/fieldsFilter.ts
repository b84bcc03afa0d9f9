// The `fields` partial-response language (contract §5).
//
// Two readers of the same string on purpose:
// - `parseFields` is strict, for people: it stops at the first mistake and says where, because
//   Magento does not report mistakes at all — it silently answers `[]`.
// - `applyFieldsFilter` reproduces what Magento's FieldsFilter really does with a string,
//   quirks included (a stray `]` files the list under the key "", a `[` after a comma attaches
//   to the previous name), so the sandbox store and previews answer exactly like a store.

/** A selected field: a name alone keeps the whole value; `children` projects inside it. */
export interface FieldsNode {
  name: string;
  children?: FieldsNode[];
}
export type FieldsTree = FieldsNode[];

export type ParseFieldsResult =
  | { ok: true; tree: FieldsTree }
  | { ok: false; error: string; position?: number };

const NAME_CHAR = /[A-Za-z0-9_]/;
const ALLOWED = /^[A-Za-z0-9_[\],]*$/;
const WHY_EMPTY = 'Magento would answer with an empty body ([]).';
/** Deeper selections are refused so the recursive tree walkers cannot overflow the stack. */
export const MAX_FIELDS_DEPTH = 256;

function describeChar(ch: string): string {
  if (ch === ' ') return 'a space';
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `"${ch}"`;
}

interface Builder {
  entries: Map<string, Builder | true>;
}

function toTree(builder: Builder): FieldsTree {
  return [...builder.entries].map(([name, value]) => (value === true ? { name } : { name, children: toTree(value) }));
}

/**
 * Parses a `fields` string strictly (grammar §5.1). Empty items (`a,,b`, trailing commas) are
 * accepted as Magento does; a repeated name keeps its first position and its last selection, as
 * PHP array assignment does. An empty string parses to an empty tree (no filtering).
 */
export function parseFields(spec: string): ParseFieldsResult {
  if (!ALLOWED.test(spec)) {
    let position = 0;
    for (const ch of spec) {
      if (!NAME_CHAR.test(ch) && ch !== '[' && ch !== ']' && ch !== ',') {
        return {
          ok: false,
          position,
          error: `${describeChar(ch)} at position ${position} is not allowed: only letters, digits, "_", "[", "]" and "," are. ${WHY_EMPTY}`,
        };
      }
      position += ch.length;
    }
  }
  const root: Builder = { entries: new Map() };
  const stack: { builder: Builder; name: string; openAt: number }[] = [];
  let current = root;
  let nameStart = -1;
  let lastName: string | undefined;
  const flushName = (end: number): void => {
    if (nameStart >= 0) {
      lastName = spec.slice(nameStart, end);
      current.entries.set(lastName, true);
      nameStart = -1;
    } else {
      lastName = undefined;
    }
  };
  for (let i = 0; i < spec.length; i++) {
    const ch = spec[i]!;
    if (ch === '[') {
      const hadName = nameStart >= 0;
      flushName(i);
      if (!hadName || lastName === undefined) {
        return { ok: false, position: i, error: `"[" at position ${i} has no field name before it (write name[...]). ${WHY_EMPTY}` };
      }
      if (stack.length >= MAX_FIELDS_DEPTH) {
        return { ok: false, position: i, error: `"[" at position ${i} nests deeper than ${MAX_FIELDS_DEPTH} levels; no Magento response is that deep.` };
      }
      stack.push({ builder: current, name: lastName, openAt: i });
      current = { entries: new Map() };
    } else if (ch === ']') {
      flushName(i);
      const frame = stack.pop();
      if (!frame) {
        return { ok: false, position: i, error: `"]" at position ${i} closes nothing. Magento would file the part before it under an empty name and drop it.` };
      }
      frame.builder.entries.set(frame.name, current);
      current = frame.builder;
      // After `]` only `,`, `]` or the end may follow; a name right after is a missing comma.
      const next = spec[i + 1];
      if (next !== undefined && NAME_CHAR.test(next)) {
        return { ok: false, position: i + 1, error: `A "," is missing at position ${i + 1}, after "]".` };
      }
    } else if (ch === ',') {
      flushName(i);
    } else if (nameStart < 0) {
      nameStart = i;
    }
  }
  flushName(spec.length);
  const unclosed = stack.pop();
  if (unclosed) {
    return { ok: false, position: unclosed.openAt, error: `"[" at position ${unclosed.openAt} (after "${unclosed.name}") is never closed. ${WHY_EMPTY}` };
  }
  return { ok: true, tree: toTree(root) };
}

/** Writes a tree back as a `fields` string (`items[sku,name],total_count`). */
export function formatFields(tree: FieldsTree): string {
  return tree.map((node) => (node.children ? `${node.name}[${formatFields(node.children)}]` : node.name)).join(',');
}

/** What the UI needs to know about a known field to warn about unknown names. */
export interface FieldsSchemaNode {
  name: string;
  children?: readonly FieldsSchemaNode[];
  /** A `custom_attributes` list: names inside its brackets are attribute codes, not properties. */
  isCustomAttributes?: boolean;
}

export interface FieldsValidation {
  /** False when the parameter is empty or "0": Magento does not filter at all. */
  filtering: boolean;
  /** Magento would answer `[]` whatever the response (the string is invalid for it). */
  emptyResponse: boolean;
  /** Why, when emptyResponse (or a stray `]`) — with the position of the mistake. */
  error?: string;
  position?: number;
  warnings: string[];
  tree?: FieldsTree;
}

/**
 * Tells what Magento would do with a `fields` value: no filtering, `[]`, or a projection — and
 * warns about names the response definition does not have (Magento ignores them silently).
 */
export function validateFields(spec: string, known?: readonly FieldsSchemaNode[]): FieldsValidation {
  if (spec === '' || spec === '0') {
    return { filtering: false, emptyResponse: false, warnings: [spec === '0' ? '"0" is falsy in PHP: Magento does not filter and returns the full response.' : ''].filter(Boolean) };
  }
  const parsed = parseFields(spec);
  if (!parsed.ok) {
    // A stray `]` does not make Magento answer `[]`; everything else does.
    const magentoTree = parseFieldsLikeMagento(spec);
    return {
      filtering: true,
      emptyResponse: magentoTree === null,
      error: parsed.error,
      ...(parsed.position !== undefined ? { position: parsed.position } : {}),
      warnings: [],
    };
  }
  const warnings: string[] = [];
  const walk = (nodes: FieldsTree, schema: readonly FieldsSchemaNode[] | undefined, path: string, inCustomAttributes: boolean): void => {
    for (const node of nodes) {
      const label = path ? `${path}[${node.name}]` : node.name;
      if (node.children && node.children.length === 0) {
        warnings.push(`"${label}[]" selects nothing inside ${node.name}: Magento returns it empty.`);
      }
      if (inCustomAttributes || !schema) continue;
      const match = schema.find((candidate) => candidate.name === node.name);
      if (!match) {
        warnings.push(`"${node.name}" is not a field of ${path || 'the response'}: Magento ignores it.`);
        continue;
      }
      if (node.children) walk(node.children, match.children, label, match.isCustomAttributes === true);
    }
  };
  walk(parsed.tree, known, '', false);
  const matchesSomething = !known || parsed.tree.some((node) => known.some((candidate) => candidate.name === node.name));
  if (known && parsed.tree.length > 0 && !matchesSomething) {
    warnings.push('No selected name exists at the top level of the response: Magento would answer [].');
  }
  return { filtering: true, emptyResponse: parsed.tree.length === 0, warnings, tree: parsed.tree };
}

// ---------------------------------------------------------------------------------------------
// Magento's exact behaviour.

/** A parsed filter as Magento holds it: an ordered PHP array of name → 1 | nested filter. */
export type MagentoFieldsFilter = Map<string, MagentoFieldsFilter | 1>;

/**
 * FieldsFilter::parse as Magento runs it; null when Magento considers the string invalid
 * (disallowed character, empty string, unclosed `[`).
 */
export function parseFieldsLikeMagento(spec: string): MagentoFieldsFilter | null {
  // PCRE `\w` without the u flag: ASCII letters, digits and `_`. Checked on UTF-8 bytes in PHP,
  // which only matters for the answer "invalid", the same for any non-ASCII character.
  if (spec.length === 0 || !ALLOWED.test(spec)) return null;
  let current: MagentoFieldsFilter = new Map();
  const stack: MagentoFieldsFilter[] = [];
  const parents: (string | null)[] = [];
  let start: number | null = null;
  let currentElement: string | null = null;
  for (let position = 0; position < spec.length; position++) {
    const ch = spec[position]!;
    if (ch === '[' || ch === ']' || ch === ',') {
      if (start !== null) {
        currentElement = spec.slice(start, position);
        current.set(currentElement, 1);
      }
      start = null;
    }
    if (ch === '[') {
      // The parent is the last name read anywhere before, not necessarily right before the `[`.
      parents.push(currentElement);
      stack.push(current);
      current = new Map();
    } else if (ch === ']') {
      const temp = current;
      // array_pop on an empty stack gives null, and `$null[key] = ...` creates a new array.
      current = stack.pop() ?? new Map();
      // A null key is the empty string key in PHP.
      current.set(parents.pop() ?? '', temp);
    } else if (ch !== ',' && start === null) {
      start = position;
    }
  }
  if (stack.length > 0) return null;
  if (start !== null) current.set(spec.slice(start), 1);
  return current;
}

/** Thrown where PHP itself fails (a TypeError in FieldsFilter): the store answers 500. */
export class FieldsFilterInternalError extends Error {
  constructor(detail: string) {
    super(`FieldsFilter would fail with a PHP TypeError: ${detail}. The store answers 500 "Internal Error".`);
    this.name = 'FieldsFilterInternalError';
  }
}

type Json = unknown;
type PhpEntries = [string, Json][];

function isArrayLike(value: Json): value is Record<string, Json> | Json[] {
  return typeof value === 'object' && value !== null;
}

function entriesOf(value: Record<string, Json> | Json[]): PhpEntries {
  return Array.isArray(value) ? value.map((item, index) => [String(index), item]) : Object.entries(value);
}

/** A PHP array with no string keys is a "sequential" one for FieldsFilter (is_string on keys). */
function hasOnlyIntegerKeys(entries: PhpEntries): boolean {
  return entries.every(([key]) => /^(0|-?[1-9][0-9]*)$/.test(key));
}

/** How json_encode renders a PHP array: a list when keys are 0..n-1 in order, else an object. */
function renderPhpArray(entries: PhpEntries): Json {
  if (entries.every(([key], index) => key === String(index))) return entries.map(([, value]) => value);
  const out: Record<string, Json> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function applyFilter(response: Record<string, Json> | Json[], filter: MagentoFieldsFilter): Json {
  const entries = entriesOf(response);
  if (hasOnlyIntegerKeys(entries)) {
    // A collection: the filter applies to each item. An empty one yields null (never assigned).
    if (entries.length === 0) return null;
    return renderPhpArray(entries.map(([key, item]) => [key, recursiveIntersect(item, filter)]));
  }
  return recursiveIntersect(response, filter);
}

function recursiveIntersect(value: Json, filter: MagentoFieldsFilter): Json {
  if (!isArrayLike(value)) {
    throw new FieldsFilterInternalError(`recursiveArrayIntersectKey() expects an array, got ${value === null ? 'null' : typeof value}`);
  }
  const kept: PhpEntries = [];
  for (const [key, item] of entriesOf(value)) {
    const selection = filter.get(key);
    if (selection === undefined) continue;
    if (key === 'custom_attributes' && selection instanceof Map) {
      kept.push([key, filterCustomAttributes(item, selection)]);
    } else if (isArrayLike(item) && selection instanceof Map) {
      kept.push([key, applyFilter(item, selection)]);
    } else {
      kept.push([key, item]);
    }
  }
  return renderPhpArray(kept);
}

function field(entry: Json, key: string): Json {
  return isArrayLike(entry) && !Array.isArray(entry) ? entry[key] ?? null : null;
}

function filterCustomAttributes(value: Json, filter: MagentoFieldsFilter): Json {
  if (!isArrayLike(value)) {
    throw new FieldsFilterInternalError(`filterCustomAttributes() expects an array, got ${value === null ? 'null' : typeof value}`);
  }
  const result: PhpEntries = [];
  for (const [key, entry] of entriesOf(value)) {
    const code = field(entry, 'attribute_code');
    if (code !== null && filter.has(String(code))) {
      result.push([key, { attribute_code: code, value: field(entry, 'value') }]);
      continue;
    }
    const projected: Record<string, Json> = {};
    if (filter.has('attribute_code')) projected['attribute_code'] = code;
    if (filter.has('value')) projected['value'] = field(entry, 'value');
    if (Object.keys(projected).length > 0) result.push([key, projected]);
  }
  return renderPhpArray(result);
}

/**
 * Applies a `fields` parameter to a decoded response exactly as Magento does (§5.2):
 * - falsy parameter (absent, "", "0") or a scalar response → unchanged;
 * - a non-string parameter (e.g. `fields[]=a` gave an array) or an invalid string → `[]`;
 * - otherwise projection in response key order, lists broadcast, `null` for a bracketed filter
 *   over an empty list, the `custom_attributes` rule.
 * Throws FieldsFilterInternalError where PHP would hit a TypeError (a bracketed filter over a
 * list of scalars).
 */
export function applyFieldsFilter(response: unknown, spec: unknown): unknown {
  if (spec === undefined || spec === null || spec === '' || spec === '0' || spec === false) return response;
  if (!isArrayLike(response)) return response;
  if (typeof spec !== 'string') return [];
  const filter = parseFieldsLikeMagento(spec);
  if (filter === null) return [];
  try {
    return applyFilter(response, filter);
  } catch (error) {
    // A selection and a response both nested thousands of levels deep exhaust the stack (PHP's
    // recursion would crash the store the same way): report it as the store's failure, not ours.
    if (error instanceof RangeError) throw new FieldsFilterInternalError('the selection and the response nest too deep to apply (stack exhausted)');
    throw error;
  }
}
