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
 * Only wires: each feature registers its commands, views and long-lived objects on the
 * HostContext, which owns their disposal. Nothing here does I/O.
 */
export function activate(context: vscode.ExtensionContext): void {
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
}

export function deactivate(): void {
  host?.dispose();
  host = undefined;
}
