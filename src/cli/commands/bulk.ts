// `magento-rest bulk status|retry|list|submit|pending` — bulk UUIDs from scripts and CI jobs.
// Every subcommand prints one JSON document on stdout (progress goes to stderr) and exits
// non-zero while failures remain, so `&&` chains stop at a partly failed import.
// `bulk submit` belongs to Convert (./bulkSubmit.ts) and is dispatched there; `bulk pending`
// (unconfirmed journal batches) lives in ./bulkPending.ts.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BulkPoller } from '../../core/bulk/bulkPoller';
import { submitRetry } from '../../core/bulk/bulkRetry';
import { computeBulkState, OPERATION_STATUS_LABELS, isOperationStatusCode, OperationStatus, type BulkState, type TrackedBulk } from '../../core/bulk/bulkState';
import { createBulkStatusApi, type BulkStatusApi } from '../../core/bulk/bulkStatusApi';
import { BulkTracker } from '../../core/bulk/bulkTracker';
import { journalledSubmit, journalPayloadSource } from '../../core/bulk/journalRetry';
import { findRecentBulks, parseDuration } from '../../core/bulk/recentBulks';
import { buildRetryPlan, payloadFromSerializedData, RetryPlanError, selectForRetryFromBulk, type RetryPayloadSource, type RetryRoute } from '../../core/bulk/retrySelection';
import { detectStuck, START_CONSUMER_COMMAND } from '../../core/bulk/stuckDetector';
import { SubmissionJournal } from '../../core/convert/submissionJournal';
import { formatMagentoMessage } from '../../core/http/magentoError';
import { type HttpMethod, type MagentoTransport } from '../../core/http/types';
import { realScheduler, type Scheduler } from '../../core/ports';
import { MagentoSchema } from '../../core/schema/swaggerSchema';
import { asUsage, CliUsageError, type CliCommand, type CliIo } from '../cliTypes';
import { JsonFileStore } from '../jsonFileStore';
import { createCliClient, PROFILE_HELP, PROFILE_OPTIONS, reportStoreError, type ProfileArgValues } from '../profileFromArgs';

const HELP = `Usage: magento-rest bulk <subcommand> [options]

  bulk status UUID [--wait] [--detailed]     the bulk's state computed from its operations
  bulk retry UUID [--include-non-retriable]  resubmit failed operations as a new, linked bulk
  bulk list [--since DURATION]               bulks started on the store recently (integrations too)
  bulk submit ...                            send items as bulk requests (see bulk submit --help)
  bulk pending [check|resubmit|dismiss] ...  batches sent without an answer (see bulk pending --help)
  bulk rejected [resubmit] ...               items Magento rejected at submit time (see bulk rejected --help)

status:
  --wait               poll until every operation is terminal (back-off, one request at a time)
  --wait-timeout S     give up after S seconds (default 900; exit 1)
  --interval S         first polling interval in seconds (default 2)
  --detailed           include every operation with payload and result (detailed-status)
retry:
  --include-non-retriable   also resubmit status 3 (failed) and 5 (rejected) operations
  --operations 1,4,7        only these operation ids
  --route "PUT /async/bulk/V1/products/bySku"   the route when neither the journal nor the
                            store's schema can tell it
  --dry-run                 print the plan without sending
list:
  --since DURATION     e.g. 30m, 24h, 7d (default 24h)
  --status S           any | failed | open (default any)
  --limit N            at most N bulks (default 50)

Exit codes: 0 no failures remain; 1 failures remain (or a store error, not found, time-out);
2 usage error. State (tracked bulks, operations already retried) is kept in
~/.magento-rest/bulks.json; payloads for retry come from the submission journal
(~/.magento-rest/journal) or else from detailed-status. MAGENTO_REST_HOME overrides ~/.magento-rest.

${PROFILE_HELP}`;

export interface BulkConnection {
  transport: MagentoTransport;
  profileId: string;
  storeCode: string;
  close(): Promise<void>;
}

