// How the bulk feature reaches stores: a MagentoTransport per profile id. The feature depends on
// this small port only; `settingsProfileAccess` is the adapter over the `magentoWorkbench.profiles`
// setting + SecretStorage until the profile service (src/host/profiles/, `getClient(profileId?)`)
// is wired in — swapping it is a one-line change in registerBulkOperations.ts.
import * as vscode from 'vscode';
import { createMagentoClient, type MagentoClient } from '../../core/http/magentoClient';
import { type MagentoTransport } from '../../core/http/types';
import { type Logger, type SecretStore } from '../../core/ports';
import { parseProfile, profileFingerprint, type Profile } from '../../core/profiles/profile';

export interface BulkProfileInfo {
  id: string;
  label: string;
  storeCode: string;
}

export interface BulkProfileAccess extends vscode.Disposable {
  /** The client for a profile (the active profile when omitted); throws a clear error when unknown. */
  getClient(profileId?: string): Promise<MagentoTransport>;
  /** The active profile, if one is configured. */
  activeProfile(): BulkProfileInfo | undefined;
  profiles(): BulkProfileInfo[];
}

export function secretStoreOf(secrets: vscode.SecretStorage): SecretStore {
  return {
    get: async (key) => secrets.get(key),
    store: async (key, value) => secrets.store(key, value),
    delete: async (key) => secrets.delete(key),
  };
}

export class SettingsProfileAccess implements BulkProfileAccess {
  private readonly clients = new Map<string, { fingerprint: string; client: MagentoClient }>();

  constructor(private readonly secrets: SecretStore, private readonly logger: Logger) {}

  private all(): Profile[] {
    const raw = vscode.workspace.getConfiguration('magentoWorkbench').get<unknown[]>('profiles') ?? [];
    const out: Profile[] = [];
    for (const item of raw) {
      try {
        out.push(parseProfile(item));
      } catch (error) {
        this.logger.warn(`skipping a profile in settings: ${(error as Error).message}`);
      }
    }
    return out;
  }

  profiles(): BulkProfileInfo[] {
    return this.all().map((p) => ({ id: p.id, label: p.label, storeCode: p.storeCode }));
  }

  activeProfile(): BulkProfileInfo | undefined {
    const id = vscode.workspace.getConfiguration('magentoWorkbench').get<string>('activeProfile') ?? '';
    const list = this.profiles();
    return list.find((p) => p.id === id) ?? (list.length === 1 ? list[0] : undefined);
  }

  async getClient(profileId?: string): Promise<MagentoTransport> {
    const id = profileId ?? this.activeProfile()?.id;
    if (!id) throw new Error('No Magento profile is configured: add one under the magentoWorkbench.profiles setting.');
    const profile = this.all().find((p) => p.id === id);
    if (!profile) throw new Error(`Profile "${id}" is not in the magentoWorkbench.profiles setting (the bulk was tracked with it).`);
    const fingerprint = `${profileFingerprint(profile)}|${profile.tls.verify}|${profile.tls.caFile ?? ''}|${profile.production}`;
    const cached = this.clients.get(id);
    if (cached && cached.fingerprint === fingerprint) return cached.client;
    cached?.client.dispose();
    const client = createMagentoClient({
      profile,
      secrets: this.secrets,
      logger: this.logger,
      promptOtp: async () => vscode.window.showInputBox({ title: `Two-factor code for ${profile.label}`, prompt: 'The 6-digit code from your authenticator app', ignoreFocusOut: true }),
      confirmWrite: async (request) => {
        const choice = await vscode.window.showWarningMessage(`${request.method} ${request.path} on the PRODUCTION profile "${profile.label}"?`, { modal: true }, 'Send');
        return choice === 'Send';
      },
    });
    this.clients.set(id, { fingerprint, client });
    return client;
  }

  dispose(): void {
    for (const { client } of this.clients.values()) client.dispose();
    this.clients.clear();
  }
}
