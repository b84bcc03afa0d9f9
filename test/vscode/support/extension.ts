import * as vscode from 'vscode';
import packageJson from '../../../package.json';

/** `<publisher>.<name>`, read from the manifest so a rename cannot silently break the tier. */
export const EXTENSION_ID = `${packageJson.publisher}.${packageJson.name}`;

/** Set by the runner before any test: was the extension already active (it must be lazy)? */
export const ACTIVE_AT_START_ENV = 'MWB_VSCODE_ACTIVE_AT_START';

export interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
}

export interface ContributedView {
  id: string;
  name: string;
}

/** The manifest as VS Code loaded it (the installed .vsix's, in the installed-extension mode). */
export interface LoadedManifest {
  activationEvents?: string[];
  contributes?: {
    commands?: ContributedCommand[];
    views?: Record<string, ContributedView[]>;
    viewsContainers?: Record<string, { id: string; title: string }[]>;
  };
}

export function getWorkbenchExtension(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) {
    const ids = vscode.extensions.all.map((e) => e.id).filter((id) => !id.startsWith('vscode.'));
    throw new Error(`extension ${EXTENSION_ID} is not loaded; non-built-in extensions: ${ids.join(', ') || 'none'}`);
  }
  return extension;
}

export function loadedManifest(extension: vscode.Extension<unknown>): LoadedManifest {
  return extension.packageJSON as LoadedManifest;
}
