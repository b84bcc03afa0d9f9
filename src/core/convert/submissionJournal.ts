// The submission journal: what was (about to be) sent in each bulk batch, so that
//  - a crash between "sent" and "got the bulk_uuid" is noticed on the next start
//    (`pendingBatches()`), and the batch can be checked and resubmitted instead of lost;
//  - retry works at all: Magento drops the payload of successful operations and has no retry
//    endpoint (contract §7), so `payloadsFor(bulkUuid, operationIds)` returns what was sent.
//
// Layout: one JSON-lines file per submission session (`submission-<ms>-<pid>-<n>.jsonl`) in the
// folder the caller gives (the extension's globalStorageUri, the CLI's ~/.magento-rest/journal),
// so two processes never append to the same file and pruning deletes whole old files.
// Records are appended and fsync'd: a `batch` record *before* the request leaves, then `accepted`
// (bulk_uuid, request_items) or `failed`. A torn last line (crash mid-write) is ignored: its
// batch was never sent, because sending waits for the fsync.
//
// Never holds secrets: items, profile id, store, method and path only — no headers, no URLs.
import { fdatasync, promises as fsp, writeSync, type Dirent } from 'node:fs';
import { basename, join } from 'node:path';
import { type Clock, systemClock } from '../ports';

export interface BatchHeader {
  /** Unique id of the batch: `<session>#<n>`. */
  batchId: string;
  at: number;
  profileId: string;
  storeCode: string;
  method: string;
  /** `/async/bulk/V1/products/bySku` */
  path: string;
  /** Index of the batch's first item in the whole submission. */
  firstItemIndex: number;
  itemCount: number;
}

export interface RequestItemStatus {
  id: number;
  data_hash?: string | null;
  status: string;
  error_message?: string;
  error_code?: number | string;
}

export type BatchState = 'pending' | 'accepted' | 'failed' | 'resolved';

export interface JournalBatch extends BatchHeader {
  state: BatchState;
  bulkUuid?: string;
  requestItems?: RequestItemStatus[];
  /** Failure message (HTTP status + Magento's message) for `failed`. */
  error?: string;
  /** The file this batch lives in (for payload reads). */
  file: string;
}

type JournalRecord =
  | ({ t: 'batch' } & BatchHeader & { items: unknown[] })
  | { t: 'accepted'; batchId: string; at: number; bulkUuid: string; requestItems: RequestItemStatus[] }
  | { t: 'failed'; batchId: string; at: number; error: string }
  | { t: 'resolved'; batchId: string; at: number; note: string };

export interface JournalOptions {
  folder: string;
  /** Total size cap of the journal folder (default 50 MB); oldest sessions are pruned first. */
  maxBytes?: number;
  /** Sessions older than this are pruned (default 60 days, Magento's bulk lifetime). */
  maxAgeMs?: number;
  clock?: Clock;
  /** Skip fsync (tests of the hot path only; the default is to sync). */
  durable?: boolean;
}

const FILE_PREFIX = 'submission-';
const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
const DEFAULT_MAX_AGE_MS = 60 * 24 * 3600 * 1000;
let sessionCounter = 0;

export class JournalError extends Error {}

/**
 * An append handle for one submission session.
 *
 * Each record is written at once with a synchronous write (it only reaches the page cache: about
 * 10 µs for 10 KB, against ~70 µs of CPU per promise-based append, which at 100 records per
 * 5,000 operations was most of the journal's cost). Durability comes from fdatasync, run off the
 * event loop and group-committed: a `batch` record resolves once a sync that started after its
 * write has finished (it must be on disk before its request leaves), and every record written
 * while a sync runs shares the next one. `accepted`/`failed` records ask for no sync of their
 * own (the next sync or close() makes them durable): a killed process keeps them (the OS has
 * them), and only an OS crash in that window leaves the batch pending — the safe side, since the
 * recovery check then finds its bulk on the store.
 *
 * A failed write (disk full, folder removed) ends the session: the record may be torn, and a
 * later record appended to it would be torn too, so every later append is refused and the
 * caller sends nothing more.
 */
export class JournalSession {
  private next = 0;
  private closed = false;
  private broken: Error | undefined;
  /** Bytes written since the last sync started. */
  private unsynced = false;
  /** The sync in progress, and the one queued behind it for records written meanwhile. */
  private syncing: Promise<void> | undefined;
  private queuedSync: Promise<void> | undefined;

