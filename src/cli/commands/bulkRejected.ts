// `magento-rest bulk rejected [list|resubmit]` — items Magento rejected at submit time (a 202
// with `errors: true`, contract §6.3). They never became operations, so `bulk retry` (which works
// on a bulk's failed operations) cannot reach them; their payloads are in the submission journal.
// The CLI counterpart of VS Code's "Resubmit Rejected Bulk Items…". The journal itself records a
// resubmission (src/core/convert/rejectedItems.ts), so an item resubmitted once is not listed or
// sent again unless Magento rejects it again.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BulkTracker } from '../../core/bulk/bulkTracker';
import { type BatchOutcome } from '../../core/convert/bulkSubmitter';
import { rejectedItemSku, rejectedItemsInJournal, resubmitRejected, type RejectedJournalItem } from '../../core/convert/rejectedItems';
import { SubmissionJournal } from '../../core/convert/submissionJournal';
import { realScheduler } from '../../core/ports';
import { asUsage, CliUsageError, type CliIo } from '../cliTypes';
import { JsonFileStore } from '../jsonFileStore';
import { journalStoreMismatch } from '../journalStoreMatch';
import { PROFILE_HELP, PROFILE_OPTIONS, reportStoreError } from '../profileFromArgs';
import { defaultBulkSubmitDeps, type JournalCommandDeps } from './bulkSubmit';

const HELP = `Usage: magento-rest bulk rejected [list|resubmit] [options]

Items Magento rejected when a bulk request was submitted (202 with "errors": true): they never
became operations, so \`bulk retry\` cannot reach them. Their payloads are in the journal.

  bulk rejected [list] [--bulk UUID...]      list those not resubmitted yet as JSON; exit 1 when
                                             there are any
  bulk rejected resubmit [--bulk UUID...] [--items 3,17] [--batch-size N] [--yes]
                                             send them again as new bulk requests (journalled,
                                             tracked in bulks.json); prints the new bulk UUIDs

  --bulk UUID      only the items rejected in this bulk (repeatable)
  --items 3,17     only these items: the "item" numbers of the list (the item's index in the
                   submission that last sent it, as \`bulk submit\` reports rejected_items; a
                   resubmission rejected again renumbers them from 0)
  --batch-size N   items per request (default 100)

resubmit: the profile and store must be the ones the items were sent with (their profile id is
in the list; "cli" means --base-url / MAGENTO_BASE_URL without --profile). Items of another
profile are refused when named (--items, --bulk) and skipped otherwise. A production profile
needs --yes.

Exit codes: list: 0 none, 1 some; resubmit: 0 every item accepted, 1 an item was rejected again,
a batch failed or its answer was lost, or a store error; 2 usage error. The journal is
~/.magento-rest/journal and tracked bulks ~/.magento-rest/bulks.json; MAGENTO_REST_HOME
overrides ~/.magento-rest.

${PROFILE_HELP}`;

export type BulkRejectedDeps = JournalCommandDeps;

export const defaultBulkRejectedDeps: BulkRejectedDeps = defaultBulkSubmitDeps;

const FILTER_OPTIONS = { bulk: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } } as const;

function print(io: CliIo, value: unknown): void {
  io.stdout(JSON.stringify(value, null, 2) + '\n');
}

function itemJson(item: RejectedJournalItem): Record<string, unknown> {
  const sku = rejectedItemSku(item.payload);
  return {
    item: item.itemIndex,
    bulk_uuid: item.bulkUuid,
    operation_id: item.operationId,
    ...(sku !== undefined ? { sku } : {}),
    message: item.message,
    ...(item.errorCode !== undefined ? { error_code: item.errorCode } : {}),
    profile_id: item.profileId,
    store: item.storeCode,
    method: item.method,
    path: item.path,
    journal_batch_id: item.batchId,
    payload: item.payload,
  };
}

/** `--items 3,17` → [3, 17]; anything but non-negative integers is a usage error. */
function parseItemList(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0 || parts.some((p) => !/^\d+$/.test(p))) {
    throw new CliUsageError(`--items takes item numbers separated by commas, e.g. --items 3,17 (got "${text}"); \`magento-rest bulk rejected\` lists them`);
  }
  return [...new Set(parts.map(Number))];
}

