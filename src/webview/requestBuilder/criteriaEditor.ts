// The searchCriteria editor: filter groups (ANDed) holding filters (ORed), sort orders, page
// size and current page. Edits mutate the draft's criteria in place and call `changed`;
// structural edits (add/remove) re-render the section, typing does not (focus stays put).
import { CONDITION_TYPES, conditionTypeInfo } from '../../core/search/searchCriteria';
import { type SearchCriteriaDraft } from '../../protocol/requestBuilderProtocol';
import { h, replaceChildren, uid, valueOf } from './dom';

export interface CriteriaEditorOptions {
  criteria: SearchCriteriaDraft;
  itemFields: readonly { name: string; type?: string }[];
  /** `structural` is true when the section must re-render (rows added or removed). */
  changed: (structural: boolean) => void;
}

function fieldInput(value: string, label: string, listId: string, onInput: (v: string) => void): HTMLInputElement {
  // A native input: its datalist of the item definition's fields works inside the page's DOM.
  const input = h('input', { class: 'native-input', type: 'text', value, 'aria-label': label, list: listId, placeholder: 'field', spellcheck: 'false', autocomplete: 'off' });
  input.value = value;
  input.addEventListener('input', () => onInput(input.value));
  return input;
}

function conditionSelect(value: string, label: string, onChange: (v: string) => void): HTMLElement {
  const select = h('vscode-single-select', { label, class: 'condition' });
  const known = CONDITION_TYPES.some((c) => c.name === value);
  for (const info of CONDITION_TYPES) {
    select.appendChild(h('vscode-option', { value: info.name, description: info.hint, selected: info.name === value }, `${info.name} — ${info.label}`));
  }
  if (!known && value) select.appendChild(h('vscode-option', { value, selected: true }, `${value} (unknown: Magento treats it as eq)`));
  select.addEventListener('change', () => onChange(valueOf(select)));
  return select;
}

export function renderCriteriaEditor(container: HTMLElement, options: CriteriaEditorOptions): void {
  const sc = options.criteria;
  const listId = uid('item-fields');
  const datalist = h('datalist', { id: listId }, options.itemFields.map((f) => h('option', { value: f.name }, f.type ? `${f.name} (${f.type})` : f.name)));

  const groups = sc.filterGroups.map((group, g) => {
    const rows = group.filters.map((filter, f) => {
      const hint = h('span', { class: 'hint-text', id: uid('hint') }, conditionTypeInfo(filter.conditionType || 'eq')?.hint ?? 'Unknown condition: Magento compares with equality.');
      const valueField = h('vscode-textfield', { label: `Value of filter ${f + 1} in group ${g + 1}`, placeholder: 'value', '.value': filter.value, class: 'grow' });
      valueField.addEventListener('input', () => { filter.value = valueOf(valueField); options.changed(false); });
      const ignored = conditionTypeInfo(filter.conditionType)?.value === 'ignored';
      if (ignored) valueField.setAttribute('disabled', '');
      return h('div', { class: 'row', role: 'group', 'aria-label': `Filter ${f + 1} of group ${g + 1}` },
        f > 0 ? h('span', { class: 'muted', 'aria-hidden': 'true' }, 'OR') : h('span', { class: 'muted', 'aria-hidden': 'true' }, '   '),
        fieldInput(filter.field, `Field of filter ${f + 1} in group ${g + 1}`, listId, (v) => { filter.field = v; options.changed(false); }),
        conditionSelect(filter.conditionType || 'eq', `Condition of filter ${f + 1} in group ${g + 1}`, (v) => { filter.conditionType = v; options.changed(true); }),
        valueField,
        h('vscode-button', { secondary: true, 'aria-label': `Remove filter ${f + 1} from group ${g + 1}`, onclick: () => {
          group.filters.splice(f, 1);
          if (group.filters.length === 0) sc.filterGroups.splice(g, 1);
          options.changed(true);
        } }, 'Remove'),
        hint);
    });
    return h('div', { class: 'group', role: 'group', 'aria-label': `Filter group ${g + 1}` },
      h('div', { class: 'row' }, h('span', { class: 'group-title' }, g > 0 ? `AND group ${g + 1}` : `Group ${g + 1}`), h('span', { class: 'muted' }, '(filters in a group are ORed)')),
      rows,
      h('div', { class: 'row' },
        h('vscode-button', { secondary: true, 'aria-label': `Add an OR filter to group ${g + 1}`, onclick: () => { group.filters.push({ field: '', value: '', conditionType: 'eq' }); options.changed(true); } }, '+ OR filter'),
        h('vscode-button', { secondary: true, 'aria-label': `Remove group ${g + 1}`, onclick: () => { sc.filterGroups.splice(g, 1); options.changed(true); } }, 'Remove group')));
  });

  const sorts = sc.sortOrders.map((sort, s) => {
    const direction = h('vscode-single-select', { label: `Direction of sort ${s + 1}` },
      h('vscode-option', { value: 'ASC', selected: sort.direction === 'ASC' }, 'ASC'),
      h('vscode-option', { value: 'DESC', selected: sort.direction === 'DESC' }, 'DESC'));
    direction.addEventListener('change', () => { sort.direction = valueOf(direction) === 'DESC' ? 'DESC' : 'ASC'; options.changed(false); });
    return h('div', { class: 'row', role: 'group', 'aria-label': `Sort order ${s + 1}` },
      h('span', { class: 'field-label' }, `Sort ${s + 1}`),
      fieldInput(sort.field, `Field of sort ${s + 1}`, listId, (v) => { sort.field = v; options.changed(false); }),
      direction,
      h('vscode-button', { secondary: true, 'aria-label': `Remove sort ${s + 1}`, onclick: () => { sc.sortOrders.splice(s, 1); options.changed(true); } }, 'Remove'));
  });

  const numberField = (label: string, value: number | undefined, set: (v: number | undefined) => void): HTMLElement => {
    const field = h('vscode-textfield', { label, type: 'number', min: 0, '.value': value === undefined ? '' : String(value), placeholder: 'unset' });
    field.addEventListener('input', () => {
      const text = valueOf(field).trim();
      const n = Number(text);
      set(text === '' || !Number.isInteger(n) || n < 0 ? undefined : n);
      options.changed(false);
    });
    return field;
  };

  replaceChildren(container,
    datalist,
    groups.length === 0 ? h('p', { class: 'muted' }, 'No filters: every row matches (searchCriteria= is sent).') : groups,
    h('div', { class: 'row' },
      h('vscode-button', { 'aria-label': 'Add an AND filter group', onclick: () => { sc.filterGroups.push({ filters: [{ field: '', value: '', conditionType: 'eq' }] }); options.changed(true); } }, '+ AND group'),
      h('vscode-button', { secondary: true, 'aria-label': 'Add a sort order', onclick: () => { sc.sortOrders.push({ field: '', direction: 'ASC' }); options.changed(true); } }, '+ Sort')),
    sorts,
    h('div', { class: 'row' },
      h('label', { class: 'field-label' }, 'Page size'), numberField('Page size', sc.pageSize, (v) => { if (v === undefined) delete sc.pageSize; else sc.pageSize = v; }),
      h('label', { class: 'field-label' }, 'Current page'), numberField('Current page (1-based)', sc.currentPage, (v) => { if (v === undefined) delete sc.currentPage; else sc.currentPage = v; })));
}
