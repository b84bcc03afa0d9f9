// Pure node builders for the Bulk Operations tree: what each node shows, its stable id and its
// contextValue flags. No `vscode` import, so they are unit-tested in plain Node; the provider
// turns these views into TreeItems.
//
// Stable ids (`bulk:<uuid>`, `bulk:<uuid>:group:<status>`, `bulk:<uuid>:op:<id>`) keep expansion
// across refreshes. Large groups page their children (500 at a time) so a 10,000-operation bulk
// stays fast.
import {
  bulkLabel, computeBulkState, formatCount, OPERATION_STATUS_LABELS, OperationStatus, shortUuid,
  isOperationStatusCode, type BulkState, type OperationSummary, type TrackedBulk,
} from '../../core/bulk/bulkState';
import { detectStuck, formatDuration, stuckExplanationMarkdown } from '../../core/bulk/stuckDetector';
import { formatMagentoMessage } from '../../core/http/magentoError';

export const OPERATION_PAGE_SIZE = 500;

/** Status groups in display order: failures first, then what is still coming, then done. */
export const GROUP_ORDER = ['failed-retriable', 'failed', 'rejected', 'open', 'unknown', 'complete'] as const;
export type GroupKey = (typeof GROUP_ORDER)[number];

export type BulkTreeElement =
  | { kind: 'bulk'; uuid: string }
  | { kind: 'notice'; uuid: string; notice: 'stuck' | 'stale' | 'not-found' | 'retry-of' | 'not-polled-yet' }
  | { kind: 'group'; uuid: string; group: GroupKey }
  | { kind: 'operation'; uuid: string; group: GroupKey; operationId: number }
  | { kind: 'more'; uuid: string; group: GroupKey; shown: number };

export type IconColor = 'charts.blue' | 'charts.green' | 'charts.red' | 'charts.orange' | 'charts.yellow' | 'disabledForeground' | 'descriptionForeground';

export interface NodeCommand {
  command: string;
  title: string;
  args: unknown[];
}

/** What a tree node shows; the provider maps it 1:1 onto a vscode.TreeItem. */
export interface NodeView {
  id: string;
  label: string;
  description?: string;
  /** Markdown (trusted: only our own command links). */
  tooltip?: string;
  icon: { id: string; color?: IconColor };
  contextValue: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  command?: NodeCommand;
}

export function groupOf(status: number): GroupKey {
  switch (status) {
    case OperationStatus.Complete: return 'complete';
    case OperationStatus.RetriablyFailed: return 'failed-retriable';
    case OperationStatus.NotRetriablyFailed: return 'failed';
    case OperationStatus.Rejected: return 'rejected';
    case OperationStatus.Open: return 'open';
    default: return 'unknown';
  }
}

const GROUP_LABELS: Record<GroupKey, string> = {
  'failed-retriable': 'Failed, retriable',
  failed: 'Failed',
  rejected: 'Rejected',
  open: 'Open',
  unknown: 'Unknown status',
  complete: 'Complete',
};

const GROUP_ICONS: Record<GroupKey, NodeView['icon']> = {
  'failed-retriable': { id: 'debug-restart', color: 'charts.orange' },
  failed: { id: 'error', color: 'charts.red' },
  rejected: { id: 'circle-slash', color: 'charts.red' },
  open: { id: 'clock', color: 'charts.blue' },
  unknown: { id: 'question' },
  complete: { id: 'pass', color: 'charts.green' },
};

// Grouping 10,000 operations on every expand would be wasted work: the operations array is
// replaced (not mutated) on each poll, so it is a safe cache key.
const groupCache = new WeakMap<readonly OperationSummary[], Map<GroupKey, OperationSummary[]>>();

export function groupOperations(operations: readonly OperationSummary[]): Map<GroupKey, OperationSummary[]> {
  const cached = groupCache.get(operations);
  if (cached) return cached;
  const groups = new Map<GroupKey, OperationSummary[]>();
  for (const op of operations) {
    const key = groupOf(op.status);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(op);
  }
  groupCache.set(operations, groups);
  return groups;
}

export interface BuildContext {
  now: number;
  stuckThresholdMs: number;
  /** Profile id → label, for tooltips. */
  profileLabel?: (profileId: string) => string | undefined;
}

export function bulkId(uuid: string): string {
  return `bulk:${uuid}`;
}

function bulkIcon(bulk: TrackedBulk, state: BulkState): NodeView['icon'] {
  if (bulk.notFound) return { id: 'circle-slash', color: 'disabledForeground' };
  switch (state.verdict) {
    case 'running': return { id: 'sync~spin', color: 'charts.blue' };
    case 'stuck': return { id: 'warning', color: 'charts.yellow' };
    case 'finished': return { id: 'pass-filled', color: 'charts.green' };
    case 'finished-with-failures': return state.counts.complete > 0 ? { id: 'warning', color: 'charts.orange' } : { id: 'error', color: 'charts.red' };
    default: return { id: 'question', color: 'descriptionForeground' };
  }
}

