// How the convert feature reaches a store: the profile (for the production confirmation, which
// names the store and the operation count once per submission), a transport for bulk
// submissions, one for single requests, and the store's schema as a RouteCatalog (fetched from
// `/rest/<store>/schema?services=all`, cached per profile).
//
// `ServiceConvertProfiles` sits on the ProfileService (src/host/profiles/), so every client
// shares its token cache (and Redis). Bulk submissions use the profile's client without the
// per-request production prompt — a 50-batch submission asks once, not 50 times; Send uses
// the confirming client, which asks per write.
import * as vscode from 'vscode';
import { schemaRouteCatalog } from '../../core/convert/schemaRouteCatalog';
import { type RouteCatalog } from '../../core/convert/routeCatalog';
import { type MagentoTransport } from '../../core/http/types';
import { type Profile } from '../../core/profiles/profile';
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
  /** The parsed schema per client: a new client (changed profile or secrets) fetches it again. */
  private readonly schemaCaches = new WeakMap<MagentoTransport, { catalog?: Promise<RouteCatalog> }>();

  constructor(private readonly service: ProfileService) {}

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
    const client = await this.service.getClient(profileId, { confirmWrites: false });
    let cache = this.schemaCaches.get(client);
    if (!cache) {
      cache = {};
      this.schemaCaches.set(client, cache);
    }
    const catalogCache = cache;
    return {
      profile,
      transport: client,
      requestTransport: () => this.service.getClient(profileId),
      catalog: () => schemaCatalog(client, catalogCache),
    };
  }

  dispose(): void {
    // The clients belong to the ProfileService, which disposes them.
  }
}
