// The profile service every feature asks for a store connection: the profiles from settings, their
// secrets in SecretStorage, and one MagentoClient per profile sharing one layered token cache
// (memory → SecretStorage → Redis when enabled). Clients are rebuilt when their profile, its
// secrets or the Redis setting change, and `onDidChangeProfiles` tells listeners.
import * as vscode from 'vscode';
import { RedisTokenStore } from '../../core/auth/redisTokenStore';
import { TokenCache } from '../../core/auth/tokenCache';
import { type ForgetResult } from '../../core/auth/authProvider';
import { createMagentoClient, type MagentoClient } from '../../core/http/magentoClient';
import { type Logger, type SecretStore } from '../../core/ports';
import { SECRET_NAMES, profileFingerprint, requiredSecrets, secretKey, type Profile, type SecretName } from '../../core/profiles/profile';
import { affectsProfileSettings, affectsRedisSettings, readProfileSettings, writeActiveProfile, writeProfiles } from './profileSettings';
import { REDIS_URL_SECRET_KEY } from './vscodeSecretStore';

export type ProfileSecrets = Partial<Record<SecretName, string>>;

export interface ProfilesChange {
  /** Profiles whose settings or secrets changed (or that were added / removed). */
  changedIds: string[];
  activeProfileId: string | undefined;
}

export interface ProfileServiceDeps {
  secrets: SecretStore;
  logger: Logger;
  /** Asks for the 2FA code when the store wants one (an InputBox in VS Code). */
  promptOtp: (profile: Profile) => Promise<string | undefined>;
  /** Asks before a write to a production profile. */
  confirmWrite: (profile: Profile, method: string, path: string) => Promise<boolean>;
}

interface CachedClient {
  /** Everything the client was built from except secrets (those bump `secretsVersion`). */
  key: string;
  client: MagentoClient;
}

export interface ClientOptions {
  /**
   * Ask before each write to a production profile (default true). Bulk submissions pass false:
   * they confirm once, naming the store and the operation count, instead of once per batch.
   */
  confirmWrites?: boolean;
}

function clientKey(profile: Profile, secretsVersion: number): string {
  return JSON.stringify([profileFingerprint(profile), profile.label, profile.production, profile.tls, profile.tokenLifetimeMinutes ?? null, secretsVersion]);
}

