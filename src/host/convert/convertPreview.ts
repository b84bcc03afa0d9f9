// Read-only previews of converted requests: a virtual document per conversion
// (`magento-convert:/<n>/<title>.http`) and a diff against the original block. Nothing is
// written to disk; the documents live as long as the provider keeps them (the last 20).
import * as vscode from 'vscode';

export const PREVIEW_SCHEME = 'magento-convert';
const KEEP = 20;

export class ConvertPreviewProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly documents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private counter = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.documents.get(uri.toString()) ?? '';
  }

  /** Stores `text` under a new virtual URI ending in `name` (its extension picks the language). */
  put(name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${++this.counter}/${name.replace(/[\\/]/g, '_')}` });
    this.documents.set(uri.toString(), text);
    while (this.documents.size > KEEP) {
      const oldest = this.documents.keys().next().value;
      if (oldest === undefined) break;
      this.documents.delete(oldest);
    }
    return uri;
  }

  text(uri: vscode.Uri): string | undefined {
    return this.documents.get(uri.toString());
  }

  /** Opens the converted text alone (read-only). */
  async show(name: string, text: string): Promise<vscode.Uri> {
    const uri = this.put(name, text);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    return uri;
  }

  /** Opens a diff original ↔ converted, both read-only. */
  async diff(title: string, name: string, original: string, converted: string): Promise<{ original: vscode.Uri; converted: vscode.Uri }> {
    const left = this.put(`original-${name}`, original);
    const right = this.put(name, converted);
    await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: true });
    return { original: left, converted: right };
  }

  dispose(): void {
    this.changed.dispose();
    this.documents.clear();
  }
}
