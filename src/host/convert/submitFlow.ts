// Submitting converted bulk requests from VS Code: lint gate, one production confirmation that
// names the store and the operation count, a cancellable progress notification
// ("Submitting 5,000 operations — batch 12 of 50"), every accepted bulk_uuid handed to the Bulk
// Operations view at once, and a report of failed batches / rejected items.
import * as vscode from 'vscode';
import { hasBlockingIssues, type ConversionResult } from '../../core/convert/asyncConversion';
import { prepareBatches, progressMessage, submitBatches, type SubmitSummary } from '../../core/convert/bulkSubmitter';
import { type LintIssue } from '../../core/convert/payloadLint';
import { type SubmissionJournal } from '../../core/convert/submissionJournal';
import { type Logger } from '../../core/ports';
import { trackBulkViaCommand } from '../bulk/bulkTrackingService';
import { type ConvertPreviewProvider } from './convertPreview';
import { type ConvertStore } from './convertProfiles';
import { CONVERT_COMMANDS } from './httpCodeLens';

export interface SubmitFlowDeps {
  journal: SubmissionJournal;
  logger: Logger;
  preview: ConvertPreviewProvider;
  concurrency(): number;
}

function describeIssues(issues: readonly LintIssue[], max = 5): string {
  const shown = issues.slice(0, max).map((i) => `• ${i.message}`);
  if (issues.length > max) shown.push(`… and ${issues.length - max} more (see the log)`);
  return shown.join('\n');
}

/** Asks before sending what lint found wrong; true to go on. */
export async function confirmLint(issues: readonly LintIssue[], logger: Logger): Promise<boolean> {
  for (const issue of issues) logger.info(`lint ${issue.severity}: ${issue.message}`);
  if (!hasBlockingIssues(issues)) return true;
  const errors = issues.filter((i) => i.severity === 'error');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Magento would reject these items ({0} problem{1}):', errors.length, errors.length === 1 ? '' : 's'),
    { modal: true, detail: describeIssues(errors) },
    'Submit Anyway',
  );
  return choice === 'Submit Anyway';
}

/** On a production profile, one modal naming the store and the operation count; true to send. */
export async function confirmProductionSubmit(store: ConvertStore, operations: number, storeCode: string, method: string, path: string, requests: number): Promise<boolean> {
  if (!store.profile.production) return true;
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Submit {0} operation{1} to store "{2}" of the PRODUCTION profile "{3}"?', operations.toLocaleString('en-US'), operations === 1 ? '' : 's', storeCode, store.profile.label),
    { modal: true, detail: vscode.l10n.t('{0} {1} — {2} request{3} to {4}', method, path, requests, requests === 1 ? '' : 's', store.profile.baseUrl) },
    'Submit',
  );
  return choice === 'Submit';
}

export async function submitConversion(deps: SubmitFlowDeps, store: ConvertStore, conversion: ConversionResult, label: string): Promise<SubmitSummary | undefined> {
  if (!(await confirmLint(conversion.issues, deps.logger))) return undefined;
  const operations = conversion.items.length;
  const requests = conversion.requests.length;
  const storeCode = conversion.requests[0]?.storeCode ?? store.profile.storeCode;
  if (!(await confirmProductionSubmit(store, operations, storeCode, conversion.route.method, conversion.requests[0]?.path ?? '', requests))) return undefined;

  const batches = prepareBatches(conversion.requests);
  const session = await deps.journal.startSession();
  let summary: SubmitSummary;
  try {
    summary = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Magento'), cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const cancel = token.onCancellationRequested(() => controller.abort());
        progress.report({ message: progressMessage({ done: 0, total: batches.length, batchNumber: 1, operationsDone: 0, operationsTotal: operations }) });
        let first = true;
        try {
          return await submitBatches(batches, {
            transport: store.transport,
            journal: session,
            profileId: store.profile.id,
            storeCode,
            concurrency: deps.concurrency(),
            signal: controller.signal,
            onProgress: (p) => progress.report({ message: progressMessage(p), increment: (100 * (batches[p.batchNumber - 1]?.itemCount ?? 0)) / Math.max(1, operations) }),
            onAccepted: (outcome) => {
              const reveal = first;
              first = false;
              trackBulkViaCommand({
                uuid: outcome.bulkUuid!,
                profileId: store.profile.id,
                storeCode,
                description: `${label}${batches.length > 1 ? ` — batch ${outcome.index + 1} of ${batches.length}` : ''}`,
                // Rejected items never became operations (contract §6.3).
                operationCount: outcome.itemCount - outcome.rejected.length,
                reveal,
              }).catch((error: unknown) => deps.logger.warn(`could not track bulk ${outcome.bulkUuid}: ${String(error)}`));
            },
            onFailed: (outcome) => deps.logger.warn(`batch ${outcome.index + 1} failed: ${outcome.error?.message ?? ''}`),
          });
        } finally {
          cancel.dispose();
        }
      },
    );
  } finally {
    await session.close();
  }
  await reportSummary(deps, summary, operations, label);
  return summary;
}