  /** `handle` is the session file, opened (created) by SubmissionJournal.startSession. */
  constructor(readonly file: string, private readonly id: string, private readonly clock: Clock, private readonly durable: boolean, private readonly handle: fsp.FileHandle, private readonly onClosed: () => void = () => undefined) {}

  /**
   * Records a batch before it is sent. `itemsJson` is the batch body already serialised for the
   * request (a JSON list), so the items are serialised once for both.
   */
  async recordBatch(header: Omit<BatchHeader, 'batchId' | 'at'>, itemsJson: string): Promise<string> {
    const batchId = `${this.id}#${this.next++}`;
    const head: BatchHeader = { batchId, at: this.clock.now(), ...header };
    // Written in parts: the items (the whole request body) are never copied into a record string.
    await this.append([`{"t":"batch",${JSON.stringify(head).slice(1, -1)},"items":`, itemsJson, '}\n'], true);
    return batchId;
  }

  async recordAccepted(batchId: string, bulkUuid: string, requestItems: readonly RequestItemStatus[]): Promise<void> {
    await this.append([JSON.stringify({ t: 'accepted', batchId, at: this.clock.now(), bulkUuid, requestItems }), '\n'], false);
  }

  async recordFailed(batchId: string, error: string): Promise<void> {
    await this.append([JSON.stringify({ t: 'failed', batchId, at: this.clock.now(), error }), '\n'], false);
  }

  /** Appends one record (given in parts that together make one line). */
  private append(parts: readonly string[], durable: boolean): Promise<void> {
    if (this.closed) return Promise.reject(new JournalError('the journal session is closed'));
    if (this.broken) return Promise.reject(this.broken);
    try {
      for (const part of parts) writeText(this.handle.fd, part);
    } catch (error) {
      this.broken = new JournalError(`the submission journal ${basename(this.file)} could not be written: ${error instanceof Error ? error.message : String(error)}`);
      return Promise.reject(this.broken);
    }
    this.unsynced = true;
    return durable && this.durable ? this.sync() : Promise.resolve();
  }

  /** Resolves once a sync that started after every write so far has finished. */
  private sync(): Promise<void> {
    if (!this.syncing) return this.startSync();
    // A sync is running, but it may have started before the latest write: queue one more,
    // shared by everything written until it starts.
    this.queuedSync ??= this.syncing.then(() => undefined, () => undefined).then(() => {
      this.queuedSync = undefined;
      return this.startSync();
    });
    return this.queuedSync;
  }

  private startSync(): Promise<void> {
    this.unsynced = false;
    const run = new Promise<void>((resolve, reject) => {
      fdatasync(this.handle.fd, (error) => (error ? reject(new JournalError(`the submission journal ${basename(this.file)} could not be synced to disk: ${error.message}`)) : resolve()));
    });
    this.syncing = run;
    const clear = (): void => {
      if (this.syncing === run) this.syncing = undefined;
    };
    run.then(clear, clear);
    return run;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.syncing || this.queuedSync) await (this.queuedSync ?? this.syncing)?.catch(() => undefined);
    try {
      if (this.durable && this.unsynced && !this.broken) await this.handle.datasync().catch(() => undefined);
      await this.handle.close();
    } finally {
      this.onClosed();
    }
  }
}

