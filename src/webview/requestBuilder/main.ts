// Request builder UI (browser bundle). Talks to the host only through requestBuilderProtocol;
// never calls a store. Restores itself from getState() at once, then from the host's `init`.
// First paint comes first: `ready` goes out before anything renders (the host prepares `init`
// meanwhile), the shell paints without waiting for the host or the schema, and the sections
// that start empty (advisor, export, history, response) render after that first frame.
import { scriptStartMs } from './bootMark';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import { adviseRequest, applyAdvisorFix, type AdvisorHint } from '../../core/advisor/requestAdvisor';
import { buildDraftRequest, draftFromRequest, hasNextPage, pathParamNames } from '../../core/requestBuilder/draftRequest';
import { parseRequestUrl } from '../../core/search/searchCriteria';
import { validateFields, type FieldsSchemaNode, type FieldsValidation } from '../../core/search/fieldsFilter';
import {
  emptyDraft,
  requestDraftSchema,
  type FieldNode,
  type HistoryEntry,
  type HostNotification,
  type OperationDetail,
  type OperationSummary,
  type ProfileSummary,
  type RequestDraft,
  type SendResult,
} from '../../protocol/requestBuilderProtocol';
import { formatBytes, h, replaceChildren, uid, valueOf } from './dom';
import { HostBridge, ReplyError } from './hostBridge';
import { renderCriteriaEditor } from './criteriaEditor';
import { renderFieldsTree } from './fieldsPicker';
import { renderJsonTree } from './jsonTree';

interface SavedState {
  draft: RequestDraft;
  endpointFilter?: string;
  jsonSearch?: string;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;

class RequestBuilderApp {
  private draft: RequestDraft = emptyDraft();
  private profiles: ProfileSummary[] = [];
  private operations: OperationSummary[] = [];
  // The shell paints before the host's `init`; the endpoint list says it is on its way.
  private schemaStatus = 'Loading the store\'s endpoints…';
  private schemaLoading = true;
  private detail: OperationDetail | undefined;
  private endpointFilter = '';
  private activeIndex = 0;
  private response: SendResult | undefined;
  private responseError: { message: string; hint?: string } | undefined;
  private sending = false;
  private confirmEmptyBody = false;
  private jsonSearch = '';
  private history: HistoryEntry[] = [];
  private convertAvailable = false;
  private fetchJob: { id: string; pages: number; items: number; totalCount?: number } | undefined;
  private exportNote: { text: string; curl?: string } | undefined;
  private readonly expandedFields = new Set<string>(['items']);
  private draftTimer: number | undefined;
  private readonly bridge: HostBridge;
  /** False until the first frame is painted: until then only the request column renders. */
  private painted = false;

  private readonly el = {
    profile: h('div', { class: 'row' }),
    endpoint: h('div'),
    endpointList: h('ul', { class: 'endpoints', role: 'listbox', id: 'endpoint-list', 'aria-label': 'Endpoints from the store schema' }),
    request: h('div'),
    body: h('section', { 'aria-label': 'Request body' }),
    criteria: h('div'),
    criteriaSection: h('section', { 'aria-label': 'searchCriteria' }),
    fieldsTree: h('div'),
    fieldsText: h('div'),
    preview: h('section', { 'aria-label': 'URL preview', 'aria-live': 'off' }),
    actions: h('div', { class: 'row' }),
    advice: h('section', { 'aria-label': 'Advisor', 'aria-live': 'polite' }),
    response: h('section', { 'aria-label': 'Response', 'aria-live': 'polite' }),
    exports: h('section', { 'aria-label': 'Export' }),
    history: h('section', { 'aria-label': 'History' }),
  };

  constructor(root: HTMLElement) {
    this.bridge = new HostBridge((message) => this.onNotification(message));
    // Before rendering: the host's `init` (profiles, history) is prepared while the shell paints.
    this.bridge.command({ type: 'ready' });
    const saved = this.bridge.getState<SavedState>();
    const restored = requestDraftSchema.safeParse(saved?.draft);
    if (restored.success) this.draft = restored.data;
    this.endpointFilter = saved?.endpointFilter ?? '';
    this.jsonSearch = saved?.jsonSearch ?? '';

    replaceChildren(root,
      h('div', { class: 'layout' },
        h('div', {},
          h('h2', {}, 'Request'),
          this.el.profile,
          this.el.endpoint,
          this.el.request,
          this.el.body,
          this.el.criteriaSection,
          h('section', { 'aria-label': 'fields' }, h('h2', {}, 'fields (partial response)'), this.el.fieldsTree, this.el.fieldsText),
          this.el.preview,
          this.el.actions,
          this.el.response),
        h('aside', { 'aria-label': 'Advice, export and history' },
          h('h2', {}, 'Advisor'), this.el.advice,
          h('h2', {}, 'Export'), this.el.exports,
          h('h2', {}, 'History'), this.el.history)));

    document.addEventListener('keydown', (event) => {
      if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
        event.preventDefault();
        void this.send();
      }
    });
    this.renderAll();
    const shellRenderedMs = performance.now();
    // requestAnimationFrame runs just before the frame is painted; the task queued from it
    // runs after that paint, so `paintedMs` is the first frame that shows the shell.
    requestAnimationFrame(() => setTimeout(() => {
      const paintedMs = performance.now();
      this.painted = true;
      this.renderDeferred();
      this.bridge.command({ type: 'firstPaint', timeOrigin: performance.timeOrigin, scriptStartMs, shellRenderedMs, paintedMs });
    }, 0));
  }

