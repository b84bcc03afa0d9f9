// `magento-rest bulk submit --method M --path P --items FILE [--batch-size N] [--concurrency N]
//   [--wait] [--schema FILE] [--map COLUMN=FIELD[:TYPE]]... [--force]`
// The Bulk tree's `bulk` command dispatches its `submit` subcommand here (`runBulkSubmit`).
// Prints one JSON document on stdout (bulk UUIDs, per-batch outcome); progress goes to stderr.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createBulkStatusApi } from '../../core/bulk/bulkStatusApi';
import { convertRequest, ConversionError, hasBlockingIssues } from '../../core/convert/asyncConversion';
import { prepareBatches, progressMessage, submitBatches, type BatchOutcome, type SubmitSummary } from '../../core/convert/bulkSubmitter';
import { ItemFileError, parseItemFile, type ColumnMapping, type FieldType } from '../../core/convert/itemFiles';
import { schemaRouteCatalog } from '../../core/convert/schemaRouteCatalog';
import { type RouteCatalog } from '../../core/convert/routeCatalog';
import { SubmissionJournal } from '../../core/convert/submissionJournal';
import { type MagentoTransport } from '../../core/http/types';
import { realScheduler } from '../../core/ports';
import { BulkTracker } from '../../core/bulk/bulkTracker';
import { MagentoSchema } from '../../core/schema/swaggerSchema';
import { CliUsageError, type CliCommand, type CliIo } from '../cliTypes';
import { JsonFileStore } from '../jsonFileStore';
import { createCliClient, PROFILE_HELP, PROFILE_OPTIONS, type ProfileArgValues } from '../profileFromArgs';
import { loadSchemaCatalog, positiveInt } from './convert';

const HELP = `Usage: magento-rest bulk submit --method M --path P --items FILE [options]

Sends every item of FILE (JSON array, JSON lines or CSV) as Magento bulk requests
(/async/bulk/V1/..., batches of --batch-size) and prints the bulk UUIDs as JSON.

  --method M            POST, PUT, DELETE or PATCH
  --path P              the sync route: /V1/products, /V1/products/{sku} (values from each
                        item), or the bulk form /async/bulk/V1/products/bySku
  --items FILE          .json (a list), .jsonl, or .csv; "-" reads stdin (JSON or JSON lines)
  --map COL=FIELD[:T]   CSV column to item field (dotted, e.g. SKU=product.sku, Price=product.price:number);
                        T is string, number, integer, boolean or json. Repeatable. Default: column name = field.
  --batch-size N        items per request (default 100)
  --concurrency N       requests in flight (default 2)
  --schema FILE         the store's Swagger schema; fetched from the store when absent
  --async-limit N       the store's async input limit when input limits are on (e.g. 5000)
  --force               send even when payload lint finds errors
  --wait                wait until every operation finished; exit 1 if any failed
  --wait-timeout S      give up waiting after S seconds (default 900)

The journal (for retry) is kept in ~/.magento-rest/journal and submitted bulks are tracked in
~/.magento-rest/bulks.json (so \`bulk status\` lists them); MAGENTO_REST_HOME overrides ~/.magento-rest.
A production profile needs --yes (asked once for the whole submission, not per request).

${PROFILE_HELP}`;

export interface StoreConnection {
  transport: MagentoTransport;
  profileId: string;
  storeCode: string;
  production: boolean;
  label: string;
  close(): Promise<void>;
}

/** What the commands acting on the submission journal (submit, pending, rejected) need. */
export interface JournalCommandDeps {
  connect(values: ProfileArgValues, io: CliIo): Promise<StoreConnection>;
  /** ~/.magento-rest (MAGENTO_REST_HOME): holds journal/ and bulks.json. */
  home(io: CliIo): string;
}

export interface BulkSubmitDeps extends JournalCommandDeps {
  readStdin(): Promise<string>;
  /** Poll interval while waiting (ms). */
  pollMs?: number;
}

