// Batches journalled but never confirmed (VS Code stopped between sending a batch and
// recording its bulk_uuid). On start the user is told; for each batch they can check the store
// (a bulk with that many operations started around then → track it), resubmit the journalled
// items as a new bulk, or dismiss it. Nothing is resubmitted without the user asking.
import * as vscode from 'vscode';
import * as z from 'zod';
import { createBulkStatusApi } from '../../core/bulk/bulkStatusApi';
import { checkPendingBatch, pendingBatchContext, type PendingBatchCheck } from '../../core/convert/pendingBatchCheck';
import { type JournalBatch } from '../../core/convert/submissionJournal';
import { trackBulkViaCommand } from '../bulk/bulkTrackingService';
import { type ConvertCommandDeps } from './convertCommands';
import { submitConversion } from './submitFlow';

function describe(batch: JournalBatch): string {
  return `${batch.method} ${batch.path} · ${batch.itemCount} item(s) · ${new Date(batch.at).toLocaleString()}`;
}

export async function announcePendingBatches(deps: ConvertCommandDeps, review: () => Promise<void>): Promise<void> {
  const pending = await deps.journal.pendingBatches();
  if (pending.length === 0) return;
  deps.logger.warn(`${pending.length} journalled bulk batch(es) have no confirmation: ${pending.map((b) => b.batchId).join(', ')}`);
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('{0} bulk batch{1} being sent when the last session stopped; Magento may or may not have queued {2}.', pending.length, pending.length === 1 ? ' was' : 'es were', pending.length === 1 ? 'it' : 'them'),
    'Review…',
  );
  if (choice === 'Review…') await review();
}

export async function reviewPendingBatches(deps: ConvertCommandDeps): Promise<void> {
  const pending = await deps.journal.pendingBatches();
  if (pending.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No unconfirmed bulk batches in the submission journal.'));
    return;
  }
  const pick = await vscode.window.showQuickPick(pending.map((batch) => ({ label: describe(batch), description: `profile ${batch.profileId}, store ${batch.storeCode}`, batch })), { title: vscode.l10n.t('Unconfirmed bulk batches') });
  if (!pick) return;
  const batch = pick.batch;
  const action = await vscode.window.showQuickPick(['Check on the Store', 'Resubmit as a New Bulk', 'Dismiss'], { title: describe(batch) });
  if (!action) return;
  if (action === 'Dismiss') {
    await deps.journal.resolve(batch.batchId, 'dismissed by the user');
    return;
  }
  const store = await deps.profiles.store(batch.profileId);
  if (action === 'Check on the Store') {
    const result = await checkPendingBatch(createBulkStatusApi(store.transport), batch, await pendingBatchContext(deps.journal, batch));
    if (result.verdict === 'probably-accepted') {
      const uuid = result.candidates[0]!;
      const choice = await vscode.window.showInformationMessage(vscode.l10n.t('A bulk of {0} operation(s) started then: {1}. It is probably this batch.', batch.itemCount, uuid), 'Track It', 'Resubmit Anyway');
      if (choice === 'Track It') {
        await trackBulkViaCommand({ uuid, profileId: batch.profileId, storeCode: batch.storeCode, description: `${batch.method} ${batch.path} (recovered)`, operationCount: batch.itemCount });
        await deps.journal.resolve(batch.batchId, `matched bulk ${uuid}`);
        return;
      }
      if (choice !== 'Resubmit Anyway') return;
    } else {
      const text = result.verdict === 'not-found'
        ? 'No bulk with that many operations started around then: the batch was most likely not queued.'
        : `Several bulks could be this batch (${result.candidates.join(', ')}).`;
      const choice = await vscode.window.showWarningMessage(text, 'Resubmit');
      if (choice !== 'Resubmit') return;
    }
  }
  const items = await deps.journal.itemsOf(batch.batchId);
  if (!items) throw new Error(`The items of batch ${batch.batchId} are no longer in the journal.`);
  const method = batch.method.toUpperCase() as 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  const summary = await submitConversion(deps, store, {
    target: 'bulk',
    route: { method, pathTemplate: batch.path, bulkTemplate: batch.path, pathParamNames: [], pathValues: {}, valuesFromItems: [], route: { method, pathTemplate: batch.path, pathParams: [] } },
    requests: [{ method, path: batch.path, storeCode: batch.storeCode, body: items, firstItemIndex: 0, itemCount: items.length }],
    items,
    issues: [],
  }, `Resubmit of ${batch.method} ${batch.path}`);
  if (summary && summary.bulkUuids.length > 0) await deps.journal.resolve(batch.batchId, `resubmitted as ${summary.bulkUuids.join(', ')}`);
}

/**
 * The review command's argument form (automation, tests): list the unconfirmed batches, check one
 * on the store, or dismiss one. Read-only towards the store: resubmitting stays interactive, so a
 * script cannot send a batch twice without a person saying so.
 */
const reviewRequestSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('list') }),
  z.object({ action: z.literal('check'), batchId: z.string().min(1) }),
  z.object({ action: z.literal('dismiss'), batchId: z.string().min(1) }),
]);

export async function answerPendingBatchRequest(deps: ConvertCommandDeps, arg: unknown): Promise<JournalBatch[] | PendingBatchCheck | boolean> {
  const parsed = reviewRequestSchema.safeParse(arg);
  if (!parsed.success) throw new Error(`Expected {action: 'list'} or {action: 'check' | 'dismiss', batchId}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  const request = parsed.data;
  const pending = await deps.journal.pendingBatches();
  if (request.action === 'list') return pending;
  const batch = pending.find((b) => b.batchId === request.batchId);
  if (!batch) throw new Error(`No unconfirmed batch ${request.batchId} in the submission journal.`);
  if (request.action === 'dismiss') {
    await deps.journal.resolve(batch.batchId, 'dismissed');
    return true;
  }
  const store = await deps.profiles.store(batch.profileId);
  return checkPendingBatch(createBulkStatusApi(store.transport), batch, await pendingBatchContext(deps.journal, batch));
}
