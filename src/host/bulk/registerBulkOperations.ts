// Wires the Bulk Operations view: the feature object and its commands. One call from activate().
import * as vscode from 'vscode';
import { submitRetry } from '../../core/bulk/bulkRetry';
import { bulkLabel, formatCount, OperationStatus, shortUuid, type TrackedBulk } from '../../core/bulk/bulkState';
import { normalizeBulkUuid } from '../../core/bulk/bulkTracker';
import { journalledSubmit } from '../../core/bulk/journalRetry';
import { findRecentBulks } from '../../core/bulk/recentBulks';
import { buildRetryPlan, RetryPlanError, selectForRetryFromBulk, type RetryPlan } from '../../core/bulk/retrySelection';
import { STUCK_STEPS, stuckExplanationMarkdown } from '../../core/bulk/stuckDetector';
import { type HostContext } from '../hostContext';
import { BulkFeature, BULK_VIEW_ID, type BulkSnapshot } from './bulkFeature';
import { profileServiceAccess, type BulkProfileAccess } from './bulkProfiles';
import { type ProfileService } from '../profiles/profileService';
import { isTrackBulkRequest, TRACK_BULK_COMMAND, type BulkTrackingService } from './bulkTrackingService';
import { groupOperations, type BulkTreeElement, type GroupKey } from './bulkTreeNodes';

export const BULK_COMMANDS = [
  TRACK_BULK_COMMAND,
  'magentoWorkbench.bulk.findRecent',
  'magentoWorkbench.bulk.refresh',
  'magentoWorkbench.bulk.remove',
  'magentoWorkbench.bulk.clearFinished',
  'magentoWorkbench.bulk.retryFailed',
  'magentoWorkbench.bulk.showOperation',
  'magentoWorkbench.bulk.whatToDo',
  'magentoWorkbench.bulk.showMore',
  'magentoWorkbench.bulk.reveal',
] as const;

export function registerBulkOperations(host: HostContext, profiles: ProfileService | BulkProfileAccess): BulkTrackingService {
  const access = 'list' in profiles ? profileServiceAccess(profiles) : profiles;
  const feature = host.register(new BulkFeature(host, access));
  const c = new BulkCommands(feature);
  host.registerCommand('magentoWorkbench.bulk.track', (arg?: unknown) => c.track(arg));
  host.registerCommand('magentoWorkbench.bulk.findRecent', () => c.findRecent());
  host.registerCommand('magentoWorkbench.bulk.refresh', (arg?: unknown) => c.refresh(arg));
  host.registerCommand('magentoWorkbench.bulk.remove', (arg?: unknown, selected?: unknown) => c.remove(arg, selected));
  host.registerCommand('magentoWorkbench.bulk.clearFinished', () => c.clearFinished());
  host.registerCommand('magentoWorkbench.bulk.retryFailed', (arg?: unknown, selected?: unknown) => c.retryFailed(arg, selected));
  host.registerCommand('magentoWorkbench.bulk.showOperation', (uuid?: unknown, id?: unknown) => c.showOperation(uuid, id));
  host.registerCommand('magentoWorkbench.bulk.whatToDo', () => c.whatToDo());
  host.registerCommand('magentoWorkbench.bulk.showMore', (uuid: string, group: GroupKey) => feature.provider.showMore(uuid, group));
  host.registerCommand('magentoWorkbench.bulk.reveal', (uuid: string) => feature.reveal(uuid));
  return feature;
}

function isElement(value: unknown): value is BulkTreeElement {
  return !!value && typeof value === 'object' && typeof (value as { kind?: unknown }).kind === 'string' && typeof (value as { uuid?: unknown }).uuid === 'string';
}

/** Tree commands get (clicked element, selected elements); palette commands get nothing; API callers a UUID. */
function targets(arg: unknown, selected: unknown): BulkTreeElement[] {
  if (Array.isArray(selected) && selected.length > 0) return selected.filter(isElement);
  if (isElement(arg)) return [arg];
  if (typeof arg === 'string') return [{ kind: 'bulk', uuid: arg }];
  return [];
}

class BulkCommands {
  constructor(private readonly f: BulkFeature) {}

