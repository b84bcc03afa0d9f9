// Shared setup for the bulk integration tests: a sandbox store on port 0, the real MagentoClient
// (integration token as Bearer) and helpers to submit bulks and drive the consumer.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMagentoClient, type MagentoClient } from '../../../src/core/http/magentoClient';
import { type SecretStore } from '../../../src/core/ports';
import { parseProfile, secretKey } from '../../../src/core/profiles/profile';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../../src/sandbox/sandboxServer';

export const PROFILE_ID = 'sandbox';

export interface BulkSandbox {
  handle: SandboxHandle;
  client: MagentoClient;
  control(path: string, body?: unknown): Promise<unknown>;
  /** POST /async/bulk/V1/products with one item per SKU; returns the bulk UUID. */
  submitProducts(skus: readonly string[]): Promise<string>;
  stats(): Promise<{ requests_by_route: Record<string, number>; operations_by_status: Record<string, number> }>;
  tmp: string;
  close(): Promise<void>;
}

export function product(sku: string): Record<string, unknown> {
  return { product: { sku, name: `Product ${sku}`, attribute_set_id: 4, price: 10, type_id: 'simple' } };
}

export async function openBulkSandbox(options: SandboxOptions = {}): Promise<BulkSandbox> {
  const handle = await startSandbox({ port: 0, ...options });
  const values = new Map([[secretKey(PROFILE_ID, 'accessToken'), handle.credentials.integration.accessToken]]);
  const secrets: SecretStore = {
    get: async (k) => values.get(k),
    store: async (k, v) => { values.set(k, v); },
    delete: async (k) => { values.delete(k); },
  };
  const profile = parseProfile({ id: PROFILE_ID, label: 'Sandbox', baseUrl: handle.baseUrl, storeCode: 'default', auth: { kind: 'integration-bearer' } });
  const client = createMagentoClient({ profile, secrets });
  const control = async (path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${handle.baseUrl}/__sandbox/${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`control ${path}: HTTP ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return {
    handle, client, control,
    async submitProducts(skus) {
      const res = await client.send<{ bulk_uuid: string }>({ method: 'POST', path: '/async/bulk/V1/products', body: skus.map(product) });
      return res.body.bulk_uuid;
    },
    stats: async () => (await control('stats')) as { requests_by_route: Record<string, number>; operations_by_status: Record<string, number> },
    tmp: mkdtempSync(join(tmpdir(), 'bulk-it-')),
    async close() {
      await client.close();
      await handle.close();
    },
  };
}

/** globalState-like store: JSON round trip on every write. */
export { MemoryKeyValueStore } from '../../support/memoryKeyValueStore';

export async function until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
