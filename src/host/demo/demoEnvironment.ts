// `npm run demo` hands the sandbox's admin password to the extension host through one
// environment variable, so the password reaches SecretStorage without ever being written to a
// settings file. This module only reads and checks that variable (no vscode import, unit-tested).
import * as z from 'zod';
import { type Profile } from '../../core/profiles/profile';

/** Set by scripts/demo.mjs for the VS Code it starts; unset everywhere else. */
export const DEMO_ENV_VAR = 'MAGENTO_WORKBENCH_DEMO';

const grantSchema = z.object({
  profileId: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
  password: z.string().min(1),
});

export type DemoSecretGrant = z.infer<typeof grantSchema>;

export class DemoEnvironmentError extends Error {
  constructor(message: string) {
    super(`${DEMO_ENV_VAR}: ${message}`);
    this.name = 'DemoEnvironmentError';
  }
}

/** `undefined` when the variable is unset or empty; throws DemoEnvironmentError when malformed. */
export function parseDemoGrant(raw: string | undefined): DemoSecretGrant | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new DemoEnvironmentError('expected JSON like {"profileId":"demo-sandbox","password":"..."}');
  }
  const parsed = grantSchema.safeParse(json);
  if (!parsed.success) throw new DemoEnvironmentError(`expected {"profileId": string, "password": string}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`);
  return parsed.data;
}

export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  return host === 'localhost' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * Why a grant may not be applied to a profile, or undefined when it may. The variable is only
 * for the local sandbox: a real store's secret never comes from the environment of an editor
 * (anything that can set it could otherwise plant a password for a production profile).
 */
export function grantRefusal(grant: DemoSecretGrant, profile: Profile | undefined): string | undefined {
  if (!profile) return `no profile "${grant.profileId}" in magentoWorkbench.profiles`;
  if (profile.production) return `the profile "${profile.id}" is marked production`;
  if (!isLoopbackUrl(profile.baseUrl)) return `the profile "${profile.id}" points at ${profile.baseUrl}, not at a loopback address`;
  if (profile.auth.kind !== 'admin' && profile.auth.kind !== 'customer') return `the profile "${profile.id}" does not use a password (auth ${profile.auth.kind})`;
  return undefined;
}
