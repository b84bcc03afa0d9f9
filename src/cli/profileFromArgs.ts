// Turns CLI flags and the environment into a Profile, a SecretStore and a ready MagentoClient.
// Non-secret fields come from `--profile NAME` (a `.magento-rest.json` in the working folder, or
// `--profile-file`) or from flags/env; secrets come ONLY from the environment or an interactive
// prompt (never from flags, which other users can see in the process list).
// Other commands (bulk, convert) reuse `PROFILE_OPTIONS` + `createCliClient()`.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { type OAuth1Signature } from '../core/auth/oauth1Signer';
import { RedisTokenStore } from '../core/auth/redisTokenStore';
import { TokenCache } from '../core/auth/tokenCache';
import { totp } from '../core/auth/totp';
import { createMagentoClient, type MagentoClient } from '../core/http/magentoClient';
import { type Logger, type SecretStore } from '../core/ports';
import { AUTH_KINDS, parseProfile, ProfileError, requiredSecrets, SECRET_NAMES, type AuthKind, type Profile, type SecretName } from '../core/profiles/profile';
import { createCliLogger } from './cliLogger';
import { CliUsageError, type CliIo } from './cliTypes';

/** parseArgs option definitions shared by every command that talks to a store. */
export const PROFILE_OPTIONS = {
  profile: { type: 'string' },
  'profile-file': { type: 'string' },
  'base-url': { type: 'string' },
  store: { type: 'string' },
  auth: { type: 'string' },
  username: { type: 'string' },
  'ca-file': { type: 'string' },
  insecure: { type: 'boolean' },
  'otp-secret': { type: 'string' },
  timeout: { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  yes: { type: 'boolean', short: 'y' },
} as const;

export const PROFILE_HELP = `Profile (non-secret fields):
  --profile NAME         a profile from .magento-rest.json in the working folder
  --profile-file FILE    read profiles from FILE instead
  --base-url URL         store URL without /rest (env MAGENTO_BASE_URL)
  --store CODE           store view code (env MAGENTO_STORE, default "default")
  --auth KIND            admin | customer | integration-bearer | oauth1 (env MAGENTO_AUTH, default admin)
  --username NAME        admin user name or customer e-mail (env MAGENTO_USERNAME)
  --ca-file FILE         extra CA certificates (PEM) for the store's TLS certificate
  --insecure             do not verify the TLS certificate (local stores only; a warning is printed)
  --timeout MS           response timeout in milliseconds (default 60000)
  --otp-secret BASE32    compute the 2FA code from this TOTP secret (or env MAGENTO_OTP_SECRET)
  -y, --yes              confirm writes to a production profile
  -v, --verbose          log requests and token handling to stderr
Secrets (environment only, or a prompt when stdin is a terminal):
  MAGENTO_PASSWORD, MAGENTO_ACCESS_TOKEN, MAGENTO_CONSUMER_KEY, MAGENTO_CONSUMER_SECRET,
  MAGENTO_ACCESS_TOKEN_SECRET, MAGENTO_OTP (current 2FA code)
Shared token cache: REDIS_URL=redis://host:6379 (key prefix: MAGENTO_REDIS_PREFIX)
MAGENTO_NO_PROMPT=1 never prompts (fail with exit code 2 instead)
`;

export interface ProfileArgValues {
  profile?: string | undefined;
  'profile-file'?: string | undefined;
  'base-url'?: string | undefined;
  store?: string | undefined;
  auth?: string | undefined;
  username?: string | undefined;
  'ca-file'?: string | undefined;
  insecure?: boolean | undefined;
  'otp-secret'?: string | undefined;
  timeout?: string | undefined;
  verbose?: boolean | undefined;
  yes?: boolean | undefined;
}

export const SECRET_ENV: Record<SecretName, string> = {
  password: 'MAGENTO_PASSWORD',
  accessToken: 'MAGENTO_ACCESS_TOKEN',
  consumerKey: 'MAGENTO_CONSUMER_KEY',
  consumerSecret: 'MAGENTO_CONSUMER_SECRET',
  accessTokenSecret: 'MAGENTO_ACCESS_TOKEN_SECRET',
  redisUrl: 'REDIS_URL',
};

export const DEFAULT_PROFILE_FILE = '.magento-rest.json';

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}

