// `.http` / `.rest` files in the REST Client / httpYac format: parse into blocks and print
// them back. Printing a parsed file gives the same text for files written in the usual style
// (one space after the method, `Name: value` headers); comments, variables and blank lines are
// kept as written so a conversion only changes the request it converts.
//
//   @host = https://store.example.com          ← file variable
//   ### Update price                            ← separator, optional name
//   # @name updatePrice                         ← metadata comment
//   PUT {{host}}/rest/default/V1/products/24-MB01 HTTP/1.1
//       ?a=1                                    ← query continuation lines
//   Content-Type: application/json
//
//   {"product": {"price": 29}}

export type HttpLeadingLine =
  | { kind: 'comment'; raw: string }
  | { kind: 'meta'; raw: string; name: string; value: string }
  | { kind: 'variable'; raw: string; name: string; value: string }
  | { kind: 'blank'; raw: string };

export interface HttpHeader {
  name: string;
  value: string;
}

export interface HttpRequestSpec {
  /** As written; undefined when the request line has only a URL (REST Client then sends GET). */
  method?: string;
  url: string;
  /** Continuation lines (`?a=1`, `&b=2`) exactly as written, indentation included. */
  queryLines: string[];
  httpVersion?: string;
  headers: HttpHeader[];
  /** Body text without the blank line that separates it from the headers; undefined when none. */
  body?: string;
  /** 1-based line number of the request line in the file. */
  line: number;
}

export interface HttpBlock {
  /** Text after `###` on the separator line ('' when bare), undefined for a first block without a separator. */
  separator?: string;
  leading: HttpLeadingLine[];
  request?: HttpRequestSpec;
  /** Blank lines after the body (or headers) and before the next separator. */
  trailingBlankLines: number;
  /** 1-based line number where the block starts. */
  line: number;
}

export interface HttpFile {
  blocks: HttpBlock[];
  /** Whether the text ended with a newline. */
  finalNewline: boolean;
  /** `\r\n` when the file used it. */
  eol: '\n' | '\r\n';
}

