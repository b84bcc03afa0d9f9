// One request builder panel: a webview that speaks requestBuilderProtocol. Every inbound
// message is validated (invalid ones are logged and dropped); nothing is posted before the
// webview says `ready`; the panel's draft lives here (the host owns the truth) and in the
// webview's own state, so a hidden or reloaded panel rebuilds itself without
// retainContextWhenHidden.
import * as vscode from 'vscode';
import { performance } from 'node:perf_hooks';
import { type Logger } from '../../core/ports';
import {
  parseWebviewMessage,
  emptyDraft,
  type HostMessage,
  type RequestDraft,
  type RequestMethod,
  type RequestParams,
  type RequestResult,
  type WebviewMessage,
  type WebviewRequest,
} from '../../protocol/requestBuilderProtocol';
import { RequestBuilderError, type RequestBuilderService } from '../../core/requestBuilder/requestBuilderService';
import { appendHttpRequest } from '../../core/export/httpFileExport';
import { type RequestHistory } from '../../core/history/requestHistory';
import { createNonce, requestBuilderHtml } from './webviewHtml';

export const REQUEST_BUILDER_VIEW_TYPE = 'magentoWorkbench.requestBuilder';

export interface PanelDeps {
  extensionUri: vscode.Uri;
  service: RequestBuilderService;
  history: RequestHistory;
  logger: Logger;
  /** Command id of Convert's "convert to async/bulk", when that feature registered one. */
  convertCommand: () => Promise<string | undefined>;
  activeProfileId: () => string | undefined;
  openInNewPanel: (draft: RequestDraft) => void;
  onDidDispose: (panel: RequestBuilderPanel) => void;
}

/** Epoch milliseconds with sub-millisecond precision (comparable with the webview's timeOrigin). */
function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Where the time from "open" to the first painted frame goes, in epoch milliseconds: host
 * marks taken here, webview marks from its `firstPaint` message (its own clock, same machine).
 */
