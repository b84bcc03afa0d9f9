// The last requests sent from the request builder, per profile, in a KeyValueStore
// (globalState in VS Code). What is kept is the *draft* only: no response bodies, no
// headers, and request bodies only up to a size cap (with credentials-looking values
// masked), so history can never become a second copy of store data or secrets.
import { type KeyValueStore, type Clock } from '../ports';
import { redactText } from '../http/redactor';
import { historyEntrySchema, type HistoryEntry, type RequestDraft } from '../../protocol/requestBuilderProtocol';

export interface RequestHistoryOptions {
  /** Entries kept per profile (oldest dropped first). */
  maxEntriesPerProfile?: number;
  /** Request bodies longer than this (characters) are not kept. */
  maxBodyChars?: number;
}

export const DEFAULT_HISTORY_ENTRIES = 50;
export const DEFAULT_HISTORY_BODY_CHARS = 16 * 1024;

const KEY_PREFIX = 'magentoWorkbench.requestHistory.';

export class RequestHistory {
  private readonly maxEntries: number;
  private readonly maxBodyChars: number;
  private counter = 0;

  constructor(
    private readonly store: KeyValueStore,
    private readonly clock: Clock,
    options: RequestHistoryOptions = {},
  ) {
    this.maxEntries = options.maxEntriesPerProfile ?? DEFAULT_HISTORY_ENTRIES;
    this.maxBodyChars = options.maxBodyChars ?? DEFAULT_HISTORY_BODY_CHARS;
  }

  /** Newest first. Entries that no longer validate (older versions, hand edits) are skipped. */
  list(profileId: string): HistoryEntry[] {
    const raw = this.store.get<unknown[]>(KEY_PREFIX + profileId);
    if (!Array.isArray(raw)) return [];
    const entries: HistoryEntry[] = [];
    for (const item of raw) {
      const parsed = historyEntrySchema.safeParse(item);
      if (parsed.success) entries.push(parsed.data);
    }
    return entries;
  }

  find(profileId: string, entryId: string): HistoryEntry | undefined {
    return this.list(profileId).find((e) => e.id === entryId);
  }

  async add(profileId: string, draft: RequestDraft, outcome: { status?: number; timeMs?: number } = {}): Promise<HistoryEntry> {
    const at = this.clock.now();
    const entry: HistoryEntry = {
      id: `${at.toString(36)}-${(this.counter++).toString(36)}`,
      profileId,
      at,
      draft: this.sanitise(draft),
      ...(draft.body.length > this.maxBodyChars ? { bodyOmittedChars: draft.body.length } : {}),
      ...(outcome.status !== undefined ? { status: outcome.status } : {}),
      ...(outcome.timeMs !== undefined ? { timeMs: Math.round(outcome.timeMs) } : {}),
    };
    // The same request sent again moves to the top instead of filling history with copies.
    const key = draftKey(entry.draft);
    const rest = this.list(profileId).filter((e) => draftKey(e.draft) !== key);
    await this.store.update(KEY_PREFIX + profileId, [entry, ...rest].slice(0, this.maxEntries));
    return entry;
  }

  async clear(profileId: string): Promise<void> {
    await this.store.update(KEY_PREFIX + profileId, []);
  }

  private sanitise(draft: RequestDraft): RequestDraft {
    const body = draft.body.length > this.maxBodyChars ? '' : redactText(draft.body);
    return { ...draft, body };
  }
}

function draftKey(draft: RequestDraft): string {
  return JSON.stringify([draft.method, draft.pathTemplate, draft.pathParams, draft.storeCode ?? '', draft.useSearchCriteria ? draft.searchCriteria : null, draft.fields, draft.extraQuery, draft.body]);
}