export interface BulkCliDeps {
  connect(values: ProfileArgValues, io: CliIo): Promise<BulkConnection>;
  home(io: CliIo): string;
  scheduler: Scheduler;
  /** Dispatch for `bulk submit` (Convert's command). */
  submit(args: string[], io: CliIo): Promise<number>;
  /** Dispatch for `bulk pending` (unconfirmed journal batches). */
  pending(args: string[], io: CliIo): Promise<number>;
  /** Dispatch for `bulk rejected` (items rejected at submit time, from the journal). */
  rejected(args: string[], io: CliIo): Promise<number>;
}

export const defaultBulkCliDeps: BulkCliDeps = {
  async connect(values, io) {
    const cli = await createCliClient(values, io);
    return { transport: cli.client, profileId: cli.profile.id, storeCode: cli.profile.storeCode, close: () => cli.close() };
  },
  home: (io) => io.env.MAGENTO_REST_HOME ?? join(io.env.HOME ?? homedir(), '.magento-rest'),
  scheduler: realScheduler,
  submit: async (args, io) => (await import('./bulkSubmit.js')).runBulkSubmit(args, io),
  pending: async (args, io) => (await import('./bulkPending.js')).runBulkPending(args, io),
  rejected: async (args, io) => (await import('./bulkRejected.js')).runBulkRejected(args, io),
};

const BULK_LIFETIME_MS = 60 * 86_400_000;

const COMMON_OPTIONS = { ...PROFILE_OPTIONS, help: { type: 'boolean', short: 'h' } } as const;

function positiveNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new CliUsageError(`--${name} must be a positive number (got "${value}")`);
  return n;
}

function openTracker(deps: BulkCliDeps, io: CliIo): BulkTracker {
  const store = new JsonFileStore(join(deps.home(io), 'bulks.json'));
  for (const w of store.warnings) io.stderr(`warning: ${w}\n`);
  const tracker = new BulkTracker({ store, clock: deps.scheduler });
  for (const w of tracker.loadWarnings) io.stderr(`warning: ${w}\n`);
  // Magento deletes bulks after 60 days (bulk_cleanup); so does the CLI's memory of them.
  for (const bulk of tracker.list()) if (deps.scheduler.now() - bulk.submittedAt > BULK_LIFETIME_MS) tracker.remove(bulk.uuid);
  return tracker;
}

function stateJson(bulk: TrackedBulk, state: BulkState, now: number): Record<string, unknown> {
  const stuck = detectStuck(bulk, now);
  return {
    bulk_uuid: bulk.uuid,
    description: bulk.description,
    ...(bulk.topic ? { topic: bulk.topic } : {}),
    ...(bulk.startedAt !== undefined ? { start_time: new Date(bulk.startedAt).toISOString() } : {}),
    ...(bulk.parentUuid ? { retry_of: bulk.parentUuid } : {}),
    ...(bulk.childUuids.length > 0 ? { retried_in: bulk.childUuids, retried_operation_ids: bulk.retriedOperationIds } : {}),
    verdict: state.verdict,
    summary: state.summary,
    counts: state.counts,
    percentages: state.percentages,
    ...(stuck.stuck ? { stuck: { message: stuck.headline, fix: START_CONSUMER_COMMAND } } : {}),
  };
}

/** Failures not yet resubmitted (what "failures remain" means for the exit code). */
function remainingFailures(bulk: TrackedBulk): number {
  const retried = new Set(bulk.retriedOperationIds);
  return (bulk.operations ?? []).filter((op) => !retried.has(op.id) && (op.status === OperationStatus.RetriablyFailed
    || op.status === OperationStatus.NotRetriablyFailed || op.status === OperationStatus.Rejected)).length;
}

