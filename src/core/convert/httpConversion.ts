// Converts the requests of a `.http` / `.rest` file to async or bulk and prints them in the
// same format: comments, names, headers and variables stay; only the URL and the body change.
// `{{variables}}` survive the conversion — in the URL, inside JSON strings, and as bare JSON
// values (`"price": {{price}}`) — so the converted file still runs in REST Client / httpYac.
import { convertRequest, ConversionError, type ConversionOptions, type ConversionResult, type ConversionTarget } from './asyncConversion';
import { blockName, headerValue, parseHttpFile, printHttpFile, type HttpBlock, type HttpFile, type HttpRequestSpec } from './httpFile';
import { type LintIssue } from './payloadLint';
import { joinRestUrl, splitRestUrl } from './restUrl';
import { type RouteCatalog } from './routeCatalog';

const TEMPLATE_MARK = '__magento_rest_template_';

/** JSON text whose bare `{{...}}` values are replaced by marker strings, and how to put them back. */
export function protectTemplates(text: string): { json: string; restore: (printed: string) => string } {
  const found: string[] = [];
  let out = '';
  let inString = false;
  for (let k = 0; k < text.length; k++) {
    const c = text[k] as string;
    if (inString) {
      out += c;
      if (c === '\\') { out += text[k + 1] ?? ''; k++; } else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') { inString = true; out += c; continue; }
    if (c === '{' && text[k + 1] === '{') {
      const end = text.indexOf('}}', k + 2);
      if (end > 0) {
        found.push(text.slice(k, end + 2));
        out += `"${TEMPLATE_MARK}${found.length - 1}__"`;
        k = end + 1;
        continue;
      }
    }
    out += c;
  }
  const restore = (printed: string): string => (found.length === 0 ? printed : printed.replace(new RegExp(`"${TEMPLATE_MARK}(\\d+)__"`, 'g'), (_m, n: string) => found[Number(n)] ?? ''));
  return { json: out, restore };
}

export interface BlockReport {
  /** 1-based line of the request line. */
  line: number;
  name?: string;
  method: string;
  url: string;
  status: 'converted' | 'skipped' | 'failed';
  message?: string;
  issues: LintIssue[];
  /** Number of requests the block became (batches). */
  requests: number;
}

export interface HttpBlockConversion {
  blocks: HttpBlock[];
  report: BlockReport;
  result?: ConversionResult;
}

/** Parses a block's body as JSON (templates allowed); undefined when there is none. */
export function parseBlockBody(request: HttpRequestSpec): { value: unknown; restore: (s: string) => string } | undefined {
  if (request.body === undefined || request.body.trim() === '') return undefined;
  const { json, restore } = protectTemplates(request.body);
  try {
    return { value: JSON.parse(json) as unknown, restore };
  } catch (error) {
    throw new ConversionError('no-items', `the body is not JSON (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); only JSON bodies can be converted`);
  }
}

/** Converts one block; GET and non-request blocks are returned unchanged with a report. */
export function convertHttpBlock(catalog: RouteCatalog, block: HttpBlock, target: ConversionTarget, options: ConversionOptions = {}): HttpBlockConversion {
  const request = block.request;
  if (!request) return { blocks: [block], report: { line: block.line, method: '', url: '', status: 'skipped', issues: [], requests: 0 } };
  const method = (request.method ?? 'GET').toUpperCase();
  const name = blockName(block);
  const base: BlockReport = { line: request.line, method, url: request.url, status: 'skipped', issues: [], requests: 0, ...(name ? { name } : {}) };
  try {
    const parts = splitRestUrl(request.url);
    const body = parseBlockBody(request);
    const result = convertRequest(catalog, {
      method,
      path: parts.path,
      ...(parts.storeCode !== undefined ? { storeCode: parts.storeCode } : {}),
      ...(body ? { body: body.value } : {}),
    }, target, options);
    const multiline = request.body?.includes('\n') ?? true;
    const blocks = result.requests.map((converted, n): HttpBlock => {
      const url = joinRestUrl({ ...parts, path: converted.path });
      const printed = multiline ? JSON.stringify(converted.body, null, 2) : JSON.stringify(converted.body);
      const headers = headerValue(request, 'content-type') ? request.headers : [...request.headers, { name: 'Content-Type', value: 'application/json' }];
      const next: HttpBlock = {
        ...block,
        // Several batches: number the copies so `@name`s stay unique.
        leading: result.requests.length > 1 ? block.leading.map((l) => (l.kind === 'meta' && l.name === 'name' ? { ...l, raw: `${l.raw}_${n + 1}`, value: `${l.value}_${n + 1}` } : l)) : block.leading,
        request: { ...request, url, headers, body: body ? body.restore(printed) : printed },
      };
      if (n > 0 && next.separator === undefined) next.separator = '';
      return next;
    });
    return { blocks, result, report: { ...base, status: 'converted', issues: result.issues, requests: result.requests.length } };
  } catch (error) {
    if (error instanceof ConversionError) {
      return { blocks: [block], report: { ...base, status: error.code === 'get-not-async' || error.code === 'already-async' ? 'skipped' : 'failed', message: error.message } };
    }
    throw error;
  }
}

export interface HttpFileConversion {
  text: string;
  file: HttpFile;
  reports: BlockReport[];
}

/** Converts every request of a `.http` text; blocks that cannot be converted stay as they were. */
export function convertHttpText(catalog: RouteCatalog, text: string, target: ConversionTarget, options: ConversionOptions = {}): HttpFileConversion {
  const parsed = parseHttpFile(text);
  const reports: BlockReport[] = [];
  const blocks: HttpBlock[] = [];
  for (const block of parsed.blocks) {
    const converted = convertHttpBlock(catalog, block, target, options);
    blocks.push(...converted.blocks);
    if (block.request) reports.push(converted.report);
  }
  const file: HttpFile = { ...parsed, blocks };
  return { text: printHttpFile(file), file, reports };
}