async function readProfileFile(path: string, name: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliUsageError(`cannot read the profile file ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`the profile file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const profiles = (json as { profiles?: unknown })?.profiles ?? json;
  let entry: unknown;
  if (Array.isArray(profiles)) {
    entry = profiles.find((p) => (p as { id?: unknown; label?: unknown })?.id === name || (p as { label?: unknown })?.label === name);
  } else if (profiles && typeof profiles === 'object') {
    entry = (profiles as Record<string, unknown>)[name];
  }
  if (!entry || typeof entry !== 'object') {
    const known = Array.isArray(profiles)
      ? profiles.map((p) => String((p as { id?: unknown })?.id))
      : Object.keys((profiles as Record<string, unknown>) ?? {});
    throw new CliUsageError(`no profile "${name}" in ${path}${known.length ? ` (known: ${known.join(', ')})` : ''}`);
  }
  for (const secret of [...SECRET_NAMES, 'token']) {
    if (secret in entry) throw new CliUsageError(`the profile file ${path} holds a secret ("${secret}") for "${name}"; remove it and set ${SECRET_ENV[secret as SecretName] ?? 'the matching environment variable'} instead`);
  }
  return { id: name.replace(/[^A-Za-z0-9_.-]/g, '_'), label: name, ...(entry as Record<string, unknown>) };
}

/** The profile the flags describe (non-secret fields only). Throws CliUsageError with the reason. */
export async function profileFromArgs(values: ProfileArgValues, io: CliIo): Promise<Profile> {
  let raw: Record<string, unknown>;
  if (values.profile || values['profile-file']) {
    const file = resolve(io.cwd, values['profile-file'] ?? DEFAULT_PROFILE_FILE);
    if (!values.profile) throw new CliUsageError('--profile-file needs --profile NAME');
    raw = await readProfileFile(file, values.profile);
  } else {
    const baseUrl = nonEmpty(values['base-url']) ?? nonEmpty(io.env.MAGENTO_BASE_URL);
    if (!baseUrl) throw new CliUsageError('no store given: use --profile NAME, --base-url URL or MAGENTO_BASE_URL');
    const kind = (nonEmpty(values.auth) ?? nonEmpty(io.env.MAGENTO_AUTH) ?? 'admin') as AuthKind;
    if (!AUTH_KINDS.includes(kind)) throw new CliUsageError(`--auth must be one of ${AUTH_KINDS.join(', ')} (got "${kind}")`);
    const username = nonEmpty(values.username) ?? nonEmpty(io.env.MAGENTO_USERNAME);
    let auth: Record<string, unknown> = { kind };
    if (kind === 'admin' || kind === 'customer') {
      if (!username) throw new CliUsageError(`--auth ${kind} needs --username (or MAGENTO_USERNAME)${kind === 'customer' ? ': the customer\'s e-mail' : ''}`);
      auth = kind === 'admin' ? { kind, username } : { kind, email: username };
    }
    raw = { id: 'cli', label: 'command line', baseUrl, auth };
  }
  // Flags override the file's fields.
  const store = nonEmpty(values.store) ?? nonEmpty(io.env.MAGENTO_STORE);
  if (store) raw.storeCode = store;
  if (values['base-url'] && values.profile) raw.baseUrl = values['base-url'];
  const tls = { ...((raw.tls as Record<string, unknown> | undefined) ?? {}) };
  if (values['ca-file']) tls.caFile = resolve(io.cwd, values['ca-file']);
  if (values.insecure) tls.verify = false;
  raw.tls = tls;
  try {
    return parseProfile(raw);
  } catch (error) {
    if (error instanceof ProfileError) throw new CliUsageError(error.message);
    throw error;
  }
}

/** Reads a line from the terminal; `hidden` stops echoing (passwords). */
export function promptLine(question: string, hidden: boolean): Promise<string> {
  return new Promise((resolvePrompt, reject) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    if (hidden) {
      // Replace every echoed character; readline writes the prompt through the same function.
      const output = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WritableStream };
      output._writeToOutput = (s: string) => {
        output.output.write(s.startsWith(question) ? question : s.includes('\n') ? '\n' : '');
      };
    }
    rl.question(question, (answer) => {
      rl.close();
      if (hidden) process.stderr.write('\n');
      resolvePrompt(answer);
    });
    rl.on('SIGINT', () => {
      rl.close();
      reject(new CliUsageError('cancelled'));
    });
  });
}

/** A SecretStore over the environment, asking on the terminal for what is missing when it can. */
export class EnvSecretStore implements SecretStore {
  private readonly asked = new Map<string, string>();

  constructor(private readonly env: NodeJS.ProcessEnv, private readonly interactive: boolean, private readonly prompt = promptLine) {}

  async get(key: string): Promise<string | undefined> {
    const name = key.slice(key.lastIndexOf('.') + 1) as SecretName;
    const envName = SECRET_ENV[name];
    if (!envName) return this.asked.get(key);
    const value = this.env[envName];
    if (value) return value;
    if (this.asked.has(key)) return this.asked.get(key);
    if (!this.interactive || name === 'redisUrl') return undefined;
    const answer = (await this.prompt(`${envName.replace('MAGENTO_', '').toLowerCase().replace(/_/g, ' ')}: `, true)).trim();
    if (!answer) return undefined;
    this.asked.set(key, answer);
    return answer;
  }

