// How the convert feature reaches a store: the profile (for the production confirmation, which
// names the store and the operation count once per submission), a transport for bulk
// submissions, one for single requests, and the store's schema as a RouteCatalog (fetched from
// `/rest/<store>/schema?services=all`, cached per profile).
//
// `ServiceConvertProfiles` sits on Grammar's ProfileService (src/host/profiles/). Bulk
// submissions use a client of their own without the per-request production prompt — a
// 50-batch submission asks once, not 50 times; Send uses the service's client, which asks per
// write. `SettingsConvertProfiles` is the fallback when no service is passed in.
import * as vscode from 'vscode';
import { schemaRouteCatalog } from '../../core/convert/schemaRouteCatalog';
import { type RouteCatalog } from '../../core/convert/routeCatalog';
import { createMagentoClient, type MagentoClient } from '../../core/http/magentoClient';
import { type MagentoTransport } from '../../core/http/types';
import { type Logger, type SecretStore } from '../../core/ports';
import { parseProfile, profileFingerprint, type Profile } from '../../core/profiles/profile';
import { MagentoSchema } from '../../core/schema/swaggerSchema';
import { type ProfileService } from '../profiles/profileService';

export interface ConvertStore {
  profile: Profile;
  /** For bulk submissions: no per-request production prompt (the submission confirms once). */
  transport: MagentoTransport;
  /** For single requests (Send): confirms each write on a production profile. */
  requestTransport(): Promise<MagentoTransport>;
  catalog(): Promise<RouteCatalog>;
}

export interface ConvertProfiles extends vscode.Disposable {
  /** The active profile's store; asks the user to pick when several exist and none is active. */
  activeStore(): Promise<ConvertStore | undefined>;
  store(profileId: string): Promise<ConvertStore>;
}

/** Asks before each write to a production profile (single requests only). */
export function confirmingTransport(profile: Profile, transport: MagentoTransport): MagentoTransport {
  return {
    async send(request) {
      if (profile.production && request.method !== 'GET') {
        const choice = await vscode.window.showWarningMessage(vscode.l10n.t('{0} {1} on the PRODUCTION profile "{2}"?', request.method, request.path, profile.label), { modal: true }, 'Send');
        if (choice !== 'Send') throw new Error('Cancelled: the request to the production profile was not confirmed.');
      }
      return transport.send(request);
    },
  };
}

/** Fetches and parses the store's schema once per client (a failed fetch is retried next time). */
function schemaCatalog(client: MagentoTransport, cache: { catalog?: Promise<RouteCatalog> }): Promise<RouteCatalog> {
  cache.catalog ??= (async () => {
    const response = await client.send({ method: 'GET', path: '/schema', query: 'services=all' });
    return schemaRouteCatalog(MagentoSchema.parse(response.body));
  })();
  cache.catalog.catch(() => { cache.catalog = undefined; });
  return cache.catalog;
}

/**
 * Over Grammar's ProfileService: profiles, the active one and Send's client come from it; bulk
 * submissions get a client of their own without the per-request production prompt (the
 * submission asks once, naming the store and the operation count).
 */
export class ServiceConvertProfiles implements ConvertProfiles {
  private readonly bulkClients = new Map<string, { key: string; client: MagentoClient; catalog?: Promise<RouteCatalog> }>();

  constructor(private readonly service: ProfileService, private readonly secrets: SecretStore, private readonly logger: Logger) {}

  async activeStore(): Promise<ConvertStore | undefined> {
    let profile = this.service.active();
    if (!profile) {
      const all = this.service.list();
      if (all.length === 0) {
        void vscode.window.showErrorMessage(vscode.l10n.t('No Magento profile yet: run "Magento: Add Integration Profile" (or "Magento: Start Sandbox Store").'));
        return undefined;
      }
      const pick = await vscode.window.showQuickPick(all.map((p) => ({ label: p.label, description: `${p.baseUrl} · ${p.storeCode}${p.production ? ' · PRODUCTION' : ''}`, profile: p })), { title: vscode.l10n.t('Magento profile') });
      profile = pick?.profile;
    }
    return profile ? this.store(profile.id) : undefined;
  }

  async store(profileId: string): Promise<ConvertStore> {
    const profile = this.service.get(profileId);
    if (!profile) throw new Error(`There is no Magento profile "${profileId}" any more.`);
    const key = JSON.stringify([profileFingerprint(profile), profile.tls]);
    let entry = this.bulkClients.get(profileId);
    if (!entry || entry.key !== key) {
      entry?.client.dispose();
      const client = createMagentoClient({
        profile,
        secrets: this.secrets,
        logger: this.logger,
        promptOtp: async () => vscode.window.showInputBox({ title: vscode.l10n.t('Two-factor code for "{0}"', profile.label), prompt: vscode.l10n.t('The 6-digit code from your authenticator app'), ignoreFocusOut: true }),
      });
      entry = { key, client };
      this.bulkClients.set(profileId, entry);
    }
    const current = entry;
    return {
      profile,
      transport: current.client,
      requestTransport: () => this.service.getClient(profileId),
      catalog: () => schemaCatalog(current.client, current),
    };
  }

  dispose(): void {
    for (const { client } of this.bulkClients.values()) client.dispose();
    this.bulkClients.clear();
  }
}

/** Fallback over the settings when no ProfileService is passed in. */
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
      void vscode.window.showErrorMessage(vscode.l10n.t('No Magento profile is configured: add one under the magentoWorkbench.profiles setting.'));
      return undefined;
    }
    const activeId = vscode.workspace.getConfiguration('magentoWorkbench').get<string>('activeProfile') ?? '';
    let profile = all.find((p) => p.id === activeId) ?? (all.length === 1 ? all[0] : undefined);
    if (!profile) {
      const pick = await vscode.window.showQuickPick(all.map((p) => ({ label: p.label, description: `${p.baseUrl} · ${p.storeCode}${p.production ? ' · PRODUCTION' : ''}`, profile: p })), { title: vscode.l10n.t('Magento profile') });
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
        promptOtp: async () => vscode.window.showInputBox({ title: vscode.l10n.t('Two-factor code for {0}', profile.label), prompt: vscode.l10n.t('The 6-digit code from your authenticator app'), ignoreFocusOut: true }),
      });
      entry = { fingerprint, client };
      this.clients.set(profileId, entry);
    }
    const current = entry;
    return {
      profile,
      transport: current.client,
      requestTransport: async () => confirmingTransport(profile, current.client),
      catalog: () => schemaCatalog(current.client, current),
    };
  }

  dispose(): void {
    for (const { client } of this.clients.values()) client.dispose();
    this.clients.clear();
  }
}
