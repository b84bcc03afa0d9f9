// One error type for everything a Magento store answers with a non-2xx status. Magento sends
// the raw phrase with `%1` / `%name` placeholders and the values in `parameters`
// (Webapi\Rest\Response::_renderMessages); clients must substitute them. Hints explain the
// causes that Magento's own messages hide (2FA, the 2.4.4 bearer setting, HMAC-SHA256, ACL,
// lockout looking like a wrong password).
import { type AuthKind } from '../profiles/profile';
import { redactText } from './redactor';

export type MagentoParameters = readonly unknown[] | Readonly<Record<string, unknown>>;

export interface MagentoErrorEntry {
  /** Raw phrase as sent (placeholders intact). */
  message: string;
  parameters?: MagentoParameters;
  /** The phrase with placeholders substituted. */
  text: string;
}

/** The parsed body of a Magento error response. */
export interface MagentoErrorBody {
  message: string;
  parameters?: MagentoParameters;
  errors?: MagentoErrorEntry[];
  code?: number;
  trace?: string | null;
}

function stringifyParameter(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(stringifyParameter).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value as number | boolean | bigint);
}

/**
 * Substitutes Magento placeholders like PHP's strtr in Magento\Framework\Phrase\Renderer\Placeholder:
 * list parameters fill `%1`, `%2`, ... ; object parameters fill `%name`. The longest placeholder
 * wins (`%10` before `%1`), unknown placeholders stay as they are.
 */
export function formatMagentoMessage(message: string, parameters?: unknown): string {
  if (parameters === null || parameters === undefined || typeof parameters !== 'object') return message;
  const map = new Map<string, string>();
  if (Array.isArray(parameters)) {
    parameters.forEach((value, index) => map.set(String(index + 1), stringifyParameter(value)));
  } else {
    for (const [key, value] of Object.entries(parameters as Record<string, unknown>)) {
      // PHP arrays decoded from JSON lists with string keys "0","1" are positional too.
      map.set(/^\d+$/.test(key) ? String(Number(key) + 1) : key, stringifyParameter(value));
    }
  }
  if (map.size === 0) return message;
  const keys = [...map.keys()].sort((a, b) => b.length - a.length);
  let out = '';
  let i = 0;
  while (i < message.length) {
    if (message[i] === '%') {
      const rest = message.slice(i + 1);
      const key = keys.find((k) => rest.startsWith(k));
      if (key !== undefined) {
        out += map.get(key);
        i += 1 + key.length;
        continue;
      }
    }
    out += message[i];
    i += 1;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asParameters(value: unknown): MagentoParameters | undefined {
  if (Array.isArray(value)) return value;
  if (isRecord(value)) return value;
  return undefined;
}

/**
 * Reads a Magento error body: the normal `{message, errors?, code?, parameters?, trace?}` shape,
 * the fatal-error shape `{"messages":{"error":[{code,message}]}}`, and OAuth's form-encoded
 * `oauth_problem=...`. Returns undefined when the text is none of these.
 */
export function parseMagentoErrorBody(text: string): MagentoErrorBody | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('oauth_problem=')) {
    const problem = new URLSearchParams(trimmed).get('oauth_problem') ?? '';
    return { message: problem };
  }
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (!isRecord(json)) return undefined;
  if (typeof json.message === 'string') {
    const body: MagentoErrorBody = { message: json.message };
    const parameters = asParameters(json.parameters);
    if (parameters) body.parameters = parameters;
    if (Array.isArray(json.errors)) {
      body.errors = json.errors.filter(isRecord).map((entry) => {
        const message = typeof entry.message === 'string' ? entry.message : JSON.stringify(entry);
        const entryParameters = asParameters(entry.parameters);
        const parsed: MagentoErrorEntry = { message, text: formatMagentoMessage(message, entryParameters) };
        if (entryParameters) parsed.parameters = entryParameters;
        return parsed;
      });
    }
    if (typeof json.code === 'number') body.code = json.code;
    if (typeof json.trace === 'string' || json.trace === null) body.trace = json.trace;
    return body;
  }
  const messages = json.messages;
  if (isRecord(messages) && Array.isArray(messages.error)) {
    const first = messages.error.find(isRecord);
    if (first && typeof first.message === 'string') {
      const body: MagentoErrorBody = { message: first.message };
      if (typeof first.code === 'number') body.code = first.code;
      return body;
    }
  }
  return undefined;
}

