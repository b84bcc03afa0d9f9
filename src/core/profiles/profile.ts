// An integration profile: how to reach one store as one account. Only non-secret fields live
// here (they go to settings.json / .magento-rest.json); every secret is kept in a SecretStore
// under the typed keys built by `secretKey()`.
import { createHash } from 'node:crypto';
import * as z from 'zod';

export type AuthKind = 'admin' | 'customer' | 'integration-bearer' | 'oauth1';

export const AUTH_KINDS: readonly AuthKind[] = ['admin', 'customer', 'integration-bearer', 'oauth1'];

export type ProfileAuth =
  | { kind: 'admin'; username: string }
  | { kind: 'customer'; email: string }
  | { kind: 'integration-bearer' }
  | { kind: 'oauth1' };

export interface ProfileTls {
  /** Verify the store's certificate (default true). False is "allow insecure": a warning is logged on every client. */
  verify: boolean;
  /** A PEM file with extra CA certificates (a corporate or self-signed CA). */
  caFile?: string;
}

export interface Profile {
  id: string;
  label: string;
  /** `https://store.example.com` (no `/rest`); a sub-folder install keeps its folder. */
  baseUrl: string;
  /** Store view code; `default` unless the profile targets another view (`all` = admin scope). */
  storeCode: string;
  auth: ProfileAuth;
  /** Token lifetime configured on the store (`oauth/access_token_lifetime/*`); admin 240, customer 60 by default. */
  tokenLifetimeMinutes?: number;
  /** Writes against a production store ask for confirmation. */
  production: boolean;
  tls: ProfileTls;
}

export type SecretName = 'password' | 'accessToken' | 'consumerKey' | 'consumerSecret' | 'accessTokenSecret' | 'redisUrl';

export const SECRET_NAMES: readonly SecretName[] = ['password', 'accessToken', 'consumerKey', 'consumerSecret', 'accessTokenSecret', 'redisUrl'];

/** Which secrets a profile of this kind needs before it can authenticate. */
export function requiredSecrets(kind: AuthKind): readonly SecretName[] {
  switch (kind) {
    case 'admin':
    case 'customer':
      return ['password'];
    case 'integration-bearer':
      return ['accessToken'];
    case 'oauth1':
      return ['consumerKey', 'consumerSecret', 'accessToken', 'accessTokenSecret'];
  }
}

/** Typed SecretStorage key: `magentoWorkbench.profile.<id>.<name>`. */
export function secretKey(profileId: string, name: SecretName): string {
  return `magentoWorkbench.profile.${profileId}.${name}`;
}

/** Default token lifetimes of Magento 2.4 (`oauth/access_token_lifetime/admin` = 4 h, `/customer` = 1 h). */
export function defaultTokenLifetimeMinutes(kind: AuthKind): number | undefined {
  if (kind === 'admin') return 240;
  if (kind === 'customer') return 60;
  return undefined; // integration tokens do not expire
}

export function tokenLifetimeMinutes(profile: Profile): number | undefined {
  return profile.tokenLifetimeMinutes ?? defaultTokenLifetimeMinutes(profile.auth.kind);
}

export class ProfileError extends Error {
  override readonly name = 'ProfileError';
}

/**
 * Validates and normalises a store base URL: http(s) only, no query/fragment/credentials,
 * trailing slashes dropped. A pasted `/rest/...` or `/index.php/rest/...` suffix is refused
 * with a hint, because the client adds `/rest/<store>` itself.
 */
export function normalizeBaseUrl(raw: string): string {
  const trimmed = raw.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new ProfileError(`Base URL '${trimmed}' is not a valid URL. Use the store's address, e.g. https://store.example.com`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ProfileError(`Base URL '${trimmed}' must start with https:// (or http:// for a local store).`);
  }
  if (url.username || url.password) {
    throw new ProfileError('Base URL must not contain a user name or password; secrets belong in the secret store.');
  }
  if (url.search || url.hash) {
    throw new ProfileError(`Base URL '${trimmed}' must not have a query string or fragment.`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  const restAt = path.search(/(?:^|\/)(?:index\.php\/)?rest(?:\/|$)/);
  if (restAt >= 0) {
    const suggestion = `${url.origin}${path.slice(0, restAt)}`;
    throw new ProfileError(`Base URL '${trimmed}' includes the REST path; use '${suggestion}' (the client adds /rest/<store>/V1/... itself).`);
  }
  return `${url.origin}${path}`;
}

const storeCodeSchema = z
  .string()
  .regex(/^[a-z0-9_]+$/i, 'store code may only contain letters, digits and _ (e.g. default, all, en_us)');

const authSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('admin'), username: z.string().trim().min(1, 'admin username is required') }),
  z.object({ kind: z.literal('customer'), email: z.string().trim().min(3, 'customer e-mail is required').includes('@', { message: 'customer e-mail must contain @' }) }),
  z.object({ kind: z.literal('integration-bearer') }),
  z.object({ kind: z.literal('oauth1') }),
]);

export const profileSchema: z.ZodType<Profile> = z.object({
  id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'profile id may use letters, digits, _ . - (max 64)'),
  label: z.string().trim().min(1, 'label is required'),
  baseUrl: z.string().transform((value, ctx) => {
    try {
      return normalizeBaseUrl(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  }),
  storeCode: storeCodeSchema.default('default'),
  auth: authSchema,
  tokenLifetimeMinutes: z.number().int().positive().max(60 * 24 * 365).optional(),
  production: z.boolean().default(false),
  tls: z.object({ verify: z.boolean().default(true), caFile: z.string().min(1).optional() }).default({ verify: true }),
}) as unknown as z.ZodType<Profile>;

/** Parses unknown input into a Profile, throwing a ProfileError that lists every problem by field. */
export function parseProfile(input: unknown): Profile {
  const result = profileSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(profile)'}: ${issue.message}`);
  throw new ProfileError(`Invalid profile: ${problems.join('; ')}`);
}

/** The account a token belongs to (never a secret). */
export function profileAccount(profile: Profile): string {
  switch (profile.auth.kind) {
    case 'admin':
      return profile.auth.username;
    case 'customer':
      return profile.auth.email.toLowerCase();
    case 'integration-bearer':
    case 'oauth1':
      return `profile:${profile.id}`;
  }
}

/**
 * A stable id for "this account on this store": sha256 of base URL + store + account + kind.
 * Token caches (memory, SecretStore, Redis) key by it so every window, process and machine
 * using the same account shares one token. It never includes a secret.
 */
export function profileFingerprint(profile: Profile): string {
  const parts = [normalizeBaseUrl(profile.baseUrl).toLowerCase(), profile.storeCode, profileAccount(profile), profile.auth.kind];
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
}