async function statusCommand(args: string[], io: CliIo, deps: BulkCliDeps): Promise<number> {
  const { values, positionals } = asUsage(() => parseArgs({ args, allowPositionals: true, options: {
    ...COMMON_OPTIONS, wait: { type: 'boolean' }, 'wait-timeout': { type: 'string' }, interval: { type: 'string' }, detailed: { type: 'boolean' },
  } }));
  if (values.help) { io.stdout(HELP); return 0; }
  const uuidArg = positionals[0];
  if (!uuidArg) throw new CliUsageError('bulk status needs a bulk UUID');
  const timeoutMs = positiveNumber('wait-timeout', values['wait-timeout'], 900) * 1000;
  const intervalMs = positiveNumber('interval', values.interval, 2) * 1000;
  const tracker = openTracker(deps, io);
  const conn = await deps.connect(values as ProfileArgValues, io);
  try {
    const api = createBulkStatusApi(conn.transport);
    const bulk = tracker.track({ uuid: uuidArg, profileId: conn.profileId, storeCode: conn.storeCode, description: tracker.get(uuidArg.trim().toLowerCase())?.description ?? '' });
    const poller = new BulkPoller({
      tracker, scheduler: deps.scheduler, options: { initialIntervalMs: intervalMs },
      fetchStatus: (b, signal) => api.shortStatus(b.uuid, b.storeCode, signal),
    });
    try {
      await poller.pollNow(bulk.uuid);
      if (bulk.stale) throw new Error(`Could not read the status of bulk ${bulk.uuid}: ${bulk.staleReason ?? 'unknown error'}`);
      if (values.wait && !bulk.notFound && !computeBulkState(bulk, deps.scheduler.now()).terminal) {
        await waitUntilTerminal(tracker, poller, bulk, timeoutMs, deps.scheduler, io);
      }
    } finally {
      poller.dispose();
    }
    await tracker.flush();
    if (bulk.notFound) {
      io.stdout(JSON.stringify({ bulk_uuid: bulk.uuid, verdict: 'unknown', error: `Bulk uuid ${bulk.uuid} not exist (wrong profile/store, or removed after 60 days)` }, null, 2) + '\n');
      return 1;
    }
    const now = deps.scheduler.now();
    const state = computeBulkState(bulk, now);
    const out = stateJson(bulk, state, now);
    if (values.detailed) out.operations = await detailedOperations(api, bulk);
    const timedOut = values.wait && !state.terminal;
    if (timedOut) out.timed_out = true;
    io.stdout(JSON.stringify(out, null, 2) + '\n');
    return remainingFailures(bulk) > 0 || timedOut ? 1 : 0;
  } catch (error) {
    return reportStoreError(error, io);
  } finally {
    await conn.close();
  }
}

async function detailedOperations(api: BulkStatusApi, bulk: TrackedBulk): Promise<unknown[]> {
  const detailed = await api.detailedStatus(bulk.uuid, bulk.storeCode);
  return detailed.operations.map((op) => {
    const payload = payloadFromSerializedData(op.serializedData);
    let result: unknown = op.resultSerializedData;
    if (typeof result === 'string') {
      try { result = JSON.parse(result); } catch { /* keep the text */ }
    }
    return {
      id: op.id,
      status: op.status,
      status_label: isOperationStatusCode(op.status) ? OPERATION_STATUS_LABELS[op.status] : 'unknown',
      result_message: op.resultMessage === null ? null : formatMagentoMessage(op.resultMessage),
      error_code: op.errorCode,
      payload: payload.ok ? payload.payload : null,
      result_serialized_data: result,
    };
  });
}

/** Polls (through the core poller: back-off, single flight) until terminal, not found or time-out. */
function waitUntilTerminal(tracker: BulkTracker, poller: BulkPoller, bulk: TrackedBulk, timeoutMs: number, scheduler: Scheduler, io: CliIo): Promise<void> {
  return new Promise((resolve) => {
    let stuckReported = false;
    const finish = (): void => {
      sub.dispose();
      timer.cancel();
      resolve();
    };
    const timer = scheduler.setTimeout(finish, timeoutMs);
    const sub = tracker.onDidChange((event) => {
      if (event.uuid !== bulk.uuid) return;
      const now = scheduler.now();
      const state = computeBulkState(bulk, now);
      if (io.isTty) io.stderr(`\r${state.summary}${bulk.stale ? ' (store unreachable, retrying)' : ''}   `);
      if (state.verdict === 'stuck' && !stuckReported) {
        stuckReported = true;
        io.stderr(`\n${detectStuck(bulk, now).headline}\nStart it on the server: ${START_CONSUMER_COMMAND}\n`);
      }
      if (event.kind === 'finished' || bulk.notFound) {
        if (io.isTty) io.stderr('\n');
        finish();
      }
    });
    poller.start();
  });
}

