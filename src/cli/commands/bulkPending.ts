// `magento-rest bulk pending [list|check|resubmit|dismiss]` — the batches the submission journal
// holds as sent without an answer (a killed run, a connection reset after sending, a gateway
// time-out). `bulk submit` reports them as unknown and never resends them; this is the CLI's way to
// find out what happened to them, the counterpart of VS Code's "Review Unconfirmed Bulk Batches".
// Nothing is resubmitted unless asked for by batch id, and not when the store seems to have it.
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createBulkStatusApi } from '../../core/bulk/bulkStatusApi';
import { BulkTracker } from '../../core/bulk/bulkTracker';
import { submitBatches, type BatchOutcome } from '../../core/convert/bulkSubmitter';
import { checkPendingBatch, pendingBatchContext, type PendingBatchCheck } from '../../core/convert/pendingBatchCheck';
import { SubmissionJournal, type JournalBatch } from '../../core/convert/submissionJournal';
import { type HttpMethod } from '../../core/http/types';
import { realScheduler } from '../../core/ports';
import { asUsage, CliUsageError, type CliIo } from '../cliTypes';
import { JsonFileStore } from '../jsonFileStore';
import { journalStoreMismatch } from '../journalStoreMatch';
import { PROFILE_HELP, PROFILE_OPTIONS, reportStoreError } from '../profileFromArgs';
import { defaultBulkSubmitDeps, type JournalCommandDeps, type StoreConnection } from './bulkSubmit';

const HELP = `Usage: magento-rest bulk pending [list|check|resubmit|dismiss] [options]

Bulk batches the submission journal holds as sent without an answer (the run was killed, the
connection was reset after sending, a gateway timed out): Magento may or may not have queued them.

  bulk pending [list]                        list them as JSON; exit 1 when there are any
  bulk pending check [BATCH_ID...] [--track] look for each on the store (default: every pending
                                             batch of the profile and store given); --track
                                             tracks the matched bulk and resolves the batch
  bulk pending resubmit BATCH_ID [--yes]     send the journalled items again as a new bulk and
                                             resolve the batch; refused when the store seems to
                                             have it already, unless --yes
  bulk pending dismiss BATCH_ID --note TEXT  resolve the batch without doing anything

check, resubmit: the profile and store must be the ones the batch was sent with (its profile id
is in the list; "cli" means --base-url / MAGENTO_BASE_URL without --profile). A store keeps no
request id, so a check is a best guess: a bulk with the batch's operation count that started from
2 minutes before to 10 minutes after it was journalled, not attributed to another batch, whose
stored items (where the store still has them) are the journalled ones.

Exit codes: 0 nothing left pending (list, check) or done (resubmit, dismiss); 1 batches remain
pending, a resubmission was refused or failed, an unknown batch id, or a store error; 2 usage error.
The journal is ~/.magento-rest/journal and tracked bulks ~/.magento-rest/bulks.json;
MAGENTO_REST_HOME overrides ~/.magento-rest.

${PROFILE_HELP}`;

export type BulkPendingDeps = JournalCommandDeps;

export const defaultBulkPendingDeps: BulkPendingDeps = defaultBulkSubmitDeps;

const STORE_OPTIONS = { ...PROFILE_OPTIONS, help: { type: 'boolean', short: 'h' } } as const;

function batchJson(batch: JournalBatch): Record<string, unknown> {
  return {
    batch_id: batch.batchId,
    profile_id: batch.profileId,
    store: batch.storeCode,
    method: batch.method,
    path: batch.path,
    item_count: batch.itemCount,
    first_item_index: batch.firstItemIndex,
    journalled_at: new Date(batch.at).toISOString(),
    session_file: basename(batch.file),
  };
}

function print(io: CliIo, value: unknown): void {
  io.stdout(JSON.stringify(value, null, 2) + '\n');
}

/** The batch if it is pending; otherwise an error that says what became of it (exit 1). */
async function pendingBatch(journal: SubmissionJournal, batchId: string): Promise<JournalBatch> {
  const batch = (await journal.batches()).find((b) => b.batchId === batchId);
  if (!batch) throw new Error(`no batch "${batchId}" in the submission journal (${journal.folder}); \`magento-rest bulk pending\` lists the pending ones`);
  switch (batch.state) {
    case 'pending': return batch;
    case 'accepted': throw new Error(`batch ${batchId} is not pending: the store accepted it as bulk ${batch.bulkUuid ?? '?'} (see \`magento-rest bulk status ${batch.bulkUuid ?? ''}\`)`);
    case 'failed': throw new Error(`batch ${batchId} is not pending: the store refused it (${batch.error ?? 'no message'}), so nothing of it was queued`);
    case 'resolved': throw new Error(`batch ${batchId} is not pending: it was already checked, resubmitted or dismissed`);
  }
}

