// `magento-rest request METHOD PATH [--filter "field op value"]... [--or] [--sort field:dir]...
//   [--page-size N] [--page N] [--fields SPEC] [--all-pages] [--data JSON|@file]`
// Sends one request through the profile (JSON on stdout), or with --all-pages walks a search
// result page by page and streams every item as one JSON line.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { redactText } from '../../core/http/redactor';
import { type HttpMethod } from '../../core/http/types';
import { CONDITION_TYPES, isKnownConditionType, searchCriteriaToQuery, type SearchCriteria, type SearchFilter } from '../../core/search/searchCriteria';
import { asUsage, CliUsageError, type CliCommand, type CliIo } from '../cliTypes';
import { createCliClient, PROFILE_HELP, PROFILE_OPTIONS, reportStoreError } from '../profileFromArgs';

const HELP = `Usage: magento-rest request METHOD PATH [options] [profile options]

Sends METHOD /rest/<store>PATH (e.g. GET /V1/products) and prints the JSON answer.

Search (GET list endpoints):
  --filter "field op value"   a filter, e.g. "sku like MB%", "price gteq 20", "status in 1,2",
                              "special_price notnull"; repeat it for more filters
  --or                        OR all filters (one filter group); without it they are ANDed
  --sort field:asc|desc       sort order; repeat for more
  --page-size N, --page N     paging (searchCriteria[pageSize], [currentPage])
  --fields SPEC               partial response, e.g. "items[sku,name],total_count"
  --all-pages                 fetch every page (page size 100 unless given) and print each
                              item as one JSON line; a progress bar on stderr in a terminal
Body:
  --data JSON | @file         request body (JSON text, or @path to a JSON file)
Diagnosis:
  --show-signature            oauth1 profiles: print each OAuth signature base string on
                              stderr (token and consumer key masked) to compare with the store's

${PROFILE_HELP}`;

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];

/** "field op value" → a filter; `value` may contain spaces, null/notnull need none. */
export function parseFilterArg(text: string): SearchFilter {
  const match = /^\s*(\S+)\s+(\S+)(?:\s+([\s\S]*))?$/.exec(text);
  if (!match) throw new CliUsageError(`--filter "${text}": expected "field op value", e.g. "sku like MB%"`);
  const [, field, rawOp, rawValue] = match;
  const op = rawOp!.toLowerCase();
  if (!isKnownConditionType(op)) {
    throw new CliUsageError(`--filter "${text}": unknown condition "${rawOp}"; use one of ${CONDITION_TYPES.map((c) => c.name).join(', ')}`);
  }
  const value = rawValue?.trim() ?? '';
  if (op === 'null' || op === 'notnull') return { field: field!, value: '', conditionType: op, valueAbsent: true };
  if (value === '') throw new CliUsageError(`--filter "${text}": the "${op}" condition needs a value`);
  return { field: field!, value, conditionType: op };
}

/** "field:asc|desc" (or just "field", which Magento sorts DESC). */
export function parseSortArg(text: string): SearchCriteria['sortOrders'][number] {
  const [field, dir, extra] = text.split(':');
  if (!field || extra !== undefined) throw new CliUsageError(`--sort "${text}": expected field:asc or field:desc`);
  if (dir === undefined) return { field, direction: 'DESC', directionImplicit: true };
  const direction = dir.toUpperCase();
  if (direction !== 'ASC' && direction !== 'DESC') throw new CliUsageError(`--sort "${text}": the direction must be asc or desc`);
  return { field, direction };
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliUsageError(`${flag} must be a positive integer (got "${value}")`);
  return n;
}

async function readData(data: string | undefined, io: CliIo): Promise<string | undefined> {
  if (data === undefined) return undefined;
  let text = data;
  if (data.startsWith('@')) {
    const file = resolve(io.cwd, data.slice(1));
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new CliUsageError(`--data ${data}: cannot read ${file}: ${(error as Error).message}`);
    }
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`--data is not valid JSON: ${(error as Error).message}`);
  }
  return text;
}

