// "Copy as cURL": a shell command that reproduces a built request. Credentials are masked
// unless the caller explicitly asks for them (the host only does so on a user's request and
// then writes straight to the clipboard, never to a log or the webview).
import { redactText } from '../http/redactor';

export interface ExportableRequest {
  method: string;
  /** Absolute URL, query already encoded. */
  url: string;
  headers: Readonly<Record<string, string>>;
  /** Serialised body (JSON text), if any. */
  body?: string;
}

export interface CurlOptions {
  /** Keep credentials as they are (default false: masked). */
  revealSecrets?: boolean;
  /** Add `--compressed` so curl asks for gzip and decodes it (default true). */
  compressed?: boolean;
}

/** Header names whose whole value is a credential. */
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'x-api-key', 'proxy-authorization']);

/** Masks a header value: keeps the scheme (`Bearer`, `OAuth`) so the export stays readable. */
export function maskHeaderValue(name: string, value: string): string {
  if (!SECRET_HEADERS.has(name.toLowerCase())) return redactText(value);
  const scheme = /^(bearer|oauth|basic)\b/i.exec(value.trim());
  return scheme ? `${scheme[1]} ***` : '***';
}

/** POSIX single-quote quoting: safe for any byte sequence in sh/bash/zsh. */
export function shellQuote(value: string): string {
  if (value !== '' && /^[A-Za-z0-9_\-./:=@%+,]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function toCurl(request: ExportableRequest, options: CurlOptions = {}): string {
  const reveal = options.revealSecrets === true;
  const parts: string[] = ['curl'];
  if (request.method !== 'GET' || request.body !== undefined) parts.push('-X', request.method);
  parts.push(shellQuote(request.url));
  for (const [name, value] of Object.entries(request.headers)) {
    const shown = reveal ? value : maskHeaderValue(name, value);
    parts.push('-H', shellQuote(`${name}: ${shown}`));
  }
  if (options.compressed !== false) parts.push('--compressed');
  if (request.body !== undefined && request.body !== '') {
    parts.push('--data-raw', shellQuote(reveal ? request.body : redactText(request.body)));
  }
  // One option per line reads better and survives copy/paste into a terminal.
  const lines: string[] = [];
  let current = parts[0] ?? 'curl';
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (part.startsWith('-') && !part.startsWith("'")) {
      lines.push(current);
      current = `  ${part}`;
    } else {
      current += ` ${part}`;
    }
  }
  lines.push(current);
  return lines.join(' \\\n');
}
