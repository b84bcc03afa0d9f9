// Item fields a CSV column can fill, from the route's body shape in the store's schema
// (`product.sku`, `product.price` typed as a number, ...), and a guess per column name.
import { type FieldType } from './itemFiles';
import { type CatalogRoute, type JsonSchemaNode, type RouteCatalog } from './routeCatalog';

export interface FieldSuggestion {
  field: string;
  type: FieldType;
}

function resolve(node: JsonSchemaNode | undefined, catalog: RouteCatalog): JsonSchemaNode | undefined {
  let current = node;
  for (let hops = 0; current?.$ref !== undefined && hops < 8; hops++) current = catalog.resolveRef(current.$ref);
  return current;
}

function fieldType(node: JsonSchemaNode | undefined): FieldType {
  switch (node?.type) {
    case 'integer': return 'integer';
    case 'number': return 'number';
    case 'boolean': return 'boolean';
    case 'array':
    case 'object': return 'json';
    default: return node?.properties ? 'json' : 'string';
  }
}

/** `product.sku`, `product.price` (number), ..., and the route's path parameters. */
export function fieldSuggestions(route: CatalogRoute, catalog: RouteCatalog): FieldSuggestion[] {
  const out: FieldSuggestion[] = route.pathParams.map((p) => ({ field: p.name, type: p.type === 'integer' ? 'integer' : 'string' }));
  const body = resolve(route.bodySchema, catalog);
  for (const [name, prop] of Object.entries(body?.properties ?? {})) {
    const inner = resolve(prop, catalog);
    if (inner?.properties && inner.type !== 'array') {
      for (const [child, childNode] of Object.entries(inner.properties)) out.push({ field: `${name}.${child}`, type: fieldType(resolve(childNode, catalog)) });
    } else {
      out.push({ field: name, type: fieldType(inner) });
    }
  }
  return out;
}

/** The suggestion a column most likely means: same name (case/underscore-insensitive), last segment first. */
export function guessField(column: string, suggestions: readonly FieldSuggestion[]): FieldSuggestion | undefined {
  const norm = (s: string) => s.replace(/[_\s-]/g, '').toLowerCase();
  const c = norm(column);
  return suggestions.find((s) => norm(s.field) === c) ?? suggestions.find((s) => norm(s.field.split('.').pop() ?? '') === c);
}