  // --- host messages -----------------------------------------------------------------------

  private onNotification(message: HostNotification): void {
    switch (message.type) {
      case 'init': {
        // The host owns the truth: its draft wins over what this webview remembered.
        this.draft = message.draft.pathTemplate || !this.draft.pathTemplate ? message.draft : { ...this.draft, profileId: this.draft.profileId ?? message.draft.profileId };
        this.profiles = message.profiles;
        if (!this.draft.profileId || !this.profiles.some((p) => p.id === this.draft.profileId)) {
          const fallback = message.activeProfileId ?? this.profiles[0]?.id;
          if (fallback) this.draft.profileId = fallback; else delete this.draft.profileId;
        }
        this.history = message.history;
        this.convertAvailable = message.convertAvailable;
        this.renderAll();
        this.draftChanged(false);
        void this.loadSchema(false);
        return;
      }
      case 'profiles':
        this.profiles = message.profiles;
        if (!this.draft.profileId && (message.activeProfileId ?? this.profiles[0]?.id)) {
          this.draft.profileId = message.activeProfileId ?? this.profiles[0]!.id;
          void this.loadSchema(false);
        }
        this.renderProfile();
        return;
      case 'history':
        this.history = message.history;
        this.renderHistory();
        return;
      case 'setDraft':
        this.draft = message.draft;
        this.response = undefined;
        this.renderAll();
        this.draftChanged(false);
        void this.describeCurrent();
        return;
      case 'fetchAllProgress':
        if (this.fetchJob?.id === message.jobId) {
          this.fetchJob = { id: message.jobId, pages: message.pages, items: message.items, ...(message.totalCount !== undefined ? { totalCount: message.totalCount } : {}) };
          this.renderResponse();
        }
        return;
    }
  }

  private saveState(): void {
    const state: SavedState = { draft: this.draft, endpointFilter: this.endpointFilter, jsonSearch: this.jsonSearch };
    this.bridge.setState(state);
  }

  /** Every edit ends here: persist, tell the host (debounced), refresh the derived views. */
  private draftChanged(structural: boolean): void {
    this.confirmEmptyBody = false;
    this.saveState();
    if (this.draftTimer !== undefined) window.clearTimeout(this.draftTimer);
    this.draftTimer = window.setTimeout(() => this.bridge.command({ type: 'draftChanged', draft: this.draft }), 250);
    if (structural) {
      this.renderRequest();
      this.renderCriteria();
      this.renderFields();
      this.renderBody();
    }
    this.renderPreview();
    this.renderAdvice();
    this.renderActions();
  }

  // --- schema ------------------------------------------------------------------------------

  private async loadSchema(refresh: boolean): Promise<void> {
    const profileId = this.draft.profileId;
    if (!profileId) {
      this.schemaStatus = 'No profile: add one to load the store\'s endpoints.';
      this.schemaLoading = false;
      this.renderEndpoint();
      return;
    }
    this.schemaStatus = refresh ? 'Refreshing the schema…' : 'Loading the schema…';
    this.schemaLoading = true;
    this.renderEndpoint();
    try {
      const result = await this.bridge.request('loadSchema', { profileId, refresh });
      this.operations = result.operations;
      this.schemaStatus = `${result.operations.length} endpoints (${result.source === 'store' ? 'fetched' : 'cached'} ${new Date(result.fetchedAt).toLocaleString()})`;
      await this.describeCurrent();
    } catch (error) {
      this.operations = [];
      this.schemaStatus = `Schema not loaded: ${(error as Error).message}`;
    }
    this.schemaLoading = false;
    this.renderEndpoint();
  }

  private currentOperation(): OperationSummary | undefined {
    return this.operations.find((o) => o.method === this.draft.method && o.pathTemplate === this.draft.pathTemplate);
  }

  private async describeCurrent(): Promise<void> {
    const op = this.currentOperation();
    if (!op || !this.draft.profileId) {
      this.detail = undefined;
      this.renderFields();
      this.renderCriteria();
      return;
    }
    try {
      this.detail = await this.bridge.request('describeOperation', { profileId: this.draft.profileId, method: op.method, pathTemplate: op.pathTemplate });
    } catch {
      this.detail = undefined;
    }
    this.renderFields();
    this.renderCriteria();
    this.renderAdvice();
  }