/** The listed items the numbers name; each must name exactly one. */
function selectItems(listed: readonly RejectedJournalItem[], numbers: readonly number[]): RejectedJournalItem[] {
  const selected: RejectedJournalItem[] = [];
  for (const n of numbers) {
    const matches = listed.filter((i) => i.itemIndex === n);
    if (matches.length === 0) {
      const known = listed.map((i) => i.itemIndex).slice(0, 20).join(', ');
      throw new CliUsageError(`no rejected item ${n} waits for resubmission${listed.length > 0 ? ` (items: ${known}${listed.length > 20 ? ', …' : ''})` : ''}; \`magento-rest bulk rejected\` lists them`);
    }
    if (matches.length > 1) {
      // Item numbers count from 0 in each submission, so two submissions can both have an item 3.
      throw new CliUsageError(`item ${n} is a rejected item of several bulks (${matches.map((i) => i.bulkUuid).join(', ')}); add --bulk UUID to say which`);
    }
    selected.push(matches[0]!);
  }
  return selected;
}

async function listCommand(args: string[], io: CliIo, journal: SubmissionJournal): Promise<number> {
  const { values } = asUsage(() => parseArgs({ args, options: FILTER_OPTIONS }));
  if (values.help) { io.stdout(HELP); return 0; }
  const items = await rejectedItemsInJournal(journal, values.bulk ? { bulkUuids: values.bulk } : {});
  print(io, {
    journal: journal.folder,
    rejected: items.map(itemJson),
    ...(items.length > 0 ? { next: 'Resubmit them with `magento-rest bulk rejected resubmit [--bulk UUID] [--items N,M] <profile options>` once the cause is fixed.' } : {}),
  });
  return items.length > 0 ? 1 : 0;
}

function outcomeJson(outcome: BatchOutcome, sent: readonly RejectedJournalItem[]): Record<string, unknown> {
  const original = (index: number): RejectedJournalItem | undefined => sent[index];
  return {
    status: outcome.status,
    ...(outcome.batchId ? { journal_batch_id: outcome.batchId } : {}),
    ...(outcome.bulkUuid ? { bulk_uuid: outcome.bulkUuid } : {}),
    items: sent.slice(outcome.firstItemIndex, outcome.firstItemIndex + outcome.itemCount).map((i) => ({ item: i.itemIndex, from_bulk: i.bulkUuid })),
    ...(outcome.error ? { error: outcome.error.message } : {}),
    ...(outcome.rejected.length > 0
      ? { rejected_again: outcome.rejected.map((r) => ({ item: original(r.itemIndex)?.itemIndex, from_bulk: original(r.itemIndex)?.bulkUuid, message: r.message, ...(r.errorCode !== undefined ? { error_code: r.errorCode } : {}) })) }
      : {}),
  };
}

