// Whatever a store (or what stands in front of it) answers — random JSON, wrong types, missing
// keys, HTML, binary, a 10 MB string — goes through the client's error parsing, the bulk status
// parsing, the bulk submitter's reading of 202 bodies and the schema parser without a crash:
// a value, or the module's own error with a message. Served by a local HTTP server so the bytes
// take the real undici path (loopback only, no sandbox).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { BulkNotFoundError, BulkStatusError, createBulkStatusApi, parseDetailedStatus, parseShortStatus } from '../../../src/core/bulk/bulkStatusApi';
import { submitBatches } from '../../../src/core/convert/bulkSubmitter';
import { createMagentoClient, type MagentoClient } from '../../../src/core/http/magentoClient';
import { MagentoApiError, magentoErrorFromResponse, parseMagentoErrorBody } from '../../../src/core/http/magentoError';
import { MagentoTransportError } from '../../../src/core/http/transportError';
import { parseProfile, secretKey } from '../../../src/core/profiles/profile';
import { MagentoSchema, SchemaError } from '../../../src/core/schema/swaggerSchema';
import { LONG, noCrash, noCrashAsync, reportBadInputs, RUNS, TEN_MB } from './badInputHarness';

interface Reply { status: number; contentType: string; body: string | Buffer }
let reply: Reply = { status: 200, contentType: 'application/json', body: '{}' };
let server: Server;
let client: MagentoClient;

const statusArb = fc.constantFrom(200, 201, 202, 204, 301, 400, 401, 403, 404, 405, 406, 429, 500, 502, 503, 504);
const contentTypeArb = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/html', 'text/plain', 'application/xml', '');
/** Shapes Magento bodies almost have: right keys with wrong types, missing keys, extra nesting. */
const almostMagento = fc.oneof(
  fc.record({ message: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.jsonValue()), parameters: fc.oneof(fc.array(fc.jsonValue(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.jsonValue()), fc.jsonValue()), errors: fc.oneof(fc.array(fc.jsonValue(), { maxLength: 3 }), fc.jsonValue()), code: fc.jsonValue(), trace: fc.jsonValue() }, { requiredKeys: [] }),
  fc.record({ bulk_uuid: fc.oneof(fc.uuid(), fc.jsonValue()), request_items: fc.oneof(fc.array(fc.record({ id: fc.jsonValue(), status: fc.jsonValue(), data_hash: fc.jsonValue(), error_message: fc.jsonValue() }, { requiredKeys: [] }), { maxLength: 4 }), fc.jsonValue()), errors: fc.jsonValue() }, { requiredKeys: [] }),
  fc.record({ bulk_id: fc.oneof(fc.uuid(), fc.jsonValue()), description: fc.jsonValue(), start_time: fc.oneof(fc.constant('2026-01-01 00:00:00'), fc.jsonValue()), operation_count: fc.jsonValue(), operations_list: fc.oneof(fc.array(fc.record({ id: fc.jsonValue(), status: fc.oneof(fc.integer({ min: -1, max: 9 }), fc.jsonValue()), result_message: fc.jsonValue(), error_code: fc.jsonValue() }, { requiredKeys: [] }), { maxLength: 4 }), fc.jsonValue()) }, { requiredKeys: [] }),
  fc.record({ messages: fc.oneof(fc.record({ error: fc.array(fc.record({ code: fc.jsonValue(), message: fc.jsonValue() }, { requiredKeys: [] }), { maxLength: 2 }) }), fc.jsonValue()) }, { requiredKeys: [] }),
);
const bodyArb: fc.Arbitrary<string> = fc.oneof(
  almostMagento.map((v) => JSON.stringify(v)),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('', ' ', 'null', '[]', '{', '{"message":', '<html><title>Oops</title></html>', 'oauth_problem=token_rejected', '\uFEFF{"message":"x"}', '{"message":"%1 %2 %name","parameters":["a"]}'),
);

