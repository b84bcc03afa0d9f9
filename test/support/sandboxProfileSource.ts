// A request builder profile source backed by a sandbox store: one integration-bearer profile
// whose access token lives in an in-memory secret store. Shared by the vscode tier, the
// benchmark and manual harnesses.
import { type SecretStore } from '../../src/core/ports';
import { secretKey, type Profile } from '../../src/core/profiles/profile';
import { createMagentoClient } from '../../src/core/http/magentoClient';
import { type MagentoTransport } from '../../src/core/http/types';
import { type BuilderProfileSource } from '../../src/core/requestBuilder/requestBuilderService';
import { withStreaming, type BuilderTransport } from '../../src/core/requestBuilder/streamingClient';
import { type ProfileSummary } from '../../src/protocol/requestBuilderProtocol';

export class MemorySecrets implements SecretStore {
  readonly map = new Map<string, string>();
  async get(key: string) { return this.map.get(key); }
  async store(key: string, value: string) { this.map.set(key, value); }
  async delete(key: string) { this.map.delete(key); }
}

export function sandboxProfile(baseUrl: string, id = 'sandbox'): Profile {
  return { id, label: 'Sandbox store', baseUrl, storeCode: 'default', auth: { kind: 'integration-bearer' }, production: false, tls: { verify: true } };
}

export class SandboxProfileSource implements BuilderProfileSource {
  private transportInstance: BuilderTransport | undefined;
  readonly profile: Profile;
  private readonly secrets = new MemorySecrets();

  constructor(baseUrl: string, accessToken: string) {
    this.profile = sandboxProfile(baseUrl);
    this.secrets.map.set(secretKey(this.profile.id, 'accessToken'), accessToken);
  }

  list(): ProfileSummary[] {
    const p = this.profile;
    return [{ id: p.id, label: p.label, baseUrl: p.baseUrl, storeCode: p.storeCode, authKind: p.auth.kind, production: p.production }];
  }

  async transport(profileId: string): Promise<MagentoTransport> {
    if (profileId !== this.profile.id) throw new Error(`unknown profile ${profileId}`);
    this.transportInstance ??= withStreaming(createMagentoClient({ profile: this.profile, secrets: this.secrets, retry: { maxRetries: 0 } }));
    return this.transportInstance;
  }

  dispose(): void {
    this.transportInstance?.dispose();
  }
}
