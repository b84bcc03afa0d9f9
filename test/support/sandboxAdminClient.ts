// A Magento client logged in as the sandbox's admin (password in an in-memory secret store), and
// what convert/submit tests read from the store first: its route catalogue and product SKUs.
import { type SandboxHandle } from '../../src/sandbox/sandboxServer';
import { createMagentoClient, type MagentoClient } from '../../src/core/http/magentoClient';
import { parseProfile, secretKey } from '../../src/core/profiles/profile';
import { MagentoSchema } from '../../src/core/schema/swaggerSchema';
import { schemaRouteCatalog } from '../../src/core/convert/schemaRouteCatalog';
import { type RouteCatalog } from '../../src/core/convert/routeCatalog';
import { MemorySecrets } from './sandboxProfileSource';

export function sandboxAdminClient(sandbox: Pick<SandboxHandle, 'baseUrl' | 'credentials'>, profileId = 'sb'): MagentoClient {
  const profile = parseProfile({ id: profileId, label: 'Sandbox', baseUrl: sandbox.baseUrl, storeCode: 'default', auth: { kind: 'admin', username: sandbox.credentials.admin.username } });
  const secrets = new MemorySecrets();
  secrets.map.set(secretKey(profileId, 'password'), sandbox.credentials.admin.password);
  return createMagentoClient({ profile, secrets });
}

/** The store's own route catalogue (from its schema) and the SKUs of its first 300 products. */
export async function sandboxCatalogAndSkus(client: MagentoClient): Promise<{ catalog: RouteCatalog; skus: string[] }> {
  const schema = await client.send({ method: 'GET', path: '/schema', query: 'services=all' });
  const catalog = schemaRouteCatalog(MagentoSchema.parse(schema.body));
  const list = await client.send<{ items: Array<{ sku: string }> }>({ method: 'GET', path: '/V1/products', query: 'searchCriteria[pageSize]=300' });
  return { catalog, skus: list.body.items.map((p) => p.sku) };
}
