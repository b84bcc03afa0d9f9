import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { pagingFromTail, spoolResponseBody } from '../../../src/core/requestBuilder/responseSpool';

async function* chunks(data: Buffer, size = 777): AsyncIterable<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

describe('response spool', () => {
  const text = JSON.stringify({ items: Array.from({ length: 2000 }, (_, i) => ({ id: i, sku: `S-${i}`, name: 'ünïcødé 😀 <b>' })), search_criteria: { page_size: 2000, current_page: 3 }, total_count: 12345 });
  const plain = Buffer.from(text);

  test('small bodies stay in memory; every encoding is decoded; sizes on the wire and decoded are counted', async () => {
    for (const [encoding, wire] of [[undefined, plain], ['gzip', gzipSync(plain)], ['deflate', deflateSync(plain)], ['br', brotliCompressSync(plain)]] as const) {
      const out = await spoolResponseBody(chunks(wire), { ...(encoding ? { contentEncoding: encoding } : {}), thresholdBytes: plain.length + 1, fileForLargeBody: () => assert.fail('no file expected') });
      assert.equal(out.kind, 'memory', String(encoding));
      if (out.kind === 'memory') assert.equal(out.data.toString('utf8'), text);
      assert.equal(out.wireBytes, wire.length);
      assert.equal(out.decodedBytes, plain.length);
    }
  });

  test('past the threshold the whole body goes to the file, and the tail gives the paging facts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spool-'));
    try {
      let asked = 0;
      const out = await spoolResponseBody(chunks(gzipSync(plain), 1000), { contentEncoding: 'gzip', thresholdBytes: 10_000, fileForLargeBody: () => { asked++; return join(dir, 'body.json'); } });
      assert.equal(asked, 1);
      assert.equal(out.kind, 'file');
      if (out.kind === 'file') {
        assert.equal(readFileSync(out.path, 'utf8'), text);
        assert.deepEqual(pagingFromTail(out.tail), { totalCount: 12345, pageSize: 2000, currentPage: 3 });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a cancelled download stops with an AbortError', async () => {
    const controller = new AbortController();
    async function* slow(): AsyncIterable<Uint8Array> {
      yield plain.subarray(0, 100);
      controller.abort();
      yield plain.subarray(100, 200);
    }
    await assert.rejects(spoolResponseBody(slow(), { signal: controller.signal, fileForLargeBody: () => '/nonexistent' }), { name: 'AbortError' });
  });

  test('a corrupt gzip body is an error, not a hang', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spool-'));
    try {
      const corrupt = Buffer.concat([gzipSync(plain).subarray(0, 50), Buffer.from('garbage-garbage')]);
      await assert.rejects(spoolResponseBody(chunks(corrupt), { contentEncoding: 'gzip', thresholdBytes: 10, fileForLargeBody: () => join(dir, 'x.json') }));
      assert.equal(pagingFromTail('{"items":[]}'), undefined);
      assert.ok(!existsSync(join(dir, 'never.json')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
