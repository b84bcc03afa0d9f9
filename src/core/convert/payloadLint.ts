// Payload lint for async/bulk items, run before anything is sent. A bulk request is validated
// item by item *synchronously* by Magento (contract §6.1): one structurally bad item fails the
// whole request with a 400 and no bulk is created, so catching it here saves a round trip and
// tells the user which item is wrong. Business rules (duplicate e-mail, ...) stay Magento's.
//
// Severity: `error` = Magento would reject the request or silently ignore the value the user
// meant to send; `warning` = probably a mistake, but Magento accepts it.
import { type JsonSchemaNode } from './routeCatalog';

export type LintCode =
  | 'not-an-object'
  | 'key-case'
  | 'missing-wrapper'
  | 'missing-required'
  | 'unknown-key'
  | 'wrong-type'
  | 'duplicate-item'
  | 'missing-path-value'
  | 'path-value-conflict'
  | 'batch-over-limit'
  | 'too-many-issues';

export interface LintIssue {
  severity: 'error' | 'warning';
  code: LintCode;
  /** 0-based item index, when the issue is about one item. */
  itemIndex?: number;
  /** Dotted location inside the item, e.g. `product.custom_attributes[2].value`. */
  location?: string;
  message: string;
}

export interface LintOptions {
  /** The route's body (wrapper) schema, e.g. `{product: $ref, saveOptions: boolean}`. */
  bodySchema?: JsonSchemaNode;
  resolveRef: (ref: string) => JsonSchemaNode | undefined;
  /** Route path parameter names: each item must carry them (bulk) — top level or inside the entity. */
  pathParamNames: readonly string[];
  /** Stops after this many issues (a 5,000-item file with one systematic mistake must stay readable). */
  maxIssues?: number;
}

/** Magento matches keys after snake_case → UpperCamelCase, so `attribute_set_id` ≡ `attributeSetId`. */
export function canonicalKey(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()).replace(/^./, (c) => c.toUpperCase());
}

/** Case- and underscore-insensitive form, to spot `Sku` for `sku` or `SKU`. */
function looseKey(key: string): string {
  return key.replace(/_/g, '').toLowerCase();
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface KeyIndex {
  exact: Set<string>;
  canonical: Map<string, string>;
  loose: Map<string, string>;
}

const keyIndexCache = new WeakMap<Record<string, JsonSchemaNode>, KeyIndex>();

function indexKeys(properties: Record<string, JsonSchemaNode>): KeyIndex {
  let index = keyIndexCache.get(properties);
  if (!index) {
    index = { exact: new Set(), canonical: new Map(), loose: new Map() };
    for (const k of Object.keys(properties)) {
      index.exact.add(k);
      index.canonical.set(canonicalKey(k), k);
      index.loose.set(looseKey(k), k);
    }
    keyIndexCache.set(properties, index);
  }
  return index;
}

/** Looks a key up the way Magento binds it; reports a case-only match separately. */
function findProperty(index: KeyIndex, key: string): { name: string; caseMismatch: boolean } | undefined {
  if (index.exact.has(key)) return { name: key, caseMismatch: false };
  const canonical = index.canonical.get(canonicalKey(key));
  // `Sku` and `sku` share a canonical form; only a real camel/snake spelling counts as exact.
  if (canonical !== undefined && key[0] === key[0]?.toLowerCase()) return { name: canonical, caseMismatch: false };
  const loose = index.loose.get(looseKey(key));
  if (loose !== undefined) return { name: loose, caseMismatch: true };
  return undefined;
}

class IssueSink {
  readonly issues: LintIssue[] = [];
  private dropped = 0;
  constructor(private readonly max: number) {}
  add(issue: LintIssue): void {
    if (this.issues.length < this.max) this.issues.push(issue);
    else this.dropped++;
  }
  get full(): boolean {
    return this.issues.length >= this.max;
  }
  finish(): LintIssue[] {
    if (this.dropped > 0) {
      this.issues.push({ severity: 'warning', code: 'too-many-issues', message: `${this.dropped} more issue(s) not shown` });
    }
    return this.issues;
  }
}

const MAX_DEPTH = 12;

export function lintItems(items: readonly unknown[], options: LintOptions): LintIssue[] {
  const sink = new IssueSink(options.maxIssues ?? 200);
  const seen = new Map<string, number>();
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isPlainObject(item)) {
      sink.add({ severity: 'error', code: 'not-an-object', itemIndex: i, message: `item ${i + 1} is ${describe(item)}; each bulk item must be a JSON object (the sync request body)` });
      continue;
    }
    if (!sink.full) lintTopLevel(item, i, options, sink);

    const key = JSON.stringify(item);
    const first = seen.get(key);
    if (first !== undefined) {
      sink.add({ severity: 'warning', code: 'duplicate-item', itemIndex: i, message: `item ${i + 1} is identical to item ${first + 1}; it would run twice` });
    } else {
      seen.set(key, i);
    }
  }
  return sink.finish();
}

