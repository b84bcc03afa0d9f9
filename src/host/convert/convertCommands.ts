// The `.http` request commands (CodeLens: Send · Convert to async · Convert to bulk · Submit as
// bulk) and "Convert Selection to Bulk". Each works on the request at the lens (or the cursor).
import * as vscode from 'vscode';
import { convertRequest, type ConversionTarget } from '../../core/convert/asyncConversion';
import { convertHttpBlock, parseBlockBody } from '../../core/convert/httpConversion';
import { fileVariables, parseHttpFile, printHttpBlock, substituteVariables, type HttpBlock, type HttpFile } from '../../core/convert/httpFile';
import { splitRestUrl } from '../../core/convert/restUrl';
import { type HttpMethod } from '../../core/http/types';
import { type Logger } from '../../core/ports';
import { type ConvertPreviewProvider } from './convertPreview';
import { type ConvertProfiles } from './convertProfiles';
import { pickEndpoint } from './endpointPick';
import { type RequestLensArgs } from './httpCodeLens';
import { submitConversion, type SubmitFlowDeps } from './submitFlow';
import { type SubmitSummary } from '../../core/convert/bulkSubmitter';

export interface ConvertCommandDeps extends SubmitFlowDeps {
  profiles: ConvertProfiles;
  preview: ConvertPreviewProvider;
  logger: Logger;
  batchSize(): number;
}

interface LocatedBlock {
  document: vscode.TextDocument;
  file: HttpFile;
  block: HttpBlock;
  /** 0-based line range of the whole block (separator to the line before the next block). */
  range: vscode.Range;
}

async function locateBlock(args: RequestLensArgs | undefined): Promise<LocatedBlock> {
  const document = args ? await vscode.workspace.openTextDocument(vscode.Uri.parse(args.uri)) : vscode.window.activeTextEditor?.document;
  if (!document) throw new Error('Open a .http or .rest file and put the cursor in a request.');
  const line = args?.line ?? (vscode.window.activeTextEditor?.selection.active.line ?? 0) + 1;
  const file = parseHttpFile(document.getText());
  let index = -1;
  file.blocks.forEach((b, i) => { if (b.line <= line) index = i; });
  const block = file.blocks[index];
  if (!block?.request) throw new Error('There is no request at this position.');
  const next = file.blocks[index + 1];
  const endLine = next ? next.line - 2 : document.lineCount - 1;
  const range = new vscode.Range(block.line - 1, 0, endLine, document.lineAt(Math.max(0, endLine)).text.length);
  return { document, file, block, range };
}

/** The block's request with `{{variables}}` resolved (what Send and Submit put on the wire). */
function resolvedBlock(located: LocatedBlock): HttpBlock {
  const vars = fileVariables(located.file);
  const request = located.block.request!;
  return {
    ...located.block,
    request: {
      ...request,
      url: substituteVariables(request.url, vars),
      queryLines: request.queryLines.map((q) => substituteVariables(q, vars)),
      headers: request.headers.map((h) => ({ name: h.name, value: substituteVariables(h.value, vars) })),
      ...(request.body !== undefined ? { body: substituteVariables(request.body, vars) } : {}),
    },
  };
}

export async function sendRequest(deps: ConvertCommandDeps, args?: RequestLensArgs): Promise<void> {
  const located = await locateBlock(args);
  const store = await deps.profiles.activeStore();
  if (!store) return;
  const block = resolvedBlock(located);
  const request = block.request!;
  const method = (request.method ?? 'GET').toUpperCase() as HttpMethod;
  const parts = splitRestUrl(request.url + request.queryLines.map((q) => q.trim()).join(''));
  // The profile authenticates and picks the host; the file's base URL and Authorization are not used.
  const started = Date.now();
  let text: string;
  try {
    const transport = await store.requestTransport();
    const response = await transport.send({
      method,
      path: parts.path,
      ...(parts.storeCode !== undefined ? { storeCode: parts.storeCode } : {}),
      ...(parts.query !== undefined ? { query: parts.query } : {}),
      ...(request.body !== undefined && method !== 'GET' ? { body: request.body } : {}),
    });
    text = [`// ${response.status} · ${response.timings.totalMs.toFixed(0)} ms · ${response.url}`, response.body === undefined ? response.text : JSON.stringify(response.body, null, 2)].join('\n');
  } catch (error) {
    const e = error as { hint?: string; bodySnippet?: string };
    text = [`// failed after ${Date.now() - started} ms: ${error instanceof Error ? error.message : String(error)}`, ...(e.hint ? [`// ${e.hint}`] : []), e.bodySnippet ?? ''].join('\n');
  }
  await deps.preview.show('response.jsonc', text + '\n');
}

/** What a conversion showed (returned to callers and tests; the UI is the diff editor). */
export interface ConversionPreview {
  original: string;
  converted: string;
  convertedUri: string;
  requests: number;
  issues: number;
}

