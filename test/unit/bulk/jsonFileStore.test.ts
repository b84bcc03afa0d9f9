import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonFileStore } from '../../../src/cli/jsonFileStore';

describe('CLI JSON file store', () => {
  test('round-trips values and creates its folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jfs-'));
    const file = join(dir, 'nested', 'bulks.json');
    const store = new JsonFileStore(file);
    assert.equal(store.get('x'), undefined);
    await store.update('x', { a: [1, 2] });
    assert.deepEqual(new JsonFileStore(file).get('x'), { a: [1, 2] });
    assert.deepEqual(readdirSync(join(dir, 'nested')), ['bulks.json'], 'no temp file left behind');
  });

  test('an unreadable file is moved aside, never overwritten', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jfs-'));
    const file = join(dir, 'bulks.json');
    writeFileSync(file, '{"truncated":');
    const store = new JsonFileStore(file);
    assert.match(store.warnings[0]!, /was unreadable .* moved to .*bulks\.json\.unreadable-\d+/);
    await store.update('y', 1);
    const aside = readdirSync(dir).find((f) => f.startsWith('bulks.json.unreadable-'))!;
    assert.equal(readFileSync(join(dir, aside), 'utf8'), '{"truncated":');
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { y: 1 });
  });
});