  private async pickProfile(title: string): Promise<{ id: string; storeCode: string } | undefined> {
    const list = this.f.profiles.profiles();
    const active = this.f.profiles.activeProfile();
    if (list.length === 0) throw new Error('No Magento profile is configured: add one under the magentoWorkbench.profiles setting.');
    if (list.length === 1) return list[0];
    const pick = await vscode.window.showQuickPick(
      list.map((p) => ({ label: p.label, description: `${p.id} · store ${p.storeCode}${active?.id === p.id ? ' · active' : ''}`, profile: p })),
      { title, placeHolder: vscode.l10n.t('Profile of the store that ran the bulk') },
    );
    return pick?.profile;
  }

  /** With a TrackBulkRequest (the API form) it returns what the view now shows for the bulk. */
  async track(arg?: unknown): Promise<BulkSnapshot | undefined> {
    if (isTrackBulkRequest(arg)) {
      await this.f.trackBulk(arg);
      return this.f.snapshot(normalizeBulkUuid(arg.uuid) ?? arg.uuid);
    }
    const input = await vscode.window.showInputBox({
      title: vscode.l10n.t('Track Bulk UUID'), prompt: vscode.l10n.t('The bulk_uuid from a 202 answer of an async/bulk request'), ignoreFocusOut: true,
      placeHolder: vscode.l10n.t('799a59c0-09ca-4d60-b432-2953986c1c38'),
      validateInput: (v) => (v.trim() === '' || normalizeBulkUuid(v) ? undefined : vscode.l10n.t('Not a bulk UUID (8-4-4-4-12 hexadecimal digits).')),
    });
    if (!input) return;
    const uuid = normalizeBulkUuid(input)!;
    const profile = await this.pickProfile('Track Bulk UUID');
    if (!profile) return;
    await this.f.trackBulk({ uuid, profileId: profile.id, storeCode: profile.storeCode, description: '' });
    await vscode.commands.executeCommand(`${BULK_VIEW_ID}.focus`);
    await this.f.poller.pollNow(uuid);
    return this.f.snapshot(uuid);
  }

  async findRecent(): Promise<void> {
    const profile = await this.pickProfile('Find Recent Bulks');
    if (!profile) return;
    const since = await vscode.window.showQuickPick([
      { label: 'Last hour', ms: 3_600_000 }, { label: 'Last 24 hours', ms: 86_400_000 },
      { label: 'Last 7 days', ms: 7 * 86_400_000 }, { label: 'Last 60 days', description: "Magento's bulk lifetime", ms: 60 * 86_400_000 },
    ], { title: vscode.l10n.t('Find Recent Bulks: started within') });
    if (!since) return;
    const status = await vscode.window.showQuickPick([
      { label: 'Any status', statuses: [] as number[] },
      { label: 'With failures', statuses: [OperationStatus.RetriablyFailed, OperationStatus.NotRetriablyFailed, OperationStatus.Rejected] },
      { label: 'With open operations', statuses: [OperationStatus.Open] },
    ], { title: vscode.l10n.t('Find Recent Bulks: operations') });
    if (!status) return;
    const api = await this.f.statusApi(profile.id);
    const found = await vscode.window.withProgress(
      { location: { viewId: BULK_VIEW_ID }, title: vscode.l10n.t('Searching bulks…') },
      () => findRecentBulks(api, { since: Date.now() - since.ms, statuses: status.statuses, limit: 100 }, profile.storeCode),
    );
    if (found.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No bulks found on {0} in the chosen period.', profile.id));
      return;
    }
    const picks = await vscode.window.showQuickPick(found.map((b) => ({
      label: `${b.topicName ?? 'bulk'} ${shortUuid(b.bulkUuid)}`,
      description: `${b.startedAt !== undefined ? new Date(b.startedAt).toISOString().replace('T', ' ').slice(0, 19) : ''}${this.f.tracker.has(b.bulkUuid) ? ' · tracked' : ''}`,
      detail: b.bulkUuid,
      picked: !this.f.tracker.has(b.bulkUuid),
      bulk: b,
    })), { title: vscode.l10n.t('Track bulks ({0} found, integrations included)', found.length), canPickMany: true });
    if (!picks) return;
    for (const p of picks) {
      const bulk = this.f.tracker.track({
        uuid: p.bulk.bulkUuid, profileId: profile.id, storeCode: profile.storeCode,
        description: p.bulk.topicName ? `Topic ${p.bulk.topicName}` : '',
        ...(p.bulk.startedAt !== undefined ? { submittedAt: p.bulk.startedAt } : {}),
      });
      void this.f.poller.pollNow(bulk.uuid);
    }
  }

