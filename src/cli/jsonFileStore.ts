// A KeyValueStore over one JSON file, for CLI state that must survive between runs (tracked
// bulks, which operations were already retried). Reads once, writes atomically (temp + rename).
// An unreadable file is renamed aside (never overwritten) and reported.
import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type KeyValueStore } from '../core/ports';

export class JsonFileStore implements KeyValueStore {
  private data: Record<string, unknown> = {};
  readonly warnings: string[] = [];

  constructor(readonly file: string) {
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text === undefined) return;
    try {
      const parsed: unknown = JSON.parse(text);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
      this.data = parsed as Record<string, unknown>;
    } catch (error) {
      const aside = `${file}.unreadable-${Date.now()}`;
      renameSync(file, aside);
      this.warnings.push(`${file} was unreadable (${(error as Error).message}); it was moved to ${aside} and a new one is started.`);
    }
  }

  get<T>(key: string): T | undefined {
    return this.data[key] as T | undefined;
  }

  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) delete this.data[key];
    else this.data[key] = value;
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(this.data) + '\n', { mode: 0o600 });
    await rename(tmp, this.file);
  }
}