function parseRoute(text: string): RetryRoute {
  const m = /^\s*(POST|PUT|DELETE|PATCH)\s+(\/async\/bulk\/V1\/\S+)\s*$/i.exec(text);
  if (!m) throw new CliUsageError(`--route must look like "PUT /async/bulk/V1/products/bySku" (got "${text}")`);
  return { method: m[1]!.toUpperCase() as HttpMethod, bulkPath: m[2]! };
}

async function retryCommand(args: string[], io: CliIo, deps: BulkCliDeps): Promise<number> {
  const { values, positionals } = asUsage(() => parseArgs({ args, allowPositionals: true, options: {
    ...COMMON_OPTIONS, 'include-non-retriable': { type: 'boolean' }, operations: { type: 'string' }, route: { type: 'string' }, 'dry-run': { type: 'boolean' },
  } }));
  if (values.help) { io.stdout(HELP); return 0; }
  const uuidArg = positionals[0];
  if (!uuidArg) throw new CliUsageError('bulk retry needs a bulk UUID');
  let operationIds: number[] | undefined;
  if (typeof values.operations === 'string') {
    operationIds = values.operations.split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
      const n = Number(s);
      if (!Number.isInteger(n) || n < 0) throw new CliUsageError(`--operations: "${s}" is not an operation id`);
      return n;
    });
  }
  const forcedRoute = typeof values.route === 'string' ? parseRoute(values.route) : undefined;
  const tracker = openTracker(deps, io);
  const conn = await deps.connect(values as ProfileArgValues, io);
  try {
    const api = createBulkStatusApi(conn.transport);
    const existing = tracker.get(uuidArg.trim().toLowerCase());
    const bulk = tracker.track({ uuid: uuidArg, profileId: existing?.profileId ?? conn.profileId, storeCode: existing?.storeCode ?? conn.storeCode, description: existing?.description ?? '' });
    tracker.applyStatus(bulk.uuid, await api.shortStatus(bulk.uuid, bulk.storeCode));
    const selection = selectForRetryFromBulk(bulk, { includeNonRetriable: Boolean(values['include-non-retriable']), ...(operationIds ? { operationIds } : {}) });
    if (selection.selected.length === 0) {
      await tracker.flush();
      const remaining = remainingFailures(bulk);
      io.stdout(JSON.stringify({ bulk_uuid: bulk.uuid, retried: 0, skipped: selection.skipped, remaining_failures: remaining,
        message: remaining > 0 ? 'Only non-retriable failures remain: add --include-non-retriable to resubmit them.' : 'Nothing to retry.' }, null, 2) + '\n');
      return remaining > 0 ? 1 : 0;
    }
    const journal = new SubmissionJournal({ folder: join(deps.home(io), 'journal') });
    const journalSource = journalPayloadSource(journal);
    // --route overrides whatever the journal or the schema would say.
    const source: RetryPayloadSource = forcedRoute
      ? { payloadsFor: async (u, ids) => ({ ...((await journalSource.payloadsFor(u, ids)) ?? { payloads: new Map<number, unknown>() }), route: forcedRoute }) }
      : journalSource;
    let plan;
    try {
      plan = await buildRetryPlan({
        bulk, selection, journal: source,
        detailedStatus: () => api.detailedStatus(bulk.uuid, bulk.storeCode),
        routes: async () => {
          const response = await conn.transport.send({ method: 'GET', path: '/schema', query: 'services=all', storeCode: bulk.storeCode });
          return MagentoSchema.parse(response.body).operations();
        },
      });
    } catch (error) {
      if (error instanceof RetryPlanError) throw new CliUsageError(`${error.message} Pass --route "METHOD /async/bulk/V1/...".`);
      throw error;
    }
    const planJson = {
      bulk_uuid: bulk.uuid, route: `${plan.route.method} ${plan.route.bulkPath}`, store: plan.storeCode,
      operation_ids: plan.items.map((i) => i.operationId), payload_sources: [...new Set(plan.items.map((i) => i.source))],
      missing: plan.missing, skipped: selection.skipped,
    };
    if (values['dry-run'] || plan.items.length === 0) {
      io.stdout(JSON.stringify({ ...planJson, dry_run: Boolean(values['dry-run']) }, null, 2) + '\n');
      return plan.items.length === 0 ? 1 : 0;
    }
    const outcome = await submitRetry({ transport: conn.transport, tracker, plan, profileId: bulk.profileId, submit: journalledSubmit(journal, bulk.profileId) });
    await tracker.flush();
    io.stdout(JSON.stringify({ ...planJson, retry_bulk_uuid: outcome.childUuid, retried_operation_ids: outcome.retriedOperationIds, rejected: outcome.rejected }, null, 2) + '\n');
    // The failures are resubmitted; what remains is whatever could not be (missing payloads, rejected).
    return plan.missing.length + outcome.rejected.length > 0 ? 1 : 0;
  } catch (error) {
    return reportStoreError(error, io);
  } finally {
    await conn.close();
  }
}

