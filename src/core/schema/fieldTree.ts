// A response definition as a tree for the `fields` picker: nested objects, lists of objects,
// `extension_attributes`, and `custom_attributes` (whose brackets take attribute codes, which the
// schema cannot list — the UI gathers them from responses with `customAttributeCodes`).

import { type JsonSchema, type MagentoSchema, definitionName } from './swaggerSchema';

export type FieldKind = 'scalar' | 'object' | 'array' | 'objectArray';

export interface FieldTreeNode {
  name: string;
  /** Dotted path from the response root (`items.extension_attributes.stock_item`). */
  path: string;
  kind: FieldKind;
  /** Swagger type of the value or of the list's items (`string`, `integer`, ...). */
  type?: string;
  description?: string;
  /** Definition behind an object or a list of objects. */
  definitionRef?: string;
  children?: FieldTreeNode[];
  /** Children not built yet (depth limit): call `expandFieldNode`. */
  expandable?: boolean;
  /** The definition refers back to an ancestor: expanding would loop. */
  recursive?: boolean;
  isExtensionAttributes?: boolean;
  /** Magento filters `custom_attributes[...]` by attribute code (contract §5.2). */
  isCustomAttributes?: boolean;
}

export interface FieldTreeOptions {
  /** Levels built eagerly below the root (default 4); deeper nodes are `expandable`. */
  maxDepth?: number;
}

interface BuildContext {
  schema: MagentoSchema;
  maxDepth: number;
}

function refOf(schema: JsonSchema): string | undefined {
  if (schema.$ref) return schema.$ref;
  if (schema.type === 'array' && schema.items?.$ref) return schema.items.$ref;
  return undefined;
}

function buildChildren(context: BuildContext, objectSchema: JsonSchema, parentPath: string, depth: number, ancestors: readonly string[]): FieldTreeNode[] {
  const resolved = context.schema.resolve(objectSchema);
  const properties = resolved.properties ?? {};
  return Object.entries(properties).map(([name, property]) =>
    buildNode(context, name, property, parentPath ? `${parentPath}.${name}` : name, depth, ancestors),
  );
}

function buildNode(context: BuildContext, name: string, property: JsonSchema, path: string, depth: number, ancestors: readonly string[]): FieldTreeNode {
  const node: FieldTreeNode = { name, path, kind: 'scalar' };
  const ref = refOf(property);
  const isList = property.type === 'array';
  const target = ref ? context.schema.resolve({ $ref: ref }) : isList ? property.items ?? {} : property;
  const description = property.description ?? target.description;
  if (description) node.description = description;
  if (name === 'extension_attributes') node.isExtensionAttributes = true;
  const isObject = target.type === 'object' || target.properties !== undefined;
  if (isList && !isObject) {
    node.kind = 'array';
    if (target.type) node.type = target.type;
    return node;
  }
  if (!isObject) {
    if (target.type) node.type = target.type;
    return node;
  }
  node.kind = isList ? 'objectArray' : 'object';
  node.type = 'object';
  if (ref) node.definitionRef = ref;
  if (name === 'custom_attributes' && isList && ref && definitionName(ref) === 'framework-attribute-interface') {
    node.isCustomAttributes = true;
  }
  if (ref && ancestors.includes(ref)) {
    node.recursive = true;
    return node;
  }
  if (depth >= context.maxDepth) {
    node.expandable = true;
    return node;
  }
  node.children = buildChildren(context, ref ? { $ref: ref } : target, path, depth + 1, ref ? [...ancestors, ref] : ancestors);
  return node;
}

/**
 * The field tree of a response: pass the operation's `responseDefinitionRef` (for a list
 * response, the item definition — `fields` applies per element) or an inline schema.
 */
export function buildFieldTree(schema: MagentoSchema, definition: string | JsonSchema, options: FieldTreeOptions = {}): FieldTreeNode[] {
  const context: BuildContext = { schema, maxDepth: options.maxDepth ?? 4 };
  const root: JsonSchema = typeof definition === 'string' ? { $ref: definition.startsWith('#/') ? definition : `#/definitions/${definition}` } : definition;
  const rootRef = refOf(root);
  const objectSchema = root.type === 'array' && root.items ? root.items : root;
  return buildChildren(context, objectSchema, '', 1, rootRef ? [rootRef] : []);
}

/** Builds the children of a node left `expandable` by the depth limit. */
export function expandFieldNode(schema: MagentoSchema, node: FieldTreeNode, options: FieldTreeOptions = {}): FieldTreeNode[] {
  if (!node.definitionRef) return [];
  const context: BuildContext = { schema, maxDepth: options.maxDepth ?? 4 };
  return buildChildren(context, { $ref: node.definitionRef }, node.path, 1, [node.definitionRef]);
}

/** Finds a node by dotted path. */
export function findFieldNode(tree: readonly FieldTreeNode[], path: string): FieldTreeNode | undefined {
  let level: readonly FieldTreeNode[] | undefined = tree;
  let found: FieldTreeNode | undefined;
  for (const name of path.split('.')) {
    found = level?.find((node) => node.name === name);
    if (!found) return undefined;
    level = found.children;
  }
  return found;
}

/**
 * Attribute codes seen in a response's `custom_attributes` lists at `path` (e.g.
 * `items.custom_attributes`), for the picker to offer `custom_attributes[color,size]`.
 */
export function customAttributeCodes(response: unknown, path: string): string[] {
  const codes = new Set<string>();
  const visit = (value: unknown, parts: readonly string[]): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item, parts);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    if (parts.length === 0) return;
    const [head, ...rest] = parts;
    const child = (value as Record<string, unknown>)[head!];
    if (rest.length === 0 && Array.isArray(child)) {
      for (const entry of child) {
        const code = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>)['attribute_code'] : undefined;
        if (typeof code === 'string') codes.add(code);
      }
      return;
    }
    visit(child, rest);
  };
  visit(response, path.split('.'));
  return [...codes].sort();
}