  private async pickOperation(op: OperationSummary): Promise<void> {
    const previousSkeleton = this.detail?.bodySkeleton;
    const params: Record<string, string> = {};
    for (const name of op.pathParams) params[name] = this.draft.pathParams[name] ?? '';
    if (op.pathTemplate !== this.draft.pathTemplate || op.method !== this.draft.method) {
      // Another endpoint answers with another shape: the old fields and query would not apply.
      this.draft.fields = '';
      this.draft.extraQuery = '';
    }
    this.draft.method = op.method;
    this.draft.pathTemplate = op.pathTemplate;
    this.draft.pathParams = params;
    this.draft.useSearchCriteria = op.isList;
    if (!op.isList) this.draft.searchCriteria = { filterGroups: [], sortOrders: [] };
    this.response = undefined;
    this.detail = undefined;
    this.draftChanged(true);
    this.renderEndpoint();
    await this.describeCurrent();
    // describeCurrent() replaced the detail (TypeScript cannot see the assignment through the call).
    const detail = this.detail as OperationDetail | undefined;
    if (detail && op.hasBody && (this.draft.body.trim() === '' || this.draft.body === previousSkeleton)) {
      this.draft.body = detail.bodySkeleton;
      this.draftChanged(true);
    }
  }

  // --- rendering ---------------------------------------------------------------------------

  private renderAll(): void {
    this.renderProfile();
    this.renderEndpoint();
    this.renderRequest();
    this.renderBody();
    this.renderCriteria();
    this.renderFields();
    this.renderPreview();
    this.renderActions();
    if (this.painted) this.renderDeferred();
  }

  /** Sections with nothing to show before the first request: rendered after the first frame. */
  private renderDeferred(): void {
    this.renderAdvice();
    this.renderResponse();
    this.renderExports();
    this.renderHistory();
  }

  private renderProfile(): void {
    if (this.profiles.length === 0) {
      replaceChildren(this.el.profile,
        h('span', { class: 'muted' }, 'No Magento profile yet.'),
        h('vscode-button', { onclick: () => this.bridge.command({ type: 'manageProfiles' }) }, 'Add a profile…'));
      return;
    }
    const select = h('vscode-single-select', { label: 'Profile', id: 'profile-select' },
      this.profiles.map((p) => h('vscode-option', { value: p.id, selected: p.id === this.draft.profileId, description: `${p.baseUrl} · ${p.authKind}` }, `${p.label}${p.production ? ' (production)' : ''}`)));
    select.addEventListener('change', () => {
      const id = valueOf(select);
      if (id === this.draft.profileId) return;
      this.draft.profileId = id;
      this.bridge.command({ type: 'selectProfile', profileId: id });
      this.draftChanged(false);
      void this.loadSchema(false);
    });
    replaceChildren(this.el.profile, h('label', { for: 'profile-select' }, 'Profile'), select,
      h('vscode-button', { secondary: true, 'aria-label': 'Manage profiles', onclick: () => this.bridge.command({ type: 'manageProfiles' }) }, 'Profiles…'));
  }

  private filteredOperations(): OperationSummary[] {
    const words = this.endpointFilter.toLowerCase().split(/\s+/).filter(Boolean);
    const matches = this.operations.filter((o) => {
      const hay = `${o.method} ${o.pathTemplate} ${o.tag} ${o.summary}`.toLowerCase();
      return words.every((w) => hay.includes(w));
    });
    return matches.slice(0, 100);
  }

  private renderEndpoint(): void {
    const filter = h('vscode-textfield', {
      id: 'endpoint-filter', label: 'Search endpoints by path, tag or summary', placeholder: 'Search endpoints: path, tag or summary (e.g. "products list")',
      '.value': this.endpointFilter, class: 'grow', role: 'combobox', 'aria-controls': 'endpoint-list', 'aria-expanded': 'true',
    });
    filter.addEventListener('input', () => {
      this.endpointFilter = valueOf(filter);
      this.activeIndex = 0;
      this.saveState();
      this.renderEndpointList();
    });
    filter.addEventListener('keydown', (event: KeyboardEvent) => {
      const list = this.filteredOperations();
      if (event.key === 'ArrowDown') { this.activeIndex = Math.min(list.length - 1, this.activeIndex + 1); event.preventDefault(); this.renderEndpointList(); }
      else if (event.key === 'ArrowUp') { this.activeIndex = Math.max(0, this.activeIndex - 1); event.preventDefault(); this.renderEndpointList(); }
      else if (event.key === 'Enter') { const op = list[this.activeIndex]; if (op) { event.preventDefault(); void this.pickOperation(op); } }
    });
    replaceChildren(this.el.endpoint,
      h('div', { class: 'row' }, filter,
        h('vscode-button', { secondary: true, 'aria-label': 'Refresh the schema from the store', onclick: () => void this.loadSchema(true) }, 'Refresh schema')),
      h('div', { class: 'muted row', role: 'status' }, this.schemaLoading ? h('vscode-progress-ring', { 'aria-hidden': 'true' }) : null, this.schemaStatus),
      this.el.endpointList);
    this.renderEndpointList();
  }

  private renderEndpointList(): void {
    const list = this.filteredOperations();
    replaceChildren(this.el.endpointList, list.map((op, i) => {
      const current = op.method === this.draft.method && op.pathTemplate === this.draft.pathTemplate;
      const li = h('li', {
        role: 'option', id: `endpoint-${i}`, 'aria-selected': i === this.activeIndex ? 'true' : 'false', class: current ? 'active' : '',
        'data-method': op.method, 'data-path': op.pathTemplate, title: op.tag,
      }, h('span', { class: `method method-${op.method}` }, op.method), h('span', {}, op.pathTemplate), h('span', { class: 'muted' }, op.summary));
      li.addEventListener('click', () => void this.pickOperation(op));
      return li;
    }));
    if (list.length === 0 && this.operations.length > 0) this.el.endpointList.appendChild(h('li', { class: 'muted' }, 'No endpoint matches.'));
    // Combobox pattern: focus stays in the search box, arrows move the active option.
    const filter = this.el.endpoint.querySelector('#endpoint-filter');
    if (list[this.activeIndex]) filter?.setAttribute('aria-activedescendant', `endpoint-${this.activeIndex}`);
    else filter?.removeAttribute('aria-activedescendant');
    this.el.endpointList.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }

