// Control endpoints for fault testing: the `http` section of `/__sandbox/faults` (the `operations`
// section stays with the async plugin, whose handler this one wraps) and `GET /__sandbox/operations`,
// the store's own record of every accepted operation, so a test can prove "accepted exactly once".
import type { SandboxApp } from '../app';
import type { AsyncRuntime } from '../async/asyncPlugin';
import { ControlError, type ControlHandler } from '../control/controlRouter';
import { skusOf } from '../queue/operationFaults';
import { HttpFaultInjector, httpFaultsSchema, type HttpFaultActions } from './httpFaults';

interface FaultWiring {
  injector: HttpFaultInjector;
  actions: HttpFaultActions;
}

const wiring = new WeakMap<SandboxApp, FaultWiring>();

/** The HTTP fault injector of a sandbox (undefined when the plugin is not installed). */
export function httpFaultsOf(app: SandboxApp): FaultWiring | undefined {
  return wiring.get(app);
}

export function installFaultControls(app: SandboxApp, runtime: AsyncRuntime): HttpFaultInjector {
  const injector = new HttpFaultInjector();
  injector.configure(httpFaultsSchema.parse({ seed: app.settings.seed }));
  wiring.set(app, {
    injector,
    actions: {
      revokeTokens: (kind) => {
        app.auth.revokeTokens(kind);
      },
      advanceClock: (seconds) => app.clock.advance(seconds),
      stopConsumer: () => runtime.consumer.configure({ running: false }),
      reportId: () => app.nextReportId(),
    },
  });

  const previousGet: ControlHandler | undefined = app.control.handler('GET', '/__sandbox/faults');
  const previousPost: ControlHandler | undefined = app.control.handler('POST', '/__sandbox/faults');

  app.control.add('GET', '/__sandbox/faults', async (body) => ({
    ...((previousGet ? await previousGet(body) : {}) as Record<string, unknown>),
    http: injector.current(),
  }));

  app.control.add('POST', '/__sandbox/faults', async (body) => {
    const { http, ...rest } = body;
    let parsedHttp;
    if (http !== undefined) {
      const parsed = httpFaultsSchema.safeParse(http);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ControlError(400, `invalid http faults${issue ? ` at ${issue.path.join('.') || '(root)'}: ${issue.message}` : ''}`);
      }
      parsedHttp = parsed.data;
    }
    // Only touch the other sections when the body names them (an `http`-only body keeps them).
    let others: Record<string, unknown> = {};
    if (Object.keys(rest).length > 0 || http === undefined) {
      if (!previousPost) throw new ControlError(400, `unknown fault section(s) ${Object.keys(rest).join(', ')}; supported: http`);
      others = (await previousPost(rest)) as Record<string, unknown>;
    } else if (previousGet) {
      others = (await previousGet({})) as Record<string, unknown>;
    }
    if (parsedHttp) injector.configure(parsedHttp);
    return { ...others, http: injector.current() };
  });

  app.control.add('GET', '/__sandbox/operations', () => {
    const bulks = [];
    let total = 0;
    for (const bulk of runtime.operations.bulkList()) {
      total += bulk.operations.length;
      bulks.push({
        uuid: bulk.uuid,
        description: bulk.description,
        operations: bulk.operations.map((op) => ({ id: op.id, status: op.status, topic: op.topicName, skus: skusOf(op.payload.pathParams, op.payload.item) })),
      });
    }
    return { total, bulks };
  });

  app.onReset(() => injector.configure(httpFaultsSchema.parse({ seed: app.settings.seed })));
  return injector;
}
