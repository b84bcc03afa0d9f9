// The Bulk Operations tree provider: maps the tracker's bulks through the pure node builders
// (bulkTreeNodes.ts) onto TreeItems. Refreshes are node-level (only the bulks that changed) and
// coalesced, so 200 polling bulks do not redraw the whole tree on every answer.
import * as vscode from 'vscode';
import { type BulkTracker } from '../../core/bulk/bulkTracker';
import {
  buildBulkNode, buildGroupNode, buildMoreNode, buildNoticeNode, buildOperationNode, bulkChildren, groupChildren,
  operationById, OPERATION_PAGE_SIZE, type BuildContext, type BulkTreeElement, type GroupKey, type NodeView,
} from './bulkTreeNodes';

const REFRESH_COALESCE_MS = 150;

export class BulkTreeProvider implements vscode.TreeDataProvider<BulkTreeElement>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<BulkTreeElement | BulkTreeElement[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  /** One element object per bulk: VS Code matches node-level refreshes by reference. */
  private readonly bulkElements = new Map<string, Extract<BulkTreeElement, { kind: 'bulk' }>>();
  /** How many operations each group shows (`<uuid>:<group>` → limit). */
  private readonly pageLimits = new Map<string, number>();
  private pending = new Set<string>();
  private pendingAll = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly tracker: BulkTracker,
    private readonly context: () => BuildContext,
  ) {
    this.subscription = tracker.onDidChange((event) => {
      if (event.kind === 'added' || event.kind === 'removed') {
        if (event.kind === 'removed') {
          this.bulkElements.delete(event.uuid);
          for (const key of [...this.pageLimits.keys()]) if (key.startsWith(`${event.uuid}:`)) this.pageLimits.delete(key);
        }
        this.queueRefresh();
      } else {
        this.queueRefresh(event.uuid);
      }
    });
  }

  bulkElement(uuid: string): Extract<BulkTreeElement, { kind: 'bulk' }> {
    let element = this.bulkElements.get(uuid);
    if (!element) this.bulkElements.set(uuid, (element = { kind: 'bulk', uuid }));
    return element;
  }

  /** Refreshes one bulk, or everything (coalesced). */
  queueRefresh(uuid?: string): void {
    if (uuid === undefined) this.pendingAll = true;
    else this.pending.add(uuid);
    this.timer ??= setTimeout(() => this.flushRefresh(), REFRESH_COALESCE_MS);
  }

  private flushRefresh(): void {
    this.timer = undefined;
    const uuids = [...this.pending].filter((u) => this.tracker.has(u));
    this.pending = new Set();
    if (this.pendingAll || uuids.length > 50) {
      this.pendingAll = false;
      this.changeEmitter.fire(undefined);
    } else if (uuids.length > 0) {
      this.changeEmitter.fire(uuids.map((u) => this.bulkElement(u)));
    }
  }

  showMore(uuid: string, group: GroupKey): void {
    const key = `${uuid}:${group}`;
    this.pageLimits.set(key, (this.pageLimits.get(key) ?? OPERATION_PAGE_SIZE) + OPERATION_PAGE_SIZE);
    this.queueRefresh(uuid);
  }

  getTreeItem(element: BulkTreeElement): vscode.TreeItem {
    const view = this.view(element);
    return toTreeItem(view ?? { id: `gone:${JSON.stringify(element)}`, label: '(removed)', icon: { id: 'circle-slash' }, contextValue: 'gone', collapsible: 'none' });
  }

  private view(element: BulkTreeElement): NodeView | undefined {
    const bulk = this.tracker.get(element.uuid);
    if (!bulk) return undefined;
    const ctx = this.context();
    switch (element.kind) {
      case 'bulk': return buildBulkNode(bulk, ctx);
      case 'notice': return buildNoticeNode(bulk, element.notice, ctx);
      case 'group': return buildGroupNode(bulk, element.group);
      case 'more': return buildMoreNode(bulk, element.group, element.shown);
      case 'operation': {
        const op = operationById(bulk, element.operationId);
        return op ? buildOperationNode(bulk, op, this.retriedSet(bulk.retriedOperationIds)) : undefined;
      }
    }
  }

  // One Set per retried-ids array (markRetried replaces the array), not one per operation node.
  private readonly retriedSets = new WeakMap<readonly number[], ReadonlySet<number>>();
  private retriedSet(ids: readonly number[]): ReadonlySet<number> {
    let set = this.retriedSets.get(ids);
    if (!set) this.retriedSets.set(ids, (set = new Set(ids)));
    return set;
  }

  getChildren(element?: BulkTreeElement): BulkTreeElement[] {
    if (!element) return this.tracker.list().map((b) => this.bulkElement(b.uuid));
    const bulk = this.tracker.get(element.uuid);
    if (!bulk) return [];
    if (element.kind === 'bulk') return bulkChildren(bulk, this.context());
    if (element.kind === 'group') return groupChildren(bulk, element.group, this.pageLimits.get(`${bulk.uuid}:${element.group}`) ?? OPERATION_PAGE_SIZE);
    return [];
  }

  getParent(element: BulkTreeElement): BulkTreeElement | undefined {
    switch (element.kind) {
      case 'bulk': return undefined;
      case 'operation':
      case 'more': return { kind: 'group', uuid: element.uuid, group: element.group };
      default: return this.bulkElement(element.uuid);
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }
}

export function toTreeItem(view: NodeView): vscode.TreeItem {
  const item = new vscode.TreeItem(
    view.label,
    view.collapsible === 'none' ? vscode.TreeItemCollapsibleState.None
      : view.collapsible === 'expanded' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
  );
  item.id = view.id;
  if (view.description !== undefined) item.description = view.description;
  if (view.tooltip !== undefined) {
    const md = new vscode.MarkdownString(view.tooltip, true);
    item.tooltip = md;
  }
  item.iconPath = view.icon.color ? new vscode.ThemeIcon(view.icon.id, new vscode.ThemeColor(view.icon.color)) : new vscode.ThemeIcon(view.icon.id);
  item.contextValue = view.contextValue;
  if (view.command) item.command = { command: view.command.command, title: view.command.title, arguments: view.command.args };
  return item;
}