function lintTopLevel(item: Record<string, unknown>, i: number, options: LintOptions, sink: IssueSink): void {
  const body = options.bodySchema ? resolveNode(options.bodySchema, options.resolveRef) : undefined;
  const properties = body?.properties;
  const pathKeys = new Set(options.pathParamNames.map(canonicalKey));

  if (properties) {
    const index = indexKeys(properties);
    const present = new Set<string>();
    const unknown: LintIssue[] = [];
    for (const [key, value] of Object.entries(item)) {
      if (pathKeys.has(canonicalKey(key))) continue;
      const found = findProperty(index, key);
      if (!found) {
        // Top-level keys that are not service parameters are ignored by Magento (contract §6.1).
        unknown.push({ severity: 'warning', code: 'unknown-key', itemIndex: i, location: key, message: `item ${i + 1}: "${key}" is not a parameter of this route (${Object.keys(properties).join(', ')}); Magento ignores it` });
        continue;
      }
      present.add(found.name);
      if (found.caseMismatch) {
        // Service parameters are bound by exact camelCase/snake_case name: `Product` is not `product`.
        sink.add({ severity: 'error', code: 'key-case', itemIndex: i, location: key, message: `item ${i + 1}: "${key}" should be "${found.name}" (parameter names are case-sensitive)` });
      }
      const schema = properties[found.name];
      if (schema) lintValue(value, schema, key, i, options, sink, 0);
    }
    let unwrapped = false;
    const missing: LintIssue[] = [];
    for (const required of body?.required ?? []) {
      if (present.has(required)) continue;
      const wrapped = properties[required];
      const inner = wrapped ? resolveNode(wrapped, options.resolveRef) : undefined;
      if (inner?.properties && looksLike(item, inner.properties)) {
        unwrapped = true;
        missing.push({ severity: 'error', code: 'missing-wrapper', itemIndex: i, location: required, message: `item ${i + 1} looks like a "${required}" object but is not wrapped: send {"${required}": {...}}` });
      } else {
        missing.push({ severity: 'error', code: 'missing-required', itemIndex: i, location: required, message: `item ${i + 1}: "${required}" is required` });
      }
    }
    // An unwrapped entity explains its own "unknown" top-level keys: report the cause once.
    if (!unwrapped) for (const issue of unknown) sink.add(issue);
    for (const issue of missing) sink.add(issue);
  }

  for (const name of options.pathParamNames) {
    if (!hasPathValue(item, name)) {
      sink.add({ severity: 'error', code: 'missing-path-value', itemIndex: i, location: name, message: `item ${i + 1} has no "${name}" (the route's {${name}} value must be in every item, at the top level or inside the entity)` });
    }
  }
}

/** At least half of the item's keys (and at least one) are properties of the wrapped entity. */
function looksLike(item: Record<string, unknown>, properties: Record<string, JsonSchemaNode>): boolean {
  const keys = Object.keys(item);
  if (keys.length === 0) return false;
  const index = indexKeys(properties);
  const hits = keys.filter((k) => findProperty(index, k) !== undefined).length;
  return hits > 0 && hits * 2 >= keys.length;
}

