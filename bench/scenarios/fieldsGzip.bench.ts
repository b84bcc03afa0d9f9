// What `fields` and compression save on a typical list: GET /V1/products, 100 items per page,
// against the sandbox store (latency none, so only size and serialization differ), four ways:
// full items uncompressed, full items gzip, fields=items[sku,name,price],total_count
// uncompressed, and fields + gzip. Reports bytes on the wire, decoded bytes and the median
// round trip of 15 requests each. Target: fields + gzip is at least 10x smaller on the wire.
import { gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { startSandbox } from '../../src/sandbox/sandboxServer';
import { type BenchResult } from '../benchTypes';

const ROUNDS = 15;
const LIST = '/rest/default/V1/products?searchCriteria[pageSize]=100&searchCriteria[currentPage]=1';
const FIELDS = '&fields=items[sku,name,price],total_count';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export async function run(): Promise<BenchResult[]> {
  const sandbox = await startSandbox({ port: 0, latency: 'none' });
  try {
    const auth = `Bearer ${sandbox.credentials.integration.accessToken}`;
    const measure = async (path: string, gzip: boolean) => {
      const times: number[] = [];
      let wire = 0;
      let decoded = 0;
      for (let i = 0; i < ROUNDS; i++) {
        const started = performance.now();
        const res = await request(`${sandbox.baseUrl}${path}`, {
          headers: { authorization: auth, accept: 'application/json', 'accept-encoding': gzip ? 'gzip' : 'identity' },
        });
        const body = Buffer.from(await res.body.arrayBuffer());
        times.push(performance.now() - started);
        if (res.statusCode !== 200) throw new Error(`${path}: HTTP ${res.statusCode}`);
        const encoding = String(res.headers['content-encoding'] ?? '');
        if (gzip && encoding !== 'gzip') throw new Error(`${path}: asked for gzip, got '${encoding || 'identity'}'`);
        wire = body.length;
        decoded = encoding === 'gzip' ? gunzipSync(body).length : body.length;
      }
      return { wire, decoded, ms: Math.round(median(times) * 10) / 10 };
    };
    const full = await measure(LIST, false);
    const fullGzip = await measure(LIST, true);
    const fields = await measure(LIST + FIELDS, false);
    const fieldsGzip = await measure(LIST + FIELDS, true);
    const saving = Math.round((full.wire / fieldsGzip.wire) * 10) / 10;
    return [{
      name: 'fields/gzip: GET /V1/products, 100 items',
      metrics: {
        fullBytes: full.wire,
        fullGzipBytes: fullGzip.wire,
        fieldsBytes: fields.wire,
        fieldsGzipBytes: fieldsGzip.wire,
        fieldsDecodedBytes: fields.decoded,
        fullMedianMs: full.ms,
        fullGzipMedianMs: fullGzip.ms,
        fieldsMedianMs: fields.ms,
        fieldsGzipMedianMs: fieldsGzip.ms,
        wireReductionX: saving,
      },
      targets: { wireReductionX: '>= 10' },
      pass: saving >= 10,
    }];
  } finally {
    await sandbox.close();
  }
}