export interface HintContext {
  status: number;
  body: MagentoErrorBody;
  authKind?: AuthKind;
  method?: string;
  path?: string;
}

const SIGN_IN_INCORRECT = 'The account sign-in was incorrect or your account is disabled temporarily';

/** A sentence that tells the user what to do, when the cause behind Magento's message is known. */
export function hintForMagentoError(ctx: HintContext): string | undefined {
  const { status, body, authKind } = ctx;
  const message = body.message;
  const parameters = body.parameters;
  const named = parameters && !Array.isArray(parameters) ? (parameters as Record<string, unknown>) : undefined;

  if (message.startsWith('Please use the 2fa provider-specific endpoints')) {
    const providers = named && Array.isArray(named.active_providers) ? named.active_providers.map(String) : [];
    if (providers.length > 0 && !providers.includes('google')) {
      return `This admin user has two-factor authentication with ${providers.join(', ')}; the workbench supports Google Authenticator only. Use an integration (OAuth 1.0a) for API access instead.`;
    }
    return 'This admin user has two-factor authentication (Google Authenticator). Provide the current 6-digit code (the OTP prompt, MAGENTO_OTP, or --otp-secret in the CLI); the token then comes from POST /V1/tfa/provider/google/authenticate.';
  }
  if (message.startsWith('You are required to configure personal Two-Factor Authorization')) {
    return 'This admin user has not set up 2FA yet. Sign in to the Admin once and finish the 2FA setup from the e-mail Magento sent, then try again.';
  }
  if (message.startsWith('Please ask an administrator with sufficient access to configure 2FA')) {
    return 'No 2FA provider is forced on this store. An administrator must configure one (Stores > Configuration > Security > 2FA) before admin tokens can be issued.';
  }
  if (message === 'Invalid code.') {
    return 'The one-time code was rejected. Codes change every 30 seconds: use the current one and check that the device clock is correct.';
  }
  if (message.startsWith(SIGN_IN_INCORRECT)) {
    return 'Magento answers the same way for a wrong user name/password and for a locked account (6 failed attempts lock it for 30 minutes). Check the credentials; if they are right, wait or unlock the user in the Admin (System > Permissions > Locked Users).';
  }
  if (message.startsWith('You must confirm your account before signing in')) {
    return 'The customer account is not confirmed yet: follow the confirmation e-mail or confirm it in the Admin.';
  }
  if (message.startsWith('Signature method %1 is not supported') || message.startsWith('Signature method')) {
    return 'Since Magento 2.4.4 only HMAC-SHA256 is accepted for OAuth 1.0a signatures; sign with HMAC-SHA256 (HMAC-SHA1 is refused).';
  }
  if (message.startsWith('The signature is invalid')) {
    return 'The OAuth 1.0a signature did not match. Check the consumer secret and access token secret, and that the base URL (scheme, host, port, sub-folder) is exactly what the store sees — behind a TLS-terminating proxy Magento may see http:// while you signed https://.';
  }
  if (message.startsWith('The token length is invalid')) {
    return 'The OAuth access token must be the 32-character token shown on the integration (System > Extensions > Integrations).';
  }
  if (message.startsWith('An error occurred validating the nonce')) {
    return 'The OAuth timestamp was refused (more than 600 s ahead of the store clock, or not positive). Check this machine\'s clock.';
  }
  if (message.startsWith('The nonce is already being used')) {
    return 'The OAuth nonce was reused; each request needs a fresh nonce. Retrying sends a new one.';
  }
  if (message.startsWith("The consumer isn't authorized to access")) {
    const resources = named && typeof named.resources === 'string' ? named.resources : undefined;
    const resourceText = resources ? `ACL resource ${resources}` : 'the required ACL resource';
    if (authKind === 'integration-bearer') {
      return `Since Magento 2.4.4 an integration access token is refused as a Bearer token unless Stores > Configuration > Services > OAuth > Consumer Settings > "Allow OAuth Access Tokens to be used as standalone Bearer tokens" (oauth/consumer/enable_integration_as_bearer) is Yes — the store then treats the call as a guest. Enable it, or use this integration with OAuth 1.0a signing (auth kind oauth1). If it is enabled, grant the integration ${resourceText}.`;
    }
    if (authKind === 'oauth1') {
      return `The integration is not allowed to use ${resourceText}. Grant it in System > Extensions > Integrations > API, then reactivate the integration.`;
    }
    if (authKind === 'admin' || authKind === 'customer') {
      return `Either the token expired or was revoked (the workbench already retried once with a fresh token), or this ${authKind === 'admin' ? "admin user's role" : 'customer'} lacks ${resourceText}. For admins grant it in System > Permissions > User Roles > Role Resources.`;
    }
    return `This route needs authentication and ${resourceText}. Select a profile that may call it.`;
  }
  if (message === 'Request does not match any route.') {
    return 'No REST route matches this method and path. Check the path (case-sensitive, /V1/...), the HTTP method, and that the module providing it is enabled.';
  }
  if (message === 'Specified request cannot be processed.') {
    return 'The path after /rest/ is not a known form: check the store code (a store view code, `all`, or none) and that async/bulk routes are not called with GET.';
  }
  if (message.startsWith('Server cannot match any of the given Accept HTTP header')) {
    return 'Send Accept: application/json.';
  }
  if (message.startsWith('Content-Type header') || message.startsWith('Server cannot understand Content-Type')) {
    return 'Send the body as JSON with Content-Type: application/json.';
  }
  if (message.startsWith('Decoding error')) {
    return 'The request body is not valid JSON.';
  }
  if (message.startsWith('Maximum SearchCriteria pageSize is')) {
    return 'The store limits page sizes (webapi/validation/maximum_page_size); request smaller pages and page through the results.';
  }
  if (message.startsWith('Internal Error. Details are available in Magento log file')) {
    return 'The store hit an unexpected error. Look up the Report ID in var/log/exception.log on the server (developer mode shows the message in the response).';
  }
  if (status === 429) {
    return 'The store is throttling this route (back-pressure, 2.4.7+). Wait and retry later.';
  }
  return undefined;
}

