// "Resubmit Rejected Bulk Items…": items Magento rejected at submit time (a 202 with
// `errors: true`, contract §6.3) never became operations, so "Retry failed" on a bulk cannot
// reach them; their payloads are in the submission journal. The user picks which to send again
// (all by default), sees what will be sent, confirms on a production profile, and the new bulks
// go to the Bulk Operations view. The journal records the resubmission itself
// (src/core/convert/rejectedItems.ts), so an item is offered again only if Magento rejects it again.
import * as vscode from 'vscode';
import * as z from 'zod';
import { progressMessage, type SubmitSummary } from '../../core/convert/bulkSubmitter';
import { rejectedItemSku, rejectedItemsInJournal, resubmitRejected, type RejectedJournalItem } from '../../core/convert/rejectedItems';
import { trackBulkViaCommand } from '../bulk/bulkTrackingService';
import { type ConvertCommandDeps } from './convertCommands';
import { type ConvertStore } from './convertProfiles';
import { confirmProductionSubmit, reportSummary } from './submitFlow';

/** The command's argument (the submission report passes the bulks it just saw rejections in). */
const argsSchema = z.object({ bulkUuids: z.array(z.string().min(1)).min(1).optional() }).strict();

interface RejectedPick extends vscode.QuickPickItem {
  entry?: RejectedJournalItem;
}

interface RouteGroup {
  storeCode: string;
  method: string;
  path: string;
  items: RejectedJournalItem[];
}

function groupByRoute(items: readonly RejectedJournalItem[]): RouteGroup[] {
  const groups = new Map<string, RouteGroup>();
  for (const item of items) {
    const key = JSON.stringify([item.storeCode, item.method, item.path]);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { storeCode: item.storeCode, method: item.method, path: item.path, items: [] }));
    group.items.push(item);
  }
  return [...groups.values()];
}

/** One QuickPick entry per item under a separator per bulk, all picked. Item numbers are 1-based as in the report. */
function picksFor(items: readonly RejectedJournalItem[]): RejectedPick[] {
  const picks: RejectedPick[] = [];
  let bulk: string | undefined;
  for (const entry of items) {
    if (entry.bulkUuid !== bulk) {
      bulk = entry.bulkUuid;
      picks.push({ label: vscode.l10n.t('bulk {0}', entry.bulkUuid), kind: vscode.QuickPickItemKind.Separator });
    }
    const sku = rejectedItemSku(entry.payload);
    picks.push({
      label: sku === undefined ? vscode.l10n.t('Item {0}', entry.itemIndex + 1) : vscode.l10n.t('Item {0} · {1}', entry.itemIndex + 1, sku),
      description: entry.message,
      detail: `${entry.method} ${entry.path} · store ${entry.storeCode} · profile ${entry.profileId}`,
      picked: true,
      entry,
    });
  }
  return picks;
}

/** What will be sent, as `.http` text: one request per route (split into batches when sent). */
function previewText(store: ConvertStore, groups: readonly RouteGroup[], batchSize: number): string {
  const blocks = groups.map((g) => {
    const batches = Math.ceil(g.items.length / batchSize);
    return [
      `### Resubmit ${g.items.length} rejected item(s) to profile "${store.profile.label}"${batches > 1 ? ` (sent as ${batches} requests of at most ${batchSize})` : ''}`,
      `${g.method} ${store.profile.baseUrl.replace(/\/+$/, '')}/rest/${g.storeCode}${g.path}`,
      'Content-Type: application/json',
      '',
      JSON.stringify(g.items.map((i) => i.payload), null, 2),
      '',
    ].join('\n');
  });
  return blocks.join('\n') + '\n';
}

async function storeFor(deps: ConvertCommandDeps, items: readonly RejectedJournalItem[]): Promise<ConvertStore> {
  const profileId = items[0]!.profileId;
  try {
    return await deps.profiles.store(profileId);
  } catch (error) {
    const bulks = [...new Set(items.map((i) => i.bulkUuid))].join(', ');
    throw new Error(vscode.l10n.t(
      'Cannot resubmit: the rejected items of bulk {0} were sent with the Magento profile "{1}", which cannot be used ({2}). Add that store again as a profile or pick items of another profile; nothing was sent and the items stay in the submission journal.',
      bulks, profileId, error instanceof Error ? error.message : String(error),
    ));
  }
}