/** A one-line result, plus a read-only report when something failed or was rejected. */
export async function reportSummary(deps: Pick<SubmitFlowDeps, 'preview' | 'logger'>, summary: SubmitSummary, operations: number, label: string): Promise<void> {
  const parts = [`${summary.acceptedOperations.toLocaleString('en-US')} of ${operations.toLocaleString('en-US')} operations accepted in ${summary.bulkUuids.length} bulk${summary.bulkUuids.length === 1 ? '' : 's'}`];
  if (summary.rejectedOperations > 0) parts.push(`${summary.rejectedOperations} rejected`);
  if (summary.failedBatches > 0) parts.push(`${summary.failedBatches} batch${summary.failedBatches === 1 ? '' : 'es'} failed`);
  if (summary.unknownBatches > 0) parts.push(`${summary.unknownBatches} with unknown outcome (check before resubmitting)`);
  if (summary.cancelledBatches > 0) parts.push(`${summary.cancelledBatches} not sent (cancelled)`);
  const message = `${label}: ${parts.join(', ')}.`;
  deps.logger.info(message);
  const problems = summary.outcomes.filter((o) => o.status !== 'accepted');
  if (problems.length === 0) {
    void vscode.window.showInformationMessage(message);
    return;
  }
  // Items rejected at submit time never became operations; only a resubmission from the journal
  // reaches them (./rejectedItemsCommand.ts), limited to the bulks of this submission.
  const rejectedIn = [...new Set(summary.outcomes.filter((o) => o.rejected.length > 0 && o.bulkUuid !== undefined).map((o) => o.bulkUuid!))];
  // First when offered: the notification's primary action, the next step for rejected items (each
  // item's message is in the QuickPick too; the report stays one click away).
  const actions = [...(summary.rejectedOperations > 0 && rejectedIn.length > 0 ? ['Resubmit Rejected…'] : []), 'Show Report'];
  // Not awaited by the submission: its result is already final; the report opens on request.
  void vscode.window.showWarningMessage(message, ...actions).then(async (choice) => {
    if (choice === 'Show Report') await deps.preview.show('bulk-submission-report.md', reportText(summary, message, label));
    else if (choice === 'Resubmit Rejected…') await vscode.commands.executeCommand(CONVERT_COMMANDS.resubmitRejected, { bulkUuids: rejectedIn });
  });
}

function reportText(summary: SubmitSummary, message: string, label: string): string {
  const lines = [`# ${label}`, '', message, ''];
  for (const o of summary.outcomes) {
    const range = `items ${o.firstItemIndex + 1}–${o.firstItemIndex + o.itemCount}`;
    if (o.status === 'accepted') lines.push(`- batch ${o.index + 1} (${range}): accepted as ${o.bulkUuid}`);
    else if (o.status === 'cancelled') lines.push(`- batch ${o.index + 1} (${range}): not sent (cancelled)`);
    else if (o.status === 'unknown') lines.push(`- batch ${o.index + 1} (${range}): UNKNOWN — ${o.error?.message ?? ''} (Magento: Review Unconfirmed Bulk Batches)`);
    else if (o.status === 'failed') lines.push(`- batch ${o.index + 1} (${range}): FAILED — ${o.error?.message ?? ''}`);
    else {
      lines.push(o.rejected.length === o.itemCount
        ? `- batch ${o.index + 1} (${range}): every item REJECTED; the store's bulk ${o.bulkUuid} holds no operations:`
        : `- batch ${o.index + 1} (${range}): accepted as ${o.bulkUuid}, ${o.rejected.length} of ${o.itemCount} item(s) REJECTED:`);
      for (const r of o.rejected) lines.push(`  - item ${r.itemIndex + 1} (operation ${r.operationId}): ${r.message}${r.errorCode !== undefined && r.errorCode !== 0 ? ` (code ${r.errorCode})` : ''}`);
    }
  }
  return lines.join('\n') + '\n';
}