export interface MagentoApiErrorInit {
  status: number;
  method: string;
  url: string;
  body?: MagentoErrorBody;
  /** The raw response text (redacted and cut before it is kept). */
  text?: string;
  hint?: string;
  headers?: Record<string, string>;
}

/**
 * A one-line summary of a non-JSON error body: an HTML page (proxy, maintenance mode) is named by
 * its title or first heading instead of dumping markup into the message; other text is cut.
 */
export function nonJsonSummary(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('<')) return trimmed.slice(0, 200);
  const pick = (tag: string): string | undefined => {
    const match = new RegExp(`<${tag}[^>]*>([\\s\\S]{0,300}?)</${tag}>`, 'i').exec(trimmed.slice(0, 20_000));
    const value = match?.[1]?.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
    return value ? value : undefined;
  };
  const title = pick('title');
  const heading = pick('h1');
  const name = title && heading && !title.includes(heading) ? `${title} — ${heading}` : title ?? heading;
  return name ? `HTML page "${name.slice(0, 200)}"` : `HTML page (${trimmed.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 150)})`;
}

/** Messages end up in notifications and terminals: a store echoing megabytes is cut. */
const MAX_MESSAGE_CHARS = 2000;

function capMessage(message: string): string {
  return message.length <= MAX_MESSAGE_CHARS ? message : `${message.slice(0, MAX_MESSAGE_CHARS)}… (${(message.length - MAX_MESSAGE_CHARS).toLocaleString('en-US')} more characters cut)`;
}

