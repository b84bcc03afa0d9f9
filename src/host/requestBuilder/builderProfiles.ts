// The request builder's view of profiles: summaries for the selector (never secrets) and one
// MagentoClient per profile, wrapped so the builder can stream large bodies. In the extension
// the profiles come from the ProfileService (src/host/profiles/); ConfiguredProfileSource is
// the stand-alone reader of the same setting, kept for hosts without that service.
import * as vscode from 'vscode';
import { type ProfileService } from '../profiles/profileService';
import { type MagentoClient } from '../../core/http/magentoClient';
import { type Logger, type SecretStore } from '../../core/ports';
import { parseProfile, profileFingerprint, type Profile } from '../../core/profiles/profile';
import { createMagentoClient } from '../../core/http/magentoClient';
import { type MagentoTransport } from '../../core/http/types';
import { type BuilderProfileSource } from '../../core/requestBuilder/requestBuilderService';
import { withStreaming, type BuilderTransport } from '../../core/requestBuilder/streamingClient';
import { type ProfileSummary } from '../../protocol/requestBuilderProtocol';

export function summarizeProfile(profile: Profile): ProfileSummary {
  return { id: profile.id, label: profile.label, baseUrl: profile.baseUrl, storeCode: profile.storeCode, authKind: profile.auth.kind, production: profile.production };
}

export class ConfiguredProfileSource implements BuilderProfileSource, vscode.Disposable {
  private readonly clients = new Map<string, { fingerprint: string; transport: BuilderTransport }>();

  constructor(
    private readonly secrets: SecretStore,
    private readonly logger: Logger,
  ) {}

  profilesFromSettings(): Profile[] {
    const raw = vscode.workspace.getConfiguration('magentoWorkbench').get<unknown[]>('profiles') ?? [];
    const profiles: Profile[] = [];
    for (const item of raw) {
      try {
        profiles.push(parseProfile(item));
      } catch (error) {
        this.logger.warn(`skipping a profile in settings: ${(error as Error).message}`);
      }
    }
    return profiles;
  }

  list(): ProfileSummary[] {
    return this.profilesFromSettings().map(summarizeProfile);
  }

  async transport(profileId: string): Promise<MagentoTransport> {
    const profile = this.profilesFromSettings().find((p) => p.id === profileId);
    if (!profile) throw new Error(`Profile "${profileId}" is not in the magentoWorkbench.profiles setting.`);
    const fingerprint = `${profileFingerprint(profile)}|${profile.tls.verify}|${profile.tls.caFile ?? ''}|${profile.production}`;
    const cached = this.clients.get(profileId);
    if (cached && cached.fingerprint === fingerprint) return cached.transport;
    cached?.transport.dispose();
    const client = createMagentoClient({
      profile,
      secrets: this.secrets,
      logger: this.logger,
      promptOtp: async () => vscode.window.showInputBox({ title: vscode.l10n.t('Two-factor code for {0}', profile.label), prompt: vscode.l10n.t('The 6-digit code from your authenticator app'), password: false, ignoreFocusOut: true }),
      confirmWrite: async (request) => {
        const choice = await vscode.window.showWarningMessage(vscode.l10n.t('{0} {1} on the PRODUCTION profile "{2}"?', request.method, request.path, profile.label), { modal: true }, 'Send');
        return choice === 'Send';
      },
    });
    const transport = withStreaming(client);
    const disposeBoth: BuilderTransport = { ...transport, dispose: () => { transport.dispose(); client.dispose(); } };
    this.clients.set(profileId, { fingerprint, transport: disposeBoth });
    return disposeBoth;
  }

  dispose(): void {
    for (const { transport } of this.clients.values()) transport.dispose();
    this.clients.clear();
  }
}

/** Profiles and clients from the ProfileService; the builder adds streaming on top of its clients. */
export class ProfileServiceSource implements BuilderProfileSource {
  private readonly wrapped = new WeakMap<MagentoClient, BuilderTransport>();

  constructor(private readonly service: ProfileService) {}

  list(): ProfileSummary[] {
    return this.service.list().map(summarizeProfile);
  }

  activeProfileId(): string | undefined {
    return this.service.active()?.id;
  }

  async transport(profileId: string): Promise<MagentoTransport> {
    if (!this.service.get(profileId)) throw new Error(`Profile "${profileId}" does not exist any more.`);
    // The service rebuilds a client when the profile or its secrets change, so wrap per client.
    const client = await this.service.getClient(profileId);
    let transport = this.wrapped.get(client);
    if (!transport) {
      transport = withStreaming(client);
      this.wrapped.set(client, transport);
    }
    return transport;
  }
}