export const defaultBulkSubmitDeps: BulkSubmitDeps = {
  async connect(values, io) {
    // The whole submission is confirmed once (--yes) before this client sends anything.
    const cli = await createCliClient({ ...values, yes: true }, io);
    return { transport: cli.client, profileId: cli.profile.id, storeCode: cli.profile.storeCode, production: cli.profile.production, label: cli.profile.label, close: () => cli.close() };
  },
  home: (io) => io.env.MAGENTO_REST_HOME ?? join(io.env.HOME ?? homedir(), '.magento-rest'),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

const FIELD_TYPES: readonly FieldType[] = ['string', 'number', 'integer', 'boolean', 'json'];

export function parseMapping(specs: readonly string[]): ColumnMapping[] {
  return specs.map((spec) => {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new CliUsageError(`--map "${spec}": use COLUMN=FIELD[:TYPE], e.g. SKU=product.sku`);
    const column = spec.slice(0, eq);
    let field = spec.slice(eq + 1);
    let type: FieldType | undefined;
    const colon = field.lastIndexOf(':');
    if (colon > 0) {
      const t = field.slice(colon + 1) as FieldType;
      if (!FIELD_TYPES.includes(t)) throw new CliUsageError(`--map "${spec}": type must be one of ${FIELD_TYPES.join(', ')}`);
      type = t;
      field = field.slice(0, colon);
    }
    return type ? { column, field, type } : { column, field };
  });
}

async function storeCatalog(transport: MagentoTransport, storeCode: string): Promise<RouteCatalog> {
  const response = await transport.send({ method: 'GET', path: '/schema', query: 'services=all', storeCode });
  return schemaRouteCatalog(MagentoSchema.parse(response.body));
}

interface WaitResult { complete: number; failed: number; open: number; timedOut: boolean; failures: Array<{ bulkUuid: string; id: number; status: number; message: string | null }> }

async function waitForBulks(transport: MagentoTransport, uuids: readonly string[], storeCode: string, timeoutMs: number, pollMs: number, io: CliIo): Promise<WaitResult> {
  const api = createBulkStatusApi(transport);
  const deadline = Date.now() + timeoutMs;
  const remaining = new Set(uuids);
  const result: WaitResult = { complete: 0, failed: 0, open: 0, timedOut: false, failures: [] };
  while (remaining.size > 0) {
    for (const uuid of [...remaining]) {
      const status = await api.shortStatus(uuid, storeCode);
      const open = status.operations.filter((o) => o.status === 4).length;
      if (open > 0 && Date.now() < deadline) continue;
      remaining.delete(uuid);
      for (const op of status.operations) {
        if (op.status === 1) result.complete++;
        else if (op.status === 4) result.open++;
        else {
          result.failed++;
          result.failures.push({ bulkUuid: uuid, id: op.id, status: op.status, message: op.resultMessage });
        }
      }
    }
    if (remaining.size === 0) break;
    if (Date.now() >= deadline) { result.timedOut = true; break; }
    if (io.isTty) io.stderr(`waiting: ${uuids.length - remaining.size} of ${uuids.length} bulks finished\r`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return result;
}

function report(summary: SubmitSummary, items: number) {
  return {
    bulk_uuids: summary.bulkUuids,
    operations: items,
    accepted: summary.acceptedOperations,
    rejected: summary.rejectedOperations,
    failed_batches: summary.failedBatches,
    // Sent, but no usable answer: maybe queued. Pending in the journal; check before resubmitting.
    unknown_batches: summary.unknownBatches,
    cancelled_batches: summary.cancelledBatches,
    batches: summary.outcomes.map((o) => ({
      batch: o.index + 1,
      status: o.status,
      items: [o.firstItemIndex, o.firstItemIndex + o.itemCount - 1],
      ...(o.bulkUuid ? { bulk_uuid: o.bulkUuid } : {}),
      ...(o.error ? { error: o.error.message } : {}),
      ...(o.rejected.length > 0 ? { rejected_items: o.rejected.map((r) => ({ item: r.itemIndex, message: r.message, ...(r.errorCode !== undefined ? { error_code: r.errorCode } : {}) })) } : {}),
    })),
  };
}

export async function runBulkSubmit(args: string[], io: CliIo, deps: BulkSubmitDeps = defaultBulkSubmitDeps): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...PROFILE_OPTIONS,
      method: { type: 'string' },
      path: { type: 'string' },
      items: { type: 'string' },
      map: { type: 'string', multiple: true },
      'batch-size': { type: 'string' },
      concurrency: { type: 'string' },
      schema: { type: 'string' },
      'async-limit': { type: 'string' },
      force: { type: 'boolean' },
      wait: { type: 'boolean' },
      'wait-timeout': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (!values.method) throw new CliUsageError('--method is required (POST, PUT, DELETE or PATCH)');
  if (!values.path) throw new CliUsageError('--path is required (e.g. /V1/products/{sku})');
  if (!values.items) throw new CliUsageError('--items FILE is required');
  const batchSize = positiveInt(values['batch-size'], '--batch-size');
  const concurrency = positiveInt(values.concurrency, '--concurrency') ?? 2;
  const asyncInputLimit = positiveInt(values['async-limit'], '--async-limit');
  const waitTimeoutMs = (positiveInt(values['wait-timeout'], '--wait-timeout') ?? 900) * 1000;
  const mapping = values.map ? parseMapping(values.map) : undefined;

  // Items first: a bad file is reported before anything connects to the store.
  const itemsText = values.items === '-' ? await deps.readStdin() : await readFile(resolve(io.cwd, values.items), 'utf8').catch((error: Error) => {
    throw new CliUsageError(`cannot read ${values.items}: ${error.message}`);
  });
  let items: unknown[];
  try {
    items = parseItemFile(values.items === '-' ? 'stdin.json' : values.items, itemsText, mapping ? { mapping } : {}).items;
  } catch (error) {
    if (error instanceof ItemFileError) throw new CliUsageError(`${values.items}: ${error.message}`);
    throw error;
  }
  if (items.length === 0) throw new CliUsageError(`${values.items} holds no items`);

  const connection = await deps.connect(values, io);
  try {
    const catalog = values.schema || io.env.MAGENTO_SCHEMA_FILE ? (await loadSchemaCatalog(values.schema, io)).catalog : await storeCatalog(connection.transport, connection.storeCode);
    let conversion;
    try {
      conversion = convertRequest(catalog, { method: values.method, path: values.path, storeCode: connection.storeCode, items }, 'bulk', {
        ...(batchSize !== undefined ? { batchSize } : {}),
        ...(asyncInputLimit !== undefined ? { asyncInputLimit } : {}),
      });
    } catch (error) {
      if (error instanceof ConversionError) throw new CliUsageError(error.message);
      throw error;
    }
    for (const issue of conversion.issues) io.stderr(`${issue.severity}: ${issue.message}\n`);
    if (hasBlockingIssues(conversion.issues) && !values.force) {
      io.stderr('nothing sent: fix the errors above (Magento would reject these batches), or pass --force\n');
      return 1;
    }

    if (connection.production && !values.yes) {
      throw new CliUsageError(`'${connection.label}' is a production profile: add --yes to submit ${items.length} operation(s) in ${conversion.requests.length} request(s) to store "${connection.storeCode}"`);
    }
    const journal = new SubmissionJournal({ folder: join(deps.home(io), 'journal') });
    const session = await journal.startSession();
    const controller = new AbortController();
    const onSigint = (): void => {
      io.stderr('\ncancelling: waiting for the batches in flight…\n');
      controller.abort();
    };
    process.once('SIGINT', onSigint);
    // Each bulk is tracked the moment it is accepted, so a run killed half-way still leaves
    // `bulk status|list` every bulk the store took (the journal has them too).
    const tracking = openTracking(deps, io, connection, `${conversion.route.method} ${conversion.route.pathTemplate}`, conversion.requests.length);
    let summary: SubmitSummary;
    try {
      summary = await submitBatches(prepareBatches(conversion.requests), {
        transport: connection.transport,
        journal: session,
        profileId: connection.profileId,
        storeCode: connection.storeCode,
        concurrency,
        signal: controller.signal,
        onProgress: (p) => { if (io.isTty) io.stderr(`${progressMessage(p)}\r`); },
        onAccepted: (o) => tracking.accepted(o),
        onFailed: (o) => io.stderr(`batch ${o.index + 1} ${o.status === 'unknown' ? 'outcome unknown' : 'failed'}: ${o.error?.message ?? ''}\n`),
      });
    } finally {
      process.removeListener('SIGINT', onSigint);
      await session.close();
      await tracking.close();
    }
    const out: Record<string, unknown> = report(summary, items.length);
    let failed = summary.failedBatches > 0 || summary.unknownBatches > 0 || summary.rejectedOperations > 0 || summary.cancelledBatches > 0;
    if (values.wait && summary.bulkUuids.length > 0) {
      const waited = await waitForBulks(connection.transport, summary.bulkUuids, connection.storeCode, waitTimeoutMs, deps.pollMs ?? 1000, io);
      out.wait = { complete: waited.complete, failed: waited.failed, open: waited.open, timed_out: waited.timedOut, failures: waited.failures.slice(0, 100) };
      failed ||= waited.failed > 0 || waited.open > 0;
    }
    io.stdout(JSON.stringify(out, null, 2) + '\n');
    return failed ? 1 : 0;
  } finally {
    await connection.close();
  }
}

/** Records accepted bulks where `magento-rest bulk status|list` finds them, as they are accepted. */
function openTracking(deps: BulkSubmitDeps, io: CliIo, connection: StoreConnection, label: string, total: number): { accepted(outcome: BatchOutcome): void; close(): Promise<void> } {
  let tracker: BulkTracker | undefined;
  const warn = (error: unknown): void => {
    io.stderr(`warning: could not record the bulks in bulks.json: ${(error as Error).message}\n`);
  };
  return {
    accepted(o) {
      if (!o.bulkUuid) return;
      try {
        // Without a scheduler the tracker writes each change at once (one write in flight, coalesced).
        tracker ??= new BulkTracker({ store: new JsonFileStore(join(deps.home(io), 'bulks.json')), clock: realScheduler });
        tracker.track({ uuid: o.bulkUuid, profileId: connection.profileId, storeCode: connection.storeCode, description: total > 1 ? `${label} — batch ${o.index + 1} of ${total}` : label, operationCount: o.itemCount - o.rejected.length });
      } catch (error) {
        warn(error);
      }
    },
    async close() {
      if (!tracker) return;
      try {
        await tracker.flush();
        tracker.dispose();
      } catch (error) {
        warn(error);
      }
    },
  };
}

/** Standalone command object (the `bulk` command dispatches `bulk submit …` to runBulkSubmit). */
export const bulkSubmitCommand: CliCommand = { run: (args, io) => runBulkSubmit(args, io) };
