// `magento-rest convert --to async|bulk [--schema FILE] [--batch-size N] FILE.http|-`
// Every request of the file converted and printed in the same format on stdout; what could
// not be converted is kept as it was and explained on stderr.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { convertHttpText } from '../../core/convert/httpConversion';
import { schemaRouteCatalog } from '../../core/convert/schemaRouteCatalog';
import { type RouteCatalog } from '../../core/convert/routeCatalog';
import { MagentoSchema } from '../../core/schema/swaggerSchema';
import { CliUsageError, type CliCommand, type CliIo } from '../cliTypes';
import { createCliClient, PROFILE_HELP, PROFILE_OPTIONS, type ProfileArgValues } from '../profileFromArgs';

const HELP = `Usage: magento-rest convert --to async|bulk [--schema FILE | profile options] [--batch-size N] FILE.http|-

Converts every request of a REST Client / httpYac file to Magento's async
(/async/V1/...) or bulk (/async/bulk/V1/... with by<Param> segments) form and
prints the file in the same format. "-" reads stdin.

Options:
  --to async|bulk     target form (required)
  --schema FILE       the store's Swagger schema (GET /rest/<store>/schema?services=all);
                      route parameters come from it, never from a built-in list. Without it
                      (and without MAGENTO_SCHEMA_FILE) the schema is fetched from the store
                      of the profile given by the options below.
  --batch-size N      items per bulk request (default 100)
  --async-limit N     warn when a batch is above the store's async input limit (e.g. 5000)

${PROFILE_HELP}`;

export async function readInput(file: string, io: CliIo, stdin: () => Promise<string>): Promise<string> {
  if (file === '-') return stdin();
  return readFile(resolve(io.cwd, file), 'utf8');
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Loads `--schema FILE` into a route catalog, with a clear error for a bad file. */
export async function loadSchemaCatalog(file: string | undefined, io: CliIo): Promise<{ schema: MagentoSchema; catalog: RouteCatalog }> {
  const path = file ?? io.env.MAGENTO_SCHEMA_FILE;
  if (!path) {
    throw new CliUsageError('a schema is needed to know which path segments are parameters: pass --schema FILE (save it with `curl https://<store>/rest/<store>/schema?services=all`), set MAGENTO_SCHEMA_FILE, or give a profile (--profile / MAGENTO_BASE_URL) to fetch it from the store');
  }
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, path), 'utf8');
  } catch (error) {
    throw new CliUsageError(`cannot read the schema file ${path}: ${(error as Error).message}`);
  }
  const schema = MagentoSchema.parse(text);
  return { schema, catalog: schemaRouteCatalog(schema) };
}

/** `--schema FILE` / MAGENTO_SCHEMA_FILE, else the profile's store schema (`GET /rest/<store>/schema?services=all`). */
async function schemaFromFileOrStore(values: ProfileArgValues & { schema?: string | undefined }, io: CliIo): Promise<{ catalog: RouteCatalog }> {
  const hasProfile = Boolean(values.profile || values['base-url'] || io.env.MAGENTO_BASE_URL);
  if (values.schema || io.env.MAGENTO_SCHEMA_FILE || !hasProfile) return loadSchemaCatalog(values.schema, io);
  const cli = await createCliClient(values, io);
  try {
    const response = await cli.client.send({ method: 'GET', path: '/schema', query: 'services=all' });
    return { catalog: schemaRouteCatalog(MagentoSchema.parse(response.body)) };
  } finally {
    await cli.close();
  }
}

export function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliUsageError(`${flag} must be a positive integer, got "${value}"`);
  return n;
}

export function createConvertCommand(stdin: () => Promise<string> = readStdin): CliCommand {
  return {
    async run(args, io) {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: {
          ...PROFILE_OPTIONS,
          to: { type: 'string' },
          schema: { type: 'string' },
          'batch-size': { type: 'string' },
          'async-limit': { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      });
      if (values.help) {
        io.stdout(HELP);
        return 0;
      }
      if (values.to !== 'async' && values.to !== 'bulk') throw new CliUsageError('--to must be "async" or "bulk"');
      if (positionals.length !== 1) throw new CliUsageError('give exactly one .http/.rest file, or - for stdin');
      const batchSize = positiveInt(values['batch-size'], '--batch-size');
      const asyncInputLimit = positiveInt(values['async-limit'], '--async-limit');
      const { catalog } = await schemaFromFileOrStore(values, io);
      const text = await readInput(positionals[0] as string, io, stdin);
      const converted = convertHttpText(catalog, text, values.to, {
        ...(batchSize !== undefined ? { batchSize } : {}),
        ...(asyncInputLimit !== undefined ? { asyncInputLimit } : {}),
      });
      io.stdout(converted.text);
      let failed = 0;
      for (const r of converted.reports) {
        const where = `line ${r.line}${r.name ? ` (${r.name})` : ''}: ${r.method} ${r.url}`;
        if (r.status === 'failed') failed++;
        if (r.status !== 'converted') io.stderr(`${r.status === 'failed' ? 'error' : 'kept'} ${where} — ${r.message ?? 'not converted'}\n`);
        for (const issue of r.issues) io.stderr(`${issue.severity} ${where} — ${issue.message}\n`);
      }
      return failed > 0 ? 1 : 0;
    },
  };
}

export const command: CliCommand = createConvertCommand();
