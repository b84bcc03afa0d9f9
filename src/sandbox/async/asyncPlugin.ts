// Wires async/bulk into the sandbox app (contract §6, §7): the `async` and `bulk` request
// processors, the operations store and its consumer, the bulk status routes, the consumer/fault
// control endpoints, `operations_by_status` in the stats and the realistic latency model.
import type { ProcessorRequest, RequestProcessor, SandboxApp, SandboxReply } from '../app';
import { ControlError } from '../control/controlRouter';
import { decodeBody } from '../http/negotiation';
import { LatencyModel } from '../latency/latencyModel';
import { OperationConsumer, type OperationRunner } from '../queue/operationConsumer';
import { OperationFaultInjector, operationFaultsSchema, skusOf } from '../queue/operationFaults';
import { OperationStore, type OperationOutcome, type StoredOperation } from '../queue/operationStore';
import { checkPermissions, requestData } from '../routing/syncProcessor';
import { WebapiError } from '../errors';
import { AsyncRequestProcessor, type OperationPayload } from './asyncRequestProcessor';
import { installAsyncSchemas } from './asyncSchema';
import { registerBulkStatusRoutes } from './bulkStatusRoutes';
import { toBulkPath } from './bulkRoutes';
import { phpJsonEncode } from './phpJson';
import { serviceSuccessMessage } from './topicName';

const ASYNC_PATH = /^\/async(\/V.+)$/;
const BULK_PATH = /^\/async\/bulk(\/V.+)$/;

export interface AsyncRuntime {
  readonly operations: OperationStore<OperationPayload>;
  readonly consumer: OperationConsumer<OperationPayload>;
  readonly faults: OperationFaultInjector;
  readonly latency: LatencyModel;
}