async function listCommand(args: string[], io: CliIo, deps: BulkCliDeps): Promise<number> {
  const { values } = asUsage(() => parseArgs({ args, options: { ...COMMON_OPTIONS, since: { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' } } }));
  if (values.help) { io.stdout(HELP); return 0; }
  let sinceMs: number;
  try {
    sinceMs = parseDuration(typeof values.since === 'string' ? values.since : '24h');
  } catch (error) {
    throw new CliUsageError(`--since: ${(error as Error).message}`);
  }
  const statusName = typeof values.status === 'string' ? values.status : 'any';
  const statuses = { any: [], failed: [2, 3, 5], open: [4] }[statusName as 'any' | 'failed' | 'open'];
  if (!statuses) throw new CliUsageError(`--status must be any, failed or open (got "${statusName}")`);
  const limit = Math.floor(positiveNumber('limit', values.limit, 50));
  const conn = await deps.connect(values as ProfileArgValues, io);
  try {
    const api = createBulkStatusApi(conn.transport);
    const found = await findRecentBulks(api, { since: deps.scheduler.now() - sinceMs, statuses, limit }, conn.storeCode);
    const now = deps.scheduler.now();
    const out: Record<string, unknown>[] = [];
    let failing = 0;
    for (const recent of found) {
      // One short status per bulk (filtered by its UUID: safe from #29579).
      const status = await api.shortStatus(recent.bulkUuid, conn.storeCode);
      const bulk: TrackedBulk = {
        uuid: recent.bulkUuid, profileId: conn.profileId, storeCode: conn.storeCode, description: status.description,
        submittedAt: status.startedAt ?? recent.startedAt ?? now, ...(status.startedAt !== undefined ? { startedAt: status.startedAt } : {}),
        ...(status.operationCount !== undefined ? { operationCount: status.operationCount } : {}),
        operations: status.operations, retriedOperationIds: [], childUuids: [], stale: false, notFound: false,
      };
      const topic = /^Topic\s+(\S+)$/.exec(status.description)?.[1] ?? recent.topicName ?? undefined;
      if (topic) bulk.topic = topic;
      const state = computeBulkState(bulk, now);
      if (state.failed > 0) failing++;
      out.push(stateJson(bulk, state, now));
    }
    io.stdout(JSON.stringify({ since: new Date(now - sinceMs).toISOString(), bulks: out }, null, 2) + '\n');
    return failing > 0 ? 1 : 0;
  } catch (error) {
    return reportStoreError(error, io);
  } finally {
    await conn.close();
  }
}

export function createBulkCommand(deps: BulkCliDeps = defaultBulkCliDeps): CliCommand {
  return {
    async run(args, io) {
      const [sub, ...rest] = args;
      switch (sub) {
        case 'status': return statusCommand(rest, io, deps);
        case 'retry': return retryCommand(rest, io, deps);
        case 'list': return listCommand(rest, io, deps);
        case 'submit': return deps.submit(rest, io);
        case 'pending': return deps.pending(rest, io);
        case 'rejected': return deps.rejected(rest, io);
        case undefined:
        case 'help':
        case '--help':
        case '-h':
          io.stdout(HELP);
          return sub === undefined ? 2 : 0;
        default:
          throw new CliUsageError(`unknown bulk subcommand '${sub}' (status, retry, list, submit, pending, rejected)`);
      }
    },
  };
}

export const command: CliCommand = createBulkCommand();