/** writeSync may write less than asked (a regular file rarely does); finish the text or throw. */
function writeText(fd: number, text: string): void {
  const written = writeSync(fd, text, null, 'utf8');
  const length = Buffer.byteLength(text, 'utf8');
  if (written === length) return;
  const bytes = Buffer.from(text, 'utf8');
  for (let offset = written; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

export class SubmissionJournal {
  private readonly clock: Clock;
  private readonly maxBytes: number;
  private readonly maxAgeMs: number;
  private readonly durable: boolean;
  private readonly parsed = new Map<string, { size: number; mtimeMs: number; batches: SessionBatches }>();
  private pruning: Promise<void> | undefined;
  /** Session files of this instance not closed yet (pruning leaves them alone). */
  private readonly openFiles = new Set<string>();

  constructor(private readonly options: JournalOptions) {
    this.clock = options.clock ?? systemClock;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    this.durable = options.durable ?? true;
  }

  get folder(): string {
    return this.options.folder;
  }

  /**
   * Starts a session file. Pruning (which reads the folder and may parse old sessions) runs
   * beside the new session instead of before it: on a busy disk those reads have taken 10-15 ms,
   * all of it in front of the first send. The file is created here, off the event loop.
   */
  async startSession(): Promise<JournalSession> {
    await fsp.mkdir(this.options.folder, { recursive: true, mode: 0o700 });
    const id = `${this.clock.now()}-${process.pid}-${sessionCounter++}`;
    const file = join(this.options.folder, `${FILE_PREFIX}${id}.jsonl`);
    const handle = await fsp.open(file, 'a', 0o600);
    this.openFiles.add(file);
    this.pruning ??= this.prune().then(() => undefined, () => undefined).finally(() => {
      this.pruning = undefined;
    });
    return new JournalSession(file, id, this.clock, this.durable, handle, () => this.openFiles.delete(file));
  }

  /** Resolves when background pruning (started by startSession) is done. */
  async idle(): Promise<void> {
    while (this.pruning) await this.pruning;
  }

  /** Every batch in the journal, oldest first. */
  async batches(): Promise<JournalBatch[]> {
    const out: JournalBatch[] = [];
    for (const file of await this.sessionFiles()) {
      for (const batch of (await this.read(file)).values()) out.push({ ...batch.meta });
    }
    return out;
  }

  /** Batches written but never confirmed: sent (or about to be) when the process stopped. */
  async pendingBatches(): Promise<JournalBatch[]> {
    return (await this.batches()).filter((b) => b.state === 'pending');
  }

  /** The items of a journalled batch (for resubmitting a pending one). */
  async itemsOf(batchId: string): Promise<unknown[] | undefined> {
    for (const file of await this.sessionFiles()) {
      const batch = (await this.read(file)).get(batchId);
      if (batch) return structuredClone(batch.items);
    }
    return undefined;
  }

  /**
   * The payloads Magento had for these operation ids of a bulk (operation id = index in the
   * request), for retry. Ids not in the journal are listed in `missing`.
   */
  async payloadsFor(bulkUuid: string, operationIds: readonly number[]): Promise<{ batch?: JournalBatch; payloads: Map<number, unknown>; missing: number[] }> {
    for (const file of await this.sessionFiles()) {
      for (const batch of (await this.read(file)).values()) {
        if (batch.meta.bulkUuid !== bulkUuid) continue;
        const payloads = new Map<number, unknown>();
        const missing: number[] = [];
        for (const id of operationIds) {
          // A copy: the parsed session is cached, and callers may edit a payload before a retry.
          if (Number.isInteger(id) && id >= 0 && id < batch.items.length) payloads.set(id, structuredClone(batch.items[id]));
          else missing.push(id);
        }
        return { batch: { ...batch.meta }, payloads, missing };
      }
    }
    return { payloads: new Map(), missing: [...operationIds] };
  }

  /** Marks a pending batch as dealt with (checked, resubmitted or dismissed by the user). */
  async resolve(batchId: string, note: string): Promise<void> {
    for (const file of await this.sessionFiles()) {
      if ((await this.read(file)).has(batchId)) {
        const handle = await fsp.open(file, 'a+', 0o600);
        try {
          // A session cut off mid-write ends in a torn record without its newline: start on a
          // new line, or this record would join the torn one, be skipped with it, and leave the
          // batch pending (inviting a second resubmission).
          const { size } = await handle.stat();
          const last = Buffer.alloc(1);
          if (size > 0) await handle.read(last, 0, 1, size - 1);
          const lead = size > 0 && last[0] !== 0x0a ? '\n' : '';
          await handle.appendFile(`${lead}${JSON.stringify({ t: 'resolved', batchId, at: this.clock.now(), note })}\n`);
          if (this.durable) await handle.datasync();
        } finally {
          await handle.close();
        }
        return;
      }
    }
    throw new JournalError(`batch ${batchId} is not in the journal`);
  }

  /**
   * Deletes sessions older than the age limit (by their start time), then the oldest until the
   * folder is under the size cap. Sessions with unresolved pending batches are kept unless too old.
   */
  async prune(): Promise<{ deleted: string[] }> {
    const files = await this.sessionFiles();
    const stats = await Promise.all(files.map(async (f) => {
      const stat = await fsp.stat(f).catch(() => undefined);
      return { file: f, startedAt: sessionTime(basename(f)), size: stat?.size ?? 0, mtimeMs: stat?.mtimeMs ?? 0 };
    }));
    let total = stats.reduce((sum, s) => sum + s.size, 0);
    const deleted: string[] = [];
    const now = this.clock.now();
    // The newest session is kept whatever its size: it may be the one being written.
    for (const s of stats.slice(0, -1).concat(stats.slice(-1).filter((l) => now - l.startedAt > this.maxAgeMs))) {
      const tooOld = now - s.startedAt > this.maxAgeMs;
      if (!tooOld && total <= this.maxBytes) continue;
      if (!tooOld) {
        // Never a session still being written: this process's open ones, or another process's
        // (another window, a CLI run) written to within the hour. Its later records would go to
        // a deleted file.
        if (this.openFiles.has(s.file)) continue;
        if (sessionPid(basename(s.file)) !== process.pid && Date.now() - s.mtimeMs < ACTIVE_SESSION_MS) continue;
        const batches = await this.read(s.file);
        if ([...batches.values()].some((b) => b.meta.state === 'pending')) continue;
      }
      await fsp.rm(s.file, { force: true });
      total -= s.size;
      deleted.push(s.file);
    }
    return { deleted };
  }


  /**
   * A session file's batches, parsed once and reused while the file's size and mtime are
   * unchanged (retry asks for payloads operation by operation; the journal may hold 50 MB).
   */
  private async read(file: string): Promise<SessionBatches> {
    const stat = await fsp.stat(file).catch(() => undefined);
    if (!stat) {
      this.parsed.delete(file);
      return new Map();
    }
    const cached = this.parsed.get(file);
    if (cached && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) return cached.batches;
    const batches = await readSession(file);
    this.parsed.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, batches });
    // Only the most recent few sessions stay parsed.
    while (this.parsed.size > 8) {
      const oldest = this.parsed.keys().next().value;
      if (oldest === undefined) break;
      this.parsed.delete(oldest);
    }
    return batches;
  }

  /** Session files oldest first (names sort by their millisecond timestamp). */
  private async sessionFiles(): Promise<string[]> {
    let entries: Dirent[];
    try {
      entries = await fsp.readdir(this.options.folder, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return entries
      .filter((e) => e.isFile() && e.name.startsWith(FILE_PREFIX) && e.name.endsWith('.jsonl'))
      .map((e) => e.name)
      .sort((a, b) => sessionTime(a) - sessionTime(b) || a.localeCompare(b))
      .map((name) => join(this.options.folder, name));
  }
}

/** How long after its last write another process's session counts as possibly still open. */
const ACTIVE_SESSION_MS = 60 * 60 * 1000;

function sessionPid(name: string): number | undefined {
  const pid = Number(name.slice(FILE_PREFIX.length).split('-')[1]);
  return Number.isInteger(pid) ? pid : undefined;
}

function sessionTime(name: string): number {
  return Number(name.slice(FILE_PREFIX.length).split('-', 1)[0]) || 0;
}

type SessionBatches = Map<string, { meta: JournalBatch; items: unknown[] }>;

async function readSession(file: string): Promise<SessionBatches> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const batches = new Map<string, { meta: JournalBatch; items: unknown[] }>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    let record: JournalRecord;
    try {
      record = JSON.parse(line) as JournalRecord;
    } catch {
      continue; // a torn write from a crash: that record's batch was never sent
    }
    if (record.t === 'batch') {
      const { t: _t, items, ...header } = record;
      batches.set(record.batchId, { meta: { ...header, state: 'pending', file }, items: Array.isArray(items) ? items : [] });
      continue;
    }
    const batch = batches.get(record.batchId);
    if (!batch) continue;
    if (record.t === 'accepted') Object.assign(batch.meta, { state: 'accepted', bulkUuid: record.bulkUuid, requestItems: record.requestItems });
    else if (record.t === 'failed') Object.assign(batch.meta, { state: 'failed', error: record.error });
    else if (record.t === 'resolved' && batch.meta.state === 'pending') batch.meta.state = 'resolved';
  }
  return batches;
}
