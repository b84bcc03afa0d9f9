// Redis (the shared token cache) killed and restarted in the middle of a bulk submission whose
// token is revoked while Redis is down and again after it is back: the submission is unaffected
// (every operation accepted once, one token per revocation) and the only trace is one warning.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RedisTokenStore } from '../../../src/core/auth/redisTokenStore';
import { TokenCache } from '../../../src/core/auth/tokenCache';
import { convertRequest } from '../../../src/core/convert/asyncConversion';
import { prepareBatches, submitBatches } from '../../../src/core/convert/bulkSubmitter';
import { schemaRouteCatalog } from '../../../src/core/convert/schemaRouteCatalog';
import { type MagentoTransport } from '../../../src/core/http/types';
import { MagentoSchema } from '../../../src/core/schema/swaggerSchema';
import { RecordingLogger } from '../../unit/client/clientFakes';
import { redisServerAvailable, startRedisProcess, type RedisProcess } from '../../support/redisProcess';
import { BATCH_SIZE, checkLedger, OPERATIONS, openFaultStore, productItems, reportRun, type FaultStore } from './faultHarness';

const hasRedis = redisServerAvailable();

describe('Redis killed and restarted mid-submission', { skip: hasRedis ? false : 'redis-server is not on PATH' }, () => {
  let store: FaultStore;
  let redis: RedisProcess;
  before(async () => {
    [store, redis] = await Promise.all([openFaultStore(), startRedisProcess()]);
  });
  after(async () => {
    await store?.close();
    await redis?.stop();
  });

  test(`${OPERATIONS} operations: nothing lost or doubled, one token per revocation, exactly one warning`, async () => {
    const logger = new RecordingLogger();
    const shared = new RedisTokenStore({ url: redis.url, logger, retryCooldownMs: 50 });
    const tokenCache = new TokenCache({ shared, logger });
    const client = store.adminClient({ tokenCache, logger });
    const catalog = schemaRouteCatalog(MagentoSchema.parse((await client.send({ method: 'GET', path: '/schema', query: 'services=all' })).body));
    const items = productItems('RDS-', OPERATIONS);
    const conversion = convertRequest(catalog, { method: 'PUT', path: '/V1/products/{sku}', items }, 'bulk', { batchSize: BATCH_SIZE });
    const batches = prepareBatches(conversion.requests);
    assert.ok(batches.length >= 16);

    // Redis dies before batch 5 and comes back before batch 13; the token is revoked at batch 8
    // (Redis down) and at batch 15 (Redis back).
    let sent = 0;
    const transport: MagentoTransport = {
      async send(request) {
        sent++;
        if (sent === 5) await redis.kill();
        if (sent === 13) await redis.restart();
        return client.send(request);
      },
    };
    await store.setHttpFaults([
      { fault: 'revoke-tokens', method: 'PUT', path: '/rest/*/async/bulk/*', after: 7, times: 1 },
      { fault: 'revoke-tokens', method: 'PUT', path: '/rest/*/async/bulk/*', after: 14, times: 1 },
    ]);
    const before = await store.stats();
    const summary = await submitBatches(batches, { transport, concurrency: 1 });
    await store.clearHttpFaults();
    const after = await store.stats();
    const ledger = await checkLedger(summary, items.map((i) => i.product.sku), await store.acceptedBySku('RDS-'));
    assert.equal(ledger.accepted, OPERATIONS, 'every operation accepted');
    assert.equal(ledger.duplicates, 0);
    assert.equal(after.tokens_issued.admin - before.tokens_issued.admin, 2, 'one new token per revocation');
    const warnings = logger.lines.filter((l) => l.level === 'warn' || l.level === 'error');
    assert.equal(warnings.length, 1, logger.lines.map((w) => `${w.level} ${w.text}`).join("\n"));
    assert.match(warnings[0]!.text, /Shared token cache .* is unavailable/);
    assert.ok(!warnings[0]!.text.includes(store.handle.credentials.admin.password));
    reportRun({ fault: 'Redis killed + restarted mid-run', injected: 3, operations: OPERATIONS, ledger });
    await tokenCache.dispose();
  });
});
