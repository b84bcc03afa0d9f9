// The profile commands. Each takes an optional argument for non-interactive use (tests, other
// extensions, keybindings): `executeCommand('magentoWorkbench.profile.add', {label, baseUrl,
// auth, secrets, ...})`. Without one they walk the user through QuickPicks and InputBoxes.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import * as z from 'zod';
import {
  AUTH_KINDS,
  SECRET_NAMES,
  normalizeBaseUrl,
  parseProfile,
  requiredSecrets,
  type AuthKind,
  type Profile,
  type SecretName,
} from '../../core/profiles/profile';
import { type HostContext } from '../hostContext';
import { checkConnection, formatConnectionReport, type ConnectionReport } from './connectionCheck';
import { type ProfileSecrets, type ProfileService } from './profileService';

const secretsSchema = z.partialRecord(z.enum(SECRET_NAMES as [SecretName, ...SecretName[]]), z.string().min(1, 'a secret cannot be empty'));

/** The argument of `magentoWorkbench.profile.add` (profile fields + secrets + activate). */
const addArgsSchema = z.looseObject({
  id: z.string().optional(),
  label: z.string(),
  secrets: secretsSchema.optional(),
  activate: z.boolean().optional(),
});

const editArgsSchema = z.looseObject({
  id: z.string(),
  secrets: secretsSchema.optional(),
});

const idArgSchema = z.union([z.string(), z.object({ id: z.string() }).transform((value) => value.id)]).optional();

const AUTH_LABELS: Record<AuthKind, { label: string; detail: string }> = {
  admin: { label: 'Admin user', detail: 'Username + password → admin token (asks for a 2FA code when the store wants one)' },
  customer: { label: 'Customer', detail: 'E-mail + password → customer token (the customer\'s own routes: /V1/customers/me, carts/mine, ...)' },
  'integration-bearer': { label: 'Integration access token (Bearer)', detail: 'Needs "Allow OAuth Access Tokens to be used as standalone Bearer tokens" on 2.4.4+' },
  oauth1: { label: 'Integration (OAuth 1.0a signed)', detail: 'Consumer key/secret + access token/secret, HMAC-SHA256 signature on every request' },
};

const SECRET_PROMPTS: Record<SecretName, string> = {
  password: 'Password',
  accessToken: 'Access token',
  consumerKey: 'Consumer key',
  consumerSecret: 'Consumer secret',
  accessTokenSecret: 'Access token secret',
  redisUrl: 'Redis URL',
};

function zodProblems(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(argument)'}: ${issue.message}`).join('; ');
}

function slug(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'profile';
}

function newProfileId(label: string, taken: readonly Profile[]): string {
  const base = slug(label);
  if (!taken.some((profile) => profile.id === base)) return base;
  return `${base}-${randomBytes(3).toString('hex')}`;
}

function missingSecrets(kind: AuthKind, secrets: ProfileSecrets): SecretName[] {
  return requiredSecrets(kind).filter((name) => !secrets[name]);
}

function profileDescription(profile: Profile): string {
  return `${profile.baseUrl} · ${profile.storeCode} · ${AUTH_LABELS[profile.auth.kind].label}`;
}

export function profilePickItem(profile: Profile, activeId: string | undefined): vscode.QuickPickItem & { profile: Profile } {
  return {
    label: `${profile.id === activeId ? '$(check) ' : ''}${profile.production ? '$(warning) ' : ''}${profile.label}`,
    description: profile.production ? 'PRODUCTION' : '',
    detail: profileDescription(profile),
    profile,
  };
}

// ---- interactive steps --------------------------------------------------------------------------

class Cancelled extends Error {}

async function ask<T>(value: Thenable<T | undefined>): Promise<T> {
  const answer = await value;
  if (answer === undefined) throw new Cancelled();
  return answer;
}

function inputBox(title: string, options: vscode.InputBoxOptions): Promise<string> {
  return ask(vscode.window.showInputBox({ title, ignoreFocusOut: true, ...options }));
}