/** Magento renders a LocalizedException's message with its placeholders filled in. */
function renderPhrase(phrase: string, parameters: WebapiError['parameters']): string {
  if (parameters === undefined) return phrase;
  if (Array.isArray(parameters)) {
    return phrase.replace(/%(\d+)/g, (m, n: string) => (parameters[Number(n) - 1] === undefined ? m : String(parameters[Number(n) - 1])));
  }
  const named = parameters as Readonly<Record<string, unknown>>;
  return phrase.replace(/%([A-Za-z_][A-Za-z0-9_]*)/g, (m, name: string) => (named[name] === undefined ? m : String(named[name])));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function contentType(request: ProcessorRequest): string | undefined {
  const value = request.headers['content-type'];
  return Array.isArray(value) ? value[0] : value;
}

export function installAsync(app: SandboxApp): AsyncRuntime {
  const operations = new OperationStore<OperationPayload>();
  const faults = new OperationFaultInjector({ seed: app.settings.seed });
  const latency = new LatencyModel(app.settings.latency);
  const processor = new AsyncRequestProcessor({ routes: app.routes, operations, now: () => app.clock.now(), rejections: faults });

  // OperationProcessor: run the sync service method in the operation's store and caller context.
  const runner: OperationRunner<OperationPayload> = {
    async run(op: StoredOperation<OperationPayload>): Promise<OperationOutcome> {
      const { route, item, pathParams, store, caller } = op.payload;
      try {
        const input = typeof item === 'object' && item !== null && !Array.isArray(item) ? (item as Record<string, unknown>) : {};
        const result = await app.executeRoute(route, input, store.code, caller, pathParams);
        return {
          status: 1,
          resultMessage: serviceSuccessMessage(route.service.className, route.service.method),
          errorCode: null,
          resultSerializedData: phpJsonEncode(result),
        };
      } catch (error) {
        if (error instanceof WebapiError) {
          return { status: 3, resultMessage: renderPhrase(error.phrase, error.parameters), errorCode: error.code ?? 0 };
        }
        return { status: 3, resultMessage: error instanceof Error ? error.message : String(error), errorCode: 0 };
      }
    },
    skus: (op) => skusOf(op.payload.pathParams, op.payload.item),
    costMs: (op) => latency.operationMs(op.payload.route),
  };
  const consumer = new OperationConsumer<OperationPayload>(
    { store: operations, runner, faults, clock: app.clock },
    { running: app.settings.consumers, concurrency: 1 },
  );

  const acceptDelay = async (items: number): Promise<void> => {
    const ms = latency.asyncAcceptMs(items);
    if (ms > 0) await sleep(ms);
  };

  const asyncProcessor: RequestProcessor = {
    name: 'async',
    canProcess: (request) => request.method !== 'GET' && ASYNC_PATH.test(request.path),
    async process(request: ProcessorRequest): Promise<SandboxReply> {
      const path = ASYNC_PATH.exec(request.path)?.[1] ?? '/';
      const reply = processor.single({
        method: request.method,
        path,
        body: requestData(request),
        store: request.store,
        authorize: (route) => {
          request.statsKey = `${request.method} /async${route.path}`;
          return checkPermissions(route, request);
        },
      });
      await acceptDelay(1);
      return reply;
    },
  };

  const bulkProcessor: RequestProcessor = {
    name: 'bulk',
    canProcess: (request) => request.method !== 'GET' && BULK_PATH.test(request.path),
    async process(request: ProcessorRequest): Promise<SandboxReply> {
      const path = BULK_PATH.exec(request.path)?.[1] ?? '/';
      // Bulk reads the body for every method, DELETE included (getBodyParams).
      const body = request.body.length > 0 ? decodeBody(request.body, contentType(request)) : undefined;
      const reply = processor.bulk({
        method: request.method,
        path,
        body,
        store: request.store,
        authorize: (route) => {
          request.statsKey = `${request.method} /async/bulk${toBulkPath(route.path)}`;
          return checkPermissions(route, request);
        },
      });
      await acceptDelay(reply.body.request_items.length);
      return reply;
    },
  };

  app.setProcessor('async', asyncProcessor);
  app.setProcessor('bulk', bulkProcessor);
  registerBulkStatusRoutes(app, operations);
  installAsyncSchemas(app);

  if (latency.mode === 'realistic') {
    app.syncDelay = async (route) => {
      const ms = latency.syncRequestMs(route);
      if (ms > 0) await sleep(ms);
    };
  }

  app.stats.addContributor('operations_by_status', () => {
    const counts = operations.countsByStatus();
    return { '1': counts[1], '2': counts[2], '3': counts[3], '4': counts[4], '5': counts[5] };
  });

  app.control.add('GET', '/__sandbox/consumers', () => consumer.current());
  app.control.add('POST', '/__sandbox/consumers', (body) => {
    const change: { running?: boolean; concurrency?: number; latencyMs?: number | undefined } = {};
    for (const key of Object.keys(body)) {
      if (!['running', 'concurrency', 'latencyMs'].includes(key)) {
        throw new ControlError(400, `unknown key '${key}'; expected {"running": bool, "concurrency"?: n ≥ 1, "latencyMs"?: n ≥ 0 | null}`);
      }
    }
    if (body.running !== undefined) {
      if (typeof body.running !== 'boolean') throw new ControlError(400, '"running" must be true or false');
      change.running = body.running;
    }
    if (body.concurrency !== undefined) {
      if (typeof body.concurrency !== 'number' || !Number.isInteger(body.concurrency) || body.concurrency < 1) {
        throw new ControlError(400, '"concurrency" must be an integer ≥ 1');
      }
      change.concurrency = body.concurrency;
    }
    if (body.latencyMs !== undefined) {
      // null goes back to the latency model's per-route cost.
      if (body.latencyMs !== null && (typeof body.latencyMs !== 'number' || !Number.isFinite(body.latencyMs) || body.latencyMs < 0)) {
        throw new ControlError(400, '"latencyMs" must be a number ≥ 0, or null for the latency model');
      }
      change.latencyMs = body.latencyMs === null ? undefined : body.latencyMs;
    }
    consumer.configure(change);
    return consumer.current();
  });

  app.control.add('GET', '/__sandbox/faults', () => ({ operations: faults.current() }));
  app.control.add('POST', '/__sandbox/faults', (body) => {
    for (const key of Object.keys(body)) {
      if (key !== 'operations') throw new ControlError(400, `unknown fault section '${key}'; supported: operations`);
    }
    const parsed = operationFaultsSchema.safeParse(body.operations ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ControlError(400, `invalid operations faults${issue ? ` at ${issue.path.join('.') || '(root)'}: ${issue.message}` : ''}`);
    }
    faults.configure(parsed.data);
    return { operations: faults.current() };
  });

  app.onReset(() => {
    operations.clear();
    faults.configure(operationFaultsSchema.parse({ seed: app.settings.seed }));
  });
  app.onClose(() => consumer.dispose());

  return { operations, consumer, faults, latency };
}