  private renderRequest(): void {
    const method = h('vscode-single-select', { label: 'HTTP method', id: 'method-select' }, METHODS.map((m) => h('vscode-option', { value: m, selected: m === this.draft.method }, m)));
    method.addEventListener('change', () => {
      this.draft.method = (METHODS as readonly string[]).includes(valueOf(method)) ? (valueOf(method) as RequestDraft['method']) : 'GET';
      this.draftChanged(true);
      void this.describeCurrent();
    });
    const path = h('vscode-textfield', { label: 'Path after /rest/<store>', id: 'path-field', class: 'grow', '.value': this.draft.pathTemplate, placeholder: '/V1/products' });
    path.addEventListener('change', () => {
      this.draft.pathTemplate = valueOf(path).trim();
      for (const name of pathParamNames(this.draft.pathTemplate)) this.draft.pathParams[name] ??= '';
      this.draftChanged(true);
      void this.describeCurrent();
    });
    const store = h('vscode-textfield', { label: 'Store code', id: 'store-field', '.value': this.draft.storeCode ?? '', placeholder: this.profiles.find((p) => p.id === this.draft.profileId)?.storeCode ?? 'default', size: 10 });
    store.addEventListener('input', () => {
      const value = valueOf(store).trim();
      if (value) this.draft.storeCode = value; else delete this.draft.storeCode;
      this.draftChanged(false);
    });
    const params = pathParamNames(this.draft.pathTemplate).map((name) => {
      const field = h('vscode-textfield', { label: `Path parameter ${name}`, '.value': this.draft.pathParams[name] ?? '', placeholder: name });
      field.addEventListener('input', () => { this.draft.pathParams[name] = valueOf(field); this.draftChanged(false); });
      return h('div', { class: 'row' }, h('span', { class: 'field-label' }, `{${name}}`), field);
    });
    const useCriteria = h('vscode-checkbox', { label: 'Send searchCriteria', '.checked': this.draft.useSearchCriteria });
    useCriteria.addEventListener('change', () => { this.draft.useSearchCriteria = (useCriteria as unknown as { checked: boolean }).checked; this.draftChanged(true); });
    const extra = h('vscode-textfield', { label: 'Other query parameters (encoded)', class: 'grow', '.value': this.draft.extraQuery, placeholder: 'other query parameters, e.g. storeId=1' });
    extra.addEventListener('input', () => { this.draft.extraQuery = valueOf(extra); this.draftChanged(false); });
    replaceChildren(this.el.request,
      h('div', { class: 'row' }, h('label', { for: 'method-select' }, 'Method'), method, path),
      h('div', { class: 'row' }, h('label', { for: 'store-field' }, 'Store code'), store, useCriteria),
      params,
      h('div', { class: 'row' }, h('span', { class: 'field-label' }, 'Query'), extra));
  }

  private renderBody(): void {
    if (this.draft.method === 'GET' || this.draft.method === 'DELETE') {
      replaceChildren(this.el.body);
      return;
    }
    const id = uid('body');
    const area = h('textarea', { id, class: 'body-editor mono', spellcheck: 'false', 'aria-label': 'JSON body' });
    area.value = this.draft.body;
    const status = h('div', { role: 'status' });
    const check = (): void => {
      if (area.value.trim() === '') { replaceChildren(status, h('span', { class: 'muted' }, 'Empty body.')); return; }
      try { JSON.parse(area.value); replaceChildren(status, h('span', { class: 'muted' }, 'Valid JSON.')); }
      catch (error) { replaceChildren(status, h('span', { class: 'error' }, `Invalid JSON: ${(error as Error).message}`)); }
    };
    area.addEventListener('input', () => { this.draft.body = area.value; check(); this.draftChanged(false); });
    check();
    replaceChildren(this.el.body,
      h('h3', {}, h('label', { for: id }, 'Body (JSON)')),
      area, status,
      this.detail?.bodySkeleton ? h('vscode-button', { secondary: true, onclick: () => { this.draft.body = this.detail?.bodySkeleton ?? ''; this.draftChanged(true); } }, 'Reset to schema skeleton') : null);
  }

  private renderCriteria(): void {
    if (!this.draft.useSearchCriteria) {
      replaceChildren(this.el.criteriaSection);
      return;
    }
    renderCriteriaEditor(this.el.criteria, {
      criteria: this.draft.searchCriteria,
      itemFields: this.detail?.itemFields ?? [],
      changed: (structural) => {
        if (structural) this.renderCriteria();
        this.draftChanged(false);
      },
    });
    replaceChildren(this.el.criteriaSection, h('h2', {}, 'searchCriteria'), this.el.criteria);
  }

