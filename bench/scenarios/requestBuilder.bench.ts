// Request builder benchmarks:
// - the webview bundle, minified as shipped (target ≤ 400 KB);
// - a 50 MB response (plain and gzip) sent through the builder's real path (MagentoClient +
//   streaming + spool to a file) while perf_hooks' event-loop-delay monitor watches the loop:
//   the extension host must never be blocked for more than 100 ms. The buffered path
//   (client.send: decode + JSON.parse on the loop) is measured alongside for comparison.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { type BenchResult } from '../benchTypes';
import { RequestBuilderService } from '../../src/core/requestBuilder/requestBuilderService';
import { RequestHistory } from '../../src/core/history/requestHistory';
import { emptyDraft } from '../../src/protocol/requestBuilderProtocol';
import { SandboxProfileSource } from '../../test/support/sandboxProfileSource';

const TARGET_BUNDLE_BYTES = 400 * 1024;
const TARGET_BLOCK_MS = 100;
const BODY_BYTES = 50 * 1024 * 1024;

async function bundleSize(): Promise<BenchResult> {
  const result = await esbuild.build({
    entryPoints: ['src/webview/requestBuilder/main.ts'], bundle: true, platform: 'browser', format: 'iife', target: 'es2022', minify: true, write: false, logLevel: 'silent',
  });
  const bytes = result.outputFiles[0]?.contents.length ?? Infinity;
  return { name: 'requestBuilder.webviewBundle', metrics: { minifiedKb: Math.round(bytes / 102.4) / 10 }, targets: { minifiedKb: '<= 400' }, pass: bytes <= TARGET_BUNDLE_BYTES };
}

/** A product list of about `bytes` bytes, shaped like Magento's answer. */
function bigProductList(bytes: number): Buffer {
  const items: string[] = [];
  let size = 0;
  for (let i = 1; size < bytes - 200; i++) {
    const item = JSON.stringify({ id: i, sku: `SKU-${i}`, name: `Product ${i} <b>"quoted"</b>`, price: i % 997, status: 1, type_id: 'simple', description: 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(8), custom_attributes: [{ attribute_code: 'color', value: String(i % 17) }] });
    items.push(item);
    size += item.length + 1;
  }
  return Buffer.from(`{"items":[${items.join(',')}],"search_criteria":{"filter_groups":[],"page_size":${items.length},"current_page":1},"total_count":${items.length}}`);
}

async function largeResponse(): Promise<BenchResult[]> {
  const plain = bigProductList(BODY_BYTES);
  const gzipped = gzipSync(plain, { level: 1 });
  const server: Server = createServer((req, res) => {
    const gzip = (req.url ?? '').includes('gz=1') && /gzip/.test(String(req.headers['accept-encoding']));
    const body = gzip ? gzipped : plain;
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length, ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
    let offset = 0;
    const pump = (): void => {
      while (offset < body.length) {
        const chunk = body.subarray(offset, offset + 256 * 1024);
        offset += chunk.length;
        if (!res.write(chunk)) { res.once('drain', pump); return; }
      }
      res.end();
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const dir = mkdtempSync(join(tmpdir(), 'rb-bench-'));
  const source = new SandboxProfileSource(`http://127.0.0.1:${port}`, 'bench-token');
  const kv = new Map<string, unknown>();
  let n = 0;
  const service = new RequestBuilderService({
    profiles: source,
    schemaStore: { read: async () => undefined, write: async () => undefined },
    parseSchema: () => { throw new Error('not used'); },
    history: new RequestHistory({ get: (k) => kv.get(k) as never, update: async (k, v) => { kv.set(k, v); } }, { now: () => Date.now() }),
    outputs: { largeBodyFile: (ext) => join(dir, `body-${n++}.${ext}`), fetchAllFile: (ext) => join(dir, `all-${n++}.${ext}`) },
    clock: { now: () => Date.now() },
  });

  const results: BenchResult[] = [];
  try {
    for (const gzip of [false, true]) {
      const draft = { ...emptyDraft(), profileId: 'sandbox', pathTemplate: '/V1/products', extraQuery: gzip ? 'gz=1' : '' };
      // Warm the connection so the measurement is about the body, not the first connect.
      await service.send({ ...draft, pathTemplate: '/V1/warmup' }).catch(() => undefined);
      const histogram = monitorEventLoopDelay({ resolution: 10 });
      histogram.enable();
      const started = performance.now();
      const result = await service.send(draft);
      const wallMs = performance.now() - started;
      histogram.disable();
      const maxBlockMs = Math.round(histogram.max / 1e6);
      const bodyInFile = result.body.kind === 'file' && statSync(result.body.path).size === plain.length;
      results.push({
        name: `requestBuilder.response50MB.${gzip ? 'gzip' : 'plain'}`,
        metrics: { wallMs: Math.round(wallMs), maxEventLoopBlockMs: maxBlockMs, p99EventLoopDelayMs: Math.round(histogram.percentile(99) / 1e6), wireMb: Math.round(result.bytes.wire / 1e5) / 10, decodedMb: Math.round(result.bytes.decoded / 1e5) / 10, bodyInFile: String(bodyInFile) },
        targets: { maxEventLoopBlockMs: `<= ${TARGET_BLOCK_MS}`, bodyInFile: '= true' },
        pass: maxBlockMs <= TARGET_BLOCK_MS && bodyInFile,
      });
    }
    // For comparison only: the buffered path (decode + JSON.parse on the loop) that streaming avoids.
    const transport = await source.transport('sandbox');
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    const started = performance.now();
    const buffered = await transport.send({ method: 'GET', path: '/V1/products', query: 'gz=1' });
    const wallMs = performance.now() - started;
    // Let one more sample land after the blocking work so the histogram records it.
    await new Promise((resolve) => setTimeout(resolve, 30));
    histogram.disable();
    results.push({ name: 'requestBuilder.response50MB.bufferedForComparison', metrics: { wallMs: Math.round(wallMs), maxEventLoopBlockMs: Math.round(histogram.max / 1e6), decodedMb: Math.round(buffered.bytes.decoded / 1e5) / 10 }, targets: {}, pass: true });
  } finally {
    source.dispose();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

export async function run(): Promise<BenchResult[]> {
  return [await bundleSize(), ...(await largeResponse())];
}
