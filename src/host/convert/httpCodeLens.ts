// CodeLens above each request of a `.http` / `.rest` file: Send · Convert to async · Convert to
// bulk · Submit as bulk. The lenses carry the document URI and the request line so the
// commands act on that request even when the cursor is elsewhere.
import * as vscode from 'vscode';
import { parseHttpFile } from '../../core/convert/httpFile';

export const HTTP_FILE_SELECTOR: vscode.DocumentSelector = [
  { pattern: '**/*.http' },
  { pattern: '**/*.rest' },
  { language: 'http' },
];

export interface RequestLensArgs {
  uri: string;
  /** 1-based line of the request line. */
  line: number;
}

export const CONVERT_COMMANDS = {
  send: 'magentoWorkbench.convert.send',
  toAsync: 'magentoWorkbench.convert.toAsync',
  toBulk: 'magentoWorkbench.convert.toBulk',
  submitAsBulk: 'magentoWorkbench.convert.submitAsBulk',
  bulkSubmitFromFile: 'magentoWorkbench.convert.bulkSubmitFromFile',
  selectionToBulk: 'magentoWorkbench.convert.selectionToBulk',
  showPendingBatches: 'magentoWorkbench.convert.showPendingBatches',
  resubmitRejected: 'magentoWorkbench.convert.resubmitRejected',
} as const;

const WRITE = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

export class HttpRequestCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const lenses: vscode.CodeLens[] = [];
    for (const block of parseHttpFile(document.getText()).blocks) {
      const request = block.request;
      if (!request) continue;
      const range = new vscode.Range(request.line - 1, 0, request.line - 1, 0);
      const args: RequestLensArgs = { uri: document.uri.toString(), line: request.line };
      lenses.push(new vscode.CodeLens(range, { title: vscode.l10n.t('Send'), command: CONVERT_COMMANDS.send, arguments: [args] }));
      // GET has no async form (Magento answers 400); offering the lenses would only lead to an error.
      if (WRITE.has((request.method ?? 'GET').toUpperCase())) {
        lenses.push(new vscode.CodeLens(range, { title: vscode.l10n.t('Convert to async'), command: CONVERT_COMMANDS.toAsync, arguments: [args] }));
        lenses.push(new vscode.CodeLens(range, { title: vscode.l10n.t('Convert to bulk'), command: CONVERT_COMMANDS.toBulk, arguments: [args] }));
        lenses.push(new vscode.CodeLens(range, { title: vscode.l10n.t('Submit as bulk'), command: CONVERT_COMMANDS.submitAsBulk, arguments: [args] }));
      }
    }
    return lenses;
  }
}