export async function convertAtLens(deps: ConvertCommandDeps, target: ConversionTarget, args?: RequestLensArgs): Promise<ConversionPreview | undefined> {
  const located = await locateBlock(args);
  const store = await deps.profiles.activeStore();
  if (!store) return undefined;
  const catalog = await store.catalog();
  const converted = convertHttpBlock(catalog, located.block, target, { batchSize: deps.batchSize() });
  if (converted.report.status !== 'converted') throw new Error(converted.report.message ?? 'The request could not be converted.');
  for (const issue of converted.report.issues) deps.logger.info(`lint ${issue.severity}: ${issue.message}`);
  const original = printHttpBlock(located.block).join('\n') + '\n';
  const text = converted.blocks.map((b) => printHttpBlock(b).join('\n')).join('\n') + '\n';
  const uris = await deps.preview.diff(`${located.block.request!.method ?? 'GET'} → ${target}`, `${target}.http`, original, text);
  const issues = converted.report.issues.length;
  // Not awaited: the command finishes with the preview open; the follow-up is the user's choice.
  void offerFollowUp(deps, located, target, text, converted.blocks.length, issues, args).catch((error: unknown) => {
    deps.logger.error(`convert follow-up failed: ${error instanceof Error ? error.message : String(error)}`);
    void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
  });
  return { original, converted: text, convertedUri: uris.converted.toString(), requests: converted.blocks.length, issues };
}

async function offerFollowUp(deps: ConvertCommandDeps, located: LocatedBlock, target: ConversionTarget, text: string, requests: number, issues: number, args?: RequestLensArgs): Promise<void> {
  const actions = ['Replace in File', ...(target === 'bulk' ? ['Submit as Bulk'] : [])];
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('Converted to {0}{1}{2}.', target, requests > 1 ? ` (${requests} requests)` : '', issues ? ` — ${issues} lint issue(s), see the log` : ''),
    ...actions,
  );
  if (choice === 'Replace in File') {
    const edit = new vscode.WorkspaceEdit();
    const blockText = located.document.getText(located.range);
    edit.replace(located.document.uri, located.range, text.endsWith('\n') && !blockText.endsWith('\n') ? text.slice(0, -1) : text);
    await vscode.workspace.applyEdit(edit);
  } else if (choice === 'Submit as Bulk') {
    await submitAtLens(deps, args ?? { uri: located.document.uri.toString(), line: located.block.request!.line });
  }
}

export async function submitAtLens(deps: ConvertCommandDeps, args?: RequestLensArgs): Promise<SubmitSummary | undefined> {
  const located = await locateBlock(args);
  const store = await deps.profiles.activeStore();
  if (!store) return undefined;
  const catalog = await store.catalog();
  const block = resolvedBlock(located);
  const request = block.request!;
  const parts = splitRestUrl(request.url);
  const body = parseBlockBody(request);
  const conversion = convertRequest(catalog, {
    method: request.method ?? 'GET',
    path: parts.path,
    ...(parts.storeCode !== undefined ? { storeCode: parts.storeCode } : {}),
    ...(body ? { body: body.value } : {}),
  }, 'bulk', { batchSize: deps.batchSize() });
  return submitConversion(deps, store, conversion, `${conversion.route.method} ${conversion.route.pathTemplate}`);
}

export async function selectionToBulk(deps: ConvertCommandDeps): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) throw new Error('Select JSON (one item or a list of items) in an editor first.');
  const text = editor.selection.isEmpty ? editor.document.getText() : editor.document.getText(editor.selection);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`The selection is not JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  const store = await deps.profiles.activeStore();
  if (!store) return;
  const catalog = await store.catalog();
  const route = await pickEndpoint(catalog, 'Convert selection to bulk: endpoint');
  if (!route) return;
  const items = Array.isArray(value) ? value : [value];
  // A ConversionError's message is already the user-facing explanation; the command wrapper shows it.
  const conversion = convertRequest(catalog, { method: route.method, path: route.pathTemplate, storeCode: store.profile.storeCode, items }, 'bulk', { batchSize: deps.batchSize() });
  const http = conversion.requests.map((r, n) => [
    `### batch ${n + 1} of ${conversion.requests.length} (items ${r.firstItemIndex + 1}–${r.firstItemIndex + r.itemCount})`,
    `${r.method} ${store.profile.baseUrl}/rest/${r.storeCode ?? store.profile.storeCode}${r.path}`,
    'Content-Type: application/json',
    '',
    JSON.stringify(r.body, null, 2),
    '',
  ].join('\n')).join('\n');
  await deps.preview.show('bulk.http', http);
  for (const issue of conversion.issues) deps.logger.info(`lint ${issue.severity}: ${issue.message}`);
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('{0} item(s) → {1} bulk request(s){2}.', items.length, conversion.requests.length, conversion.issues.length ? ` — ${conversion.issues.length} lint issue(s), see the log` : ''),
    'Submit',
  );
  if (choice === 'Submit') await submitConversion(deps, store, conversion, `${route.method} ${route.pathTemplate}`);
}
