// Items for a bulk submission from a file: a JSON array, JSON lines, or CSV with a
// column → field mapping. Errors name the line (JSON/JSONL) or row and line (CSV) so a
// 5,000-row file can be fixed without guessing; nothing is half-loaded: a bad file throws.
import { parse as parseCsv } from 'csv-parse/sync';

export type ItemFileFormat = 'json' | 'jsonl' | 'csv';

export class ItemFileError extends Error {
  constructor(message: string, readonly line?: number, readonly row?: number) {
    super(message);
    this.name = 'ItemFileError';
  }
}

export interface LoadedItems {
  items: unknown[];
  /** 1-based source line of each item (the first line of a CSV record). */
  lines: number[];
}

/** Picks the format from the file name, then from the content. */
export function detectItemFormat(fileName: string, text: string): ItemFileFormat {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.tsv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  const start = stripBom(text).trimStart();
  if (start.startsWith('[')) return 'json';
  if (start.startsWith('{')) return 'jsonl';
  return 'csv';
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let k = 0; k < offset && k < text.length; k++) if (text.charCodeAt(k) === 10) line++;
  return line;
}

/** Top-level element ranges of a JSON array, found without parsing (used to locate an error). */
function arrayElementRanges(text: string): Array<{ start: number; end: number }> {
  const ranges: Array<{ start: number; end: number }> = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let k = 0; k < text.length; k++) {
    const c = text[k];
    if (inString) {
      if (c === '\\') k++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') { inString = true; if (depth === 1 && start < 0) start = k; continue; }
    if (c === '[' || c === '{') {
      depth++;
      if (depth === 2 && start < 0) start = k;
      continue;
    }
    if (c === ']' || c === '}') {
      depth--;
      if (depth === 0 && start >= 0) { ranges.push({ start, end: k }); start = -1; }
      continue;
    }
    if (depth === 1) {
      if (c === ',') { if (start >= 0) ranges.push({ start, end: k }); start = -1; }
      else if (start < 0 && c !== undefined && !/\s/.test(c)) start = k;
    }
  }
  return ranges;
}

export function parseJsonArrayItems(textIn: string): LoadedItems {
  const text = stripBom(textIn);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    for (const [n, r] of arrayElementRanges(text).entries()) {
      try {
        JSON.parse(text.slice(r.start, r.end));
      } catch (inner) {
        const line = lineAt(text, r.start);
        throw new ItemFileError(`item ${n + 1} (line ${line}) is not valid JSON: ${inner instanceof Error ? inner.message.split('\n')[0] : String(inner)}`, line);
      }
    }
    throw new ItemFileError(`not valid JSON: ${reason}`);
  }
  if (!Array.isArray(value)) {
    throw new ItemFileError('a JSON items file must hold a list ([{...}, {...}]); for one object per line use JSON lines (.jsonl)', 1);
  }
  const ranges = arrayElementRanges(text);
  const lines = value.map((_v, n) => (ranges[n] ? lineAt(text, ranges[n].start) : 1));
  return { items: value, lines };
}