/** Why the connection cannot speak for the batch, or undefined when it can. */
function storeMismatch(batch: JournalBatch, connection: StoreConnection): string | undefined {
  return journalStoreMismatch(`batch ${batch.batchId}`, batch, connection, 'Checking another store would find other bulks (or none)');
}

/** What a verdict means and what to do next, for people reading the JSON. */
function nextStep(check: PendingBatchCheck, tracked: boolean): string {
  const id = check.batch.batchId;
  if (check.verdict === 'probably-accepted') {
    return tracked
      ? `Tracked as bulk ${check.candidates[0]!}; the batch is resolved. Follow it with \`magento-rest bulk status ${check.candidates[0]!} --wait\`.`
      : `The store probably queued it as bulk ${check.candidates[0]!}: add --track to track that bulk and resolve the batch. Resubmitting would apply it twice.`;
  }
  if (check.verdict === 'ambiguous') {
    return `Several bulks could be this batch (${check.candidates.join(', ')}): look at them with \`magento-rest bulk status UUID --detailed\`, then dismiss the batch (\`bulk pending dismiss ${id} --note ...\`) or resubmit it with --yes.`;
  }
  return `No bulk like it started around then: the batch was most likely not queued. Resubmit it with \`magento-rest bulk pending resubmit ${id}\`.`;
}

/**
 * Resolves a batch and reads the journal back to be sure: a batch left pending by mistake would
 * invite a second resubmission.
 */
async function resolveBatch(journal: SubmissionJournal, batch: JournalBatch, note: string): Promise<void> {
  await journal.resolve(batch.batchId, note);
  const after = (await journal.batches()).find((b) => b.batchId === batch.batchId);
  if (after?.state === 'pending') {
    throw new Error(`the journal still lists batch ${batch.batchId} as pending after resolving it (${basename(batch.file)} could not be appended to cleanly); do not resubmit it again`);
  }
}

function openTracker(home: string, io: CliIo): BulkTracker {
  const store = new JsonFileStore(join(home, 'bulks.json'));
  for (const w of store.warnings) io.stderr(`warning: ${w}\n`);
  // Without a scheduler the tracker writes each change at once; flush() waits for the write.
  const tracker = new BulkTracker({ store, clock: realScheduler });
  for (const w of tracker.loadWarnings) io.stderr(`warning: ${w}\n`);
  return tracker;
}

async function listCommand(args: string[], io: CliIo, journal: SubmissionJournal): Promise<number> {
  const { values } = asUsage(() => parseArgs({ args, options: { help: { type: 'boolean', short: 'h' } } }));
  if (values.help) { io.stdout(HELP); return 0; }
  const pending = await journal.pendingBatches();
  print(io, {
    journal: journal.folder,
    pending: pending.map(batchJson),
    ...(pending.length > 0 ? { next: 'Check each on its store with `magento-rest bulk pending check BATCH_ID <profile options>` before resubmitting anything.' } : {}),
  });
  return pending.length > 0 ? 1 : 0;
}

