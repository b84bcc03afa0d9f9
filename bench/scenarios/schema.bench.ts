// Schema reading cost: the request builder parses a store's schema (admin: ~1.2 MB, 614
// operations) when a profile is first used, so a cold parse must stay well under a second.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type BenchResult } from '../benchTypes';
import { MagentoSchema } from '../../src/core/schema/swaggerSchema';
import { buildFieldTree } from '../../src/core/schema/fieldTree';

const adminSchemaFile = path.resolve(__dirname, '../../../shared/fixtures/magento-schema/admin-2.4.9.json');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const round = (value: number): number => Math.round(value * 10) / 10;

export async function run(): Promise<BenchResult[]> {
  const text = readFileSync(adminSchemaFile, 'utf8');

  // Cold: the first parse in this process (zod schemas, JIT and all), JSON.parse included.
  const coldStart = performance.now();
  const schema = MagentoSchema.parse(JSON.parse(text) as unknown);
  const coldMs = performance.now() - coldStart;

  const warm: number[] = [];
  for (let i = 0; i < 10; i++) {
    const start = performance.now();
    MagentoSchema.parse(JSON.parse(text) as unknown);
    warm.push(performance.now() - start);
  }

  const paths = schema.operations().map((operation) => ({
    method: operation.method,
    concrete: operation.pathTemplate.replace(/\{[^}]+\}/g, 'x1'),
  }));
  const matchStart = performance.now();
  let matched = 0;
  for (let i = 0; i < 5; i++) for (const { method, concrete } of paths) if (schema.matchPath(method, concrete)) matched++;
  const matchUs = ((performance.now() - matchStart) / (paths.length * 5)) * 1000;

  const treeStart = performance.now();
  const operation = schema.operation('GET', '/V1/products')!;
  buildFieldTree(schema, operation.responseDefinitionRef!);
  const treeMs = performance.now() - treeStart;

  return [
    {
      name: 'schema: parse admin 2.4.9 (cold)',
      metrics: { coldParseMs: round(coldMs), warmParseMedianMs: round(median(warm)), operations: schema.operations().length, bytes: text.length },
      targets: { coldParseMs: '< 300' },
      pass: coldMs < 300,
    },
    {
      name: 'schema: matchPath and field tree',
      metrics: { matchPathMeanUs: round(matchUs), matched, productsFieldTreeMs: round(treeMs) },
      targets: { matchPathMeanUs: '< 500', productsFieldTreeMs: '< 100' },
      pass: matchUs < 500 && treeMs < 100 && matched === paths.length * 5,
    },
  ];
}