export interface PanelTimings {
  /** The panel object was created (right after createWebviewPanel). */
  created: number;
  /** The HTML was handed to the webview. */
  htmlSet: number;
  ready?: number;
  initPosted?: number;
  /** When the host received `firstPaint`. */
  firstPaintReceived?: number;
  /** The webview's own marks, converted to epoch ms. */
  webview?: { documentStart: number; scriptStart: number; shellRendered: number; painted: number };
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    // Only what the page loads: the bundle and the stylesheet. Never the whole extension folder.
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export class RequestBuilderPanel implements vscode.Disposable {
  private ready = false;
  private draft: RequestDraft;
  private readonly jobs = new Map<string, AbortController>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly postListeners = new Set<(message: HostMessage) => void>();
  private disposed = false;
  private readonly producedFiles = new Set<string>();
  private readonly marks: PanelTimings;
  private readonly firstPaintListeners = new Set<(timings: PanelTimings) => void>();
  /**
   * Asked at once, not on `ready`: getCommands crosses to the workbench process and took
   * hundreds of milliseconds under load, time the webview would otherwise wait for `init`.
   */
  private readonly convertAvailable: Promise<boolean>;

  constructor(readonly panel: vscode.WebviewPanel, private readonly deps: PanelDeps, draft?: RequestDraft) {
    this.marks = { created: epochNow(), htmlSet: 0 };
    this.convertAvailable = deps.convertCommand().then((c) => c !== undefined, () => false);
    this.draft = draft ?? { ...emptyDraft(), ...(deps.activeProfileId() ? { profileId: deps.activeProfileId() } : {}) };
    panel.webview.options = webviewOptions(deps.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'magento-activity.svg');
    this.updateTitle();
    this.render();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.handleMessage(raw)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Current draft (what the panel would send). */
  get currentDraft(): RequestDraft {
    return this.draft;
  }

  private render(): void {
    this.ready = false;
    const webview = this.panel.webview;
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'webview', 'requestBuilder.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'requestBuilder.css'));
    webview.html = requestBuilderHtml(webview, script, style, createNonce());
    this.marks.htmlSet = epochNow();
  }

  /** Timing marks of this panel's load (tests and the benchmark read them). */
  get timings(): PanelTimings {
    return { ...this.marks };
  }

  /** Called once the webview reports its first painted frame (at once if it already has). */
  onDidFirstPaint(listener: (timings: PanelTimings) => void): vscode.Disposable {
    if (this.marks.firstPaintReceived !== undefined) {
      listener(this.timings);
      return new vscode.Disposable(() => undefined);
    }
    this.firstPaintListeners.add(listener);
    return new vscode.Disposable(() => this.firstPaintListeners.delete(listener));
  }

  /** Listens to every message posted to the webview (tests observe the panel through this). */
  onDidPost(listener: (message: HostMessage) => void): vscode.Disposable {
    this.postListeners.add(listener);
    return new vscode.Disposable(() => this.postListeners.delete(listener));
  }

  private post(message: HostMessage): void {
    if (this.disposed) return;
    for (const listener of this.postListeners) listener(message);
    if (!this.ready) return;
    void this.panel.webview.postMessage(message);
  }

  /** Replaces the draft (history entry, `.http` request) and tells the webview. */
  setDraft(draft: RequestDraft): void {
    this.draft = draft;
    this.updateTitle();
    this.post({ type: 'setDraft', draft });
  }

  /** Pushes fresh profile summaries (profiles edited elsewhere). */
  refreshProfiles(): void {
    this.post({ type: 'profiles', profiles: this.deps.service.profiles(), ...(this.deps.activeProfileId() ? { activeProfileId: this.deps.activeProfileId() } : {}) });
  }

  private updateTitle(): void {
    const path = this.draft.pathTemplate.trim();
    this.panel.title = path ? `${this.draft.method} ${path}` : 'Request Builder';
  }

  /** The single entry point for webview messages (also the test hook). */
  async handleMessage(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.deps.logger.warn(`dropped an invalid webview message: ${parsed.error}`);
      return;
    }
    const message: WebviewMessage = parsed.message;
    if (message.type === 'request') {
      await this.handleRequest(message);
      return;
    }
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.marks.ready = epochNow();
        this.post({
          type: 'init',
          draft: this.draft,
          profiles: this.deps.service.profiles(),
          ...(this.deps.activeProfileId() ? { activeProfileId: this.deps.activeProfileId() } : {}),
          history: this.draft.profileId ? this.deps.history.list(this.draft.profileId) : [],
          convertAvailable: await this.convertAvailable,
          largeBodyThresholdBytes: this.deps.service.largeBodyThresholdBytes,
        });
        this.marks.initPosted = epochNow();
        return;
      case 'firstPaint': {
        if (this.marks.firstPaintReceived !== undefined) return;
        this.marks.firstPaintReceived = epochNow();
        const at = (ms: number): number => message.timeOrigin + ms;
        this.marks.webview = { documentStart: message.timeOrigin, scriptStart: at(message.scriptStartMs), shellRendered: at(message.shellRenderedMs), painted: at(message.paintedMs) };
        const timings = this.timings;
        for (const listener of this.firstPaintListeners) listener(timings);
        this.firstPaintListeners.clear();
        return;
      }
      case 'draftChanged':
        this.draft = message.draft;
        this.updateTitle();
        return;
      case 'selectProfile':
        this.draft = { ...this.draft, profileId: message.profileId };
        this.post({ type: 'history', history: this.deps.history.list(message.profileId) });
        return;
      case 'cancel':
        this.jobs.get(message.jobId)?.abort();
        return;
      case 'openHistoryEntry': {
        const profileId = this.draft.profileId;
        const entry = profileId ? this.deps.history.find(profileId, message.entryId) : undefined;
        if (!entry) {
          void vscode.window.showWarningMessage(vscode.l10n.t('That history entry is gone (history keeps the last requests only).'));
          return;
        }
        if (message.inNewPanel) this.deps.openInNewPanel(entry.draft);
        else this.setDraft(entry.draft);
        return;
      }
      case 'clearHistory':
        await this.deps.history.clear(message.profileId);
        this.post({ type: 'history', history: [] });
        return;
      case 'manageProfiles': {
        const commands = await vscode.commands.getCommands(true);
        const manage = ['magentoWorkbench.profile.add', 'magentoWorkbench.profiles.manage', 'magentoWorkbench.profile.manage'].find((c) => commands.includes(c));
        if (manage) await vscode.commands.executeCommand(manage);
        else await vscode.commands.executeCommand('workbench.action.openSettings', 'magentoWorkbench.profiles');
        return;
      }
    }
  }

  private async handleRequest(message: WebviewRequest): Promise<void> {
    const controller = new AbortController();
    this.jobs.set(message.id, controller);
    try {
      const result = await this.execute(message, controller.signal);
      this.post({ type: 'reply', id: message.id, ok: true, result });
    } catch (error) {
      const hint = error instanceof RequestBuilderError ? error.hint : (error as { hint?: unknown }).hint;
      const text = error instanceof Error ? error.message : String(error);
      this.deps.logger.warn(`${message.method} failed: ${text}`);
      this.post({ type: 'reply', id: message.id, ok: false, error: { message: text, ...(typeof hint === 'string' ? { hint } : {}) } });
    } finally {
      this.jobs.delete(message.id);
    }
  }