  private fieldsValidation(): FieldsValidation {
    return validateFields(this.draft.fields.trim(), this.detail ? toSchemaNodes(this.detail.responseFields) : undefined);
  }

  private renderFields(): void {
    renderFieldsTree(this.el.fieldsTree, {
      fields: this.draft.fields,
      tree: this.detail?.responseFields ?? [],
      expanded: this.expandedFields,
      setFields: (fields) => {
        this.draft.fields = fields;
        this.renderFields();
        this.draftChanged(false);
      },
    });
    const text = h('vscode-textfield', { id: 'fields-text', label: 'fields', class: 'grow mono', '.value': this.draft.fields, placeholder: 'e.g. items[sku,price,extension_attributes[stock_item[qty]]],total_count' });
    const message = h('div', { role: 'status', id: 'fields-status' });
    const show = (): void => {
      const v = this.fieldsValidation();
      if (!v.filtering) replaceChildren(message, h('span', { class: 'muted' }, v.warnings[0] ?? 'No fields: the whole response comes back.'));
      else if (v.emptyResponse || v.error) replaceChildren(message, h('span', { class: 'error' }, v.error ?? 'Magento would answer [] for this.'));
      else replaceChildren(message, v.warnings.length ? v.warnings.map((w) => h('div', { class: 'warning' }, w)) : h('span', { class: 'muted' }, 'Valid.'));
    };
    text.addEventListener('input', () => {
      this.draft.fields = valueOf(text);
      show();
      this.draftChanged(false);
    });
    text.addEventListener('change', () => this.renderFields());
    show();
    replaceChildren(this.el.fieldsText, h('div', { class: 'row' }, h('label', { for: 'fields-text', class: 'field-label' }, 'fields'), text), message);
  }

  private built() {
    const profile = this.profiles.find((p) => p.id === this.draft.profileId);
    return buildDraftRequest(this.draft, { baseUrl: profile?.baseUrl ?? 'https://store.example', storeCode: profile?.storeCode ?? 'default' });
  }

  private renderPreview(): void {
    const built = this.built();
    const edit = h('vscode-textfield', { id: 'url-input', label: 'Paste a URL or query string to fill the editor', class: 'grow', placeholder: 'Paste a URL or a query string (searchCriteria[...]=...&fields=...) and press Enter' });
    const status = h('div', { role: 'status' });
    const apply = (): void => {
      const text = valueOf(edit).trim();
      if (!text) return;
      try {
        this.applyUrl(text);
        replaceChildren(status, h('span', { class: 'muted' }, 'Editor filled from the URL.'));
      } catch (error) {
        replaceChildren(status, h('span', { class: 'error' }, `Cannot read that URL: ${(error as Error).message}`));
      }
    };
    edit.addEventListener('keydown', (event: KeyboardEvent) => { if (event.key === 'Enter') { event.preventDefault(); apply(); } });
    replaceChildren(this.el.preview,
      h('h2', {}, 'URL'),
      h('div', { class: 'muted' }, 'Readable'),
      h('div', { class: 'url mono', id: 'url-readable', 'aria-label': 'Readable URL' }, `${built.method} ${built.readableUrl}`),
      h('div', { class: 'muted' }, 'Encoded (as sent)'),
      h('div', { class: 'url mono', id: 'url-encoded', 'aria-label': 'Encoded URL' }, built.url),
      built.errors.length ? h('div', { class: 'error', role: 'alert' }, built.errors.join(' ')) : null,
      h('div', { class: 'row' }, edit, h('vscode-button', { secondary: true, onclick: apply }, 'Fill from URL')),
      status);
  }

  /** Pasted URL or query → draft (path and store recognised, searchCriteria bound like Magento). */
  applyUrl(text: string): void {
    const hasPath = parseRequestUrl(text).path !== undefined;
    const incoming = draftFromRequest({ method: this.draft.method, url: text });
    if (hasPath) {
      if (incoming.storeCode) this.draft.storeCode = incoming.storeCode;
      // searchCriteria in the URL means a list read, whatever method was selected before.
      const match = this.matchOperation(incoming.pathTemplate, incoming.useSearchCriteria ? 'GET' : this.draft.method);
      this.draft.method = match?.op.method ?? this.draft.method;
      this.draft.pathTemplate = match?.op.pathTemplate ?? incoming.pathTemplate;
      this.draft.pathParams = match?.params ?? {};
    }
    // A bare query string keeps the endpoint; a URL replaces everything the query can say.
    this.draft.useSearchCriteria = incoming.useSearchCriteria || (!hasPath && this.draft.useSearchCriteria);
    if (incoming.useSearchCriteria || hasPath) this.draft.searchCriteria = incoming.searchCriteria;
    if (incoming.fields !== '' || hasPath) this.draft.fields = incoming.fields;
    this.draft.extraQuery = incoming.extraQuery;
    this.response = undefined;
    this.draftChanged(true);
    this.renderEndpointList();
    void this.describeCurrent();
  }