export function parseJsonLinesItems(textIn: string): LoadedItems {
  const text = stripBom(textIn);
  const items: unknown[] = [];
  const lines: number[] = [];
  const rows = text.split(/\r?\n/);
  for (let k = 0; k < rows.length; k++) {
    const row = (rows[k] ?? '').trim();
    if (row === '' || row.startsWith('//')) continue;
    try {
      items.push(JSON.parse(row));
      lines.push(k + 1);
    } catch (error) {
      throw new ItemFileError(`line ${k + 1} is not valid JSON: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, k + 1);
    }
  }
  return { items, lines };
}

export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'json';

export interface ColumnMapping {
  /** CSV header name. */
  column: string;
  /** Dotted target path in the item: `product.sku`, `product.custom_attributes[0].value`. */
  field: string;
  type?: FieldType;
}

export interface CsvOptions {
  /** Column → field mapping; default: every column maps to a field of the same name, as strings. */
  mapping?: readonly ColumnMapping[];
  delimiter?: string;
  /** What an empty cell becomes: left out (default), an empty string, or null. */
  empty?: 'omit' | 'string' | 'null';
}

/** The header row of a CSV text (for the column → field mapping UI). */
export function csvColumns(text: string, delimiter?: string): string[] {
  const records = parseCsv(text, { bom: true, to_line: 1, delimiter: delimiter ?? detectDelimiter(text), relax_column_count: true }) as string[][];
  return (records[0] ?? []).map((c) => c.trim());
}

function detectDelimiter(text: string): string {
  const firstLine = stripBom(text).split(/\r?\n/, 1)[0] ?? '';
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const).sort((a, b) => b[1] - a[1]);
  return counts[0]?.[0] ?? ',';
}

type PathStep = string | number;

/** `product.custom_attributes[0].value` → ['product', 'custom_attributes', 0, 'value']. */
export function parseFieldPath(path: string): PathStep[] {
  const steps: PathStep[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m || (m[1] === '' && !m[2])) throw new ItemFileError(`"${path}" is not a field path (use dots and [n], e.g. product.sku or product.custom_attributes[0].value)`);
    if (m[1]) steps.push(m[1]);
    for (const idx of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) steps.push(Number(idx[1]));
  }
  return steps;
}

function setPath(target: Record<string, unknown>, steps: readonly PathStep[], value: unknown): void {
  let node: Record<string, unknown> | unknown[] = target;
  for (let s = 0; s < steps.length - 1; s++) {
    const step = steps[s] as PathStep;
    const nextIsIndex = typeof steps[s + 1] === 'number';
    const container = node as Record<string | number, unknown>;
    let child = container[step];
    if (typeof child !== 'object' || child === null) {
      child = nextIsIndex ? [] : {};
      container[step] = child;
    }
    node = child as Record<string, unknown> | unknown[];
  }
  (node as Record<string | number, unknown>)[steps[steps.length - 1] as PathStep] = value;
}

function typed(raw: string, type: FieldType, where: string): unknown {
  switch (type) {
    case 'string':
      return raw;
    case 'number':
    case 'integer': {
      const n = Number(raw.trim());
      if (raw.trim() === '' || !Number.isFinite(n) || (type === 'integer' && !Number.isInteger(n))) {
        throw new ItemFileError(`${where}: "${raw}" is not ${type === 'integer' ? 'an integer' : 'a number'}`);
      }
      return n;
    }
    case 'boolean': {
      const t = raw.trim().toLowerCase();
      if (['true', '1', 'yes', 'y'].includes(t)) return true;
      if (['false', '0', 'no', 'n'].includes(t)) return false;
      throw new ItemFileError(`${where}: "${raw}" is not a boolean (true/false, 1/0, yes/no)`);
    }
    case 'json':
      try {
        return JSON.parse(raw);
      } catch {
        throw new ItemFileError(`${where}: "${raw}" is not valid JSON`);
      }
  }
}

export function parseCsvItems(text: string, options: CsvOptions = {}): LoadedItems {
  const delimiter = options.delimiter ?? detectDelimiter(text);
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parseCsv(text, { bom: true, delimiter, info: true, skip_empty_lines: true, relax_column_count: false }) as unknown as typeof records;
  } catch (error) {
    const e = error as { message?: string; lines?: number };
    throw new ItemFileError(`CSV: ${e.message ?? String(error)}`, e.lines);
  }
  const header = records[0]?.record.map((c) => c.trim());
  if (!header) throw new ItemFileError('the CSV file is empty (a header row naming the columns is needed)', 1);
  const mapping: readonly ColumnMapping[] = options.mapping ?? header.map((column) => ({ column, field: column }));
  const columns = mapping.map((m) => {
    const index = header.indexOf(m.column);
    if (index < 0) throw new ItemFileError(`column "${m.column}" is not in the CSV header (${header.join(', ')})`, 1);
    return { index, steps: parseFieldPath(m.field), type: m.type ?? 'string', column: m.column };
  });
  const empty = options.empty ?? 'omit';
  const items: unknown[] = [];
  const lines: number[] = [];
  // Data records start after the header; `info.lines` is the line where the record ends, so
  // the first line is the previous record's end + 1 (multi-line quoted fields span several).
  let previousEnd = records[0]?.info.lines ?? 1;
  for (let r = 1; r < records.length; r++) {
    const rec = records[r] as { record: string[]; info: { lines: number } };
    const line = previousEnd + 1;
    previousEnd = rec.info.lines;
    const item: Record<string, unknown> = {};
    for (const c of columns) {
      const raw = rec.record[c.index] ?? '';
      if (raw === '') {
        if (empty === 'omit') continue;
        setPath(item, c.steps, empty === 'null' ? null : '');
        continue;
      }
      try {
        setPath(item, c.steps, typed(raw, c.type, `row ${r} (line ${line}), column "${c.column}"`));
      } catch (error) {
        if (error instanceof ItemFileError) throw new ItemFileError(error.message, line, r);
        throw error;
      }
    }
    items.push(item);
    lines.push(line);
  }
  return { items, lines };
}

export interface LoadItemsOptions extends CsvOptions {
  format?: ItemFileFormat;
}

export function parseItemFile(fileName: string, text: string, options: LoadItemsOptions = {}): LoadedItems {
  const format = options.format ?? detectItemFormat(fileName, text);
  if (format === 'json') return parseJsonArrayItems(text);
  if (format === 'jsonl') return parseJsonLinesItems(text);
  return parseCsvItems(text, options);
}