  private async execute(message: WebviewRequest, signal: AbortSignal): Promise<RequestResult<RequestMethod>> {
    const service = this.deps.service;
    switch (message.method) {
      case 'loadSchema': {
        const p = message.params as RequestParams<'loadSchema'>;
        return service.loadSchema(p.profileId, p.refresh ?? false);
      }
      case 'describeOperation': {
        const p = message.params as RequestParams<'describeOperation'>;
        return service.describeOperation(p.profileId, p.method, p.pathTemplate);
      }
      case 'send': {
        const p = message.params as RequestParams<'send'>;
        this.draft = p.draft;
        this.updateTitle();
        const result = await service.send(p.draft, signal);
        if (result.body.kind === 'file') {
          this.producedFiles.add(result.body.path);
          // Large bodies open in an editor, never in the webview (VS Code pages large files itself).
          void vscode.window.showTextDocument(vscode.Uri.file(result.body.path), { preview: true, viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
        }
        if (p.draft.profileId) this.post({ type: 'history', history: this.deps.history.list(p.draft.profileId) });
        return result;
      }
      case 'fetchAllPages': {
        const p = message.params as RequestParams<'fetchAllPages'>;
        const controller = new AbortController();
        signal.addEventListener('abort', () => controller.abort());
        this.jobs.set(p.jobId, controller);
        try {
          const result = await service.fetchAllPages(p.draft, p.format, (progress) => {
            this.post({ type: 'fetchAllProgress', jobId: p.jobId, pages: progress.pages, items: progress.items, ...(progress.totalCount !== undefined ? { totalCount: progress.totalCount } : {}) });
          }, controller.signal);
          this.producedFiles.add(result.path);
          void vscode.window.showInformationMessage(vscode.l10n.t('{0} {1} items in {2} pages → {3}', result.cancelled ? 'Cancelled after' : 'Fetched', result.items, result.pages, result.path), 'Open').then((choice) => {
            if (choice === 'Open') void vscode.window.showTextDocument(vscode.Uri.file(result.path));
          });
          return result;
        } finally {
          this.jobs.delete(p.jobId);
        }
      }
      case 'exportCurl': {
        const p = message.params as RequestParams<'exportCurl'>;
        if (p.revealSecrets) {
          const confirm = await vscode.window.showWarningMessage(vscode.l10n.t('Copy the cURL command WITH the credentials (token or OAuth signature) to the clipboard?'), { modal: true }, 'Copy with credentials');
          if (confirm !== 'Copy with credentials') return { curl: await service.curl(p.draft, false), copied: false };
          // The unmasked command goes to the clipboard only; the webview gets the masked one.
          await vscode.env.clipboard.writeText(await service.curl(p.draft, true));
          return { curl: await service.curl(p.draft, false), copied: true };
        }
        const curl = await service.curl(p.draft, false);
        await vscode.env.clipboard.writeText(curl);
        return { curl, copied: true };
      }
      case 'saveHttpFile': {
        const p = message.params as RequestParams<'saveHttpFile'>;
        const request = service.httpRequest(p.draft);
        const target = await vscode.window.showSaveDialog({ filters: { 'HTTP requests': ['http', 'rest'] }, saveLabel: 'Save request', title: vscode.l10n.t('Save as .http (appends when the file exists)') });
        if (!target) return {};
        let existing = '';
        try {
          existing = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
        } catch {
          existing = '';
        }
        await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(appendHttpRequest(existing, request)));
        void vscode.window.showTextDocument(target, { preview: false });
        return { path: target.fsPath };
      }
      case 'convertToAsync': {
        const p = message.params as RequestParams<'convertToAsync'>;
        const command = await this.deps.convertCommand();
        if (!command) return { started: false, message: 'Async/bulk conversion is not available in this build.' };
        const target = await vscode.window.showQuickPick(
          [{ label: 'Async', description: 'POST /async/V1/… — one queued operation', id: 'async' }, { label: 'Bulk', description: 'POST /async/bulk/V1/… — many operations in one bulk', id: 'bulk' }],
          { title: vscode.l10n.t('Convert this request to') },
        );
        if (!target) return { started: false, message: 'Conversion cancelled.' };
        // Convert works on `.http` requests: hand it this one as an untitled .http document.
        const text = service.httpText(p.draft);
        const document = await vscode.workspace.openTextDocument({ language: 'http', content: text });
        await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.Beside });
        const line = text.split('\n').findIndex((l) => l.startsWith(`${p.draft.method} `)) + 1;
        await vscode.commands.executeCommand(target.id === 'bulk' ? 'magentoWorkbench.convert.toBulk' : command, { uri: document.uri.toString(), line });
        return { started: true, message: `Opened in the ${target.label.toLowerCase()} converter.` };
      }
      case 'openFile': {
        const p = message.params as RequestParams<'openFile'>;
        // Only files this panel wrote: a webview message must not open arbitrary paths.
        if (!this.producedFiles.has(p.path)) throw new RequestBuilderError('That file was not written by this panel.');
        await vscode.window.showTextDocument(vscode.Uri.file(p.path), { preview: true, viewColumn: vscode.ViewColumn.Beside });
        return { opened: true };
      }
    }
  }

  reveal(): void {
    this.panel.reveal();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const job of this.jobs.values()) job.abort();
    this.jobs.clear();
    this.postListeners.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this.deps.onDidDispose(this);
  }
}
