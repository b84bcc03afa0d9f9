// A definition → a minimal JSON body to start editing from: required properties only (unless
// asked for all), each with an example value of its type. Recursive definitions stop at the
// first repetition, so the skeleton is always finite.

import { type JsonSchema, type MagentoSchema } from './swaggerSchema';

export interface BodySkeletonOptions {
  /** Include optional properties too (default false: required ones only). */
  includeOptional?: boolean;
  /** Maximum nesting (default 6). */
  maxDepth?: number;
}

function exampleScalar(schema: JsonSchema): unknown {
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  switch (schema.type) {
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'string':
      return schema.format === 'date-time' ? '2026-01-01 00:00:00' : 'string';
    default:
      // Magento's "mixed"/"any" values have no type.
      return null;
  }
}

function skeletonOf(schema: MagentoSchema, node: JsonSchema, options: Required<BodySkeletonOptions>, depth: number, ancestors: readonly string[]): unknown {
  const ref = node.$ref;
  if (ref && ancestors.includes(ref)) return {};
  const resolved = schema.resolve(node);
  const nextAncestors = ref ? [...ancestors, ref] : ancestors;
  if (resolved.type === 'array') {
    // A required list gets one example element so its shape is visible.
    if (!resolved.items || depth >= options.maxDepth) return [];
    return [skeletonOf(schema, resolved.items, options, depth + 1, nextAncestors)];
  }
  if (resolved.type === 'object' || resolved.properties) {
    if (depth >= options.maxDepth) return {};
    const required = new Set(resolved.required ?? []);
    const out: Record<string, unknown> = {};
    for (const [name, property] of Object.entries(resolved.properties ?? {})) {
      if (!options.includeOptional && !required.has(name)) continue;
      out[name] = skeletonOf(schema, property, options, depth + 1, nextAncestors);
    }
    return out;
  }
  return exampleScalar(resolved);
}

/** The skeleton of a definition (`#/definitions/...`, a bare name, or an inline body schema). */
export function buildBodySkeleton(schema: MagentoSchema, definition: string | JsonSchema, options: BodySkeletonOptions = {}): unknown {
  const node: JsonSchema = typeof definition === 'string' ? { $ref: definition.startsWith('#/') ? definition : `#/definitions/${definition}` } : definition;
  return skeletonOf(schema, node, { includeOptional: options.includeOptional ?? false, maxDepth: options.maxDepth ?? 6 }, 0, []);
}
