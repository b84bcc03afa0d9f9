// Wires the convert feature: CodeLens on .http/.rest files, the preview document provider, the
// commands, and the journal-recovery notice on start. Everything is owned by the HostContext.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { SubmissionJournal } from '../../core/convert/submissionJournal';
import { type HostContext } from '../hostContext';
import { bulkSubmitFromFile } from './bulkFromFile';
import { convertAtLens, selectionToBulk, sendRequest, submitAtLens, type ConvertCommandDeps } from './convertCommands';
import { ConvertPreviewProvider, PREVIEW_SCHEME } from './convertPreview';
import { ServiceConvertProfiles } from './convertProfiles';
import { type ProfileService } from '../profiles/profileService';
import { CONVERT_COMMANDS, HTTP_FILE_SELECTOR, HttpRequestCodeLensProvider, type RequestLensArgs } from './httpCodeLens';
import { announcePendingBatches, answerPendingBatchRequest, reviewPendingBatches } from './journalRecovery';
import { resubmitRejectedItems } from './rejectedItemsCommand';

/** Same folder as the Bulk tree's journal reader (src/host/bulk/bulkFeature.ts). */
export function journalFolder(context: vscode.ExtensionContext): string {
  return join(context.globalStorageUri.fsPath, 'submission-journal');
}

export function registerConvertFeature(host: HostContext, profileService: ProfileService): void {
  const logger = host.logger.child('convert');
  const preview = host.register(new ConvertPreviewProvider());
  host.register(vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, preview));
  const profiles = host.register(new ServiceConvertProfiles(profileService));
  const journal = new SubmissionJournal({ folder: journalFolder(host.extension) });
  const config = () => vscode.workspace.getConfiguration('magentoWorkbench');
  const deps: ConvertCommandDeps = {
    profiles,
    preview,
    logger,
    journal,
    batchSize: () => config().get<number>('bulk.batchSize') ?? 100,
    concurrency: () => config().get<number>('bulk.concurrency') ?? 2,
  };

  host.register(vscode.languages.registerCodeLensProvider(HTTP_FILE_SELECTOR, new HttpRequestCodeLensProvider()));
  host.registerCommand(CONVERT_COMMANDS.send, (args?: RequestLensArgs) => sendRequest(deps, args));
  host.registerCommand(CONVERT_COMMANDS.toAsync, (args?: RequestLensArgs) => convertAtLens(deps, 'async', args));
  host.registerCommand(CONVERT_COMMANDS.toBulk, (args?: RequestLensArgs) => convertAtLens(deps, 'bulk', args));
  host.registerCommand(CONVERT_COMMANDS.submitAsBulk, (args?: RequestLensArgs) => submitAtLens(deps, args));
  host.registerCommand(CONVERT_COMMANDS.bulkSubmitFromFile, (uri?: vscode.Uri) => bulkSubmitFromFile(deps, uri));
  host.registerCommand(CONVERT_COMMANDS.selectionToBulk, () => selectionToBulk(deps));
  host.registerCommand(CONVERT_COMMANDS.showPendingBatches, (arg?: unknown) => (arg === undefined ? reviewPendingBatches(deps) : answerPendingBatchRequest(deps, arg)));
  host.registerCommand(CONVERT_COMMANDS.resubmitRejected, (arg?: unknown) => resubmitRejectedItems(deps, arg));

  // Not awaited: activation must not wait on disk, and a journal problem must not break it.
  void announcePendingBatches(deps, () => reviewPendingBatches(deps)).catch((error: unknown) => logger.warn(`journal recovery check failed: ${String(error)}`));
}
