// The one typed reader (and writer) of the profile settings. `magentoWorkbench.profiles` holds
// non-secret profile fields only; each entry is validated with the core's zod profile schema, and
// a broken entry is reported (by index and field) instead of hiding every other profile.
import * as vscode from 'vscode';
import * as z from 'zod';
import { parseProfile, type Profile } from '../../core/profiles/profile';

const SECTION = 'magentoWorkbench';

const settingsSchema = z.object({
  profiles: z.array(z.unknown()).catch([]),
  activeProfile: z.string().catch(''),
  redisEnabled: z.boolean().catch(false),
});

export interface ProfileSettings {
  profiles: Profile[];
  /** Entries that failed validation, e.g. `profiles[2]: baseUrl: ...`. */
  problems: string[];
  /** The configured active profile id ('' when none). */
  activeProfileId: string;
  redisEnabled: boolean;
}

export function readProfileSettings(): ProfileSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const raw = settingsSchema.parse({
    profiles: config.get<unknown>('profiles'),
    activeProfile: config.get<unknown>('activeProfile'),
    redisEnabled: config.get<unknown>('redis.enabled'),
  });
  const profiles: Profile[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  raw.profiles.forEach((entry, index) => {
    try {
      const profile = parseProfile(entry);
      if (seen.has(profile.id)) {
        problems.push(`profiles[${index}]: the id "${profile.id}" is used twice; the later entry is ignored.`);
        return;
      }
      seen.add(profile.id);
      profiles.push(profile);
    } catch (error) {
      problems.push(`profiles[${index}]: ${(error as Error).message}`);
    }
  });
  return { profiles, problems, activeProfileId: raw.activeProfile, redisEnabled: raw.redisEnabled };
}

/** The settings entry of a profile: exactly the non-secret fields, nothing undefined. */
export function profileToSetting(profile: Profile): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    id: profile.id,
    label: profile.label,
    baseUrl: profile.baseUrl,
    storeCode: profile.storeCode,
    auth: { ...profile.auth },
    production: profile.production,
    tls: profile.tls.caFile ? { verify: profile.tls.verify, caFile: profile.tls.caFile } : { verify: profile.tls.verify },
  };
  if (profile.tokenLifetimeMinutes !== undefined) entry['tokenLifetimeMinutes'] = profile.tokenLifetimeMinutes;
  return entry;
}

/**
 * Where a setting is written: the workspace when the workspace already defines it (it would
 * shadow a user-level value), the user settings otherwise.
 */
function targetFor(key: string): vscode.ConfigurationTarget {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect(key);
  if (inspected?.workspaceFolderValue !== undefined || inspected?.workspaceValue !== undefined) {
    return vscode.ConfigurationTarget.Workspace;
  }
  return vscode.ConfigurationTarget.Global;
}

/**
 * Replaces the stored profiles. Entries that failed validation are kept as they were (the user
 * may be halfway through editing them by hand): nothing is lost by a write from the UI.
 */
export async function writeProfiles(profiles: readonly Profile[]): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const existing = z.array(z.unknown()).catch([]).parse(config.get<unknown>('profiles'));
  const invalid = existing.filter((entry) => {
    try {
      parseProfile(entry);
      return false;
    } catch {
      return true;
    }
  });
  await config.update('profiles', [...profiles.map(profileToSetting), ...invalid], targetFor('profiles'));
}

export async function writeActiveProfile(id: string): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update('activeProfile', id, targetFor('activeProfile'));
}

export function affectsProfileSettings(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(`${SECTION}.profiles`) || event.affectsConfiguration(`${SECTION}.activeProfile`);
}

export function affectsRedisSettings(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(`${SECTION}.redis`);
}
