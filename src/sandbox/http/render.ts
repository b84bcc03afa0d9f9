// Response rendering: PHP-style JSON (json_encode without flags escapes `/` and non-ASCII),
// a minimal XML rendering for XML Accept types, and gzip/br compression when accepted.
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import type { RenderFormat } from './negotiation';

/** json_encode($value) with PHP's default flags: `\/` and `\uXXXX` escapes; `[]` for empty arrays. */
export function phpJsonEncode(value: unknown, escapeSlashes = true): string {
  const json = JSON.stringify(value ?? null) ?? 'null';
  let out = json.replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  if (escapeSlashes) out = out.replace(/\//g, '\\/');
  return out;
}

/** Magento's XML renderer: root `<response>`, list members as `<item>`. */
export function renderXml(value: unknown): string {
  return `<?xml version="1.0"?>\n<response>${xmlValue(value)}</response>\n`;
}

function xmlValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => `<item>${xmlValue(v)}</item>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => {
        const tag = /^[A-Za-z_][\w.-]*$/.test(k) ? k : 'item';
        return `<${tag}>${xmlValue(v)}</${tag}>`;
      })
      .join('');
  }
  if (typeof value === 'boolean') return value ? '1' : '';
  return String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function renderBody(value: unknown, format: RenderFormat): { text: string; contentType: string } {
  if (format === 'xml') return { text: renderXml(value), contentType: 'application/xml; charset=utf-8' };
  return { text: phpJsonEncode(value), contentType: 'application/json; charset=utf-8' };
}

/** Bodies smaller than this go out uncompressed, as web servers' `gzip_min_length` does. */
export const COMPRESSION_THRESHOLD_BYTES = 256;

export type ContentEncoding = 'br' | 'gzip' | undefined;

export function chooseEncoding(acceptEncoding: string | undefined): ContentEncoding {
  if (!acceptEncoding) return undefined;
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.map((p) => /^q=([0-9.]+)$/.exec(p)).find((m) => m)?.[1];
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const wildcard = accepted.get('*');
  const ok = (name: string): boolean => (accepted.get(name) ?? wildcard ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return undefined;
}

export function compress(body: Buffer, encoding: ContentEncoding): Buffer {
  if (encoding === 'br') {
    // Quality 4 keeps large bulk answers fast; 11 (the default) costs ~100x more CPU.
    return brotliCompressSync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } });
  }
  if (encoding === 'gzip') return gzipSync(body);
  return body;
}
