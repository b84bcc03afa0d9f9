// One worker process of the token benchmark (bundled and spawned 8 times by
// scenarios/token.bench.ts). Sends REQUESTS authenticated GETs in one of three modes:
//   naive  — a new token for every request (no cache at all)
//   cached — one client with its in-memory token cache (one token per process)
//   redis  — the same plus the shared Redis cache (one token for every process)
// Prints {"ms": <wall time>} on stdout.
import { RedisTokenStore } from '../src/core/auth/redisTokenStore';
import { TokenCache } from '../src/core/auth/tokenCache';
import { createMagentoClient } from '../src/core/http/magentoClient';
import { parseProfile, secretKey } from '../src/core/profiles/profile';

async function main(): Promise<void> {
  const [mode, baseUrl, username, password, requestsText, redisUrl, prefix] = process.argv.slice(2);
  const requests = Number(requestsText);
  const profile = parseProfile({ id: 'bench', label: 'bench', baseUrl, auth: { kind: 'admin', username } });
  const secrets = new Map([[secretKey('bench', 'password'), password!]]);
  const secretStore = {
    get: (key: string) => Promise.resolve(secrets.get(key)),
    store: () => Promise.resolve(),
    delete: () => Promise.resolve(),
  };
  const newCache = (): TokenCache => mode === 'redis'
    ? new TokenCache({ shared: new RedisTokenStore({ url: redisUrl! }), keyPrefix: prefix! })
    : new TokenCache();
  const started = performance.now();
  let cache = newCache();
  let client = createMagentoClient({ profile, secrets: secretStore, tokenCache: cache });
  for (let i = 0; i < requests; i++) {
    if (mode === 'naive' && i > 0) {
      await client.close();
      await cache.dispose();
      cache = newCache();
      client = createMagentoClient({ profile, secrets: secretStore, tokenCache: cache });
    }
    await client.send({ method: 'GET', path: '/V1/products', query: 'searchCriteria[pageSize]=1' });
  }
  const ms = performance.now() - started;
  await client.close();
  await cache.dispose();
  process.stdout.write(`${JSON.stringify({ ms: Math.round(ms) })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
