// The fields picker's model: the `fields` string is the single source of truth and the
// checkbox tree is a view of its parsed form. Toggling a box edits the parsed tree and
// formats it back, so free-text edits and clicks always agree.
import { formatFields, parseFields, type FieldsNode, type FieldsTree } from '../search/fieldsFilter';

export type CheckState = 'checked' | 'partial' | 'implied' | 'unchecked';

/** Parses the string; undefined when it does not parse (the picker then shows it read-only). */
export function selectionOf(fields: string): FieldsTree | undefined {
  const parsed = parseFields(fields.trim());
  return parsed.ok ? parsed.tree : undefined;
}

export function checkState(tree: FieldsTree, path: readonly string[]): CheckState {
  let level: FieldsTree | undefined = tree;
  for (let i = 0; i < path.length; i++) {
    const node: FieldsNode | undefined = level?.find((n) => n.name === path[i]);
    if (!node) return 'unchecked';
    if (!node.children) return i === path.length - 1 ? 'checked' : 'implied';
    if (i === path.length - 1) return node.children.length > 0 ? 'partial' : 'checked';
    level = node.children;
  }
  return 'unchecked';
}

function clone(tree: FieldsTree): FieldsTree {
  return tree.map((n) => (n.children ? { name: n.name, children: clone(n.children) } : { name: n.name }));
}

/** Selects the whole value at `path` (creating the brackets of its ancestors). */
export function selectPath(tree: FieldsTree, path: readonly string[]): FieldsTree {
  const out = clone(tree);
  let level = out;
  for (let i = 0; i < path.length; i++) {
    const name = path[i]!;
    let node = level.find((n) => n.name === name);
    const last = i === path.length - 1;
    if (!node) {
      node = last ? { name } : { name, children: [] };
      level.push(node);
    } else if (last) {
      delete node.children;
    } else if (!node.children) {
      return out; // an ancestor is already selected whole
    }
    if (!last) level = node.children!;
  }
  return out;
}

/** Removes `path`; ancestors left with nothing selected inside are removed too. */
export function unselectPath(tree: FieldsTree, path: readonly string[]): FieldsTree {
  const out = clone(tree);
  const remove = (level: FieldsTree, depth: number): void => {
    const index = level.findIndex((n) => n.name === path[depth]);
    if (index < 0) return;
    if (depth === path.length - 1) {
      level.splice(index, 1);
      return;
    }
    const node = level[index]!;
    if (!node.children) return;
    remove(node.children, depth + 1);
    if (node.children.length === 0) level.splice(index, 1);
  };
  remove(out, 0);
  return out;
}

/** Sets the attribute codes inside `custom_attributes[...]` at `path` (empty list removes it). */
export function setCustomAttributeCodes(tree: FieldsTree, path: readonly string[], codes: readonly string[]): FieldsTree {
  const clean = codes.map((c) => c.trim()).filter((c) => /^[A-Za-z0-9_]+$/.test(c));
  let out = unselectPath(tree, path);
  if (clean.length === 0) return out;
  for (const code of clean) out = selectPath(out, [...path, code]);
  return out;
}

export function customAttributeCodes(tree: FieldsTree, path: readonly string[]): string[] {
  let level: FieldsTree | undefined = tree;
  for (const name of path) {
    const node: FieldsNode | undefined = level?.find((n) => n.name === name);
    if (!node?.children) return [];
    level = node.children;
  }
  return (level ?? []).map((n) => n.name);
}

export function toFieldsString(tree: FieldsTree): string {
  return formatFields(tree);
}