  /** Polls now; returns the snapshots of the refreshed bulks. */
  async refresh(arg?: unknown): Promise<BulkSnapshot[]> {
    const uuids = targets(arg, undefined).map((t) => t.uuid);
    const list = uuids.length > 0 ? uuids : this.f.tracker.list().map((b) => b.uuid);
    await Promise.all(list.map((u) => this.f.poller.pollNow(u)));
    return list.map((u) => this.f.snapshot(u)).filter((s): s is BulkSnapshot => s !== undefined);
  }

  remove(arg?: unknown, selected?: unknown): void {
    const uuids = [...new Set(targets(arg, selected).map((t) => t.uuid))];
    for (const u of uuids) this.f.tracker.remove(u);
  }

  clearFinished(): void {
    const removed = this.f.tracker.clearFinished();
    void vscode.window.showInformationMessage(removed.length > 0 ? `Removed ${removed.length} finished bulk(s).` : 'No finished bulks to clear.');
  }

  async showOperation(uuid?: unknown, id?: unknown): Promise<void> {
    if (isElement(uuid) && uuid.kind === 'operation') {
      id = uuid.operationId;
      uuid = uuid.uuid;
    }
    if (typeof uuid !== 'string' || typeof id !== 'number') throw new Error('Show Operation is run from an operation in the Bulk Operations view.');
    const doc = await vscode.workspace.openTextDocument(this.f.operationUri(uuid, id));
    await vscode.languages.setTextDocumentLanguage(doc, 'json');
    await vscode.window.showTextDocument(doc, { preview: true });
  }