  private matchOperation(path: string, method: string): { op: OperationSummary; params: Record<string, string> } | undefined {
    const candidates = this.operations.filter((o) => o.method === method).concat(this.operations.filter((o) => o.method === 'GET' && o.method !== method));
    let best: { op: OperationSummary; params: Record<string, string>; literals: number } | undefined;
    for (const op of candidates) {
      const names: string[] = [];
      const pattern = op.pathTemplate.replace(/[.*+?^$()|\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_, name: string) => { names.push(name); return '([^/]+)'; });
      const m = new RegExp(`^${pattern}$`).exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      names.forEach((n, i) => { params[n] = decodeURIComponent(m[i + 1] ?? ''); });
      const literals = op.pathTemplate.split('/').filter((s) => !s.startsWith('{')).length;
      if (!best || literals > best.literals) best = { op, params, literals };
    }
    return best;
  }

  private renderActions(): void {
    const validation = this.fieldsValidation();
    const send = h('vscode-button', { id: 'send-button', 'aria-label': 'Send the request (Ctrl+Enter)', disabled: this.sending || undefined, onclick: () => void this.send() }, this.sending ? 'Sending…' : 'Send');
    const items: (HTMLElement | null)[] = [send];
    if (this.sending) items.push(h('vscode-progress-ring', { 'aria-label': 'Sending' }));
    if (this.confirmEmptyBody && validation.emptyResponse) {
      items.push(h('span', { class: 'error', role: 'alert' }, 'Magento will answer 200 with an empty body ([]) for this fields value.'),
        h('vscode-button', { secondary: true, onclick: () => void this.send(true) }, 'Send anyway'));
    }
    replaceChildren(this.el.actions, items);
  }

  private advisorHints(): AdvisorHint[] {
    const v = this.fieldsValidation();
    const op = this.currentOperation();
    const body = this.response?.body;
    let lastEntityId: number | undefined;
    if (body?.kind === 'json' && typeof body.value === 'object' && body.value !== null) {
      const items = (body.value as { items?: unknown }).items;
      if (Array.isArray(items)) {
        for (const item of items) {
          const id = Number((item as { entity_id?: unknown; id?: unknown }).entity_id ?? (item as { id?: unknown }).id);
          if (Number.isFinite(id)) lastEntityId = Math.max(lastEntityId ?? 0, id);
        }
      }
    }
    // A store that refused the page size told us its limit: input limits are on.
    let limits: { inputLimits: boolean; maxPageSize?: number } | undefined;
    if (this.response?.status === 400 && body?.kind === 'json') {
      const error = body.value as { message?: unknown; parameters?: { max?: unknown } } | null;
      if (typeof error?.message === 'string' && error.message.startsWith('Maximum SearchCriteria pageSize')) {
        limits = { inputLimits: true, ...(typeof error.parameters?.max === 'number' ? { maxPageSize: error.parameters.max } : {}) };
      }
    }
    return adviseRequest(
      { method: this.draft.method, path: this.draft.pathTemplate, isList: op?.isList ?? this.draft.useSearchCriteria, searchCriteria: this.draft.searchCriteria, fields: this.draft.fields },
      {
        itemFields: (this.detail?.itemFields ?? []).map((f) => f.name),
        ...(this.response?.paging ? { lastTotalCount: this.response.paging.totalCount } : {}),
        ...(lastEntityId !== undefined ? { lastEntityId } : {}),
        ...(this.response ? { lastResponse: { decodedBytes: this.response.bytes.decoded, wireBytes: this.response.bytes.wire, ...(this.response.headers['content-encoding'] ? { contentEncoding: this.response.headers['content-encoding'] } : {}) } } : {}),
        ...(v.emptyResponse && v.error ? { fieldsError: v.error } : {}),
        ...limits,
      },
    );
  }

  private renderAdvice(): void {
    const hints = this.advisorHints();
    if (hints.length === 0) {
      replaceChildren(this.el.advice, h('p', { class: 'muted' }, 'Nothing to improve that the advisor can see.'));
      return;
    }
    replaceChildren(this.el.advice, h('ul', { class: 'advice' }, hints.map((hint) => h('li', { class: `sev-${hint.severity}`, 'data-rule': hint.rule },
      h('div', {}, h('span', { class: hint.severity }, `${hint.severity}: `), hint.message),
      hint.fix ? h('vscode-button', { secondary: true, 'aria-label': `Fix: ${hint.fix.label}`, onclick: () => {
        const fixed = applyAdvisorFix({ ...this.draft, path: this.draft.pathTemplate, isList: true }, hint.fix!.fix);
        const { path: _path, isList: _isList, ...draft } = fixed;
        this.draft = draft;
        if (hint.fix!.fix.kind !== 'setFields') this.draft.useSearchCriteria = true;
        this.draftChanged(true);
      } }, hint.fix.label) : null))));
  }

  // --- sending -----------------------------------------------------------------------------

  async send(force = false): Promise<void> {
    if (this.sending) return;
    const built = this.built();
    if (built.errors.length > 0) {
      this.responseError = { message: built.errors.join(' ') };
      this.renderResponse();
      return;
    }
    if (!force && this.fieldsValidation().emptyResponse) {
      this.confirmEmptyBody = true;
      this.renderActions();
      return;
    }
    this.sending = true;
    this.confirmEmptyBody = false;
    this.responseError = undefined;
    this.renderActions();
    try {
      this.response = await this.bridge.request('send', { draft: this.draft });
    } catch (error) {
      this.response = undefined;
      this.responseError = { message: (error as Error).message, ...(error instanceof ReplyError && error.hint ? { hint: error.hint } : {}) };
    } finally {
      this.sending = false;
    }
    this.renderActions();
    this.renderResponse();
    this.renderAdvice();
    this.el.response.scrollIntoView({ block: 'start' });
  }

