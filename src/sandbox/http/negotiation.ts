// Content negotiation as Magento\Framework\Webapi\Rest\Request + Response\RendererFactory do it.
import { MESSAGES, WebapiError } from '../errors';

export type RenderFormat = 'json' | 'xml';

/** Renderer config order from Webapi/etc/di.xml: the first entry is the `*\/*` default (JSON). */
const RENDERERS: ReadonlyArray<{ type: string; format: RenderFormat }> = [
  { type: '*/*', format: 'json' },
  { type: 'application/json', format: 'json' },
  { type: 'text/xml', format: 'xml' },
  { type: 'application/xml', format: 'xml' },
  { type: 'application/xhtml+xml', format: 'xml' },
];

/** Accept types in descending q order (stable for equal q); an empty header means `*\/*`. */
export function acceptTypes(header: string | undefined): string[] {
  if (!header || header.trim() === '') return ['*/*'];
  const entries = header.split(',').map((part, index) => {
    const [type = '', ...params] = part.split(';').map((s) => s.trim());
    let q = 1;
    for (const p of params) {
      const m = /^q=([0-9.]+)$/i.exec(p);
      if (m) q = Number(m[1]);
    }
    return { type: type.toLowerCase(), q, index };
  });
  return entries
    .filter((e) => e.type !== '' && e.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((e) => e.type);
}

/** Picks the renderer; throws 406 when nothing matches. */
export function chooseRenderer(acceptHeader: string | undefined): RenderFormat {
  for (const accept of acceptTypes(acceptHeader)) {
    for (const renderer of RENDERERS) {
      const family = renderer.type.split('/')[0] ?? '';
      if (accept === renderer.type || accept === `${family}/*` || accept === '*/*') return renderer.format;
    }
  }
  throw new WebapiError(406, MESSAGES.notAcceptable, [acceptHeader ?? '']);
}

export type BodyMediaType = 'json' | 'xml' | 'form';

/**
 * Request::getContentType: the header must be present, match `type[; charset=x]`, and the
 * charset (if any) must be utf-8. Returns the media type in lower case.
 */
export function parseContentType(header: string | undefined): string {
  if (!header) throw new WebapiError(400, MESSAGES.contentTypeEmpty);
  const m = /^([a-z\d/\-+.]+)(?:; *charset=(.+))?$/i.exec(header.trim());
  if (!m) throw new WebapiError(400, MESSAGES.contentTypeInvalid);
  if (m[2] !== undefined && m[2].toLowerCase() !== 'utf-8') throw new WebapiError(400, MESSAGES.charsetNotUtf8);
  return (m[1] ?? '').toLowerCase();
}

/**
 * Decodes a non-empty request body. Magento's deserializers know JSON and XML; the sandbox
 * decodes JSON only and answers XML bodies with the "cannot understand" error (documented deviation).
 */
export function decodeBody(raw: Buffer, contentTypeHeader: string | undefined): Record<string, unknown> | unknown[] {
  const mediaType = parseContentType(contentTypeHeader);
  if (mediaType !== 'application/json') throw new WebapiError(400, MESSAGES.contentTypeUnknown, [mediaType]);
  let decoded: unknown;
  try {
    decoded = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new WebapiError(400, MESSAGES.decodingError);
  }
  // PHP's (array) cast: objects and lists pass, a scalar becomes a one-element list.
  if (decoded !== null && typeof decoded === 'object') return decoded as Record<string, unknown> | unknown[];
  return decoded === null ? [] : [decoded];
}