async function checkCommand(args: string[], io: CliIo, journal: SubmissionJournal, deps: BulkPendingDeps): Promise<number> {
  const { values, positionals } = asUsage(() => parseArgs({ args, allowPositionals: true, options: { ...STORE_OPTIONS, track: { type: 'boolean' } } }));
  if (values.help) { io.stdout(HELP); return 0; }
  // Named batches must all exist and be pending before anything connects.
  const named: JournalBatch[] = [];
  for (const id of new Set(positionals)) named.push(await pendingBatch(journal, id));
  const connection = await deps.connect(values, io);
  try {
    const skipped: Array<Record<string, unknown>> = [];
    let batches: JournalBatch[];
    if (named.length > 0) {
      for (const batch of named) {
        const mismatch = storeMismatch(batch, connection);
        if (mismatch) throw new CliUsageError(mismatch);
      }
      batches = named;
    } else {
      batches = [];
      for (const batch of await journal.pendingBatches()) {
        const mismatch = storeMismatch(batch, connection);
        if (mismatch) skipped.push({ batch_id: batch.batchId, reason: mismatch });
        else batches.push(batch);
      }
    }
    const api = createBulkStatusApi(connection.transport);
    const tracker = values.track ? openTracker(deps.home(io), io) : undefined;
    const checked: Array<Record<string, unknown>> = [];
    let stillPending = 0;
    try {
      for (const batch of batches) {
        const check = await checkPendingBatch(api, batch, await pendingBatchContext(journal, batch));
        const uuid = check.verdict === 'probably-accepted' ? check.candidates[0] : undefined;
        let tracked = false;
        if (tracker && uuid) {
          tracker.track({ uuid, profileId: batch.profileId, storeCode: batch.storeCode, description: `${batch.method} ${batch.path} (recovered from journal batch ${batch.batchId})`, operationCount: batch.itemCount });
          // Tracked on disk before the journal forgets the batch: a crash in between leaves it listed, not lost.
          await tracker.flush();
          await resolveBatch(journal, batch, `matched bulk ${uuid} (bulk pending check --track)`);
          tracked = true;
        } else {
          stillPending++;
        }
        checked.push({ ...batchJson(batch), verdict: check.verdict, candidates: check.candidates, ...(tracked ? { tracked_as: uuid } : {}), resolved: tracked, next: nextStep(check, tracked) });
      }
    } finally {
      tracker?.dispose();
    }
    print(io, { store: connection.storeCode, checked, ...(skipped.length > 0 ? { skipped } : {}) });
    return stillPending > 0 ? 1 : 0;
  } catch (error) {
    return reportStoreError(error, io);
  } finally {
    await connection.close();
  }
}

function outcomeJson(outcome: BatchOutcome): Record<string, unknown> {
  return {
    status: outcome.status,
    ...(outcome.batchId ? { journal_batch_id: outcome.batchId } : {}),
    ...(outcome.bulkUuid ? { bulk_uuid: outcome.bulkUuid } : {}),
    ...(outcome.error ? { error: outcome.error.message } : {}),
    ...(outcome.rejected.length > 0 ? { rejected_items: outcome.rejected.map((r) => ({ item: r.itemIndex, message: r.message })) } : {}),
  };
}

