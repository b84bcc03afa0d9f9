// Validates a request value against a Swagger definition the way Magento's ServiceInputProcessor
// would reject it: missing required keys (`"%fieldName" is required`, aggregated) and values of
// the wrong type (`The "%value" value's type is invalid...`). Unknown keys are accepted: Magento
// answers them with a masked 500 (no accessor method), which would help nobody here.
import type { JsonSchema, MagentoSchema } from '../../core/schema/swaggerSchema';
import { definitionName } from '../../core/schema/swaggerSchema';
import { MESSAGES, WebapiError, inputError, requiredField, type ErrorEntry } from '../errors';

const MAX_DEPTH = 32;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function invalidType(value: unknown, type: string): WebapiError {
  return new WebapiError(400, MESSAGES.invalidType, { value: shown(value), type });
}

function checkScalar(type: string | undefined, value: unknown): void {
  switch (type) {
    case 'integer':
      if ((typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^-?\d+$/.test(value.trim()))) return;
      throw invalidType(value, 'int');
    case 'number':
      if (typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))) return;
      throw invalidType(value, 'float');
    case 'boolean':
      if (typeof value === 'boolean' || value === 0 || value === 1 || ['0', '1', 'true', 'false', ''].includes(value as string)) return;
      throw invalidType(value, 'bool');
    case 'string':
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return;
      throw invalidType(value, 'string');
    default:
      return; // mixed
  }
}

/**
 * Throws WebapiError 400 when `value` does not fit `node`. Missing required keys are collected
 * over the whole value (one → top-level message, several → aggregate); a type error throws at once.
 */
export function validateAgainstSchema(schema: MagentoSchema, node: JsonSchema, value: unknown): void {
  const missing: ErrorEntry[] = [];
  walk(schema, node, value, missing, 0);
  if (missing.length > 0) throw inputError(missing);
}

function walk(schema: MagentoSchema, node: JsonSchema, value: unknown, missing: ErrorEntry[], depth: number): void {
  if (depth > MAX_DEPTH || value === null || value === undefined) return;
  const typeName = node.$ref ? definitionName(node.$ref) : undefined;
  const resolved = schema.resolve(node);
  if (resolved.type === 'array') {
    const list = Array.isArray(value) ? value : isRecord(value) ? Object.values(value) : undefined;
    if (!list) throw invalidType(value, `${typeName ?? resolved.items?.type ?? 'mixed'}[]`);
    if (resolved.items) for (const entry of list) walk(schema, resolved.items, entry, missing, depth + 1);
    return;
  }
  if (resolved.type === 'object' || resolved.properties) {
    if (!isRecord(value)) throw invalidType(value, typeName ?? 'object');
    const present = new Map<string, unknown>();
    for (const [key, child] of Object.entries(value)) present.set(snake(key), child);
    for (const name of resolved.required ?? []) {
      const child = present.get(snake(name));
      if (child === undefined || child === null) missing.push(requiredField(name));
    }
    for (const [name, property] of Object.entries(resolved.properties ?? {})) {
      const child = present.get(snake(name));
      if (child !== undefined) walk(schema, property, child, missing, depth + 1);
    }
    return;
  }
  checkScalar(resolved.type, value);
}

/** Magento matches keys in either spelling (§1.3). */
function snake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
