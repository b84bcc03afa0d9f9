// SynchronousRequestProcessor: route match → permission check → input binding → service call → `fields`.
import type { ProcessorRequest, RequestProcessor, SandboxApp, SandboxReply } from '../app';
import { isAllowed, type Caller } from '../auth/caller';
import { MESSAGES, WebapiError, notAuthorized } from '../errors';
import { decodeBody } from '../http/negotiation';
import { applyFieldsFilter } from '../../core/search/fieldsFilter';
import { bindRouteInput } from './inputBinding';
import type { RouteCall, SyncRoute } from './routeTypes';

const SYNC_PATH = /^\/V\d+/;

export function createSyncProcessor(app: SandboxApp): RequestProcessor {
  return {
    name: 'sync',
    canProcess: (request) => SYNC_PATH.test(request.path),
    async process(request: ProcessorRequest): Promise<SandboxReply> {
      const match = app.routes.match(request.method, request.path);
      if (!match) throw new WebapiError(404, MESSAGES.noRoute);
      const { route, pathParams } = match;
      request.statsKey = `${route.method} ${route.path}`;
      const caller = checkPermissions(route, request);
      const input = requestData(request);
      const params = bindRouteInput(route, input, {
        method: request.method,
        caller,
        pathParams,
        ...(app.settings.inputLimits ? { complexArrayLimit: app.settings.complexArrayLimit } : {}),
      });
      const call: RouteCall = { params, store: request.store, caller };
      if (app.syncDelay) await app.syncDelay(route, call);
      const output = await route.handler(call);
      return { status: 200, body: applyFieldsFilter(output, request.query.fields) };
    },
  };
}

/**
 * RequestValidator::checkPermissions. Anonymous routes never evaluate the caller (so a broken
 * OAuth header does not matter there); protected routes do, and OAuth errors surface here.
 */
export function checkPermissions(route: SyncRoute, request: ProcessorRequest): Caller {
  if (route.acl.includes('anonymous')) return request.callerOrGuest();
  const caller = request.caller();
  if (!isAllowed(caller, route.acl)) throw notAuthorized(route.acl);
  return caller;
}

/** Request::getRequestData: body params only for POST/PUT (and only when the body is non-empty), query/path params win. */
export function requestData(request: ProcessorRequest): Record<string, unknown> {
  let body: Record<string, unknown> = {};
  if ((request.method === 'POST' || request.method === 'PUT') && request.body.length > 0) {
    const decoded = decodeBody(request.body, headerString(request.headers['content-type']));
    body = Array.isArray(decoded) ? Object.fromEntries(decoded.map((v, i) => [String(i), v])) : decoded;
  }
  return { ...body, ...request.query };
}

function headerString(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
