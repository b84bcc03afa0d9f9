// The sandbox's own control endpoints (faults and consumers are added by the async/queue code).
import type { SandboxApp, SandboxSettings } from '../app';
import { ControlError } from './controlRouter';

/** Settings that POST /__sandbox/config may change at runtime, with their types. */
const CONFIGURABLE: Record<string, 'boolean' | 'number'> = {
  enableIntegrationAsBearer: 'boolean',
  twoFactor: 'boolean',
  inputLimits: 'boolean',
  allowAnonymousGuestAccess: 'boolean',
  maximumPageSize: 'number',
  defaultPageSize: 'number',
  complexArrayLimit: 'number',
  adminTokenLifetimeMinutes: 'number',
  customerTokenLifetimeMinutes: 'number',
};

export function registerControlEndpoints(app: SandboxApp): void {
  app.control.add('GET', '/__sandbox/stats', () => app.stats.snapshot());

  app.control.add('POST', '/__sandbox/reset', () => {
    app.reset();
    return { reset: true };
  });

  app.control.add('GET', '/__sandbox/clock', () => ({ now: new Date(app.clock.now()).toISOString(), offsetSeconds: app.clock.offsetSeconds() }));
  app.control.add('POST', '/__sandbox/clock', (body) => {
    const advance = body.advanceSeconds;
    if (typeof advance !== 'number' || !Number.isFinite(advance) || advance < 0) {
      throw new ControlError(400, 'body must be {"advanceSeconds": <non-negative number>}');
    }
    app.clock.advance(advance);
    return { now: new Date(app.clock.now()).toISOString(), offsetSeconds: app.clock.offsetSeconds() };
  });

  app.control.add('GET', '/__sandbox/config', () => ({ ...app.settings }));
  app.control.add('POST', '/__sandbox/config', (body) => {
    for (const [key, value] of Object.entries(body)) {
      const type = CONFIGURABLE[key];
      if (!type) throw new ControlError(400, `unknown or read-only setting '${key}'; settable: ${Object.keys(CONFIGURABLE).join(', ')}`);
      if (typeof value !== type || (type === 'number' && (!Number.isFinite(value) || (value as number) < 0))) {
        throw new ControlError(400, `setting '${key}' must be a ${type === 'number' ? 'non-negative number' : type}`);
      }
    }
    Object.assign(app.settings as unknown as Record<string, unknown>, body as Partial<SandboxSettings>);
    return { ...app.settings };
  });

  app.control.add('POST', '/__sandbox/tokens/revoke', (body) => {
    const kind = body.kind ?? 'all';
    if (kind !== 'admin' && kind !== 'customer' && kind !== 'all') throw new ControlError(400, 'kind must be "admin", "customer" or "all"');
    return { revoked: app.auth.revokeTokens(kind) };
  });
}