export async function resubmitRejectedItems(deps: ConvertCommandDeps, arg?: unknown): Promise<SubmitSummary | undefined> {
  const parsed = argsSchema.safeParse(arg ?? {});
  if (!parsed.success) throw new Error(`Expected no argument or {bulkUuids: string[]}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  const bulkUuids = parsed.data.bulkUuids;
  const listed = await rejectedItemsInJournal(deps.journal, bulkUuids ? { bulkUuids } : {});
  if (listed.length === 0) {
    void vscode.window.showInformationMessage(bulkUuids
      ? vscode.l10n.t('No rejected item of bulk {0} waits for resubmission: none was rejected, or all were sent again.', bulkUuids.join(', '))
      : vscode.l10n.t('No rejected bulk items wait for resubmission in the submission journal.'));
    return undefined;
  }

  const chosen = await vscode.window.showQuickPick(picksFor(listed), {
    title: vscode.l10n.t('Resubmit rejected bulk items'),
    placeHolder: vscode.l10n.t('{0} item(s) Magento rejected at submit time; clear the ones not to send again', listed.length),
    canPickMany: true,
    ignoreFocusOut: true,
  });
  const items = (chosen ?? []).flatMap((c) => (c.entry ? [c.entry] : []));
  if (items.length === 0) return undefined;
  const profileIds = [...new Set(items.map((i) => i.profileId))];
  if (profileIds.length > 1) {
    throw new Error(vscode.l10n.t('The selected items were sent with {0} different profiles ({1}); resubmit the items of one profile at a time.', profileIds.length, profileIds.join(', ')));
  }
  const store = await storeFor(deps, items);

  const batchSize = Math.max(1, Math.floor(deps.batchSize()));
  const groups = groupByRoute(items);
  // Already in the order resubmitRejected sends them (by route), so a batch's firstItemIndex points into it.
  const ordered = groups.flatMap((g) => g.items);
  await deps.preview.show('resubmit-rejected.http', previewText(store, groups, batchSize));
  const requests = groups.reduce((n, g) => n + Math.ceil(g.items.length / batchSize), 0);
  const first = groups[0]!;
  const route = groups.length === 1 ? { method: first.method, path: first.path } : { method: vscode.l10n.t('{0} routes:', groups.length), path: groups.map((g) => `${g.method} ${g.path}`).join(', ') };
  const storeCodes = [...new Set(groups.map((g) => g.storeCode))].join(', ');
  if (!(await confirmProductionSubmit(store, items.length, storeCodes, route.method, route.path, requests))) return undefined;

  const label = vscode.l10n.t('Resubmit of {0} rejected item(s)', items.length);
  const summary = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Magento'), cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => controller.abort());
      let reveal = true;
      try {
        const result = await resubmitRejected({
          journal: deps.journal,
          transport: store.transport,
          items: ordered,
          batchSize,
          concurrency: deps.concurrency(),
          signal: controller.signal,
          onProgress: (p) => progress.report({ message: progressMessage(p) }),
          onAccepted: (outcome) => {
            const sent = ordered[outcome.firstItemIndex];
            trackBulkViaCommand({
              uuid: outcome.bulkUuid!,
              profileId: store.profile.id,
              storeCode: sent?.storeCode ?? store.profile.storeCode,
              description: `${label}${sent ? ` — ${sent.method} ${sent.path}` : ''}`,
              // Rejected again: those never became operations either (contract §6.3).
              operationCount: outcome.itemCount - outcome.rejected.length,
              reveal,
            }).catch((error: unknown) => deps.logger.warn(`could not track bulk ${outcome.bulkUuid}: ${String(error)}`));
            reveal = false;
          },
          onFailed: (outcome) => deps.logger.warn(`resubmission batch ${outcome.index + 1} failed: ${outcome.error?.message ?? ''}`),
        });
        return result.summary;
      } finally {
        cancel.dispose();
      }
    },
  );
  await reportSummary(deps, summary, items.length, label);
  return summary;
}