export class ProfileService implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<ProfilesChange>();
  readonly onDidChangeProfiles: vscode.Event<ProfilesChange> = this.changeEmitter.event;
  private readonly clients = new Map<string, CachedClient>();
  private readonly secretsVersion = new Map<string, number>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private tokenCache: TokenCache;
  private snapshot = readProfileSettings();
  private reportedProblems = '';

  constructor(private readonly deps: ProfileServiceDeps) {
    this.tokenCache = new TokenCache({ secrets: deps.secrets, logger: deps.logger.child('token') });
    this.reportProblems();
    if (this.snapshot.redisEnabled) void this.rebuildTokenCache();
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsProfileSettings(event)) this.reload();
        if (affectsRedisSettings(event)) void this.rebuildTokenCache();
      }),
    );
  }

  /** Valid profiles from settings, in their order. */
  list(): Profile[] {
    return this.snapshot.profiles;
  }

  /** Settings entries that failed validation (shown once in the log, and in the picker). */
  problems(): string[] {
    return this.snapshot.problems;
  }

  get(id: string): Profile | undefined {
    return this.snapshot.profiles.find((profile) => profile.id === id);
  }

  /** The configured active profile, or the only profile when there is exactly one. */
  active(): Profile | undefined {
    const configured = this.get(this.snapshot.activeProfileId);
    if (configured) return configured;
    return this.snapshot.profiles.length === 1 ? this.snapshot.profiles[0] : undefined;
  }

  async setActive(id: string): Promise<void> {
    if (!this.get(id)) throw new Error(`There is no profile "${id}".`);
    await writeActiveProfile(id);
    this.reload();
  }

  /** Which of a profile's required secrets are stored (never their values). */
  async secretStatus(profile: Profile): Promise<{ name: SecretName; stored: boolean }[]> {
    return Promise.all(requiredSecrets(profile.auth.kind).map(async (name) => ({ name, stored: (await this.deps.secrets.get(secretKey(profile.id, name))) !== undefined })));
  }

  /**
   * Adds or replaces a profile: secrets first (SecretStorage), then the non-secret fields
   * (settings), so no listener ever sees a profile whose secrets are not there yet.
   */
  async save(profile: Profile, secrets: ProfileSecrets = {}, options: { activate?: boolean } = {}): Promise<Profile> {
    for (const [name, value] of Object.entries(secrets) as [SecretName, string | undefined][]) {
      if (value === undefined) continue;
      if (!SECRET_NAMES.includes(name)) throw new Error(`Unknown secret "${name}".`);
      await this.deps.secrets.store(secretKey(profile.id, name), value);
    }
    if (Object.values(secrets).some((value) => value !== undefined)) this.bumpSecrets(profile.id);
    const others = this.snapshot.profiles.filter((existing) => existing.id !== profile.id);
    const index = this.snapshot.profiles.findIndex((existing) => existing.id === profile.id);
    const next = index >= 0 ? this.snapshot.profiles.map((existing) => (existing.id === profile.id ? profile : existing)) : [...others, profile];
    await writeProfiles(next);
    if (options.activate) await writeActiveProfile(profile.id);
    this.reload([profile.id]);
    return profile;
  }

  /** Removes a profile, its secrets and its cached token (memory, SecretStorage and Redis). */
  async remove(id: string): Promise<void> {
    const profile = this.get(id);
    if (!profile) throw new Error(`There is no profile "${id}".`);
    await this.tokenCache.invalidate(profileFingerprint(profile));
    this.disposeClient(id);
    for (const name of SECRET_NAMES) await this.deps.secrets.delete(secretKey(id, name));
    this.bumpSecrets(id);
    await writeProfiles(this.snapshot.profiles.filter((existing) => existing.id !== id));
    if (this.snapshot.activeProfileId === id) await writeActiveProfile('');
    this.reload([id]);
  }

  /**
   * The client of a profile (the active one when omitted). Throws an actionable error when there
   * is no such profile; a missing secret surfaces on the first request, naming the secret.
   */
  async getClient(profileId?: string, options: ClientOptions = {}): Promise<MagentoClient> {
    const profile = profileId === undefined ? this.active() : this.get(profileId);
    if (!profile) {
      if (profileId !== undefined) throw new Error(`There is no Magento profile "${profileId}". Add it with "Magento: Add Integration Profile".`);
      throw new Error(this.snapshot.profiles.length === 0
        ? 'No Magento profile yet: run "Magento: Add Integration Profile" (or "Magento: Start Sandbox Store" to try one).'
        : 'No active Magento profile: pick one with "Magento: Select Integration Profile".');
    }
    const confirmWrites = options.confirmWrites ?? true;
    const slot = confirmWrites ? profile.id : `${profile.id}\u0000unconfirmed`;
    const key = clientKey(profile, this.secretsVersion.get(profile.id) ?? 0);
    const cached = this.clients.get(slot);
    if (cached && cached.key === key) return cached.client;
    cached?.client.dispose();
    const client = createMagentoClient({
      profile,
      secrets: this.deps.secrets,
      tokenCache: this.tokenCache,
      logger: this.deps.logger,
      promptOtp: () => this.deps.promptOtp(profile),
      ...(confirmWrites ? { confirmWrite: (request: { method: string; path: string }) => this.deps.confirmWrite(profile, request.method, request.path) } : {}),
    });
    this.clients.set(slot, { key, client });
    return client;
  }

  /** Forgets (customer: revokes on the store) a profile's token everywhere. */
  async forgetToken(profileId?: string): Promise<ForgetResult> {
    const client = await this.getClient(profileId);
    return client.forgetToken();
  }

  async redisUrl(): Promise<string | undefined> {
    return this.deps.secrets.get(REDIS_URL_SECRET_KEY);
  }

  /** Stores (or, with undefined/empty, deletes) the Redis URL and rebuilds the token cache. */
  async setRedisUrl(url: string | undefined): Promise<void> {
    if (url === undefined || url.trim() === '') await this.deps.secrets.delete(REDIS_URL_SECRET_KEY);
    else await this.deps.secrets.store(REDIS_URL_SECRET_KEY, url.trim());
    await this.rebuildTokenCache();
  }

  private bumpSecrets(id: string): void {
    this.secretsVersion.set(id, (this.secretsVersion.get(id) ?? 0) + 1);
  }

  /** Disposes both clients of a profile (the confirming one and the bulk one). */
  private disposeClient(id: string): void {
    for (const slot of [id, `${id}\u0000unconfirmed`]) {
      this.clients.get(slot)?.client.dispose();
      this.clients.delete(slot);
    }
  }

  /** Re-reads settings; drops clients of removed profiles; tells listeners what changed. */
  private reload(alsoChanged: readonly string[] = []): void {
    const before = new Map(this.snapshot.profiles.map((profile) => [profile.id, JSON.stringify(profile)]));
    const previousActive = this.active()?.id;
    this.snapshot = readProfileSettings();
    this.reportProblems();
    const after = new Map(this.snapshot.profiles.map((profile) => [profile.id, JSON.stringify(profile)]));
    const changed = new Set(alsoChanged);
    for (const id of new Set([...before.keys(), ...after.keys()])) {
      if (before.get(id) !== after.get(id)) changed.add(id);
    }
    for (const slot of [...this.clients.keys()]) {
      const id = slot.split('\u0000')[0] ?? slot;
      if (!after.has(id)) this.disposeClient(id);
    }
    const activeId = this.active()?.id;
    if (changed.size > 0 || previousActive !== activeId) {
      this.changeEmitter.fire({ changedIds: [...changed], activeProfileId: activeId });
    }
  }

  private reportProblems(): void {
    const text = this.snapshot.problems.join('\n');
    if (text && text !== this.reportedProblems) {
      for (const problem of this.snapshot.problems) this.deps.logger.warn(`settings: ${problem}`);
    }
    this.reportedProblems = text;
  }

  /** One token cache for every client; Redis joins it when enabled and a URL is stored. */
  private async rebuildTokenCache(): Promise<void> {
    const { redisEnabled } = readProfileSettings();
    const url = redisEnabled ? await this.redisUrl() : undefined;
    let shared: RedisTokenStore | undefined;
    if (redisEnabled && !url) {
      this.deps.logger.warn('magentoWorkbench.redis.enabled is on but no Redis URL is stored: run "Magento: Set Redis URL". Tokens are cached locally meanwhile.');
    } else if (url) {
      try {
        shared = new RedisTokenStore({ url, logger: this.deps.logger.child('redis') });
      } catch (error) {
        this.deps.logger.warn(`Redis token cache disabled: ${(error as Error).message}`);
      }
    }
    const previous = this.tokenCache;
    this.tokenCache = new TokenCache({ secrets: this.deps.secrets, logger: this.deps.logger.child('token'), ...(shared ? { shared } : {}) });
    // Clients hold the cache they were built with: rebuild them on next use.
    for (const id of [...this.clients.keys()]) this.disposeClient(id);
    await previous.dispose();
    if (shared) this.deps.logger.info(`token cache shared through ${shared.description}`);
  }

  dispose(): void {
    for (const id of [...this.clients.keys()]) this.disposeClient(id);
    void this.tokenCache.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changeEmitter.dispose();
  }
}