async function resubmitCommand(args: string[], io: CliIo, journal: SubmissionJournal, deps: BulkRejectedDeps): Promise<number> {
  const { values } = asUsage(() => parseArgs({
    args,
    options: { ...PROFILE_OPTIONS, ...FILTER_OPTIONS, items: { type: 'string' }, 'batch-size': { type: 'string' } },
  }));
  if (values.help) { io.stdout(HELP); return 0; }
  const batchSize = values['batch-size'] === undefined ? 100 : Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new CliUsageError(`--batch-size takes a whole number of at least 1 (got "${values['batch-size']}")`);
  const numbers = values.items === undefined ? undefined : parseItemList(values.items);
  const listed = await rejectedItemsInJournal(journal, values.bulk ? { bulkUuids: values.bulk } : {});
  const selected = numbers ? selectItems(listed, numbers) : listed;
  if (selected.length === 0) {
    io.stderr(`nothing to resubmit: the journal (${journal.folder}) holds no rejected item waiting for resubmission${values.bulk ? ` in bulk ${values.bulk.join(', ')}` : ''}\n`);
    print(io, { resubmitted: 0, bulk_uuids: [], outcomes: [] });
    return 0;
  }
  const named = numbers !== undefined || values.bulk !== undefined;

  const connection = await deps.connect(values, io);
  try {
    const items: RejectedJournalItem[] = [];
    const skipped: Array<Record<string, unknown>> = [];
    for (const item of selected) {
      const mismatch = journalStoreMismatch(`item ${item.itemIndex} of bulk ${item.bulkUuid}`, item, connection, 'Resubmitting it here would send it to another store');
      if (mismatch && named) throw new CliUsageError(mismatch);
      if (mismatch) skipped.push({ item: item.itemIndex, bulk_uuid: item.bulkUuid, reason: mismatch });
      else items.push(item);
    }
    if (items.length === 0) {
      io.stderr(`nothing resubmitted: every rejected item was sent with another profile or store (see "skipped")\n`);
      print(io, { store: connection.storeCode, resubmitted: 0, bulk_uuids: [], outcomes: [], skipped });
      return 1;
    }
    if (connection.production && !values.yes) {
      throw new CliUsageError(`'${connection.label}' is a production profile: add --yes to resubmit ${items.length} rejected item(s) to store "${connection.storeCode}"`);
    }

    const result = await resubmitRejected({ journal, transport: connection.transport, items, batchSize });
    const { summary } = result;
    const accepted = summary.outcomes.filter((o) => o.bulkUuid !== undefined);
    if (accepted.length > 0) {
      // Tracked where `bulk status|list` find them, as `bulk submit` does for its bulks.
      const store = new JsonFileStore(join(deps.home(io), 'bulks.json'));
      for (const w of store.warnings) io.stderr(`warning: ${w}\n`);
      const tracker = new BulkTracker({ store, clock: realScheduler });
      try {
        for (const o of accepted) {
          const first = result.items[o.firstItemIndex]!;
          tracker.track({ uuid: o.bulkUuid!, profileId: first.profileId, storeCode: first.storeCode, description: `${first.method} ${first.path} (resubmitted rejected items)`, operationCount: o.itemCount - o.rejected.length });
        }
        await tracker.flush();
      } catch (error) {
        io.stderr(`warning: could not record the bulks in bulks.json: ${(error as Error).message}\n`);
      } finally {
        tracker.dispose();
      }
    }
    const problems = summary.rejectedOperations > 0 || summary.failedBatches > 0 || summary.unknownBatches > 0 || summary.cancelledBatches > 0;
    print(io, {
      store: connection.storeCode,
      resubmitted: items.length,
      accepted: summary.acceptedOperations,
      rejected_again: summary.rejectedOperations,
      failed_batches: summary.failedBatches,
      unknown_batches: summary.unknownBatches,
      bulk_uuids: summary.bulkUuids,
      outcomes: summary.outcomes.map((o) => outcomeJson(o, result.items)),
      ...(skipped.length > 0 ? { skipped } : {}),
      ...(summary.unknownBatches > 0 ? { next: 'The answer to a resubmitted batch was lost: `magento-rest bulk pending` lists it; check it before resubmitting anything.' } : {}),
    });
    return problems ? 1 : 0;
  } catch (error) {
    return reportStoreError(error, io);
  } finally {
    await connection.close();
  }
}

export async function runBulkRejected(args: string[], io: CliIo, deps: BulkRejectedDeps = defaultBulkRejectedDeps): Promise<number> {
  const journal = new SubmissionJournal({ folder: join(deps.home(io), 'journal') });
  const [sub, ...rest] = args;
  switch (sub) {
    case 'list': return listCommand(rest, io, journal);
    case 'resubmit': return resubmitCommand(rest, io, journal, deps);
    case 'help':
    case '--help':
    case '-h':
      io.stdout(HELP);
      return 0;
    default:
      // `bulk rejected --bulk UUID` lists too.
      if (sub === undefined || sub.startsWith('-')) return listCommand(args, io, journal);
      throw new CliUsageError(`unknown bulk rejected subcommand '${sub}' (list, resubmit)`);
  }
}
