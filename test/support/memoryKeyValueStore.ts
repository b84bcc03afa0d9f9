// An in-memory KeyValueStore for tests that stores values as JSON text, as VS Code's globalState
// does: what comes back never shares references with what was written.
import { type KeyValueStore } from '../../src/core/ports';

export class MemoryKeyValueStore implements KeyValueStore {
  readonly data = new Map<string, string>();

  get<T>(key: string): T | undefined {
    const v = this.data.get(key);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }

  async update(key: string, value: unknown): Promise<void> {
    this.data.set(key, JSON.stringify(value));
  }
}