  private async page(delta: number): Promise<void> {
    const current = this.response?.paging?.currentPage ?? this.draft.searchCriteria.currentPage ?? 1;
    this.draft.useSearchCriteria = true;
    this.draft.searchCriteria.currentPage = Math.max(1, current + delta);
    if (!this.draft.searchCriteria.pageSize) this.draft.searchCriteria.pageSize = this.response?.paging?.pageSize ?? 20;
    this.draftChanged(true);
    await this.send(true);
  }

  private async fetchAll(format: 'jsonl' | 'json'): Promise<void> {
    const id = `fetch-${Date.now().toString(36)}`;
    this.fetchJob = { id, pages: 0, items: 0 };
    this.renderResponse();
    try {
      const result = await this.bridge.request('fetchAllPages', { draft: this.draft, jobId: id, format });
      this.exportNote = { text: `${result.cancelled ? 'Cancelled after' : 'Fetched'} ${result.items} of ${result.totalCount} items in ${result.pages} pages → ${result.path}` };
    } catch (error) {
      this.exportNote = { text: `Fetch all pages failed: ${(error as Error).message}` };
    }
    this.fetchJob = undefined;
    this.renderResponse();
    this.renderExports();
  }

  private renderResponse(): void {
    const parts: (HTMLElement | null)[] = [h('h2', {}, 'Response')];
    if (this.responseError) {
      parts.push(h('div', { class: 'error', role: 'alert' }, this.responseError.message), this.responseError.hint ? h('div', { class: 'muted' }, this.responseError.hint) : null);
    }
    const r = this.response;
    if (!r && !this.responseError) parts.push(h('p', { class: 'muted' }, 'Send the request to see the answer here (Ctrl+Enter).'));
    if (r) {
      const saved = r.bytes.decoded > 0 ? Math.round((1 - r.bytes.wire / r.bytes.decoded) * 100) : 0;
      parts.push(h('div', { class: 'stats', id: 'response-stats' },
        h('span', { class: r.status < 400 ? 'status-ok' : 'status-bad', id: 'response-status' }, `HTTP ${r.status}`),
        h('span', {}, `${r.timeMs} ms (headers ${r.headersMs} ms)`),
        h('span', { title: 'Bytes on the wire vs decoded' }, `${formatBytes(r.bytes.wire)} on the wire · ${formatBytes(r.bytes.decoded)} decoded${r.headers['content-encoding'] ? ` (${r.headers['content-encoding']}, −${saved}%)` : ' (uncompressed)'}`)));
      if (r.paging) {
        const { totalCount, pageSize, currentPage } = r.paging;
        const pages = pageSize ? Math.max(1, Math.ceil(totalCount / pageSize)) : 1;
        parts.push(h('div', { class: 'row', role: 'group', 'aria-label': 'Paging' },
          h('span', { id: 'paging-status' }, `total_count ${totalCount}${pageSize ? ` · page ${currentPage ?? 1} of ${pages}` : ''}`),
          h('vscode-button', { secondary: true, id: 'page-prev', disabled: (currentPage ?? 1) <= 1 || this.sending || undefined, onclick: () => void this.page(-1) }, '◀ Previous page'),
          h('vscode-button', { secondary: true, id: 'page-next', disabled: !hasNextPage(r.paging) || this.sending || undefined, onclick: () => void this.page(1) }, 'Next page ▶')));
      }
      if (this.currentOperation()?.isList || r.paging) {
        if (this.fetchJob) {
          const job = this.fetchJob;
          parts.push(h('div', { class: 'row', role: 'status' }, h('vscode-progress-ring', { 'aria-label': 'Fetching all pages' }),
            `Fetching all pages… ${job.pages} pages, ${job.items}${job.totalCount !== undefined ? ` of ${job.totalCount}` : ''} items`,
            h('vscode-button', { secondary: true, onclick: () => this.bridge.command({ type: 'cancel', jobId: job.id }) }, 'Cancel')));
        } else {
          parts.push(h('div', { class: 'row' },
            h('vscode-button', { secondary: true, id: 'fetch-all-jsonl', onclick: () => void this.fetchAll('jsonl') }, 'Fetch all pages → JSON lines'),
            h('vscode-button', { secondary: true, onclick: () => void this.fetchAll('json') }, '→ JSON array')));
        }
      }
      parts.push(h('vscode-collapsible', { heading: `Headers (${Object.keys(r.headers).length})` },
        h('table', { class: 'headers' }, Object.entries(r.headers).map(([k, v]) => h('tr', {}, h('td', {}, k), h('td', {}, v)))),
        h('div', { class: 'muted' }, 'Request headers'),
        h('table', { class: 'headers' }, Object.entries(r.requestHeaders).map(([k, v]) => h('tr', {}, h('td', {}, k), h('td', {}, v))))));
      parts.push(this.renderBodyView(r));
    }
    replaceChildren(this.el.response, parts);
  }

