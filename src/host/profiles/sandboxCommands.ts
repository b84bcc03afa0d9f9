// "Magento: Start Sandbox Store": the simulated store runs inside the extension host on a free
// loopback port with realistic latency, and a "Sandbox store" profile points at it (its
// password in SecretStorage like any other profile), so every feature can be tried at once.
import * as vscode from 'vscode';
import { parseProfile } from '../../core/profiles/profile';
import { startSandbox, type SandboxHandle } from '../../sandbox/sandboxServer';
import { type HostContext } from '../hostContext';
import { type ProfileService } from './profileService';

export const SANDBOX_PROFILE_ID = 'sandbox-store';

export interface SandboxStartResult {
  baseUrl: string;
  profileId: string;
}

export class SandboxController implements vscode.Disposable {
  private handle: SandboxHandle | undefined;
  private starting: Promise<SandboxHandle> | undefined;

  constructor(private readonly host: HostContext, private readonly service: ProfileService) {}

  get running(): boolean {
    return this.handle !== undefined;
  }

  async start(options: { latency?: 'none' | 'realistic' } = {}): Promise<SandboxStartResult> {
    if (!this.handle) {
      this.starting ??= startSandbox({ port: 0, host: '127.0.0.1', latency: options.latency ?? 'realistic' });
      try {
        this.handle = await this.starting;
      } finally {
        this.starting = undefined;
      }
      this.host.logger.info(`sandbox store listening on ${this.handle.baseUrl}`);
    }
    const handle = this.handle;
    const profile = parseProfile({
      id: SANDBOX_PROFILE_ID,
      label: 'Sandbox store',
      baseUrl: handle.baseUrl,
      storeCode: handle.storeCode,
      auth: { kind: 'admin', username: handle.credentials.admin.username },
      production: false,
      tls: { verify: true },
    });
    await this.service.save(profile, { password: handle.credentials.admin.password }, { activate: true });
    return { baseUrl: handle.baseUrl, profileId: profile.id };
  }

  async stop(): Promise<boolean> {
    const handle = this.handle;
    if (!handle) return false;
    this.handle = undefined;
    await handle.close();
    this.host.logger.info('sandbox store stopped');
    return true;
  }

  dispose(): void {
    void this.stop();
  }
}

export function registerSandboxCommands(host: HostContext, controller: SandboxController): void {
  host.registerCommand('magentoWorkbench.sandbox.start', async (arg?: { latency?: 'none' | 'realistic' }) => {
    const result = await controller.start(arg?.latency ? { latency: arg.latency } : {});
    if (arg === undefined) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Sandbox store running at {0}; the "Sandbox store" profile is selected.', result.baseUrl), 'Test Connection').then((choice) => {
        if (choice) void vscode.commands.executeCommand('magentoWorkbench.profile.testConnection', result.profileId);
      });
    }
    return result;
  });
  host.registerCommand('magentoWorkbench.sandbox.stop', async (arg?: unknown) => {
    const stopped = await controller.stop();
    if (arg === undefined) void vscode.window.showInformationMessage(stopped ? 'Sandbox store stopped.' : 'The sandbox store is not running.');
    return stopped;
  });
}
