// Wires the profiles feature: the service (other features get clients from it), the status bar,
// the profile / Redis / sandbox commands. Returns the service for features that want it.
import * as vscode from 'vscode';
import { type HostContext } from '../hostContext';
import {
  addProfileCommand,
  editProfileCommand,
  forgetTokenCommand,
  removeProfileCommand,
  selectProfileCommand,
  setRedisUrlCommand,
  testConnectionCommand,
} from './profileCommands';
import { ProfileService } from './profileService';
import { ProfileStatusBar } from './profileStatusBar';
import { SandboxController, registerSandboxCommands } from './sandboxCommands';
import { VsCodeSecretStore } from './vscodeSecretStore';

export function registerProfiles(host: HostContext): ProfileService {
  const logger = host.logger.child('profiles');
  const service = host.register(new ProfileService({
    secrets: new VsCodeSecretStore(host.extension.secrets),
    logger,
    promptOtp: async (profile) => vscode.window.showInputBox({
      title: vscode.l10n.t('Two-factor code for "{0}"', profile.label),
      prompt: vscode.l10n.t('The store asks for a Google Authenticator code (6 digits)'),
      ignoreFocusOut: true,
      validateInput: (text) => (/^\d{6}$/.test(text.trim()) ? undefined : vscode.l10n.t('Enter the 6-digit code')),
    }).then((code) => code?.trim()),
    confirmWrite: async (profile, method, path) => {
      const choice = await vscode.window.showWarningMessage(vscode.l10n.t('{0} {1} on the PRODUCTION profile "{2}"?', method, path, profile.label), { modal: true }, 'Send');
      return choice === 'Send';
    },
  }));
  host.register(new ProfileStatusBar(service));

  host.registerCommand('magentoWorkbench.profile.add', (arg?: unknown) => addProfileCommand(service, arg));
  host.registerCommand('magentoWorkbench.profile.edit', (arg?: unknown) => editProfileCommand(service, arg));
  host.registerCommand('magentoWorkbench.profile.remove', (arg?: unknown) => removeProfileCommand(service, arg));
  host.registerCommand('magentoWorkbench.profile.select', (arg?: unknown) => selectProfileCommand(service, arg));
  host.registerCommand('magentoWorkbench.profile.testConnection', (arg?: unknown) => testConnectionCommand(host, service, arg));
  host.registerCommand('magentoWorkbench.profile.forgetToken', (arg?: unknown) => forgetTokenCommand(service, arg));
  host.registerCommand('magentoWorkbench.redis.setUrl', (arg?: unknown) => setRedisUrlCommand(service, arg));

  registerSandboxCommands(host, host.register(new SandboxController(host, service)));
  return service;
}
