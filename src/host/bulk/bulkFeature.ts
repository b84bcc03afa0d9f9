// The Bulk Operations feature's long-lived objects: tracker (persisted in globalState), poller
// (paused while the view is hidden and the window unfocused), tree view, status-bar item,
// finished notifications and the read-only operation documents. Commands live in bulkCommands.ts.
import * as vscode from 'vscode';
import { join } from 'node:path';
import { BulkPoller } from '../../core/bulk/bulkPoller';
import { BulkTracker } from '../../core/bulk/bulkTracker';
import { computeBulkState, bulkLabel, finishedMessage, type TrackedBulk } from '../../core/bulk/bulkState';
import { createBulkStatusApi, type BulkDetailedStatus, type BulkStatusApi } from '../../core/bulk/bulkStatusApi';
import { journalPayloadSource } from '../../core/bulk/journalRetry';
import { payloadFromSerializedData, type RetryPayloadSource, type TopicRouteCandidate } from '../../core/bulk/retrySelection';
import { SubmissionJournal } from '../../core/convert/submissionJournal';
import { realScheduler, type KeyValueStore, type Logger } from '../../core/ports';
import { MagentoSchema } from '../../core/schema/swaggerSchema';
import { type HostContext } from '../hostContext';
import { type BulkProfileAccess } from './bulkProfiles';
import { type BulkTrackingService, type TrackBulkRequest } from './bulkTrackingService';
import { BulkTreeProvider } from './bulkTreeProvider';
import { buildBulkNode, type BulkTreeElement, type NodeView } from './bulkTreeNodes';

export const BULK_VIEW_ID = 'magentoWorkbench.bulkOperations';
export const OPERATION_SCHEME = 'magento-bulk-operation';
const DETAILED_CACHE_MS = 10_000;
const NOTICE_COALESCE_MS = 1_000;

export interface BulkSettings {
  initialIntervalMs: number;
  maxIntervalMs: number;
  stuckThresholdMs: number;
  notifyOnFinish: boolean;
}

export function readBulkSettings(): BulkSettings {
  const c = vscode.workspace.getConfiguration('magentoWorkbench.bulk');
  const seconds = (key: string, fallback: number, min: number): number => {
    const v = c.get<number>(key);
    return typeof v === 'number' && Number.isFinite(v) && v >= min ? v : fallback;
  };
  return {
    initialIntervalMs: seconds('pollIntervalSeconds', 2, 0.5) * 1000,
    maxIntervalMs: seconds('maxPollIntervalSeconds', 60, 1) * 1000,
    stuckThresholdMs: seconds('stuckAfterSeconds', 120, 5) * 1000,
    notifyOnFinish: c.get<boolean>('notifyOnFinish') ?? true,
  };
}

function globalStateStore(memento: vscode.Memento): KeyValueStore {
  return {
    get: <T>(key: string) => memento.get<T>(key),
    update: async (key, value) => {
      await memento.update(key, value);
    },
  };
}

/** What the view shows for a bulk, returned by the API forms of the commands (Convert, tests). */
export interface BulkSnapshot {
  uuid: string;
  node: NodeView;
  verdict: string;
  summary: string;
  parentUuid?: string;
  childUuids: string[];
  retriedOperationIds: number[];
  /** The bulk is among the view's root nodes. */
  inTree: boolean;
  /** The text of the "finished" notification, once shown. */
  finishedNotice?: string;
}

