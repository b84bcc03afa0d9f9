import * as vscode from 'vscode';
import { HostContext } from './hostContext';
import { createOutputChannelLogger } from './outputChannelLogger';
import { registerBulkOperations } from './bulk/registerBulkOperations';
import { registerRequestBuilder } from './requestBuilder/registerRequestBuilder';
import { registerConvertFeature } from './convert/convertFeature';
import { registerProfiles } from './profiles/registerProfiles';
import { registerDemo } from './demo/registerDemo';

let host: HostContext | undefined;

/**
 * What `activate` returns (the extension's `exports`): read-only views of what the extension
 * stored, for diagnostics and the leak tests (in code-server globalState lives in the browser,
 * out of reach of a file scan). Holds no secrets: those are in SecretStorage only.
 */
export interface WorkbenchExports {
  readonly globalStorageFolder: string;
  storedState(): { global: Record<string, unknown>; workspace: Record<string, unknown> };
}

/**
 * Only wires: each feature registers its commands, views and long-lived objects on the
 * HostContext, which owns their disposal. Nothing here does I/O.
 */
export function activate(context: vscode.ExtensionContext): WorkbenchExports {
  const output = vscode.window.createOutputChannel('Magento REST Workbench', { log: true });
  const logger = createOutputChannelLogger(output);
  host = new HostContext(context, output, logger);
  host.register(output);
  context.subscriptions.push(host);

  host.registerCommand('magentoWorkbench.log.show', () => output.show(true));

  // Features register here, one line each (see README "How to add a command").
  const profiles = registerProfiles(host);
  registerBulkOperations(host, profiles);
  registerRequestBuilder(host, profiles);
  registerConvertFeature(host, profiles);
  registerDemo(host, profiles);

  logger.info(`activated (VS Code ${vscode.version})`);
  const entries = (memento: vscode.Memento): Record<string, unknown> => Object.fromEntries(memento.keys().map((key) => [key, memento.get(key)]));
  return {
    globalStorageFolder: context.globalStorageUri.fsPath,
    storedState: () => ({ global: entries(context.globalState), workspace: entries(context.workspaceState) }),
  };
}

export function deactivate(): void {
  host?.dispose();
  host = undefined;
}