/** The value is at the top level (camelCase or snake_case) or one level down inside an entity. */
export function hasPathValue(item: Record<string, unknown>, name: string): boolean {
  const canonical = canonicalKey(name);
  for (const [key, value] of Object.entries(item)) {
    if (canonicalKey(key) === canonical && value !== undefined && value !== null && value !== '') return true;
  }
  for (const value of Object.values(item)) {
    if (!isPlainObject(value)) continue;
    for (const [key, inner] of Object.entries(value)) {
      if (canonicalKey(key) === canonical && inner !== undefined && inner !== null && inner !== '') return true;
    }
  }
  return false;
}

function resolveNode(node: JsonSchemaNode, resolveRef: (ref: string) => JsonSchemaNode | undefined): JsonSchemaNode | undefined {
  let current: JsonSchemaNode | undefined = node;
  for (let hops = 0; current?.$ref !== undefined && hops < 8; hops++) current = resolveRef(current.$ref);
  return current;
}

function lintValue(value: unknown, schemaNode: JsonSchemaNode, location: string, i: number, options: LintOptions, sink: IssueSink, depth: number): void {
  if (sink.full || depth > MAX_DEPTH || value === null || value === undefined) return;
  const schema = resolveNode(schemaNode, options.resolveRef);
  if (!schema) return;
  const type = schema.type ?? (schema.properties ? 'object' : undefined);
  switch (type) {
    case 'object': {
      if (!isPlainObject(value)) {
        sink.add({ severity: 'error', code: 'wrong-type', itemIndex: i, location, message: `item ${i + 1}: ${location} should be an object, got ${describe(value)}` });
        return;
      }
      if (!schema.properties) return; // free-form object (additionalProperties / no properties): nothing to check
      const index = indexKeys(schema.properties);
      for (const [key, inner] of Object.entries(value)) {
        const found = findProperty(index, key);
        const where = `${location}.${key}`;
        if (!found) {
          // Nested keys without a getter make Magento fail the whole request (contract §1.3).
          sink.add({ severity: 'error', code: 'unknown-key', itemIndex: i, location: where, message: `item ${i + 1}: ${where} is not a field of ${location} (Magento rejects unknown nested fields)` });
          continue;
        }
        if (found.caseMismatch) {
          sink.add({ severity: 'warning', code: 'key-case', itemIndex: i, location: where, message: `item ${i + 1}: ${where} should be "${found.name}"` });
        }
        const child = schema.properties[found.name];
        if (child) lintValue(inner, child, where, i, options, sink, depth + 1);
      }
      return;
    }
    case 'array': {
      if (!Array.isArray(value)) {
        sink.add({ severity: 'error', code: 'wrong-type', itemIndex: i, location, message: `item ${i + 1}: ${location} should be a list, got ${describe(value)}` });
        return;
      }
      if (!schema.items) return;
      for (let k = 0; k < value.length && !sink.full; k++) lintValue(value[k], schema.items, `${location}[${k}]`, i, options, sink, depth + 1);
      return;
    }
    case 'integer':
    case 'number':
      // Magento casts numeric strings; anything else fails type conversion.
      if (typeof value === 'number' ? (type === 'integer' && !Number.isInteger(value)) : !(typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))) {
        sink.add({ severity: typeof value === 'object' ? 'error' : 'warning', code: 'wrong-type', itemIndex: i, location, message: `item ${i + 1}: ${location} should be ${type === 'integer' ? 'an integer' : 'a number'}, got ${describe(value)}` });
      }
      return;
    case 'boolean':
      if (typeof value !== 'boolean' && !(value === 0 || value === 1 || value === '0' || value === '1' || value === 'true' || value === 'false')) {
        sink.add({ severity: typeof value === 'object' ? 'error' : 'warning', code: 'wrong-type', itemIndex: i, location, message: `item ${i + 1}: ${location} should be true or false, got ${describe(value)}` });
      }
      return;
    case 'string':
      // Numbers and booleans are cast to strings; attribute `value`s may legitimately be lists (multiselect).
      if (typeof value === 'object' && !(Array.isArray(value) && location.endsWith('.value'))) {
        sink.add({ severity: 'warning', code: 'wrong-type', itemIndex: i, location, message: `item ${i + 1}: ${location} should be a string, got ${describe(value)}` });
      }
      return;
    default:
      return;
  }
}