  private renderBodyView(r: SendResult): HTMLElement {
    const body = r.body;
    if (body.kind === 'empty') return h('p', { class: 'muted' }, 'Empty body.');
    if (body.kind === 'text') return h('pre', { class: 'mono' }, body.text);
    if (body.kind === 'file') {
      return h('div', { role: 'status' }, h('p', {}, `${body.reason} It was written to ${body.path} and opened in an editor.`),
        h('vscode-button', { secondary: true, onclick: () => void this.bridge.request('openFile', { path: body.path }) }, 'Open again'));
    }
    const container = h('div', { id: 'json-body' });
    const count = h('span', { class: 'muted', role: 'status' });
    const draw = (): void => {
      const { element, stats } = renderJsonTree(body.value, { search: this.jsonSearch });
      replaceChildren(container, element);
      replaceChildren(count, this.jsonSearch ? `${stats.matches} visible matches` : '');
    };
    const search = h('vscode-textfield', { label: 'Search the response', placeholder: 'Search keys and values', '.value': this.jsonSearch, class: 'grow' });
    let timer: number | undefined;
    search.addEventListener('input', () => {
      this.jsonSearch = valueOf(search);
      this.saveState();
      if (timer !== undefined) window.clearTimeout(timer);
      timer = window.setTimeout(draw, 200);
    });
    draw();
    return h('div', {}, h('div', { class: 'row' }, search, count), container);
  }

  // --- export & history --------------------------------------------------------------------

  private renderExports(): void {
    const curl = async (reveal: boolean): Promise<void> => {
      try {
        const result = await this.bridge.request('exportCurl', { draft: this.draft, revealSecrets: reveal });
        this.exportNote = { text: result.copied ? (reveal ? 'Copied with credentials. Masked version:' : 'Copied to the clipboard (credentials masked).') : 'Not copied.', curl: result.curl };
      } catch (error) {
        this.exportNote = { text: `cURL export failed: ${(error as Error).message}` };
      }
      this.renderExports();
    };
    const buttons: HTMLElement[] = [
      h('vscode-button', { id: 'export-curl', onclick: () => void curl(false) }, 'Copy as cURL'),
      h('vscode-button', { secondary: true, onclick: () => void curl(true) }, 'Copy with credentials…'),
      h('vscode-button', { secondary: true, onclick: async () => {
        try {
          const result = await this.bridge.request('saveHttpFile', { draft: this.draft });
          this.exportNote = { text: result.path ? `Saved to ${result.path}` : 'Not saved.' };
        } catch (error) {
          this.exportNote = { text: `Save failed: ${(error as Error).message}` };
        }
        this.renderExports();
      } }, 'Save to .http'),
    ];
    if (this.convertAvailable) {
      buttons.push(h('vscode-button', { secondary: true, onclick: async () => {
        try {
          const result = await this.bridge.request('convertToAsync', { draft: this.draft });
          this.exportNote = { text: result.message };
        } catch (error) {
          this.exportNote = { text: `Convert failed: ${(error as Error).message}` };
        }
        this.renderExports();
      } }, 'Convert to async / bulk'));
    }
    replaceChildren(this.el.exports, h('div', { class: 'row' }, buttons),
      this.exportNote ? h('div', { role: 'status', id: 'export-status' }, h('div', {}, this.exportNote.text), this.exportNote.curl ? h('pre', { class: 'curl mono', id: 'curl-text' }, this.exportNote.curl) : null) : null);
  }

  private renderHistory(): void {
    if (this.history.length === 0) {
      replaceChildren(this.el.history, h('p', { class: 'muted' }, 'Requests you send with this profile appear here.'));
      return;
    }
    replaceChildren(this.el.history,
      h('ul', { class: 'history', 'aria-label': 'Recent requests' }, this.history.map((entry) => h('li', {},
        h('button', { class: 'link', title: new Date(entry.at).toLocaleString(), onclick: () => this.bridge.command({ type: 'openHistoryEntry', entryId: entry.id, inNewPanel: false }) },
          `${entry.draft.method} ${entry.draft.pathTemplate}${entry.status ? ` → ${entry.status}` : ''}`),
        h('vscode-button', { secondary: true, 'aria-label': `Open ${entry.draft.method} ${entry.draft.pathTemplate} in a new panel`, onclick: () => this.bridge.command({ type: 'openHistoryEntry', entryId: entry.id, inNewPanel: true }) }, '↗')))),
      this.draft.profileId ? h('vscode-button', { secondary: true, onclick: () => this.bridge.command({ type: 'clearHistory', profileId: this.draft.profileId! }) }, 'Clear history') : null);
  }
}

function toSchemaNodes(nodes: readonly FieldNode[]): FieldsSchemaNode[] {
  return nodes.map((n) => ({
    name: n.name,
    ...(n.kind === 'custom_attributes' ? { isCustomAttributes: true } : {}),
    ...(n.children ? { children: toSchemaNodes(n.children) } : {}),
  }));
}

const root = document.getElementById('app');
if (root) new RequestBuilderApp(root);