const SEPARATOR = /^###(.*)$/;
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE'];
const REQUEST_LINE = new RegExp(`^(?:(${METHODS.join('|')})\\s+)?(\\S.*?)(?:\\s+(HTTP\\/[0-9.]+))?\\s*$`, 'i');
const VARIABLE = /^@([A-Za-z_][\w.-]*)\s*=\s*(.*?)\s*$/;
const META = /^(?:#|\/\/)\s*@([\w-]+)(?:\s+(.*?))?\s*$/;
const HEADER = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*:\s?(.*)$/;

function isComment(line: string): boolean {
  const t = line.trimStart();
  return t.startsWith('#') || t.startsWith('//');
}

export function parseHttpFile(text: string): HttpFile {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const finalNewline = text.endsWith('\n');
  const lines = text.split(/\r?\n/);
  if (finalNewline) lines.pop();

  const blocks: HttpBlock[] = [];
  let i = 0;
  let first = true;
  while (i < lines.length || first) {
    const block: HttpBlock = { leading: [], trailingBlankLines: 0, line: i + 1 };
    const sep = SEPARATOR.exec(lines[i] ?? '');
    if (sep && i < lines.length) {
      block.separator = sep[1] ?? '';
      i++;
    } else if (!first) {
      break;
    }
    first = false;

    // Leading: comments, metadata, variables, blank lines, up to the request line.
    for (; i < lines.length; i++) {
      const line = lines[i] ?? '';
      if (SEPARATOR.test(line)) break;
      const trimmed = line.trim();
      if (trimmed === '') { block.leading.push({ kind: 'blank', raw: line }); continue; }
      const meta = META.exec(trimmed);
      if (meta) { block.leading.push({ kind: 'meta', raw: line, name: meta[1] ?? '', value: meta[2] ?? '' }); continue; }
      if (isComment(line)) { block.leading.push({ kind: 'comment', raw: line }); continue; }
      const variable = VARIABLE.exec(trimmed);
      if (variable) { block.leading.push({ kind: 'variable', raw: line, name: variable[1] ?? '', value: variable[2] ?? '' }); continue; }
      break;
    }

    if (i < lines.length && !SEPARATOR.test(lines[i] ?? '')) {
      const requestLineNo = i + 1;
      const m = REQUEST_LINE.exec((lines[i] ?? '').trim());
      const request: HttpRequestSpec = { url: m?.[2] ?? (lines[i] ?? '').trim(), queryLines: [], headers: [], line: requestLineNo };
      if (m?.[1]) request.method = m[1];
      if (m?.[3]) request.httpVersion = m[3];
      i++;
      while (i < lines.length && /^\s*[?&]/.test(lines[i] ?? '')) request.queryLines.push(lines[i++] ?? '');
      for (; i < lines.length; i++) {
        const line = lines[i] ?? '';
        if (line.trim() === '' || SEPARATOR.test(line)) break;
        if (isComment(line)) continue; // a comment between headers is dropped by REST Client too
        const h = HEADER.exec(line);
        if (!h) break;
        request.headers.push({ name: h[1] ?? '', value: h[2] ?? '' });
      }
      // Body: after one blank line, up to the next separator; trailing blank lines belong to the block.
      const bodyLines: string[] = [];
      const consumedBlank = i < lines.length && (lines[i] ?? '').trim() === '';
      if (consumedBlank) i++;
      for (; i < lines.length && !SEPARATOR.test(lines[i] ?? ''); i++) bodyLines.push(lines[i] ?? '');
      let trailing = 0;
      while (bodyLines.length > 0 && (bodyLines[bodyLines.length - 1] ?? '').trim() === '') {
        bodyLines.pop();
        trailing++;
      }
      if (bodyLines.length > 0) request.body = bodyLines.join('\n');
      else if (consumedBlank) trailing++; // no body: the blank line after the headers is just spacing
      block.trailingBlankLines = trailing;
      block.request = request;
    }
    blocks.push(block);
  }
  return { blocks, finalNewline, eol };
}

export function printRequestLines(request: HttpRequestSpec): string[] {
  const out: string[] = [];
  out.push([request.method, request.url, request.httpVersion].filter((p) => p !== undefined && p !== '').join(' '));
  out.push(...request.queryLines);
  for (const h of request.headers) out.push(`${h.name}: ${h.value}`);
  if (request.body !== undefined) {
    out.push('');
    out.push(...request.body.split('\n'));
  }
  return out;
}

export function printHttpBlock(block: HttpBlock): string[] {
  const out: string[] = [];
  if (block.separator !== undefined) out.push(`###${block.separator}`);
  for (const l of block.leading) out.push(l.raw);
  if (block.request) out.push(...printRequestLines(block.request));
  for (let k = 0; k < block.trailingBlankLines; k++) out.push('');
  return out;
}

export function printHttpFile(file: HttpFile): string {
  const lines = file.blocks.flatMap(printHttpBlock);
  const text = lines.join(file.eol);
  return file.finalNewline ? text + file.eol : text;
}

/** The `@name` of a block (`# @name x` wins over the `### x` separator text). */
export function blockName(block: HttpBlock): string | undefined {
  const meta = block.leading.find((l): l is Extract<HttpLeadingLine, { kind: 'meta' }> => l.kind === 'meta' && l.name === 'name');
  if (meta?.value) return meta.value;
  const sep = block.separator?.trim();
  return sep ? sep : undefined;
}

/** The request's URL with its continuation lines folded in (`?a=1` / `&b=2`). */
export function fullUrl(request: HttpRequestSpec): string {
  return request.url + request.queryLines.map((l) => l.trim()).join('');
}

/** File variables, in order; a later definition wins, as in REST Client. */
export function fileVariables(file: HttpFile): Map<string, string> {
  const vars = new Map<string, string>();
  for (const b of file.blocks) for (const l of b.leading) if (l.kind === 'variable') vars.set(l.name, l.value);
  return vars;
}

export class UnresolvedVariableError extends Error {
  constructor(readonly names: string[]) {
    super(`unresolved variable(s): ${names.map((n) => `{{${n}}}`).join(', ')} — define them with \`@name = value\` in the file`);
    this.name = 'UnresolvedVariableError';
  }
}

/**
 * Substitutes `{{name}}` (variables may reference other variables) and the system variables
 * `{{$guid}}` / `{{$timestamp}}`. Unknown names throw UnresolvedVariableError listing them all.
 */
export function substituteVariables(text: string, vars: ReadonlyMap<string, string>, system: { guid: () => string; nowMs: () => number } = { guid: () => globalThis.crypto.randomUUID(), nowMs: () => Date.now() }): string {
  const missing = new Set<string>();
  const expand = (input: string, depth: number): string => input.replace(/\{\{\s*([^{}]+?)\s*\}\}/g, (whole, name: string) => {
    if (name === '$guid') return system.guid();
    if (name === '$timestamp') return String(Math.floor(system.nowMs() / 1000));
    const value = vars.get(name);
    if (value === undefined || depth > 10) { missing.add(name); return whole; }
    return expand(value, depth + 1);
  });
  const result = expand(text, 0);
  if (missing.size > 0) throw new UnresolvedVariableError([...missing]);
  return result;
}

export function headerValue(request: HttpRequestSpec, name: string): string | undefined {
  const lower = name.toLowerCase();
  return request.headers.find((h) => h.name.toLowerCase() === lower)?.value;
}