/** `bulk:running:hasFailures:retriable:stale:retry` — menus match these with regexes. */
export function bulkContextValue(bulk: TrackedBulk, state: BulkState): string {
  const flags = ['bulk', bulk.notFound ? 'notFound' : state.verdict];
  if (state.failed > 0) flags.push('hasFailures');
  const retried = new Set(bulk.retriedOperationIds);
  const groups = groupOperations(bulk.operations ?? []);
  const pending = (key: GroupKey): boolean => (groups.get(key) ?? []).some((op) => !retried.has(op.id));
  if (pending('failed-retriable')) flags.push('retriable');
  if (pending('failed') || pending('rejected')) flags.push('nonRetriable');
  if (state.verdict === 'stuck') flags.push('stuck');
  if (bulk.stale) flags.push('stale');
  if (bulk.parentUuid) flags.push('retry');
  return flags.join(':');
}

function formatTime(ms: number | undefined): string {
  return ms === undefined ? '—' : new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC');
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

export function bulkTooltip(bulk: TrackedBulk, state: BulkState, ctx: BuildContext): string {
  const c = state.counts;
  const p = state.percentages;
  const lines = [
    `**${escapeMd(bulkLabel(bulk))}**`,
    '',
    `UUID: \`${bulk.uuid}\``,
    '',
    `Profile: ${escapeMd(ctx.profileLabel?.(bulk.profileId) ?? bulk.profileId)} · store \`${bulk.storeCode}\``,
    '',
    `Submitted: ${formatTime(bulk.submittedAt)}${bulk.startedAt !== undefined ? ` · started (store): ${formatTime(bulk.startedAt)}` : ''}`,
    '',
    `Last checked: ${formatTime(bulk.lastPolledAt)}${bulk.stale ? ` (**stale**: ${escapeMd(bulk.staleReason ?? 'the store could not be reached')})` : ''}`,
    '',
  ];
  if (bulk.description) lines.push(`Description: ${escapeMd(bulk.description)}`, '');
  if (bulk.parentUuid) lines.push(`Retry of \`${bulk.parentUuid}\``, '');
  if (bulk.childUuids.length > 0) lines.push(`Retried in ${bulk.childUuids.map((u) => `\`${shortUuid(u)}\``).join(', ')} (${bulk.retriedOperationIds.length} operations)`, '');
  if (bulk.notFound) {
    lines.push('The store does not know this bulk UUID (`Bulk uuid ... not exist`): wrong profile or store, or removed by `bulk_cleanup` after 60 days. It is no longer polled.', '');
  } else if (bulk.operations !== undefined) {
    lines.push(
      '| status | count | % |', '|---|---:|---:|',
      `| complete | ${formatCount(c.complete)} | ${p.complete} |`,
      `| failed, retriable | ${formatCount(c.failedRetriable)} | ${p.failedRetriable} |`,
      `| failed | ${formatCount(c.failedNotRetriable)} | ${p.failedNotRetriable} |`,
      `| rejected | ${formatCount(c.rejected)} | ${p.rejected} |`,
      `| open | ${formatCount(c.open)} | ${p.open} |`,
    );
    if (c.missing > 0) lines.push(`| not stored | ${formatCount(c.missing)} | ${p.missing} |`);
    if (c.unknown > 0) lines.push(`| unknown | ${formatCount(c.unknown)} | ${p.unknown} |`);
    lines.push('');
  }
  if (state.verdict === 'stuck') {
    lines.push('---', '', `$(warning) ${escapeMd(detectStuck(bulk, ctx.now, ctx.stuckThresholdMs).headline)}`, '', stuckExplanationMarkdown());
  }
  return lines.join('\n');
}

export function buildBulkNode(bulk: TrackedBulk, ctx: BuildContext): NodeView {
  const state = computeBulkState(bulk, ctx.now, ctx.stuckThresholdMs);
  let description: string;
  if (bulk.notFound) description = 'not found on the store';
  else if (bulk.operations === undefined) description = bulk.stale ? 'not reached yet' : bulk.operationCount !== undefined ? `0/${formatCount(bulk.operationCount)} · waiting for the first status` : 'waiting for the first status';
  else description = state.summary;
  if (state.verdict === 'stuck') description += ' · stuck?';
  if (bulk.stale && bulk.operations !== undefined) description += ' · stale';
  if (bulk.parentUuid) description += ` · retry of ${shortUuid(bulk.parentUuid)}`;
  return {
    id: bulkId(bulk.uuid),
    label: bulkLabel(bulk),
    description,
    tooltip: bulkTooltip(bulk, state, ctx),
    icon: bulkIcon(bulk, state),
    contextValue: bulkContextValue(bulk, state),
    collapsible: 'collapsed',
  };
}

/** Notices first (stuck, stale, not found, retry-of), then the non-empty status groups. */
export function bulkChildren(bulk: TrackedBulk, ctx: BuildContext): BulkTreeElement[] {
  const state = computeBulkState(bulk, ctx.now, ctx.stuckThresholdMs);
  const out: BulkTreeElement[] = [];
  const uuid = bulk.uuid;
  if (bulk.notFound) out.push({ kind: 'notice', uuid, notice: 'not-found' });
  if (state.verdict === 'stuck') out.push({ kind: 'notice', uuid, notice: 'stuck' });
  if (bulk.stale) out.push({ kind: 'notice', uuid, notice: 'stale' });
  if (bulk.parentUuid) out.push({ kind: 'notice', uuid, notice: 'retry-of' });
  if (bulk.operations === undefined && !bulk.notFound && !bulk.stale) out.push({ kind: 'notice', uuid, notice: 'not-polled-yet' });
  if (bulk.operations) {
    const groups = groupOperations(bulk.operations);
    for (const key of GROUP_ORDER) if (groups.has(key)) out.push({ kind: 'group', uuid, group: key });
  }
  return out;
}

export function buildNoticeNode(bulk: TrackedBulk, notice: Extract<BulkTreeElement, { kind: 'notice' }>['notice'], ctx: BuildContext): NodeView {
  const id = `${bulkId(bulk.uuid)}:notice:${notice}`;
  switch (notice) {
    case 'stuck': {
      const report = detectStuck(bulk, ctx.now, ctx.stuckThresholdMs);
      return {
        id, label: 'No consumer seems to run — what to do?',
        description: report.openForMs !== undefined ? `all open for ${formatDuration(report.openForMs)}` : '',
        tooltip: `${escapeMd(report.headline)}\n\n${stuckExplanationMarkdown()}`,
        icon: { id: 'warning', color: 'charts.yellow' }, contextValue: 'bulkNotice:stuck', collapsible: 'none',
        command: { command: 'magentoWorkbench.bulk.whatToDo', title: 'What to Do', args: [bulk.uuid] },
      };
    }
    case 'stale':
      return {
        id, label: 'Last known state (the store could not be reached)', description: bulk.staleReason ?? '',
        tooltip: `Polling failed at ${formatTime(bulk.lastPolledAt)}: ${escapeMd(bulk.staleReason ?? 'unknown error')}. Polling continues with back-off; Refresh tries now.`,
        icon: { id: 'cloud-offline', color: 'charts.orange' }, contextValue: 'bulkNotice:stale', collapsible: 'none',
        command: { command: 'magentoWorkbench.bulk.refresh', title: 'Refresh', args: [bulk.uuid] },
      };
    case 'not-found':
      return {
        id, label: 'The store does not know this bulk UUID', description: `profile ${bulk.profileId} · store ${bulk.storeCode}`,
        tooltip: 'Magento answered 404 `Bulk uuid ... not exist`. Check that the bulk was made on this store and profile; bulks are deleted by `bulk_cleanup` after 60 days. Refresh asks again.',
        icon: { id: 'circle-slash', color: 'disabledForeground' }, contextValue: 'bulkNotice:notFound', collapsible: 'none',
      };
    case 'retry-of':
      return {
        id, label: `Retry of ${shortUuid(bulk.parentUuid ?? '')}`, description: bulk.parentUuid ?? '',
        icon: { id: 'debug-restart' }, contextValue: 'bulkNotice:retryOf', collapsible: 'none',
        ...(bulk.parentUuid ? { command: { command: 'magentoWorkbench.bulk.reveal', title: 'Show Parent Bulk', args: [bulk.parentUuid] } } : {}),
      };
    case 'not-polled-yet':
      return {
        id, label: 'Waiting for the first status…', icon: { id: 'loading~spin' }, contextValue: 'bulkNotice:waiting', collapsible: 'none',
      };
  }
}

export function buildGroupNode(bulk: TrackedBulk, group: GroupKey): NodeView {
  const ops = groupOperations(bulk.operations ?? []).get(group) ?? [];
  const total = bulk.operations?.length ?? 0;
  const retried = new Set(bulk.retriedOperationIds);
  const retriedHere = group === 'failed-retriable' || group === 'failed' || group === 'rejected' ? ops.filter((o) => retried.has(o.id)).length : 0;
  const flags = ['bulkGroup', group];
  if ((group === 'failed-retriable') && ops.length > retriedHere) flags.push('retriable');
  if ((group === 'failed' || group === 'rejected') && ops.length > retriedHere) flags.push('nonRetriable');
  return {
    id: `${bulkId(bulk.uuid)}:group:${group}`,
    label: GROUP_LABELS[group],
    description: `${formatCount(ops.length)}${total > 0 ? ` · ${Math.round((ops.length / total) * 1000) / 10}%` : ''}${retriedHere > 0 ? ` · ${formatCount(retriedHere)} retried` : ''}`,
    icon: GROUP_ICONS[group],
    contextValue: flags.join(':'),
    // Failures open by default; the complete list is rarely what anyone wants to scroll.
    collapsible: group === 'complete' || group === 'open' ? 'collapsed' : 'expanded',
  };
}

/** One page of a group's children: up to `limit` operations, then a "Show more" element. */
export function groupChildren(bulk: TrackedBulk, group: GroupKey, limit = OPERATION_PAGE_SIZE): BulkTreeElement[] {
  const ops = groupOperations(bulk.operations ?? []).get(group) ?? [];
  const shown = Math.min(limit, ops.length);
  const out: BulkTreeElement[] = new Array(shown);
  for (let i = 0; i < shown; i++) out[i] = { kind: 'operation', uuid: bulk.uuid, group, operationId: ops[i]!.id };
  if (ops.length > shown) out.push({ kind: 'more', uuid: bulk.uuid, group, shown });
  return out;
}

/** Operations by id for one bulk (cached like the groups). */
const byIdCache = new WeakMap<readonly OperationSummary[], Map<number, OperationSummary>>();
export function operationById(bulk: TrackedBulk, id: number): OperationSummary | undefined {
  const ops = bulk.operations;
  if (!ops) return undefined;
  // 2.4 operation ids are the request indexes 0..n-1: usually a direct hit.
  const direct = ops[id];
  if (direct && direct.id === id) return direct;
  let map = byIdCache.get(ops);
  if (!map) byIdCache.set(ops, (map = new Map(ops.map((o) => [o.id, o]))));
  return map.get(id);
}

/** Magento's message with placeholders substituted when parameters are known. */
export function operationMessage(op: OperationSummary, parameters?: unknown): string {
  if (op.resultMessage === null) return '';
  return formatMagentoMessage(op.resultMessage, parameters);
}

export function buildOperationNode(bulk: TrackedBulk, op: OperationSummary, retried: ReadonlySet<number>): NodeView {
  const group = groupOf(op.status);
  const statusLabel = isOperationStatusCode(op.status) ? OPERATION_STATUS_LABELS[op.status] : `status ${op.status}`;
  const message = operationMessage(op);
  const wasRetried = retried.has(op.id);
  const flags = ['operation', group];
  if (group === 'failed-retriable' && !wasRetried) flags.push('retriable');
  if ((group === 'failed' || group === 'rejected') && !wasRetried) flags.push('nonRetriable');
  if (wasRetried) flags.push('retried');
  const codePart = op.errorCode !== null && op.errorCode !== 0 ? ` [code ${op.errorCode}]` : op.errorCode === 0 && group !== 'complete' ? ' [code 0]' : '';
  const description = group === 'complete' ? '' : `${message}${codePart}${wasRetried ? ' · retried' : ''}`;
  return {
    id: `${bulkId(bulk.uuid)}:op:${op.id}`,
    label: `#${op.id} ${statusLabel}`,
    description,
    tooltip: [
      `**Operation ${op.id}** of \`${bulk.uuid}\``, '',
      `Status: ${op.status} (${statusLabel})`, '',
      ...(message ? [`Message: ${escapeMd(message)}`, ''] : []),
      ...(op.errorCode !== null ? [`Error code: ${op.errorCode}`, ''] : []),
      ...(wasRetried ? ['Already resubmitted in a retry bulk.', ''] : []),
      'Click to show its payload and result.',
    ].join('\n'),
    icon: GROUP_ICONS[group],
    contextValue: flags.join(':'),
    collapsible: 'none',
    command: { command: 'magentoWorkbench.bulk.showOperation', title: 'Show Operation', args: [bulk.uuid, op.id] },
  };
}

export function buildMoreNode(bulk: TrackedBulk, group: GroupKey, shown: number): NodeView {
  const total = groupOperations(bulk.operations ?? []).get(group)?.length ?? 0;
  const next = Math.min(OPERATION_PAGE_SIZE, total - shown);
  return {
    id: `${bulkId(bulk.uuid)}:group:${group}:more`,
    label: `Show ${formatCount(next)} more…`,
    description: `${formatCount(shown)} of ${formatCount(total)} shown`,
    icon: { id: 'ellipsis' },
    contextValue: 'bulkMore',
    collapsible: 'none',
    command: { command: 'magentoWorkbench.bulk.showMore', title: 'Show More', args: [bulk.uuid, group] },
  };
}
