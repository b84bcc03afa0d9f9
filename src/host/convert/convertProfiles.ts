// How the convert feature reaches a store: the profile (for the production confirmation, which
// names the store and the operation count once per submission), a transport, and the store's
// schema as a RouteCatalog (fetched from `/rest/<store>/schema?services=all`, cached per profile).
//
// This adapter reads the `magentoWorkbench.profiles` setting + SecretStorage. Its client has no
// per-request write confirmation on purpose: a 50-batch submission asks once, not 50 times.
// When the profile service (src/host/profiles/, `getClient(profileId?)` + schema) is wired in,
// swap `SettingsConvertProfiles` for an adapter over it in convertFeature.ts.
import * as vscode from 'vscode';
import { schemaRouteCatalog } from '../../core/convert/schemaRouteCatalog';
import { type RouteCatalog } from '../../core/convert/routeCatalog';
import { createMagentoClient, type MagentoClient } from '../../core/http/magentoClient';
import { type MagentoTransport } from '../../core/http/types';
import { type Logger, type SecretStore } from '../../core/ports';
import { parseProfile, profileFingerprint, type Profile } from '../../core/profiles/profile';
import { MagentoSchema } from '../../core/schema/swaggerSchema';

export interface ConvertStore {
  profile: Profile;
  transport: MagentoTransport;
  catalog(): Promise<RouteCatalog>;
}

export interface ConvertProfiles extends vscode.Disposable {
  /** The active profile's store; asks the user to pick when several exist and none is active. */
  activeStore(): Promise<ConvertStore | undefined>;
  store(profileId: string): Promise<ConvertStore>;
}

export class SettingsConvertProfiles implements ConvertProfiles {
  private readonly clients = new Map<string, { fingerprint: string; client: MagentoClient; catalog?: Promise<RouteCatalog> }>();

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

  async activeStore(): Promise<ConvertStore | undefined> {
    const all = this.all();
    if (all.length === 0) {
      void vscode.window.showErrorMessage('No Magento profile is configured: add one under the magentoWorkbench.profiles setting.');
      return undefined;
    }
    const activeId = vscode.workspace.getConfiguration('magentoWorkbench').get<string>('activeProfile') ?? '';
    let profile = all.find((p) => p.id === activeId) ?? (all.length === 1 ? all[0] : undefined);
    if (!profile) {
      const pick = await vscode.window.showQuickPick(all.map((p) => ({ label: p.label, description: `${p.baseUrl} · ${p.storeCode}${p.production ? ' · PRODUCTION' : ''}`, profile: p })), { title: 'Magento profile' });
      profile = pick?.profile;
    }
    return profile ? this.store(profile.id) : undefined;
  }

  async store(profileId: string): Promise<ConvertStore> {
    const profile = this.all().find((p) => p.id === profileId);
    if (!profile) throw new Error(`Profile "${profileId}" is not in the magentoWorkbench.profiles setting.`);
    const fingerprint = `${profileFingerprint(profile)}|${profile.tls.verify}|${profile.tls.caFile ?? ''}`;
    let entry = this.clients.get(profileId);
    if (!entry || entry.fingerprint !== fingerprint) {
      entry?.client.dispose();
      const client = createMagentoClient({
        profile,
        secrets: this.secrets,
        logger: this.logger,
        promptOtp: async () => vscode.window.showInputBox({ title: `Two-factor code for ${profile.label}`, prompt: 'The 6-digit code from your authenticator app', ignoreFocusOut: true }),
      });
      entry = { fingerprint, client };
      this.clients.set(profileId, entry);
    }
    const current = entry;
    return {
      profile,
      transport: current.client,
      catalog: () => {
        current.catalog ??= (async () => {
          const response = await current.client.send({ method: 'GET', path: '/schema', query: 'services=all' });
          return schemaRouteCatalog(MagentoSchema.parse(response.body));
        })();
        // A failed fetch is not cached: the next attempt asks the store again.
        current.catalog.catch(() => { current.catalog = undefined; });
        return current.catalog;
      },
    };
  }

  dispose(): void {
    for (const { client } of this.clients.values()) client.dispose();
    this.clients.clear();
  }
}
