// Token cost of 8 worker processes each sending 10 authenticated requests to the sandbox store
// with realistic latency (a token request costs what it costs on a real store):
//   naive  — a token per request (80 token requests)
//   cached — in-memory cache per process (8)
//   redis  — shared Redis cache, cold (1), then warm (0)
// Reports token requests counted by the sandbox (/__sandbox/stats), wall time of the whole run
// (process start-up included) and the median time a worker spent sending its requests.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { Redis } from 'ioredis';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandboxServer';
import { type BenchResult } from '../benchTypes';

const WORKERS = 8;
const REQUESTS = 10;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

type Mode = 'naive' | 'cached' | 'redis';

async function adminTokens(sandbox: SandboxHandle): Promise<number> {
  const stats = (await (await fetch(`${sandbox.baseUrl}/__sandbox/stats`)).json()) as { tokens_issued: { admin: number } };
  return stats.tokens_issued.admin;
}

function runWorker(script: string, args: string[]): Promise<number> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`worker failed (${code}): ${err}`));
      else resolveRun((JSON.parse(out) as { ms: number }).ms);
    });
  });
}

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'mrw-token-bench-'));
  const script = join(dir, 'worker.js');
  await esbuild.build({ entryPoints: [resolve(__dirname, '../tokenBenchWorker.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: script, logLevel: 'silent' });
  const sandbox = await startSandbox({ latency: 'realistic' });
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const prefix = `mrw-bench:${process.pid}-${Date.now()}:`;
  const results: BenchResult[] = [];
  const measured: Record<string, { tokens: number; wallMs: number; workerMedianMs: number }> = {};
  try {
    const phases: Array<[string, Mode]> = [['naive', 'naive'], ['cached', 'cached'], ['redis-cold', 'redis'], ['redis-warm', 'redis']];
    for (const [name, mode] of phases) {
      const before = await adminTokens(sandbox);
      const started = performance.now();
      const workerMs = await Promise.all(Array.from({ length: WORKERS }, () => runWorker(script, [mode, sandbox.baseUrl, sandbox.credentials.admin.username, sandbox.credentials.admin.password, String(REQUESTS), REDIS_URL, prefix])));
      const sorted = [...workerMs].sort((a, b) => a - b);
      measured[name] = { tokens: (await adminTokens(sandbox)) - before, wallMs: Math.round(performance.now() - started), workerMedianMs: sorted[Math.floor(sorted.length / 2)]! };
    }
  } finally {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const expected: Record<string, number> = { naive: WORKERS * REQUESTS, cached: WORKERS, 'redis-cold': 1, 'redis-warm': 0 };
  for (const [name, m] of Object.entries(measured)) {
    results.push({
      name: `token: ${name} (${WORKERS} processes × ${REQUESTS} requests)`,
      metrics: { tokenRequests: m.tokens, wallMs: m.wallMs, workerMedianMs: m.workerMedianMs },
      targets: { tokenRequests: `= ${expected[name]}` },
      pass: m.tokens === expected[name],
    });
  }
  return results;
}