function validateBaseUrl(value: string): string | undefined {
  try {
    normalizeBaseUrl(value);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

async function askTls(title: string, current: Profile['tls'] | undefined): Promise<Profile['tls']> {
  type TlsItem = vscode.QuickPickItem & { choice: 'verify' | 'ca' | 'insecure' };
  const items: TlsItem[] = [
    { label: 'Verify certificates (recommended)', choice: 'verify', picked: current?.verify !== false && !current?.caFile },
    { label: 'Verify with a custom CA file…', detail: 'A corporate or self-signed CA (PEM)', choice: 'ca', picked: Boolean(current?.caFile) },
    { label: '$(warning) Allow insecure (no verification)', detail: 'Anyone on the network path can read and change this traffic', choice: 'insecure', picked: current?.verify === false },
  ];
  const picked = await ask(vscode.window.showQuickPick(items, { title, ignoreFocusOut: true, placeHolder: vscode.l10n.t('TLS certificate verification') }));
  if (picked.choice === 'verify') return { verify: true };
  if (picked.choice === 'insecure') {
    void vscode.window.showWarningMessage(vscode.l10n.t('TLS verification is off for this profile: use it only for a local store you control.'));
    return { verify: false };
  }
  const files = await ask(vscode.window.showOpenDialog({ title: vscode.l10n.t('CA certificate (PEM)'), canSelectMany: false, filters: { 'PEM certificates': ['pem', 'crt', 'cer'], 'All files': ['*'] } }));
  const file = files[0];
  if (!file) throw new Cancelled();
  return { verify: true, caFile: file.fsPath };
}

async function askSecrets(title: string, kind: AuthKind, optional: boolean): Promise<ProfileSecrets> {
  const secrets: ProfileSecrets = {};
  for (const name of requiredSecrets(kind)) {
    const value = await inputBox(title, {
      prompt: vscode.l10n.t('{0} (kept in VS Code\'s secret storage, never in settings){1}', SECRET_PROMPTS[name], optional ? ' — leave empty to keep the stored one' : ''),
      password: true,
      validateInput: (text) => (optional || text.length > 0 ? undefined : vscode.l10n.t('{0} is required', SECRET_PROMPTS[name])),
    });
    if (value.length > 0) secrets[name] = value;
  }
  return secrets;
}

async function askAccount(title: string, kind: AuthKind, current?: Profile['auth']): Promise<Profile['auth']> {
  if (kind === 'admin') {
    const username = await inputBox(title, { prompt: vscode.l10n.t('Admin username'), value: current?.kind === 'admin' ? current.username : '', validateInput: (text) => (text.trim() ? undefined : vscode.l10n.t('The username is required')) });
    return { kind, username: username.trim() };
  }
  if (kind === 'customer') {
    const email = await inputBox(title, { prompt: vscode.l10n.t('Customer e-mail'), value: current?.kind === 'customer' ? current.email : '', validateInput: (text) => (text.includes('@') ? undefined : vscode.l10n.t('An e-mail address is required')) });
    return { kind, email: email.trim() };
  }
  return { kind };
}

async function askAuthKind(title: string, current?: AuthKind): Promise<AuthKind> {
  // Not `kind`: QuickPickItem already has a `kind` (separator or default).
  const items: (vscode.QuickPickItem & { authKind: AuthKind })[] = AUTH_KINDS.map((authKind) => ({ label: AUTH_LABELS[authKind].label, detail: AUTH_LABELS[authKind].detail, authKind, picked: authKind === current }));
  return (await ask(vscode.window.showQuickPick(items, { title, ignoreFocusOut: true, placeHolder: vscode.l10n.t('How does this profile authenticate?') }))).authKind;
}

async function askProduction(title: string, current: boolean): Promise<boolean> {
  const items: (vscode.QuickPickItem & { value: boolean })[] = [
    { label: 'Not production', detail: 'Writes are sent without asking', value: false, picked: !current },
    { label: '$(warning) Production store', detail: 'Every write asks for confirmation; the status bar shows the profile as production', value: true, picked: current },
  ];
  return (await ask(vscode.window.showQuickPick(items, { title, ignoreFocusOut: true }))).value;
}

async function addInteractively(service: ProfileService): Promise<{ profile: Profile; secrets: ProfileSecrets } | undefined> {
  const steps = 8;
  const title = (step: number): string => `Add Magento profile (${step}/${steps})`;
  try {
    const label = await inputBox(title(1), { prompt: vscode.l10n.t('A name for this profile'), placeHolder: vscode.l10n.t('Staging admin'), validateInput: (text) => (text.trim() ? undefined : vscode.l10n.t('A label is required')) });
    const baseUrl = await inputBox(title(2), { prompt: vscode.l10n.t('The store\'s base URL (without /rest)'), placeHolder: vscode.l10n.t('https://store.example.com'), validateInput: validateBaseUrl });
    const storeCode = await inputBox(title(3), { prompt: vscode.l10n.t('Store view code (default, all for the admin scope, or a store view code)'), value: 'default', validateInput: (text) => (/^[a-z0-9_]+$/i.test(text) ? undefined : vscode.l10n.t('Letters, digits and _ only')) });
    const kind = await askAuthKind(title(4));
    const auth = await askAccount(title(5), kind);
    const secrets = await askSecrets(title(6), kind, false);
    const production = await askProduction(title(7), false);
    const tls = await askTls(title(8), undefined);
    const profile = parseProfile({ id: newProfileId(label, service.list()), label: label.trim(), baseUrl, storeCode, auth, production, tls });
    return { profile, secrets };
  } catch (error) {
    if (error instanceof Cancelled) return undefined;
    throw error;
  }
}

async function pickProfile(service: ProfileService, placeHolder: string): Promise<Profile | undefined> {
  const profiles = service.list();
  if (profiles.length === 0) {
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('No Magento profile yet.'), 'Add Profile', 'Start Sandbox Store');
    if (choice === 'Add Profile') await vscode.commands.executeCommand('magentoWorkbench.profile.add');
    if (choice === 'Start Sandbox Store') await vscode.commands.executeCommand('magentoWorkbench.sandbox.start');
    return undefined;
  }
  const activeId = service.active()?.id;
  const picked = await vscode.window.showQuickPick(profiles.map((profile) => profilePickItem(profile, activeId)), { placeHolder, matchOnDetail: true });
  return picked?.profile;
}

async function resolveProfile(service: ProfileService, arg: unknown, placeHolder: string): Promise<Profile | undefined> {
  const parsed = idArgSchema.safeParse(arg);
  if (!parsed.success) throw new Error(`Expected a profile id or {id}: ${zodProblems(parsed.error)}`);
  if (parsed.data === undefined) return pickProfile(service, placeHolder);
  const profile = service.get(parsed.data);
  if (!profile) throw new Error(`There is no Magento profile "${parsed.data}".`);
  return profile;
}

// ---- commands -----------------------------------------------------------------------------------

export async function addProfileCommand(service: ProfileService, arg?: unknown): Promise<string | undefined> {
  if (arg !== undefined) {
    const parsed = addArgsSchema.safeParse(arg);
    if (!parsed.success) throw new Error(`Invalid profile: ${zodProblems(parsed.error)}`);
    const { secrets = {}, activate, ...fields } = parsed.data;
    const id = fields.id ?? newProfileId(fields.label, service.list());
    if (service.get(id)) throw new Error(`A profile with the id "${id}" already exists; use magentoWorkbench.profile.edit to change it.`);
    const profile = parseProfile({ ...fields, id });
    const missing = missingSecrets(profile.auth.kind, secrets);
    if (missing.length > 0) throw new Error(`A ${profile.auth.kind} profile needs these secrets: ${missing.join(', ')}.`);
    await service.save(profile, secrets, { activate: activate ?? service.list().length === 0 });
    return profile.id;
  }
  const result = await addInteractively(service);
  if (!result) return undefined;
  await service.save(result.profile, result.secrets, { activate: true });
  void vscode.window.showInformationMessage(vscode.l10n.t('Profile "{0}" added and selected.', result.profile.label), 'Test Connection').then((choice) => {
    if (choice) void vscode.commands.executeCommand('magentoWorkbench.profile.testConnection', result.profile.id);
  });
  return result.profile.id;
}

export async function editProfileCommand(service: ProfileService, arg?: unknown): Promise<string | undefined> {
  if (arg !== undefined && typeof arg === 'object' && arg !== null) {
    const parsed = editArgsSchema.safeParse(arg);
    if (!parsed.success) throw new Error(`Invalid profile change: ${zodProblems(parsed.error)}`);
    const { secrets = {}, ...fields } = parsed.data;
    const current = service.get(fields.id);
    if (!current) throw new Error(`There is no Magento profile "${fields.id}".`);
    const profile = parseProfile({ ...current, ...fields });
    await service.save(profile, secrets);
    return profile.id;
  }
  const current = await resolveProfile(service, arg, 'Profile to edit');
  if (!current) return undefined;
  let draft: Profile = current;
  let secrets: ProfileSecrets = {};
  const title = `Edit "${current.label}"`;
  try {
    for (;;) {
      type Field = vscode.QuickPickItem & { field: string };
      const fields: Field[] = [
        { label: '$(save) Save', field: 'save', detail: 'Keep these changes' },
        { label: 'Label', description: draft.label, field: 'label' },
        { label: 'Base URL', description: draft.baseUrl, field: 'baseUrl' },
        { label: 'Store code', description: draft.storeCode, field: 'storeCode' },
        { label: 'Authentication', description: AUTH_LABELS[draft.auth.kind].label, field: 'auth' },
        { label: 'Secrets', description: Object.keys(secrets).length ? 'changed' : 'unchanged', field: 'secrets' },
        { label: 'Production', description: draft.production ? 'yes' : 'no', field: 'production' },
        { label: 'TLS', description: draft.tls.verify ? (draft.tls.caFile ? `CA ${draft.tls.caFile}` : 'verify') : 'insecure', field: 'tls' },
        { label: 'Token lifetime (minutes)', description: String(draft.tokenLifetimeMinutes ?? 'store default'), field: 'lifetime' },
      ];
      const picked = await vscode.window.showQuickPick(fields, { title, placeHolder: vscode.l10n.t('Pick a field to change, then Save') });
      if (!picked) return undefined;
      switch (picked.field) {
        case 'save':
          await service.save(parseProfile(draft), secrets);
          void vscode.window.showInformationMessage(vscode.l10n.t('Profile "{0}" saved.', draft.label));
          return draft.id;
        case 'label':
          draft = { ...draft, label: (await inputBox(title, { value: draft.label, validateInput: (text) => (text.trim() ? undefined : vscode.l10n.t('A label is required')) })).trim() };
          break;
        case 'baseUrl':
          draft = { ...draft, baseUrl: normalizeBaseUrl(await inputBox(title, { value: draft.baseUrl, validateInput: validateBaseUrl })) };
          break;
        case 'storeCode':
          draft = { ...draft, storeCode: await inputBox(title, { value: draft.storeCode, validateInput: (text) => (/^[a-z0-9_]+$/i.test(text) ? undefined : vscode.l10n.t('Letters, digits and _ only')) }) };
          break;
        case 'auth': {
          const kind = await askAuthKind(title, draft.auth.kind);
          draft = { ...draft, auth: await askAccount(title, kind, draft.auth) };
          if (kind !== current.auth.kind) secrets = await askSecrets(title, kind, false);
          break;
        }
        case 'secrets':
          secrets = { ...secrets, ...(await askSecrets(title, draft.auth.kind, true)) };
          break;
        case 'production':
          draft = { ...draft, production: await askProduction(title, draft.production) };
          break;
        case 'tls':
          draft = { ...draft, tls: await askTls(title, draft.tls) };
          break;
        case 'lifetime': {
          const text = await inputBox(title, { prompt: vscode.l10n.t('Token lifetime in minutes as configured on the store (empty = Magento\'s default: admin 240, customer 60)'), value: draft.tokenLifetimeMinutes?.toString() ?? '', validateInput: (value) => (value === '' || /^[1-9]\d*$/.test(value) ? undefined : vscode.l10n.t('A positive whole number, or empty')) });
          const { tokenLifetimeMinutes: _dropped, ...rest } = draft;
          draft = text === '' ? rest : { ...rest, tokenLifetimeMinutes: Number(text) };
          break;
        }
      }
    }
  } catch (error) {
    if (error instanceof Cancelled) return undefined;
    throw error;
  }
}

export async function removeProfileCommand(service: ProfileService, arg?: unknown): Promise<boolean> {
  const profile = await resolveProfile(service, arg, 'Profile to remove');
  if (!profile) return false;
  if (arg === undefined) {
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Remove the profile "{0}", its secrets and its cached token?', profile.label), { modal: true }, 'Remove');
    if (choice !== 'Remove') return false;
  }
  await service.remove(profile.id);
  if (arg === undefined) void vscode.window.showInformationMessage(vscode.l10n.t('Profile "{0}" removed.', profile.label));
  return true;
}

export async function selectProfileCommand(service: ProfileService, arg?: unknown): Promise<string | undefined> {
  const profile = await resolveProfile(service, arg, 'Active Magento profile');
  if (!profile) return undefined;
  await service.setActive(profile.id);
  if (profile.production && arg === undefined) {
    void vscode.window.showWarningMessage(vscode.l10n.t('"{0}" is a production profile: writes will ask for confirmation.', profile.label));
  }
  return profile.id;
}

export async function testConnectionCommand(host: HostContext, service: ProfileService, arg?: unknown): Promise<ConnectionReport | undefined> {
  const profile = arg === undefined ? service.active() ?? (await pickProfile(service, 'Profile to test')) : await resolveProfile(service, arg, 'Profile to test');
  if (!profile) return undefined;
  const client = await service.getClient(profile.id);
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Testing "{0}"…', profile.label) },
    () => checkConnection(client),
  );
  const lines = formatConnectionReport(report, profile.label);
  for (const line of lines) host.logger.info(line);
  const failed = report.steps.find((step) => step.status === 'failed');
  if (arg === undefined) {
    if (report.ok) {
      void vscode.window.showInformationMessage(vscode.l10n.t('"{0}": {1}.', profile.label, report.steps.map((step) => `${step.label} ✔`).join(', ')));
    } else if (failed) {
      void vscode.window.showErrorMessage(vscode.l10n.t('"{0}": {1} failed: {2}{3}', profile.label, failed.label, failed.detail, failed.hint ? ` — ${failed.hint}` : ''), 'Show Details').then((choice) => {
        if (choice) host.output.show(true);
      });
    }
  }
  return report;
}