export class BulkFeature implements BulkTrackingService, vscode.Disposable {
  readonly tracker: BulkTracker;
  readonly poller: BulkPoller;
  readonly provider: BulkTreeProvider;
  readonly treeView: vscode.TreeView<BulkTreeElement>;
  readonly journal: SubmissionJournal;
  readonly logger: Logger;
  private readonly statusBar: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly detailedCache = new Map<string, { at: number; value: Promise<BulkDetailedStatus> }>();
  /** Bulks whose finish deserves a notification: seen running, or tracked on purpose. */
  private readonly noticeEligible = new Set<string>();
  private settings: BulkSettings;
  private readonly operationDocs = new vscode.EventEmitter<vscode.Uri>();
  private readonly finishedNotices = new Map<string, string>();
  private readonly pendingNotices: string[] = [];
  private readonly seenChanges = new Map<string, number | undefined>();
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly host: HostContext, readonly profiles: BulkProfileAccess) {
    this.logger = host.logger.child('bulk');
    this.settings = readBulkSettings();
    this.tracker = new BulkTracker({
      store: globalStateStore(host.extension.globalState), clock: realScheduler, scheduler: realScheduler, logger: this.logger,
      stuckThresholdMs: this.settings.stuckThresholdMs,
    });
    for (const warning of this.tracker.loadWarnings) void vscode.window.showWarningMessage(vscode.l10n.t('Bulk Operations: {0}', warning));
    for (const bulk of this.tracker.list()) if (!computeBulkState(bulk, Date.now()).terminal) this.noticeEligible.add(bulk.uuid);
    // Same folder as Convert's submissions, so retry finds what was sent.
    this.journal = new SubmissionJournal({ folder: join(host.extension.globalStorageUri.fsPath, 'submission-journal') });
    this.poller = new BulkPoller({
      tracker: this.tracker, scheduler: realScheduler, logger: this.logger,
      options: { initialIntervalMs: this.settings.initialIntervalMs, maxIntervalMs: this.settings.maxIntervalMs },
      fetchStatus: async (bulk, signal) => (await this.statusApi(bulk.profileId)).shortStatus(bulk.uuid, bulk.storeCode, signal),
    });
    this.provider = new BulkTreeProvider(this.tracker, () => ({
      now: Date.now(), stuckThresholdMs: this.tracker.stuckThresholdMs,
      profileLabel: (id) => this.profiles.profiles().find((p) => p.id === id)?.label,
    }));
    this.treeView = vscode.window.createTreeView(BULK_VIEW_ID, { treeDataProvider: this.provider, showCollapseAll: true, canSelectMany: true });
    this.statusBar = vscode.window.createStatusBarItem('magentoWorkbench.bulk.status', vscode.StatusBarAlignment.Left, 10);
    this.statusBar.name = 'Magento Bulk Operations';
    this.statusBar.command = `${BULK_VIEW_ID}.focus`;

    this.disposables.push(
      this.provider, this.treeView, this.statusBar, this.operationDocs,
      this.tracker.onDidChange((event) => {
        if (event.kind === 'finished') this.notifyFinished(event.uuid);
        else if (event.kind === 'updated') {
          const bulk = this.tracker.get(event.uuid);
          if (bulk?.operations && !computeBulkState(bulk, Date.now()).terminal) this.noticeEligible.add(bulk.uuid);
          if (bulk && bulk.lastChangedAt !== this.seenChanges.get(bulk.uuid)) {
            // Operations changed: cached details are old, and open operation documents show them.
            this.seenChanges.set(bulk.uuid, bulk.lastChangedAt);
            this.detailedCache.delete(bulk.uuid);
            for (const doc of vscode.workspace.textDocuments) {
              if (doc.uri.scheme === OPERATION_SCHEME && doc.uri.path.startsWith(`/${bulk.uuid}/`)) this.operationDocs.fire(doc.uri);
            }
          }
        }
        this.updateStatusBar();
      }),
      this.treeView.onDidChangeVisibility(() => this.updatePause()),
      vscode.window.onDidChangeWindowState(() => this.updatePause()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('magentoWorkbench.bulk')) return;
        this.settings = readBulkSettings();
        this.tracker.stuckThresholdMs = this.settings.stuckThresholdMs;
        this.poller.updateOptions({ initialIntervalMs: this.settings.initialIntervalMs, maxIntervalMs: this.settings.maxIntervalMs });
        this.provider.queueRefresh();
      }),
      ...(profiles.onDidChangeProfiles ? [profiles.onDidChangeProfiles(() => this.provider.queueRefresh())] : []),
      vscode.workspace.registerTextDocumentContentProvider(OPERATION_SCHEME, {
        onDidChange: this.operationDocs.event,
        provideTextDocumentContent: (uri) => this.operationDocument(uri),
      }),
    );
    this.poller.start();
    this.updatePause();
    this.updateStatusBar();
  }

  snapshot(uuid: string): BulkSnapshot | undefined {
    const bulk = this.tracker.get(uuid);
    if (!bulk) return undefined;
    const now = Date.now();
    const state = computeBulkState(bulk, now, this.tracker.stuckThresholdMs);
    const notice = this.finishedNotices.get(uuid);
    return {
      uuid,
      node: buildBulkNode(bulk, { now, stuckThresholdMs: this.tracker.stuckThresholdMs }),
      verdict: bulk.notFound ? 'not-found' : state.verdict,
      summary: state.summary,
      ...(bulk.parentUuid ? { parentUuid: bulk.parentUuid } : {}),
      childUuids: [...bulk.childUuids],
      retriedOperationIds: [...bulk.retriedOperationIds],
      inTree: this.provider.getChildren().some((e) => e.uuid === uuid),
      ...(notice ? { finishedNotice: notice } : {}),
    };
  }

  async statusApi(profileId: string): Promise<BulkStatusApi> {
    return createBulkStatusApi(await this.profiles.getClient(profileId));
  }

  /** The API for Convert (through the track command) and the track/find commands. */
  async trackBulk(request: TrackBulkRequest): Promise<void> {
    const bulk = this.tracker.track({
      uuid: request.uuid, profileId: request.profileId, storeCode: request.storeCode, description: request.description,
      ...(request.topic ? { topic: request.topic } : {}),
      ...(request.operationCount !== undefined ? { operationCount: request.operationCount } : {}),
      ...(request.parentUuid ? { parentUuid: request.parentUuid } : {}),
    });
    this.noticeEligible.add(bulk.uuid);
    if (request.reveal !== false) await this.reveal(bulk.uuid);
  }

  async reveal(uuid: string): Promise<void> {
    if (!this.tracker.has(uuid)) return;
    try {
      await this.treeView.reveal(this.provider.bulkElement(uuid), { select: true, focus: false, expand: false });
    } catch (error) {
      // The view may not be resolved yet (never opened); tracking itself succeeded.
      this.logger.debug(`reveal ${uuid}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** `detailed-status`, cached briefly: opening several failed operations costs one request. */
  detailedStatus(bulk: TrackedBulk, fresh = false): Promise<BulkDetailedStatus> {
    const cached = this.detailedCache.get(bulk.uuid);
    if (!fresh && cached && Date.now() - cached.at < DETAILED_CACHE_MS) return cached.value;
    const value = this.statusApi(bulk.profileId).then((api) => api.detailedStatus(bulk.uuid, bulk.storeCode));
    this.detailedCache.set(bulk.uuid, { at: Date.now(), value });
    value.catch(() => this.detailedCache.delete(bulk.uuid));
    return value;
  }

  payloadSource(): RetryPayloadSource {
    return journalPayloadSource(this.journal);
  }

  /** Routes from the store's own schema (for topic → route when the journal has no record). */
  async schemaRoutes(profileId: string, storeCode: string): Promise<TopicRouteCandidate[]> {
    const client = await this.profiles.getClient(profileId);
    const response = await client.send({ method: 'GET', path: '/schema', storeCode, query: 'services=all' });
    return MagentoSchema.parse(response.body).operations().map((op) => ({ method: op.method, pathTemplate: op.pathTemplate, operationId: op.operationId }));
  }

  private updatePause(): void {
    // Keep polling while either the view is visible or the window has focus (notifications still
    // matter when the view is closed); stop when nobody could see a result.
    if (this.treeView.visible || vscode.window.state.focused) this.poller.resume();
    else this.poller.pause();
  }

  private updateStatusBar(): void {
    let running = 0;
    let stuck = 0;
    const now = Date.now();
    for (const bulk of this.tracker.list()) {
      if (bulk.notFound) continue;
      const verdict = computeBulkState(bulk, now, this.tracker.stuckThresholdMs).verdict;
      if (verdict === 'running' || (verdict === 'unknown' && !bulk.operations)) running++;
      else if (verdict === 'stuck') stuck++;
    }
    if (running + stuck === 0) {
      this.statusBar.hide();
      return;
    }
    const parts = [];
    if (running > 0) parts.push(`${running} running`);
    if (stuck > 0) parts.push(`${stuck} stuck`);
    this.statusBar.text = `${stuck > 0 ? '$(warning)' : '$(sync~spin)'} Bulks: ${parts.join(', ')}`;
    this.statusBar.tooltip = 'Magento bulk operations being polled — click to show them';
    this.statusBar.show();
  }

  /**
   * Records the finish and shows one notification per second at most: a 50-batch submission
   * finishing together gives one "50 bulks finished" notice, not fifty.
   */
  private notifyFinished(uuid: string): void {
    const bulk = this.tracker.get(uuid);
    if (!bulk || !this.settings.notifyOnFinish || !this.noticeEligible.delete(uuid)) return;
    const state = computeBulkState(bulk, Date.now(), this.tracker.stuckThresholdMs);
    const text = `Bulk ${bulkLabel(bulk)} finished: ${finishedMessage(state.counts)}`;
    this.finishedNotices.set(uuid, text);
    this.logger.info(text);
    this.pendingNotices.push(uuid);
    this.noticeTimer ??= setTimeout(() => {
      this.noticeTimer = undefined;
      void this.showFinishedNotices(this.pendingNotices.splice(0));
    }, NOTICE_COALESCE_MS);
  }

  private async showFinishedNotices(uuids: string[]): Promise<void> {
    const bulks = uuids.map((u) => this.tracker.get(u)).filter((b): b is TrackedBulk => b !== undefined);
    if (bulks.length === 0) return;
    const now = Date.now();
    const states = bulks.map((b) => computeBulkState(b, now, this.tracker.stuckThresholdMs));
    const withFailures = bulks.filter((_, i) => states[i]!.failed > 0);
    let text: string;
    if (bulks.length === 1) {
      text = this.finishedNotices.get(bulks[0]!.uuid) ?? `Bulk ${bulkLabel(bulks[0]!)} finished`;
    } else {
      const total = states.reduce((sum, st) => {
        for (const key of Object.keys(sum) as (keyof typeof sum)[]) sum[key] += st.counts[key];
        return sum;
      }, { total: 0, open: 0, complete: 0, failedRetriable: 0, failedNotRetriable: 0, rejected: 0, unknown: 0, missing: 0 });
      text = `${bulks.length} bulks finished: ${finishedMessage(total)}`;
    }
    const actions = withFailures.length > 0 ? ['Show', 'Retry failed'] : ['Show'];
    const choice = withFailures.length > 0
      ? await vscode.window.showWarningMessage(text, ...actions)
      : await vscode.window.showInformationMessage(text, ...actions);
    if (choice === 'Show') {
      await vscode.commands.executeCommand(`${BULK_VIEW_ID}.focus`);
      await this.reveal((withFailures[0] ?? bulks[0]!).uuid);
    } else if (choice === 'Retry failed') {
      for (const bulk of withFailures) await vscode.commands.executeCommand('magentoWorkbench.bulk.retryFailed', bulk.uuid);
    }
  }

  operationUri(uuid: string, operationId: number): vscode.Uri {
    return vscode.Uri.from({ scheme: OPERATION_SCHEME, path: `/${uuid}/operation-${operationId}.json` });
  }

  /** The read-only JSON shown for an operation: status, message, payload and result. */
  private async operationDocument(uri: vscode.Uri): Promise<string> {
    const m = /^\/([^/]+)\/operation-(\d+)\.json$/.exec(uri.path);
    if (!m) return `// Not a bulk operation document: ${uri.toString()}`;
    const uuid = m[1]!;
    const id = Number(m[2]);
    const bulk = this.tracker.get(uuid);
    if (!bulk) return `// Bulk ${uuid} is no longer tracked.`;
    let payload: unknown;
    let payloadSource = 'none';
    const journal = await this.payloadSource().payloadsFor(uuid, [id]).catch(() => undefined);
    if (journal?.payloads.has(id)) {
      payload = journal.payloads.get(id);
      payloadSource = 'submission journal';
    }
    let detailedOp: BulkDetailedStatus['operations'][number] | undefined;
    let detailedError: string | undefined;
    try {
      detailedOp = (await this.detailedStatus(bulk)).operations.find((op) => op.id === id);
    } catch (error) {
      detailedError = error instanceof Error ? error.message : String(error);
    }
    if (payload === undefined && detailedOp) {
      const parsed = payloadFromSerializedData(detailedOp.serializedData);
      if (parsed.ok) {
        payload = parsed.payload;
        payloadSource = 'detailed-status serialized_data.meta_information';
      } else {
        payloadSource = parsed.reason;
      }
    }
    const summary = bulk.operations?.find((op) => op.id === id);
    const doc = {
      bulk_uuid: uuid,
      id,
      status: detailedOp?.status ?? summary?.status ?? null,
      result_message: detailedOp?.resultMessage ?? summary?.resultMessage ?? null,
      error_code: detailedOp?.errorCode ?? summary?.errorCode ?? null,
      topic_name: detailedOp?.topicName ?? bulk.topic ?? null,
      payload_source: payloadSource,
      payload: payload ?? null,
      result_serialized_data: parseMaybeJson(detailedOp?.resultSerializedData ?? null),
      ...(detailedError ? { detailed_status_error: detailedError } : {}),
    };
    return JSON.stringify(doc, null, 2) + '\n';
  }

  dispose(): void {
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
    this.poller.dispose();
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
    void this.tracker.flush();
    this.tracker.dispose();
  }
}

function parseMaybeJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