describe('bad input: store responses', () => {
  before(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
        res.writeHead(reply.status, { ...(reply.contentType ? { 'Content-Type': reply.contentType } : {}), 'Content-Length': body.length, ...(reply.status === 301 ? { Location: '/elsewhere' } : {}) });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const profile = parseProfile({ id: 'bad', label: 'Bad store', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, storeCode: 'default', auth: { kind: 'integration-bearer' } });
    const secrets = new Map([[secretKey('bad', 'accessToken'), 'token-for-bad-input-tests']]);
    client = createMagentoClient({ profile, secrets: { get: async (k) => secrets.get(k), store: async () => undefined, delete: async () => undefined }, retry: { maxRetries: 0 } });
  });
  after(async () => {
    await client.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    reportBadInputs('store responses');
  });

  test('client: any status and body → a response or a MagentoApiError/MagentoTransportError with a message', async () => {
    await fc.assert(fc.asyncProperty(statusArb, contentTypeArb, bodyArb, async (status, contentType, body) => {
      reply = { status, contentType, body };
      const res = await noCrashAsync(() => client.send({ method: 'GET', path: '/V1/products' }), [MagentoApiError, MagentoTransportError], `GET → ${status}`);
      // (204 must not carry a body; what a client makes of one is undefined.)
      if (res === undefined && status >= 200 && status < 300 && status !== 204 && body.trim() !== '' && isJson(body)) assert.fail(`a 2xx JSON body failed: ${body.slice(0, 80)}`);
      noCrash(() => parseMagentoErrorBody(body), [], 'parseMagentoErrorBody');
      noCrash(() => magentoErrorFromResponse({ status, method: 'GET', url: 'https://x/rest/V1/a', text: body }), [], 'magentoErrorFromResponse');
    }), { numRuns: RUNS });
  });

  test('bulk status API: any body → a status or BulkStatusError/BulkNotFoundError (or the client\'s errors)', async () => {
    const api = createBulkStatusApi(client);
    await fc.assert(fc.asyncProperty(fc.constantFrom(200, 400, 404, 500), bodyArb, async (status, body) => {
      reply = { status, contentType: 'application/json', body };
      const allowed = [BulkStatusError, BulkNotFoundError, MagentoApiError, MagentoTransportError];
      await noCrashAsync(() => api.shortStatus('3f6c0c9e-0000-4000-8000-000000000000', 'default'), allowed, 'shortStatus');
      await noCrashAsync(() => api.detailedStatus('3f6c0c9e-0000-4000-8000-000000000000'), allowed, 'detailedStatus');
      await noCrashAsync(() => api.searchOperations('searchCriteria[pageSize]=1'), allowed, 'searchOperations');
      const value = safeJson(body);
      noCrash(() => parseShortStatus(value), [BulkStatusError], 'parseShortStatus');
      noCrash(() => parseDetailedStatus(value), [BulkStatusError], 'parseDetailedStatus');
    }), { numRuns: Math.ceil(RUNS / 2) });
  });

  test('bulk submitter: any answer to a batch is accepted, failed or unknown — never thrown, never "accepted" without a bulk_uuid', async () => {
    await fc.assert(fc.asyncProperty(statusArb, bodyArb, async (status, body) => {
      reply = { status, contentType: 'application/json', body };
      const summary = await noCrashAsync(() => submitBatches([{ method: 'POST', path: '/async/bulk/V1/products', bodyJson: '[{"product":{"sku":"A"}}]', firstItemIndex: 0, itemCount: 1 }], { transport: client }), [], 'submitBatches');
      const outcome = summary?.outcomes[0];
      assert.ok(outcome);
      if (outcome.status === 'accepted' || outcome.status === 'partially-accepted') assert.equal(typeof outcome.bulkUuid, 'string');
      else assert.ok((outcome.error?.message ?? '').length > 0, 'a failed or unknown batch says why');
      if (status >= 200 && status < 300 && outcome.status === 'failed') assert.fail(`a ${status} answer was reported as not sent: ${outcome.error?.message}`);
    }), { numRuns: RUNS });
  });

  test('schema parser: any JSON → a schema or a SchemaError', () => {
    const schemaLike = fc.record({ swagger: fc.oneof(fc.constant('2.0'), fc.jsonValue()), basePath: fc.jsonValue(), paths: fc.oneof(fc.dictionary(fc.string(), fc.dictionary(fc.constantFrom('get', 'post', 'put', 'x'), fc.jsonValue())), fc.jsonValue()), definitions: fc.jsonValue() }, { requiredKeys: [] });
    fc.assert(fc.property(fc.oneof(schemaLike, fc.jsonValue(), fc.string()), (doc) => {
      noCrash(() => MagentoSchema.parse(doc), [SchemaError], 'MagentoSchema.parse');
    }), { numRuns: RUNS * 2 });
  });

  test('a 10 MB string: as a JSON message, as an error body, as HTML, as a bulk status description', async () => {
    const big = 'x'.repeat(TEN_MB);
    for (const [status, body] of [[200, JSON.stringify({ message: big })], [400, JSON.stringify({ message: big, parameters: [big] })], [502, `<html><title>${big}</title></html>`], [500, big]] as const) {
      reply = { status, contentType: 'application/json', body };
      const started = Date.now();
      const error = await client.send({ method: 'GET', path: '/V1/products' }).then(() => undefined, (e: unknown) => e as Error);
      if (error) assert.ok(error instanceof MagentoApiError || error instanceof MagentoTransportError, `10 MB, ${status}: ${error.name}`);
      if (error) assert.ok(error.message.length < 10_000, `the ${status} error message is ${error.message.length} characters long`);
      assert.ok(Date.now() - started < (LONG ? 20_000 : 10_000), 'handled in bounded time');
    }
    noCrash(() => parseShortStatus({ bulk_id: 'u', description: big, operations_list: [] }), [BulkStatusError], 'status with 10 MB description');
  });
});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