export async function forgetTokenCommand(service: ProfileService, arg?: unknown): Promise<string | undefined> {
  const profile = arg === undefined ? service.active() ?? (await pickProfile(service, 'Profile whose token to forget')) : await resolveProfile(service, arg, 'Profile whose token to forget');
  if (!profile) return undefined;
  const result = await service.forgetToken(profile.id);
  if (arg === undefined) void vscode.window.showInformationMessage(vscode.l10n.t('"{0}": {1}', profile.label, result.message));
  return result.message;
}

export async function setRedisUrlCommand(service: ProfileService, arg?: unknown): Promise<boolean> {
  let url: string | undefined;
  if (arg !== undefined) {
    if (typeof arg !== 'string') throw new Error('Expected the Redis URL as a string ("" removes it).');
    url = arg;
  } else {
    url = await vscode.window.showInputBox({
      title: vscode.l10n.t('Redis URL for the shared token cache'),
      prompt: vscode.l10n.t('redis://[user:password@]host:6379[/db] — kept in secret storage. Leave empty to remove it.'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (text) => (text === '' || /^rediss?:\/\/[^\s]+$/.test(text) ? undefined : vscode.l10n.t('Must start with redis:// or rediss://')),
    });
    if (url === undefined) return false;
  }
  if (url !== '' && !/^rediss?:\/\/[^\s]+$/.test(url)) throw new Error('The Redis URL must start with redis:// or rediss://.');
  await service.setRedisUrl(url);
  if (arg === undefined) {
    const enabled = vscode.workspace.getConfiguration('magentoWorkbench').get<boolean>('redis.enabled') === true;
    if (url === '') void vscode.window.showInformationMessage(vscode.l10n.t('Redis URL removed; tokens are cached locally.'));
    else if (enabled) void vscode.window.showInformationMessage(vscode.l10n.t('Redis URL saved; tokens are now shared through Redis.'));
    else {
      const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Redis URL saved. Turn on magentoWorkbench.redis.enabled to share tokens?'), 'Enable');
      if (choice) await vscode.workspace.getConfiguration('magentoWorkbench').update('redis.enabled', true, vscode.ConfigurationTarget.Global);
    }
  }
  return true;
}
