// A request as text in the `.http` format both REST Client and httpYac read: `###` separator,
// a `# @name`, the request line, headers, a blank line, the body. Credentials never go in the
// file: they become `{{variables}}` that the user's environment (or httpYac's dotenv) fills.

import { redactText } from '../http/redactor';

export interface HttpFileRequest {
  method: string;
  /** Base URL of the store (no `/rest`), written as the `@baseUrl` variable. */
  baseUrl: string;
  /** Path and query after the base URL, e.g. `/rest/default/V1/products?searchCriteria=`. */
  pathAndQuery: string;
  headers: Readonly<Record<string, string>>;
  body?: string;
  /** A request name (`# @name`), letters/digits/underscore; derived from the path when absent. */
  name?: string;
  /** The auth kind of the profile, to pick the placeholder for Authorization. */
  authKind?: string;
}

const AUTH_PLACEHOLDER: Record<string, string> = {
  admin: 'Bearer {{adminToken}}',
  customer: 'Bearer {{customerToken}}',
  'integration-bearer': 'Bearer {{integrationAccessToken}}',
  // REST Client and httpYac both sign OAuth 1.0a only through their own auth settings; the
  // placeholder keeps the request readable and obviously incomplete.
  oauth1: 'OAuth {{oauthHeader}}',
};

export function requestName(method: string, path: string): string {
  const words = path.replace(/\?.*$/, '').split('/').filter((s) => s && s !== 'rest' && !/^V\d+$/.test(s));
  const name = [method.toLowerCase(), ...words.slice(1)].join('_').replace(/[^A-Za-z0-9_]+/g, '_').replace(/_+/g, '_');
  return name.replace(/^_|_$/g, '') || 'request';
}

/**
 * `define` writes the `@baseUrl` file variable first; `reuse` assumes the file already defines
 * it with the same value; `inline` writes the URL literally (the file defines another one, and
 * REST Client file variables are file-wide, so a second definition would retarget the others).
 */
export type BaseUrlMode = 'define' | 'reuse' | 'inline';

export function toHttpFileRequest(request: HttpFileRequest, baseUrlMode: BaseUrlMode = 'define'): string {
  const name = (request.name ?? requestName(request.method, request.pathAndQuery)).replace(/[^A-Za-z0-9_]/g, '_');
  const baseUrl = request.baseUrl.replace(/\/+$/, '');
  const lines: string[] = [];
  if (baseUrlMode === 'define') lines.push(`@baseUrl = ${baseUrl}`, '');
  lines.push(`### ${request.method} ${request.pathAndQuery.replace(/\?.*$/, '')}`);
  lines.push(`# @name ${name}`);
  lines.push(`${request.method} ${baseUrlMode === 'inline' ? baseUrl : '{{baseUrl}}'}${request.pathAndQuery}`);
  let hasAuth = false;
  for (const [header, value] of Object.entries(request.headers)) {
    if (header.toLowerCase() === 'authorization') {
      hasAuth = true;
      lines.push(`${header}: ${AUTH_PLACEHOLDER[request.authKind ?? ''] ?? placeholderFor(value)}`);
    } else {
      lines.push(`${header}: ${value}`);
    }
  }
  if (!hasAuth && request.authKind && AUTH_PLACEHOLDER[request.authKind]) {
    lines.push(`Authorization: ${AUTH_PLACEHOLDER[request.authKind]}`);
  }
  if (request.body !== undefined && request.body.trim() !== '') {
    lines.push('', bodyWithoutSecrets(request.body.trimEnd()));
  }
  return lines.join('\n') + '\n';
}

// Credentials in a body (the token request's password, a 2FA code, OAuth secrets) become
// `{{variables}}` too; anything else secret-looking is masked by the redactor.
const SECRET_BODY_KEYS = /("(password|passwd|otp|tfaToken|access_token|accessToken|access_token_secret|accessTokenSecret|consumer_secret|consumerSecret|token_secret|tokenSecret)"\s*:\s*)"(?:[^"\\]|\\.)*"/g;

function bodyWithoutSecrets(body: string): string {
  return redactText(body).replace(SECRET_BODY_KEYS, (_m, prefix: string, key: string) => `${prefix}"{{${key}}}"`);
}

function placeholderFor(value: string): string {
  return /^oauth/i.test(value.trim()) ? 'OAuth {{oauthHeader}}' : 'Bearer {{token}}';
}

/** Appends a request to existing `.http` text without disturbing the requests already there. */
export function appendHttpRequest(existing: string, request: HttpFileRequest): string {
  if (existing.trim() === '') return toHttpFileRequest(request, 'define');
  const defined = /^@baseUrl\s*=\s*(.+?)\s*$/m.exec(existing)?.[1];
  const mode: BaseUrlMode = defined === undefined ? 'define' : defined === request.baseUrl.replace(/\/+$/, '') ? 'reuse' : 'inline';
  const text = toHttpFileRequest(request, mode);
  // A new @baseUrl definition goes at the top (file variables must precede their use in httpYac).
  if (mode === 'define') {
    const [definition, ...rest] = text.split('\n');
    return `${definition}\n\n${existing.replace(/\s*$/, '')}\n\n${rest.join('\n').replace(/^\n+/, '')}`;
  }
  return `${existing.replace(/\s*$/, '')}\n\n${text}`;
}
