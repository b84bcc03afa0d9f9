// "Magento: Bulk Submit from File…": a JSON array, JSON-lines or CSV file of items, an endpoint
// from the store's schema, for CSV a column → field mapping (suggested from the route's body
// shape, typed by it), a preview of the first request, then the normal submission flow.
import * as vscode from 'vscode';
import { convertRequest } from '../../core/convert/asyncConversion';
import { csvColumns, detectItemFormat, ItemFileError, parseItemFile, type ColumnMapping, type FieldType } from '../../core/convert/itemFiles';
import { type ConvertCommandDeps } from './convertCommands';
import { fieldSuggestions, guessField, type FieldSuggestion } from '../../core/convert/fieldSuggestions';
import { pickEndpoint } from './endpointPick';
import { submitConversion } from './submitFlow';

async function pickItemsFile(arg?: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && /\.(json|jsonl|ndjson|csv)$/i.test(active.path)) {
    const choice = await vscode.window.showQuickPick([{ label: `$(file) ${vscode.workspace.asRelativePath(active)}`, uri: active }, { label: '$(folder-opened) Choose a file…', uri: undefined }], { title: vscode.l10n.t('Bulk submit: items file') });
    if (!choice) return undefined;
    if (choice.uri) return choice.uri;
  }
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, title: vscode.l10n.t('Items to submit (JSON list, JSON lines or CSV)'), filters: { Items: ['json', 'jsonl', 'ndjson', 'csv'] } });
  return picked?.[0];
}

const SKIP = '(skip this column)';
const OTHER = '$(edit) Another field…';

async function pickMapping(columns: readonly string[], suggestions: readonly FieldSuggestion[]): Promise<ColumnMapping[] | undefined> {
  const mapping: ColumnMapping[] = [];
  for (const column of columns) {
    const guess = guessField(column, suggestions);
    const items: Array<vscode.QuickPickItem & { suggestion?: FieldSuggestion }> = [
      ...(guess ? [{ label: guess.field, description: `${guess.type} · suggested`, suggestion: guess }] : []),
      ...suggestions.filter((s) => s !== guess).map((s) => ({ label: s.field, description: s.type, suggestion: s })),
      { label: OTHER },
      { label: SKIP },
    ];
    const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Column "{0}" → item field', column), placeHolder: vscode.l10n.t('The item field this column fills (fields of the endpoint\'s body)'), ignoreFocusOut: true, matchOnDescription: true });
    if (!pick) return undefined;
    if (pick.label === SKIP) continue;
    if (pick.label === OTHER) {
      const field = await vscode.window.showInputBox({
        title: vscode.l10n.t('Column "{0}" → item field', column),
        prompt: vscode.l10n.t('A dotted path, e.g. product.custom_attributes[0].value; add :number, :integer, :boolean or :json to type the values'),
        ignoreFocusOut: true,
        validateInput: (text) => (/^[^:\s]+(:(string|number|integer|boolean|json))?$/.test(text.trim()) ? undefined : vscode.l10n.t('Use a dotted path, optionally followed by :type')),
      });
      if (field === undefined) return undefined;
      const [path, type] = field.trim().split(':') as [string, FieldType | undefined];
      mapping.push(type ? { column, field: path, type } : { column, field: path });
      continue;
    }
    mapping.push(pick.suggestion ? { column, field: pick.suggestion.field, type: pick.suggestion.type } : { column, field: pick.label });
  }
  if (mapping.length === 0) throw new Error('No column was mapped to a field.');
  return mapping;
}

export async function bulkSubmitFromFile(deps: ConvertCommandDeps, arg?: unknown): Promise<void> {
  const uri = await pickItemsFile(arg);
  if (!uri) return;
  const text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
  const store = await deps.profiles.activeStore();
  if (!store) return;
  const catalog = await store.catalog();
  const route = await pickEndpoint(catalog, 'Bulk submit: endpoint');
  if (!route) return;

  const format = detectItemFormat(uri.path, text);
  let mapping: ColumnMapping[] | undefined;
  if (format === 'csv') {
    mapping = await pickMapping(csvColumns(text), fieldSuggestions(route, catalog));
    if (!mapping) return;
  }
  let items: unknown[];
  try {
    items = parseItemFile(uri.path, text, { format, ...(mapping ? { mapping } : {}) }).items;
  } catch (error) {
    if (error instanceof ItemFileError) throw new Error(`${vscode.workspace.asRelativePath(uri)}: ${error.message}`);
    throw error;
  }
  if (items.length === 0) throw new Error(`${vscode.workspace.asRelativePath(uri)} holds no items.`);

  // A ConversionError's message is already the user-facing explanation; the command wrapper shows it.
  const conversion = convertRequest(catalog, { method: route.method, path: route.pathTemplate, storeCode: store.profile.storeCode, items }, 'bulk', { batchSize: deps.batchSize() });
  const first = conversion.requests[0]!;
  const preview = [
    `### first of ${conversion.requests.length} request(s) — ${items.length} item(s) from ${vscode.workspace.asRelativePath(uri)}`,
    `${first.method} ${store.profile.baseUrl}/rest/${first.storeCode ?? store.profile.storeCode}${first.path}`,
    'Content-Type: application/json',
    '',
    JSON.stringify(first.body, null, 2),
    '',
  ].join('\n');
  await deps.preview.show('bulk-preview.http', preview);
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('Submit {0} operation(s) in {1} request(s) to {2} {3}?{4}', items.length.toLocaleString('en-US'), conversion.requests.length, route.method, conversion.route.bulkTemplate, conversion.issues.length ? ` (${conversion.issues.length} lint issue(s), see the log)` : ''),
    'Submit',
  );
  if (choice !== 'Submit') return;
  await submitConversion(deps, store, conversion, `${route.method} ${route.pathTemplate} from ${vscode.workspace.asRelativePath(uri)}`);
}
