// A collapsible, searchable JSON tree. Built with createElement/textContent only, so any
// string in the store's data is shown as text. Children are rendered when a node is first
// opened and long lists are paged, so a 2 MB body does not create a million DOM nodes.
import { h } from './dom';

const CHILD_PAGE = 200;

type Json = unknown;

interface TreeOptions {
  /** Lower-cased search text; nodes on a path to a match open, matches are marked. */
  search: string;
}

function isContainer(value: Json): value is Record<string, Json> | Json[] {
  return typeof value === 'object' && value !== null;
}

function entriesOf(value: Record<string, Json> | Json[]): [string, Json][] {
  return Array.isArray(value) ? value.map((v, i) => [String(i), v] as [string, Json]) : Object.entries(value);
}

/** Whether the subtree contains the search text (keys or scalar values); memoised per render. */
function makeMatcher(search: string): (value: Json, key: string) => boolean {
  const memo = new WeakMap<object, boolean>();
  const match = (value: Json, key: string): boolean => {
    if (search === '') return false;
    if (key.toLowerCase().includes(search)) return true;
    if (!isContainer(value)) return scalarText(value).toLowerCase().includes(search);
    const known = memo.get(value);
    if (known !== undefined) return known;
    let found = false;
    for (const [k, v] of entriesOf(value)) {
      if (match(v, k)) { found = true; break; }
    }
    memo.set(value, found);
    return found;
  };
  return match;
}

function scalarText(value: Json): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  return String(value);
}

function scalarClass(value: Json): string {
  if (value === null) return 'json-null';
  return `json-${typeof value}`;
}

/** Text with the search hits wrapped in <mark> (still text nodes only). */
function highlighted(text: string, search: string): (Node | string)[] {
  if (!search) return [text];
  const out: (Node | string)[] = [];
  const lower = text.toLowerCase();
  let from = 0;
  for (let at = lower.indexOf(search); at >= 0 && out.length < 200; at = lower.indexOf(search, from)) {
    if (at > from) out.push(text.slice(from, at));
    out.push(h('mark', {}, text.slice(at, at + search.length)));
    from = at + search.length;
  }
  out.push(text.slice(from));
  return out;
}

export interface JsonTreeStats {
  matches: number;
}

export function renderJsonTree(value: Json, options: TreeOptions): { element: HTMLElement; stats: JsonTreeStats } {
  const search = options.search.trim().toLowerCase();
  const matches = makeMatcher(search);
  const stats: JsonTreeStats = { matches: 0 };

  const renderChildren = (container: HTMLElement, value: Record<string, Json> | Json[], start: number, autoOpen: (index: number) => boolean = () => false): void => {
    const entries = entriesOf(value);
    const end = Math.min(entries.length, start + CHILD_PAGE);
    for (let i = start; i < end; i++) {
      const [key, child] = entries[i]!;
      container.appendChild(renderNode(key, child, Array.isArray(value), autoOpen(i)));
    }
    if (end < entries.length) {
      const more = h('vscode-button', { secondary: true, class: 'json-more', 'aria-label': `Show ${Math.min(CHILD_PAGE, entries.length - end)} more of ${entries.length - end} remaining entries` }, `Show more (${entries.length - end} left)`);
      more.addEventListener('click', () => {
        more.remove();
        renderChildren(container, value, end);
      });
      container.appendChild(h('li', { role: 'none' }, more));
    }
  };

  const renderNode = (key: string, child: Json, inArray: boolean, autoOpen = false): HTMLElement => {
    const keyMatch = search !== '' && key.toLowerCase().includes(search);
    const keyEl = h('span', { class: inArray ? 'json-index' : 'json-key' }, ...highlighted(inArray ? key : JSON.stringify(key), keyMatch ? search : ''));
    if (!isContainer(child)) {
      const text = scalarText(child);
      const valueMatch = search !== '' && text.toLowerCase().includes(search);
      if (keyMatch || valueMatch) stats.matches++;
      return h('li', { role: 'treeitem', class: 'json-leaf', tabindex: -1 }, keyEl, h('span', { class: 'json-colon' }, ': '), h('span', { class: scalarClass(child) }, ...highlighted(text, valueMatch ? search : '')));
    }
    if (keyMatch) stats.matches++;
    const size = Array.isArray(child) ? child.length : Object.keys(child).length;
    const preview = Array.isArray(child) ? `[${size}]` : `{${size}}`;
    const open = autoOpen || (search !== '' && matches(child, ''));
    const details = h('details', { class: 'json-branch' });
    const summary = h('summary', { role: 'treeitem', 'aria-expanded': open ? 'true' : 'false' }, keyEl, h('span', { class: 'json-colon' }, ': '), h('span', { class: 'json-preview' }, preview));
    const list = h('ul', { role: 'group' });
    details.append(summary, list);
    let rendered = false;
    const ensure = (): void => {
      if (rendered) return;
      rendered = true;
      // An auto-opened list shows its first element opened too (the shape of one item at a glance).
      renderChildren(list, child, 0, (index) => autoOpen && Array.isArray(child) && index === 0);
    };
    details.addEventListener('toggle', () => {
      summary.setAttribute('aria-expanded', details.open ? 'true' : 'false');
      if (details.open) ensure();
    });
    if (open) {
      details.open = true;
      ensure();
    }
    return h('li', { role: 'none' }, details);
  };

  const root = h('ul', { class: 'json-tree', role: 'tree', 'aria-label': 'Response body' });
  if (isContainer(value)) {
    // A small first level opens by default: a list response shows items/total_count at a glance.
    const small = entriesOf(value).length <= 5;
    renderChildren(root, value, 0, () => small);
  } else {
    root.appendChild(h('li', { role: 'treeitem', class: 'json-leaf' }, h('span', { class: scalarClass(value) }, scalarText(value))));
  }
  return { element: root, stats };
}