async function resubmitCommand(args: string[], io: CliIo, journal: SubmissionJournal, deps: BulkPendingDeps): Promise<number> {
  const { values, positionals } = asUsage(() => parseArgs({ args, allowPositionals: true, options: STORE_OPTIONS }));
  if (values.help) { io.stdout(HELP); return 0; }
  if (positionals.length !== 1) throw new CliUsageError('bulk pending resubmit needs exactly one BATCH_ID (see `magento-rest bulk pending`)');
  const batch = await pendingBatch(journal, positionals[0]!);
  const items = await journal.itemsOf(batch.batchId);
  if (!items || items.length !== batch.itemCount) {
    throw new Error(`the journal holds ${items?.length ?? 0} of the ${batch.itemCount} item(s) of batch ${batch.batchId} (${basename(batch.file)} is damaged): nothing resubmitted`);
  }
  const connection = await deps.connect(values, io);
  try {
    const mismatch = storeMismatch(batch, connection);
    if (mismatch) throw new CliUsageError(mismatch);
    if (connection.production && !values.yes) {
      throw new CliUsageError(`'${connection.label}' is a production profile: add --yes to resubmit ${batch.itemCount} operation(s) to store "${batch.storeCode}"`);
    }
    const check = await checkPendingBatch(createBulkStatusApi(connection.transport), batch, await pendingBatchContext(journal, batch));
    if (check.verdict !== 'not-found') {
      if (!values.yes) {
        const why = check.verdict === 'probably-accepted'
          ? `the store probably queued it already as bulk ${check.candidates[0]!} (${batch.itemCount} operation(s), started around ${new Date(batch.at).toISOString()}, the same items)`
          : `several bulks on the store could be it (${check.candidates.join(', ')})`;
        io.stderr(`not resubmitted: ${why}; resubmitting would apply it twice. Track it with \`magento-rest bulk pending check ${batch.batchId} --track\`, or pass --yes to resubmit anyway.\n`);
        print(io, { ...batchJson(batch), verdict: check.verdict, candidates: check.candidates, resubmitted: false });
        return 1;
      }
      io.stderr(`warning: resubmitting although the check says ${check.verdict} (${check.candidates.join(', ')}): --yes was given\n`);
    }

    // The same journalled path `bulk submit` takes: the new batch is written to a new session
    // before it leaves, so losing this answer too leaves it pending rather than unknown forever.
    const session = await journal.startSession();
    let outcome: BatchOutcome | undefined;
    try {
      const summary = await submitBatches(
        [{ method: batch.method.toUpperCase() as HttpMethod, path: batch.path, storeCode: batch.storeCode, bodyJson: JSON.stringify(items), firstItemIndex: batch.firstItemIndex, itemCount: items.length }],
        { transport: connection.transport, journal: session, profileId: batch.profileId, storeCode: batch.storeCode, concurrency: 1 },
      );
      outcome = summary.outcomes[0];
    } finally {
      await session.close();
    }
    if (!outcome) throw new Error(`batch ${batch.batchId} was not resubmitted: the submitter reported no outcome`);
    const out: Record<string, unknown> = { ...batchJson(batch), verdict: check.verdict, candidates: check.candidates, resubmission: outcomeJson(outcome) };

    if (outcome.bulkUuid) {
      const tracker = openTracker(deps.home(io), io);
      try {
        tracker.track({ uuid: outcome.bulkUuid, profileId: batch.profileId, storeCode: batch.storeCode, description: `${batch.method} ${batch.path} (resubmitted journal batch ${batch.batchId})`, operationCount: items.length });
        await tracker.flush();
      } catch (error) {
        io.stderr(`warning: could not record bulk ${outcome.bulkUuid} in bulks.json: ${(error as Error).message}\n`);
      } finally {
        tracker.dispose();
      }
      await resolveBatch(journal, batch, `resubmitted as bulk ${outcome.bulkUuid}`);
      out.resolved = true;
      print(io, out);
      return outcome.rejected.length > 0 ? 1 : 0;
    }
    if (outcome.status === 'unknown') {
      // The items now live in the new pending batch; keeping the old one pending too would invite
      // a second resubmission of the same items.
      await resolveBatch(journal, batch, `resubmitted as journal batch ${outcome.batchId ?? '?'}, whose answer was lost as well`);
      out.resolved = true;
      out.next = `The answer to the resubmission was lost too: check it with \`magento-rest bulk pending check ${outcome.batchId ?? ''}\`.`;
      print(io, out);
      return 1;
    }
    // Refused (or cancelled): nothing was queued, so the batch stays pending.
    out.resolved = false;
    print(io, out);
    return 1;
  } catch (error) {
    return reportStoreError(error, io);
  } finally {
    await connection.close();
  }
}

async function dismissCommand(args: string[], io: CliIo, journal: SubmissionJournal): Promise<number> {
  const { values, positionals } = asUsage(() => parseArgs({ args, allowPositionals: true, options: { note: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  if (values.help) { io.stdout(HELP); return 0; }
  if (positionals.length !== 1) throw new CliUsageError('bulk pending dismiss needs exactly one BATCH_ID (see `magento-rest bulk pending`)');
  const note = values.note?.trim();
  if (!note) throw new CliUsageError('bulk pending dismiss needs --note TEXT: why the batch needs nothing more (kept in the journal)');
  const batch = await pendingBatch(journal, positionals[0]!);
  await resolveBatch(journal, batch, `dismissed: ${note}`);
  print(io, { ...batchJson(batch), dismissed: true, note });
  return 0;
}

export async function runBulkPending(args: string[], io: CliIo, deps: BulkPendingDeps = defaultBulkPendingDeps): Promise<number> {
  const journal = new SubmissionJournal({ folder: join(deps.home(io), 'journal') });
  const [sub, ...rest] = args;
  switch (sub) {
    case undefined: return listCommand([], io, journal);
    case 'list': return listCommand(rest, io, journal);
    case 'check': return checkCommand(rest, io, journal, deps);
    case 'resubmit': return resubmitCommand(rest, io, journal, deps);
    case 'dismiss': return dismissCommand(rest, io, journal);
    case 'help':
    case '--help':
    case '-h':
      io.stdout(HELP);
      return 0;
    default:
      throw new CliUsageError(`unknown bulk pending subcommand '${sub}' (list, check, resubmit, dismiss)`);
  }
}