  async whatToDo(): Promise<void> {
    const items: (vscode.QuickPickItem & { copy?: string })[] = [
      ...STUCK_STEPS.map((s) => ({ label: `$(copy) ${s.label}`, description: s.detail, detail: s.copy, copy: s.copy })),
      { label: '$(book) Read the full explanation' },
    ];
    const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Operations stay open: no consumer runs async.operations.all'), placeHolder: vscode.l10n.t('Pick a step to copy its command or snippet') });
    if (!pick) return;
    if (pick.copy) {
      await vscode.env.clipboard.writeText(pick.copy);
      void vscode.window.showInformationMessage(vscode.l10n.t('Copied: {0}', pick.copy));
      return;
    }
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: `# Bulk operations stay open\n\n${stuckExplanationMarkdown()}\n` });
    await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
  }

  /**
   * Retry: the bulk's failed operations, or the selected operations/groups. Retriable ones go by
   * default; non-retriable ones only after confirmation, optionally with the payloads edited first.
   */
  async retryFailed(arg?: unknown, selected?: unknown): Promise<BulkSnapshot | undefined> {
    const chosen = targets(arg, selected);
    if (chosen.length === 0) throw new Error('Pick a bulk (or failed operations) in the Bulk Operations view to retry.');
    const uuid = chosen[0]!.uuid;
    const bulk = this.f.tracker.get(uuid);
    if (!bulk) throw new Error(`Bulk ${uuid} is no longer tracked.`);
    if (chosen.some((t) => t.uuid !== uuid)) throw new Error('Retry one bulk at a time: the selection spans several bulks.');
    const operationIds = this.selectedOperationIds(bulk, chosen);
    let selection = selectForRetryFromBulk(bulk, operationIds ? { operationIds } : {});
    const withNonRetriable = selectForRetryFromBulk(bulk, { ...(operationIds ? { operationIds } : {}), includeNonRetriable: true });
    let edit = false;
    if (withNonRetriable.nonRetriableSelected > 0) {
      const retriable = selection.selected.length;
      const options = ['Retry All', 'Edit Payloads First…', ...(retriable > 0 ? [`Only Retriable (${retriable})`] : [])];
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('{0} operation(s) failed permanently (status 3/5: e.g. validation or a missing entity). Resubmitting the same payload will likely fail again.', withNonRetriable.nonRetriableSelected),
        { modal: true, detail: vscode.l10n.t('Edit the payloads to fix them, retry them as they are, or retry only the retriable failures (status 2).') },
        ...options,
      );
      if (!answer) return undefined;
      if (answer === 'Retry All' || answer === 'Edit Payloads First…') selection = withNonRetriable;
      edit = answer === 'Edit Payloads First…';
    }
    if (selection.selected.length === 0) {
      const reasons = [...new Set(selection.skipped.map((s) => s.reason))].join(', ');
      void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to retry in {0}{1}.', bulkLabel(bulk), reasons ? ` (${reasons})` : ''));
      return undefined;
    }
    let plan: RetryPlan;
    try {
      plan = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Preparing the retry…') }, () =>
        buildRetryPlan({
          bulk, selection, journal: this.f.payloadSource(),
          detailedStatus: () => this.f.detailedStatus(bulk, true),
          routes: () => this.f.schemaRoutes(bulk.profileId, bulk.storeCode),
        }));
    } catch (error) {
      if (error instanceof RetryPlanError) throw new Error(`Cannot retry ${bulkLabel(bulk)}: ${error.message}`);
      throw error;
    }
    if (plan.items.length === 0) throw new Error(`Cannot retry: no payload found for the selected operations (${plan.missing.map((m) => `#${m.id}: ${m.reason}`).join('; ')}).`);
    if (plan.missing.length > 0) {
      const go = await vscode.window.showWarningMessage(
        vscode.l10n.t('{0} operation(s) have no payload ({1}). Retry the other {2}?', plan.missing.length, plan.missing.slice(0, 3).map((m) => `#${m.id}: ${m.reason}`).join('; '), plan.items.length),
        { modal: true }, 'Retry',
      );
      if (go !== 'Retry') return undefined;
    }
    const payloads = edit ? await this.editPayloads(plan) : plan.items.map((i) => i.payload);
    if (!payloads) return undefined;
    const transport = await this.f.profiles.getClient(bulk.profileId);
    const outcome = await submitRetry({
      transport, tracker: this.f.tracker, plan, profileId: bulk.profileId, payloads,
      submit: journalledSubmit(this.f.journal, bulk.profileId),
    });
    await this.f.reveal(outcome.childUuid);
    const rejected = outcome.rejected.length > 0 ? `; ${outcome.rejected.length} rejected by the store` : '';
    void vscode.window.showInformationMessage(vscode.l10n.t('Retry bulk {0} submitted: {1} operation(s) of {2}{3}.', shortUuid(outcome.childUuid), formatCount(outcome.retriedOperationIds.length), shortUuid(bulk.uuid), rejected));
    return this.f.snapshot(outcome.childUuid);
  }

  private selectedOperationIds(bulk: TrackedBulk, chosen: BulkTreeElement[]): number[] | undefined {
    if (chosen.some((t) => t.kind === 'bulk' || t.kind === 'notice')) return undefined;
    const ids = new Set<number>();
    const groups = groupOperations(bulk.operations ?? []);
    for (const t of chosen) {
      if (t.kind === 'operation') ids.add(t.operationId);
      else if (t.kind === 'group' || t.kind === 'more') for (const op of groups.get(t.group) ?? []) ids.add(op.id);
    }
    return [...ids];
  }

  /** Opens the payloads as JSON; the user edits them and chooses Submit (or Cancel). */
  private async editPayloads(plan: RetryPlan): Promise<unknown[] | undefined> {
    const content = JSON.stringify(plan.items.map((i) => i.payload), null, 2);
    const doc = await vscode.workspace.openTextDocument({ language: 'json', content });
    await vscode.window.showTextDocument(doc, { preview: false });
    for (;;) {
      const choice = await vscode.window.showInformationMessage(
        vscode.l10n.t('Edit the {0} payload(s) (a JSON list, same order: operations {1}{2}), then submit.', plan.items.length, plan.items.slice(0, 5).map((i) => `#${i.operationId}`).join(', '), plan.items.length > 5 ? ', …' : ''),
        'Submit Retry', 'Cancel',
      );
      if (choice !== 'Submit Retry') return undefined;
      try {
        const parsed: unknown = JSON.parse(doc.getText());
        if (!Array.isArray(parsed) || parsed.length !== plan.items.length) throw new Error(`it must stay a JSON list of ${plan.items.length} items in the same order`);
        return parsed;
      } catch (error) {
        void vscode.window.showErrorMessage(vscode.l10n.t('The edited payloads are not valid: {0}. Fix them and submit again.', error instanceof Error ? error.message : String(error)));
      }
    }
  }
}
