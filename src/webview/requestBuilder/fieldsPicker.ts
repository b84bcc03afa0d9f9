// The fields picker: the response definition as a checkbox tree plus the free-text `fields`
// string, kept in sync both ways through the parsed selection (fieldsSelection.ts).
import { checkState, customAttributeCodes, selectPath, selectionOf, setCustomAttributeCodes, toFieldsString, unselectPath } from '../../core/requestBuilder/fieldsSelection';
import { type FieldNode } from '../../protocol/requestBuilderProtocol';
import { h, replaceChildren } from './dom';

export interface FieldsPickerOptions {
  fields: string;
  tree: readonly FieldNode[];
  /** Paths the user expanded (dotted), kept across re-renders. */
  expanded: Set<string>;
  setFields: (fields: string) => void;
}

export function renderFieldsTree(container: HTMLElement, options: FieldsPickerOptions): void {
  const selection = selectionOf(options.fields);
  if (options.tree.length === 0) {
    replaceChildren(container, h('p', { class: 'muted' }, 'Pick an endpoint from the schema to choose fields from its response; or type them below.'));
    return;
  }
  if (!selection) {
    replaceChildren(container, h('p', { class: 'muted' }, 'The fields text does not parse, so the tree is paused until it does.'));
    return;
  }

  const renderNodes = (nodes: readonly FieldNode[], path: string[], depth: number): HTMLElement => {
    const list = h('ul', { role: depth === 0 ? 'tree' : 'group', ...(depth === 0 ? { 'aria-label': 'Response fields', class: 'fields-tree' } : {}) });
    for (const node of nodes) {
      const nodePath = [...path, node.name];
      const key = nodePath.join('.');
      const state = checkState(selection, nodePath);
      const hasChildren = (node.children?.length ?? 0) > 0;
      const open = options.expanded.has(key);
      const checkbox = h('vscode-checkbox', {
        label: node.name,
        '.checked': state === 'checked' || state === 'implied' || state === 'partial',
        '.indeterminate': state === 'partial',
        disabled: state === 'implied',
        title: node.description ?? node.type ?? '',
      });
      checkbox.addEventListener('change', () => {
        const next = state === 'checked' ? unselectPath(selection, nodePath) : selectPath(selection, nodePath);
        options.setFields(toFieldsString(next));
      });
      const toggle = hasChildren
        ? h('button', { class: 'toggle', 'aria-label': `${open ? 'Collapse' : 'Expand'} ${node.name}`, 'aria-expanded': open ? 'true' : 'false', onclick: () => {
          if (open) options.expanded.delete(key); else options.expanded.add(key);
          renderFieldsTree(container, options);
        } }, open ? '▾' : '▸')
        : h('span', { class: 'toggle', 'aria-hidden': 'true' }, '');
      const type = h('span', { class: 'muted' }, node.kind === 'array' ? ' [ ]' : node.type && node.kind === 'scalar' ? ` ${node.type}` : '');
      const item = h('li', { role: 'treeitem', ...(hasChildren ? { 'aria-expanded': open ? 'true' : 'false' } : {}) }, toggle, checkbox, type);
      if (node.kind === 'custom_attributes') {
        const codes = h('vscode-textfield', { label: `Attribute codes for ${key}`, placeholder: 'attribute codes, e.g. color,size', '.value': customAttributeCodes(selection, nodePath).join(',') });
        codes.addEventListener('change', () => {
          const value = (codes as unknown as { value: string }).value;
          options.setFields(toFieldsString(setCustomAttributeCodes(selection, nodePath, value.split(','))));
        });
        item.appendChild(codes);
      }
      if (hasChildren && open) item.appendChild(renderNodes(node.children!, nodePath, depth + 1));
      list.appendChild(item);
    }
    return list;
  };
  replaceChildren(container, renderNodes(options.tree, [], 0));
}