/** A non-2xx answer from the store. `message` is the substituted phrase (plus aggregate errors). */
export class MagentoApiError extends Error {
  override readonly name = 'MagentoApiError';
  readonly status: number;
  /** The raw phrase from the store, placeholders intact. */
  readonly magentoMessage: string;
  readonly parameters?: MagentoParameters;
  /** Aggregate errors (`errors` in the body), each with its substituted text. */
  readonly errors?: MagentoErrorEntry[];
  readonly code?: number;
  readonly trace?: string | null;
  readonly hint?: string;
  readonly method: string;
  readonly url: string;
  /** A redacted snippet of the body (at most 2 KB). */
  readonly bodySnippet: string;
  readonly headers: Record<string, string>;

  constructor(init: MagentoApiErrorInit) {
    const raw = init.body?.message ?? (init.text?.trim() ? redactText(nonJsonSummary(init.text)) : `HTTP ${init.status}`);
    const formatted = init.body ? formatMagentoMessage(init.body.message, init.body.parameters) : raw;
    const aggregate = init.body?.errors?.length ? ` (${init.body.errors.map((e) => e.text).join('; ')})` : '';
    super(capMessage(`${init.status} ${formatted}${aggregate}`));
    this.status = init.status;
    this.magentoMessage = raw;
    if (init.body?.parameters) this.parameters = init.body.parameters;
    if (init.body?.errors) this.errors = init.body.errors;
    if (init.body?.code !== undefined) this.code = init.body.code;
    if (init.body?.trace !== undefined) this.trace = init.body.trace;
    if (init.hint) this.hint = init.hint;
    this.method = init.method;
    this.url = init.url;
    this.bodySnippet = redactText((init.text ?? '').slice(0, 2048));
    this.headers = init.headers ?? {};
  }

  /** The substituted message without the status prefix. */
  get displayMessage(): string {
    return this.message.replace(/^\d+ /, '');
  }

  /** Message, request and hint on separate lines, for CLI output and notifications. */
  describe(): string {
    const lines = [`${this.method} ${this.url} → ${this.message}`];
    if (this.hint) lines.push(`Hint: ${this.hint}`);
    return lines.join('\n');
  }
}

export interface ErrorFromResponseInput {
  status: number;
  method: string;
  url: string;
  text: string;
  headers?: Record<string, string>;
  authKind?: AuthKind;
  path?: string;
}

/** Builds the MagentoApiError for a non-2xx response (any body, even HTML from a proxy). */
export function magentoErrorFromResponse(input: ErrorFromResponseInput): MagentoApiError {
  const body = parseMagentoErrorBody(input.text);
  let hint: string | undefined;
  if (body) {
    const hintCtx: HintContext = { status: input.status, body, method: input.method };
    if (input.authKind) hintCtx.authKind = input.authKind;
    if (input.path) hintCtx.path = input.path;
    hint = hintForMagentoError(hintCtx);
  } else if (input.status === 502 || input.status === 503 || input.status === 504) {
    hint = 'A proxy or load balancer in front of the store answered (the store did not). The store may be down, restarting or too slow.';
  } else if (input.text.trim().startsWith('<')) {
    hint = 'The response is HTML or XML, not a Magento JSON error: a proxy, a maintenance page or a wrong base URL answered. Check the base URL.';
  }
  const init: MagentoApiErrorInit = { status: input.status, method: input.method, url: input.url, text: input.text };
  if (body) init.body = body;
  if (hint) init.hint = hint;
  if (input.headers) init.headers = input.headers;
  return new MagentoApiError(init);
}