function progressBar(done: number, total: number, items: number, totalItems: number): string {
  const width = 30;
  const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : 0;
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] page ${done}/${total} (${items}/${totalItems} items)`;
}

interface SearchPage {
  items?: unknown[];
  total_count?: number;
}

export function createRequestCommand(): CliCommand {
  return {
    async run(args: string[], io: CliIo): Promise<number> {
      const parsed = asUsage(() => parseArgs({
        args,
        allowPositionals: true,
        options: {
          ...PROFILE_OPTIONS,
          filter: { type: 'string', multiple: true },
          or: { type: 'boolean' },
          sort: { type: 'string', multiple: true },
          'page-size': { type: 'string' },
          page: { type: 'string' },
          fields: { type: 'string' },
          'all-pages': { type: 'boolean' },
          data: { type: 'string' },
          'show-signature': { type: 'boolean' },
          help: { type: 'boolean', short: 'h' },
        },
      }));
      const { values, positionals } = parsed;
      if (values.help) {
        io.stdout(HELP);
        return 0;
      }
      if (positionals.length !== 2) throw new CliUsageError('expected METHOD and PATH, e.g. `magento-rest request GET /V1/store/storeViews`');
      const method = positionals[0]!.toUpperCase() as HttpMethod;
      if (!METHODS.includes(method)) throw new CliUsageError(`unknown method "${positionals[0]}"; use ${METHODS.join(', ')}`);
      const [rawPath, pathQuery = ''] = positionals[1]!.split(/\?(.*)/s, 2) as [string, string | undefined];
      let path = rawPath;
      if (/^https?:\/\//i.test(path)) throw new CliUsageError('PATH is relative to /rest/<store>, e.g. /V1/products (the store comes from the profile)');
      path = path.replace(/^\/?rest\/[^/]+(?=\/V\d|\/async|\/schema)/, '');
      if (!path.startsWith('/')) path = `/${path}`;

      const filters = (values.filter ?? []).map(parseFilterArg);
      const sortOrders = (values.sort ?? []).map(parseSortArg);
      const pageSize = positiveInt(values['page-size'], '--page-size');
      const page = positiveInt(values.page, '--page');
      const allPages = Boolean(values['all-pages']);
      if (allPages && method !== 'GET') throw new CliUsageError('--all-pages only works with GET search endpoints');
      if (values.or && filters.length < 2) throw new CliUsageError('--or needs at least two --filter options');
      const searchRequested = filters.length > 0 || sortOrders.length > 0 || pageSize !== undefined || page !== undefined || allPages;
      const body = await readData(values.data, io);
      if (body !== undefined && method === 'GET') throw new CliUsageError('GET requests have no body: drop --data');

      const criteria: SearchCriteria = {
        filterGroups: values.or ? [{ filters }] : filters.map((f) => ({ filters: [f] })),
        sortOrders,
      };
      if (pageSize !== undefined || allPages) criteria.pageSize = pageSize ?? 100;
      let fields = values.fields;
      // Paging stops on total_count: keep it in a partial response.
      if (allPages && fields && !/(^|,)total_count(,|$)/.test(fields)) fields = `${fields},total_count`;

      const queryFor = (currentPage: number | undefined): string => {
        const parts: string[] = [];
        if (pathQuery) parts.push(pathQuery);
        if (searchRequested) parts.push(searchCriteriaToQuery({ ...criteria, ...(currentPage !== undefined ? { currentPage } : {}) }, 'snake'));
        if (fields) parts.push(`fields=${encodeURIComponent(fields)}`);
        return parts.join('&');
      };

      const cli = await createCliClient(values, io, values['show-signature']
        ? { onOAuthSigned: (signature) => io.stderr(`OAuth signature base string: ${redactText(signature.baseString)}\n`) }
        : {});
      try {
        if (!allPages) {
          const response = await cli.client.send({ method, path, query: queryFor(page), ...(body !== undefined ? { body } : {}) });
          io.stdout(`${JSON.stringify(response.body, null, 2) ?? ''}\n`);
          return 0;
        }
        let current = page ?? 1;
        let emitted = 0;
        const size = criteria.pageSize!;
        for (;;) {
          const response = await cli.client.send<SearchPage>({ method, path, query: queryFor(current) });
          const result = response.body;
          if (!result || typeof result !== 'object' || !Array.isArray(result.items ?? [])) {
            throw new CliUsageError(`${path} did not return a search result ({items, total_count}); --all-pages only works with search endpoints`);
          }
          const items = result.items ?? [];
          for (const item of items) io.stdout(`${JSON.stringify(item)}\n`);
          emitted += items.length;
          const total = typeof result.total_count === 'number' ? result.total_count : undefined;
          if (io.isTty && total !== undefined) io.stderr(progressBar(current, Math.max(1, Math.ceil(total / size)), emitted, total));
          // Magento may return the last page again for a page beyond the end (contract §4.3), so
          // stop on the arithmetic rather than on an empty page.
          if (total === undefined ? items.length < size : current * size >= total || items.length === 0) break;
          current++;
        }
        if (io.isTty) io.stderr('\n');
        return 0;
      } catch (error) {
        return reportStoreError(error, io);
      } finally {
        await cli.close();
      }
    },
  };
}

export const command: CliCommand = createRequestCommand();
