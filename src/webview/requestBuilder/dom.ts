// Tiny DOM builder. Text always goes through textContent and attributes through setAttribute,
// never innerHTML: store data such as `<script>` or `"><img onerror=...>` is displayed, not run.

type Child = Node | string | number | null | undefined | false;
export type Attrs = Record<string, string | number | boolean | undefined | null | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Attrs, ...children: (Child | Child[])[]): HTMLElement;
export function h(tag: string, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key.startsWith('.')) {
      // Property (custom elements read `.value`, `.checked` as properties).
      (el as unknown as Record<string, unknown>)[key.slice(1)] = value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
      // vscode-textfield / vscode-textarea read `label` (their inner input's aria-label) only as a
      // property (`attribute: false`); without this a screen reader finds the fields unnamed.
      if (key === 'label' && tag.startsWith('vscode-')) (el as unknown as { label: string }).label = String(value);
    }
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function replaceChildren(el: Element, ...children: (Child | Child[])[]): void {
  clear(el);
  append(el, children);
}

let idCounter = 0;
export function uid(prefix: string): string {
  return `${prefix}-${++idCounter}`;
}

/** The value of a vscode-elements form control or a native input. */
export function valueOf(target: EventTarget | null): string {
  const v = (target as { value?: unknown } | null)?.value;
  return typeof v === 'string' ? v : '';
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}