  store(key: string, value: string): Promise<void> {
    this.asked.set(key, value);
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.asked.delete(key);
    return Promise.resolve();
  }
}

export interface CliClient {
  client: MagentoClient;
  profile: Profile;
  tokenCache: TokenCache;
  logger: Logger;
  /** Whether a shared Redis cache is configured. */
  redis: boolean;
  close(): Promise<void>;
}

/** Prompts only on a terminal, and never when MAGENTO_NO_PROMPT=1 (CI jobs, tests). */
function canPrompt(io: CliIo): boolean {
  return Boolean(process.stdin.isTTY) && io.env.MAGENTO_NO_PROMPT !== '1';
}

/** Profile + secrets + token cache (with Redis when REDIS_URL is set) + client, from flags and env. */
export interface CliClientOptions {
  /** Overrides the terminal check (tests). */
  interactive?: boolean;
  /** Receives every OAuth 1.0a signature (diagnosis of "The signature is invalid"). */
  onOAuthSigned?: (signature: OAuth1Signature) => void;
}

export async function createCliClient(values: ProfileArgValues, io: CliIo, options: CliClientOptions = {}): Promise<CliClient> {
  const profile = await profileFromArgs(values, io);
  const logger = createCliLogger(io.stderr, Boolean(values.verbose));
  const interactive = options.interactive ?? canPrompt(io);
  const secrets = new EnvSecretStore(io.env, interactive);
  // Fail early, and as a usage error, when a secret is neither in the environment nor promptable.
  for (const name of requiredSecrets(profile.auth.kind)) {
    if (!io.env[SECRET_ENV[name]] && !interactive) {
      throw new CliUsageError(`the ${profile.auth.kind} profile needs ${SECRET_ENV[name]} in the environment (or run in a terminal to be asked)`);
    }
  }
  const redisUrl = nonEmpty(io.env.REDIS_URL);
  let shared: RedisTokenStore | undefined;
  if (redisUrl) {
    try {
      shared = new RedisTokenStore({ url: redisUrl, logger: logger.child('redis') });
    } catch (error) {
      logger.warn(`${(error as Error).message} — continuing without the shared token cache.`);
    }
  }
  const tokenCache = new TokenCache({
    logger: logger.child('token'),
    ...(shared ? { shared } : {}),
    ...(nonEmpty(io.env.MAGENTO_REDIS_PREFIX) ? { keyPrefix: io.env.MAGENTO_REDIS_PREFIX } : {}),
  });
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    timeoutMs = Number(values.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new CliUsageError(`--timeout must be a positive number of milliseconds (got "${values.timeout}")`);
  }
  const otpSecret = nonEmpty(values['otp-secret']) ?? nonEmpty(io.env.MAGENTO_OTP_SECRET);
  const promptOtp = async (): Promise<string | undefined> => {
    const fromEnv = nonEmpty(io.env.MAGENTO_OTP);
    if (fromEnv) return fromEnv;
    if (otpSecret) {
      try {
        return totp(otpSecret);
      } catch (error) {
        throw new CliUsageError(`--otp-secret: ${(error as Error).message}`);
      }
    }
    if (!interactive) return undefined;
    return (await promptLine('2FA code (Google Authenticator): ', false)).trim() || undefined;
  };
  const client = createMagentoClient({
    profile,
    secrets,
    tokenCache,
    logger,
    promptOtp,
    userAgent: 'magento-rest-cli',
    ...(options.onOAuthSigned ? { onOAuthSigned: options.onOAuthSigned } : {}),
    ...(timeoutMs !== undefined ? { timeouts: { headersMs: timeoutMs, bodyMs: timeoutMs } } : {}),
    confirmWrite: async (request) => {
      if (values.yes) return true;
      if (!interactive) throw new CliUsageError(`'${profile.label}' is a production profile: add --yes to send ${request.method} ${request.path}`);
      const answer = await promptLine(`Send ${request.method} ${request.path} to the production store ${profile.baseUrl}? [y/N] `, false);
      return /^y(es)?$/i.test(answer.trim());
    },
  });
  return {
    client,
    profile,
    tokenCache,
    logger,
    redis: Boolean(shared),
    async close() {
      await client.close();
      await tokenCache.dispose();
    },
  };
}

/**
 * Prints a store/transport error with its hint and returns the exit code (1). Usage errors are
 * rethrown so main.ts exits with 2.
 */
export function reportStoreError(error: unknown, io: CliIo): number {
  if (error instanceof CliUsageError) throw error;
  const described = error as { describe?: () => string };
  if (error instanceof Error && typeof described.describe === 'function') {
    io.stderr(`${described.describe()}\n`);
    return 1;
  }
  io.stderr(`${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}
